"""What the faster list rendering (issue 8: row buttons built once per page, the menu rendered
once per role set and language) must still give each user: their own rows' buttons, only the
buttons their role allows, related-view filters on the links, and a menu of their own role in
their own language."""

import re

import pytest
from markupsafe import escape
from sqlalchemy import select

from tests.statements import page_sent

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


def test_list_rows_escape_cells_format_each_distinct_value_once_and_label_boxes_issue_20(app):
    """The rows built in Python (views/rendering.py) give the widget template's HTML: cells
    escaped unless already markup, the selection box labelled with the first column's text, the
    row's buttons in their cell; a column's formatter runs once per distinct value on a page."""
    from markupsafe import Markup

    from views.rendering import award_list_rows

    calls = []

    def stage(value):
        calls.append(value)
        return f"<{value}>"

    items = [
        {"name": "A&B", "stage": "x"},
        {"name": Markup("<b>C</b>"), "stage": "x"},
        {"name": "D", "stage": 1},
        {"name": "E", "stage": True},
    ]
    buttons = [Markup(f'<a href="/show/{pk}">s</a>') for pk in (1, 2, 3, 4)]
    with app.test_request_context("/"):
        rows = award_list_rows(
            items, [1, 2, 3, 4], ["name", "stage"], {"stage": stage}, True, buttons, True
        )
    assert calls == ["x", 1, True]  # 1 and True are different values
    first = rows[0][0] + rows[0][1]
    assert first == (
        '<tr><td><input id="1" class="action_check" name="rowid" value="1" type="checkbox" '
        'aria-label="选择本行：A&amp;B"></td><td><center><a href="/show/1">s</a>'
        "</center></td><td>A&amp;B</td><td>&lt;x&gt;</td></tr>"
    )
    second = rows[1][0] + rows[1][1]
    assert 'aria-label="选择本行：C"' in second and "<td><b>C</b></td>" in second


def test_a_formatter_with_for_page_is_prepared_once_per_page_issue_20(app):
    """What every row's cell shares (the scoresheet list's translated link text) is made once
    per page: `for_page` gives the page's formatter, called then for each row."""
    from views.rendering import award_list_rows
    from views.scoring import _entry_link

    prepared = []

    def link(pk):
        return f"link {pk}"

    def for_page():
        prepared.append(1)
        return link

    link.for_page = for_page
    with app.test_request_context("/"):
        rows = award_list_rows(
            [{"id": 1}, {"id": 2}, {"id": 3}], [1, 2, 3], ["id"], {"id": link}, False, None, False
        )
        entry = _entry_link.for_page()
        assert entry(7) == _entry_link(7)
        assert str(entry(7)) == '<a href="/scoresheetview/entry/7">打开评分表</a>'
    assert prepared == [1]
    assert [r[1] for r in rows] == [f"<td>link {pk}</td></tr>" for pk in (1, 2, 3)]


def test_a_list_does_not_decrypt_the_joined_rows_personal_numbers_issue_20(
    app, demo, browser, monkeypatch
):
    """The scoresheet list joins each sheet's reviewer for its label (code and name); the
    reviewer's encrypted identity number is not loaded, so not decrypted once per row."""
    import models.encrypted as encrypted

    decrypted = []
    real = encrypted.decrypt
    monkeypatch.setattr(encrypted, "decrypt", lambda *a: decrypted.append(1) or real(*a))
    client = browser("admin")
    page = client.get("/scoresheetview/list/?psize_ScoresheetView=100")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count('name="rowid"') > 1
    assert decrypted == []


@pytest.mark.parametrize(
    ("path", "model", "shown", "joined", "heavy"),
    [
        # A line's sheet is shown by its label only; the sheet's application only names it.
        (
            "/scorelineview/list/?psize_ScoreLineView=100",
            "ScoreLine",
            "scoresheet",
            "scoresheet_1.",
            ("category_sums", "overall_comment", "reopened_reason"),
        ),
        (
            "/scorelineview/list/?psize_ScoreLineView=100",
            "ScoreLine",
            "scoresheet",
            "application_1.",
            ("self_assessment", "declarations", "summary", "office_note"),
        ),
        # A sheet's application is a list column shown by its label.
        (
            "/scoresheetview/list/?psize_ScoresheetView=100",
            "Scoresheet",
            "application",
            "application_1.",
            ("self_assessment", "declarations", "summary", "office_note"),
        ),
    ],
)
def test_a_list_reads_only_the_label_of_a_row_joined_to_be_named_issue_20(
    app, demo, browser, path, model, shown, joined, heavy
):
    """A row a list joins only to show its label (a score line's sheet, a sheet's application)
    is read for that label alone, not with a self-assessment, declarations or category sums
    (JSON, parsed per row, tens of kB for a real applicant). The label shown is unchanged."""
    import models
    from app.extensions import db

    cls = getattr(models, model)
    with app.app_context():
        row = db.session.scalars(select(cls).order_by(cls.id.desc())).first()
        label = str(getattr(row, shown))
    html, sent = page_sent(app, browser("admin"), path)
    assert escape(label) in html
    page = [s for s, _ in sent if joined.rstrip(".") in s and " JOIN " in s]
    assert page, sent
    for column in heavy:
        assert not any(f"{joined}{column}" in s for s in page), column


def test_a_records_own_page_still_reads_its_relations_whole_issue_20(app, demo, browser):
    """Only lists read a labelled relation by its label: a sheet's own page (`get`) reads its
    application whole, for what its template shows, while a page of the list reads only the
    application's number; the page opens with the application named."""
    from sqlalchemy import inspect

    from app.extensions import db
    from models import Scoresheet
    from views.scoring import ScoresheetView

    with app.app_context():
        sheet = db.session.scalars(select(Scoresheet).order_by(Scoresheet.id)).first()
        sheet_id, number = sheet.id, sheet.application.number
        db.session.remove()
        datamodel = ScoresheetView.datamodel
        own = datamodel.get(sheet_id)
        assert "self_assessment" not in inspect(own.application).unloaded
        db.session.remove()  # a fresh session: nothing loaded by `get` is reused
        listed = datamodel.query(None, "id", "desc", page=0, page_size=25)[1][0]
        assert "self_assessment" in inspect(listed.application).unloaded
        db.session.remove()
    page = browser("admin").get(f"/scoresheetview/show/{sheet_id}")
    assert page.status_code == 200
    assert number in page.get_data(as_text=True)
