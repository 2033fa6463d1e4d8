"""Lists that start where the work is (issue 16): most recent records first, each user's last
filters restored when a list is opened again from a menu, the current cycle preselected on a
list that belongs to one cycle."""

import re

from sqlalchemy import select

from models import ReviewGroup

HOME = {"Referer": "http://localhost/"}


def _rows(page: str) -> list[int]:
    return [int(x) for x in re.findall(r'name="rowid" value="(\d+)"', page)]


def test_a_list_shows_the_most_recent_records_first(app, demo, browser):
    page = browser("office").get("/reviewgroupview/list/?psize_ReviewGroupView=100")
    rows = _rows(page.get_data(as_text=True))
    assert len(rows) > 2 and rows == sorted(rows, reverse=True)


def test_the_office_opens_a_cycle_list_on_the_current_cycle(app, demo, browser):
    from app.extensions import db
    from app.services.dashboard import current_cycle
    from models import Application

    with app.app_context():
        year = current_cycle().year
        ours = set(
            db.session.scalars(select(Application.id).where(Application.number.like(f"{year}-%")))
        )
        db.session.remove()
    b = browser("office")
    resp = b.get("/applicationview/list/", headers=HOME)
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith(f"/applicationview/list/?_flt_0_number={year}-")
    page = b.get(resp.headers["Location"]).get_data(as_text=True)
    assert "列表已按当前评定年度筛选" in page
    assert ours and set(_rows(page)) == ours


def test_a_filter_is_remembered_per_user_and_restored_from_the_menu(app, demo, browser):
    from app.extensions import db

    with app.app_context():
        group_ids = set(
            db.session.scalars(select(ReviewGroup.id).where(ReviewGroup.name.like("2025%")))
        )
        db.session.remove()
    office = browser("office")
    asked = office.get("/reviewgroupview/list/?_flt_0_name=2025&_oc_ReviewGroupView=name")
    assert group_ids and set(_rows(asked.get_data(as_text=True))) == group_ids
    back = office.get("/reviewgroupview/list/", headers=HOME)
    assert back.status_code == 302
    assert "_flt_0_name=2025" in back.headers["Location"]
    assert "_oc_ReviewGroupView=name" in back.headers["Location"]
    # Another user's session has its own lists.
    other = browser("committee1").get("/reviewgroupview/list/", headers=HOME)
    assert other.status_code == 200


def test_removing_the_filters_on_the_list_itself_forgets_them(app, demo, browser):
    office = browser("office")
    office.get("/reviewgroupview/list/?_flt_0_name=2025")
    here = {"Referer": "http://localhost/reviewgroupview/list/?_flt_0_name=2025"}
    assert office.get("/reviewgroupview/list/", headers=here).status_code == 200
    again = office.get("/reviewgroupview/list/", headers=HOME)
    assert "_flt_0_name" not in again.headers.get("Location", "")


def test_a_typed_address_without_arguments_is_shown_as_asked(app, demo, browser):
    office = browser("office")
    office.get("/reviewgroupview/list/?_flt_0_name=2025")
    assert office.get("/reviewgroupview/list/").status_code == 200


def test_a_reviewer_is_not_moved_to_the_current_cycle_their_work_is_elsewhere_m25(
    app, demo, browser
):
    resp = browser("reviewer1").get("/reviewgroupview/list/", headers=HOME)
    assert resp.status_code == 200
