"""The landing page: the Office's dashboard with offline charts, a reviewer's own to-do list."""

import re

from sqlalchemy import select

from models import Reviewer, Scoresheet


def test_the_office_lands_on_the_dashboard_with_counts_and_offline_charts(app, demo, browser):
    page = browser("office").get("/").get_data(as_text=True)
    assert "工作台" in page and "当前阶段" in page
    assert 'id="status-counts"' in page and 'id="group-progress"' in page
    assert 'id="overdue-reports"' in page
    svgs = re.findall(r"<svg[^>]*class=\"award-chart\"", page)
    assert len(svgs) >= 2
    # Nothing is fetched from outside the intranet.
    assert not re.search(r"(src|href)=\"https?://(?!127\.0\.0\.1|localhost)", page)


def test_the_dashboard_counts_overdue_follow_up_reports(app, demo, browser):
    page = browser("office").get("/").get_data(as_text=True)
    overdue = int(re.search(r'id="overdue-reports">(\d+)<', page).group(1))
    assert overdue >= 1  # the demo's 2023 report of an individual winner is overdue (M-27)


def test_a_reviewer_lands_on_their_own_to_do_list_and_sees_no_one_elses_sheets(app, demo, browser):
    from app.extensions import db

    page = browser("reviewer1").get("/").get_data(as_text=True)
    assert "我的评审任务" in page
    with app.app_context():
        mine = db.session.scalar(select(Reviewer).where(Reviewer.user.has(username="reviewer1")))
        own = db.session.scalars(select(Scoresheet.id).where(Scoresheet.reviewer_id == mine.id))
        others = db.session.scalars(select(Scoresheet.id).where(Scoresheet.reviewer_id != mine.id))
        own, others = set(own), set(others)
        db.session.remove()
    linked = {int(x) for x in re.findall(r"/scoresheetview/entry/(\d+)", page)}
    assert linked and linked <= own
    assert not linked & others


def test_the_office_can_open_the_dashboard_of_another_cycle(app, demo, browser):
    page = browser("office").get("/?year=2025").get_data(as_text=True)
    assert "2025年度" in page and "材料评审" in page
    # The 2025 material review has submitted sheets: the category chart has points.
    assert page.count("<circle") >= 7
