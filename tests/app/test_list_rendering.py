"""What the faster list rendering (issue 8: row buttons built once per page, the menu rendered
once per role set and language) must still give each user: their own rows' buttons, only the
buttons their role allows, related-view filters on the links, and a menu of their own role in
their own language."""

import re

from sqlalchemy import select

ROW_PK = re.compile(r'name="rowid" value="([^"]+)"')


def _rows(html):
    return ROW_PK.findall(html)


def test_every_row_has_buttons_for_its_own_record_and_one_delete_handler(demo, browser):
    html = browser("office").get("/organizationview/list/").get_data(as_text=True)
    pks = _rows(html)
    assert len(pks) >= 3
    for pk in pks:
        assert f'href="/organizationview/show/{pk}"' in html
        assert f'href="/organizationview/edit/{pk}"' in html
        assert f'data-url="/organizationview/delete/{pk}"' in html
    assert html.count("award-row-delete") == len(pks) + 1  # the buttons, then the one handler
    assert html.count("execute_single_delete") == 1
    assert "确定要删除这条记录吗？" in html


def test_a_role_without_edit_or_delete_gets_only_the_show_button(demo, browser):
    """M-25: the Committee reads applications; it neither edits nor deletes them."""
    html = browser("committee1").get("/applicationview/list/").get_data(as_text=True)
    assert "/applicationview/show/" in html
    assert "/applicationview/edit/" not in html
    assert "award-row-delete" not in html


def test_links_on_a_related_list_keep_the_related_filter(app, demo, browser):
    """An application's eligibility tab links each review with the application filter kept."""
    from app.extensions import db
    from models import EligibilityReview

    with app.app_context():
        review = db.session.scalars(select(EligibilityReview)).first()
        application_id = review.application_id
    page = browser("office").get(f"/applicationview/show/{application_id}")
    html = page.get_data(as_text=True)
    assert re.search(
        rf'href="/eligibilityreviewview/show/\d+\?_flt_0_application={application_id}"', html
    ), "the eligibility tab's show links lost the application filter"


def _menu_labels(html):
    nav = html[html.index('class="nav navbar-nav"') : html.index("navbar-right")]
    return set(re.findall(r"</i>&nbsp;\s*([^<]+?)\s*</a>", nav))


def test_each_role_gets_its_own_menu_in_its_own_language(demo, browser):
    office = browser("office")
    reviewer = browser("reviewer1")
    office_menu = _menu_labels(office.get("/applicationview/list/").get_data(as_text=True))
    reviewer_menu = _menu_labels(reviewer.get("/applicationview/list/").get_data(as_text=True))
    assert "审计日志" in office_menu
    assert "审计日志" not in reviewer_menu  # M-25: reviewers do not see the audit log
    assert "评分表" in reviewer_menu

    # The same role in English gets the English menu, then Chinese again.
    office.get("/lang/en")
    english = _menu_labels(office.get("/applicationview/list/").get_data(as_text=True))
    assert "Audit log" in english and "审计日志" not in english
    office.get("/lang/zh")
    again = _menu_labels(office.get("/applicationview/list/").get_data(as_text=True))
    assert again == office_menu
