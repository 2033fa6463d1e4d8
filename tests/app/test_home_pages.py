"""The home page per role (issue 16): each role's waiting work with a link to where it is done,
in the user's row scope (M-25), flagged when overdue (M-19.2, M-19.4, M-27), in a bounded
number of SQL statements."""

import re
from datetime import date

from sqlalchemy import select

from models import (
    Application,
    InterestDeclaration,
    Reviewer,
    ReviewGroup,
    Scoresheet,
    User,
)
from tests.statements import page_statements


def _page(browser, username, path="/"):
    resp = browser(username).get(path)
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def _reviewer(db, username) -> Reviewer:
    return db.session.scalar(select(Reviewer).join(User).where(User.username == username))


def test_a_reviewer_sees_applicants_stage_deadline_days_and_state_with_one_click_to_entry_m19_2(
    app, demo, browser
):
    from app.extensions import db

    page = _page(browser, "reviewer1")
    with app.app_context():
        me = _reviewer(db, "reviewer1")
        draft = db.session.scalar(
            select(Scoresheet)
            .where(Scoresheet.reviewer_id == me.id, Scoresheet.status == "draft")
            .order_by(Scoresheet.id)
        )
        applicant, due = draft.application.applicant_name, draft.group.due_on
        sheet_id = draft.id
        db.session.remove()
    table = page[page.index('id="reviewer-todo"') :]
    assert applicant in table and "材料评审" in table or "现场评审" in table
    assert str(due) in table and re.search(r"已逾期 \d+ 天|剩余 \d+ 天|今天截止", table)
    assert "草稿" in table and "已提交" in table
    assert f'href="/scoresheetview/entry/{sheet_id}"' in table


def test_a_reviewer_never_sees_a_sheet_of_an_applicant_they_are_tied_to_m25(app, demo, browser):
    from app.extensions import db

    with app.app_context():
        me = _reviewer(db, "reviewer1")
        sheet = db.session.scalar(
            select(Scoresheet)
            .join(Application, Application.id == Scoresheet.application_id)
            .where(Scoresheet.reviewer_id == me.id, Application.organization_id.is_not(None))
            .order_by(Scoresheet.id.desc())
        )
        sheet_id = sheet.id
        db.session.add(
            InterestDeclaration(
                reviewer_id=me.id,
                organization_id=sheet.application.organization_id,
                kind="other",
                declared_on=date.today(),
            )
        )
        db.session.commit()
        db.session.remove()
    page = _page(browser, "reviewer1")
    assert f"/scoresheetview/entry/{sheet_id}" not in page


def test_an_open_group_past_its_deadline_is_flagged_overdue_on_the_dashboard_m19_2(
    app, demo, browser
):
    page = _page(browser, "office", "/?year=2025")
    progress = page[page.index('id="group-progress"') :]
    progress = progress[: progress.index("</table>")]
    assert "进行中" in progress and re.search(r"已逾期 \d+ 天", progress)


def test_the_group_list_and_page_flag_an_overdue_group_m19_2(app, demo, browser):
    from app.extensions import db

    with app.app_context():
        group = db.session.scalar(
            select(ReviewGroup)
            .where(ReviewGroup.closed_at.is_(None), ReviewGroup.due_on < date.today())
            .order_by(ReviewGroup.id)
        )
        gid, days = group.id, (date.today() - group.due_on).days
        db.session.remove()
    flag = f"已逾期 {days} 天"
    assert flag in _page(browser, "office", "/reviewgroupview/list/")
    assert flag in _page(browser, "office", f"/reviewgroupview/composition/{gid}")
    assert flag in _page(browser, "office", f"/reviewgroupview/show/{gid}")


def test_the_office_sees_overdue_sheets_ready_groups_objections_and_reports_each_linked(
    app, demo, browser
):
    """M-19.2 overdue sheets, M-19.6 open objections, M-27 reports due."""
    page = _page(browser, "office")
    tasks = page[page.index('id="office-tasks"') :]
    assert 'id="overdue-sheets"' in tasks and re.search(r"已逾期 \d+ 天", tasks)
    assert re.search(r'href="/reviewgroupview/composition/\d+"', tasks)
    assert re.search(r'href="/objectionview/show/\d+"', tasks)
    assert re.search(r'href="/followupreportview/show/\d+"', tasks)
    assert 'id="groups-ready"' in tasks
    # The dashboard is still there.
    assert 'id="status-counts"' in page and 'id="group-progress"' in page


def test_a_group_whose_members_all_submitted_is_offered_for_closing_m19_2(app, db):
    """Ready only once every member's sheet is submitted (a stage cannot close before)."""
    from app.services import home, scoring
    from tests.app.test_scoring_scene import all_at, build

    scene = build(app, db)
    entries = all_at(db.session, scene.cycle, 50)
    for i in range(len(scene.usernames) - 1):
        sheet = scene.sheet(db.session, i)
        scoring.submit(sheet.id, scene.actor(i), sheet.version, entries)
    assert scene.group.id not in {r["id"] for r in home.groups_ready_to_close()}
    last = len(scene.usernames) - 1
    sheet = scene.sheet(db.session, last)
    scoring.submit(sheet.id, scene.actor(last), sheet.version, entries)
    ready = {r["id"]: r for r in home.groups_ready_to_close()}
    assert ready[scene.group.id]["sheets"] == len(scene.usernames)


def test_the_committee_sees_the_votes_and_ties_waiting_for_it_m19_5_m19_6(app, demo, browser):
    page = _page(browser, "committee1")
    assert 'id="votes-waiting"' in page and 'id="ties-waiting"' in page
    votes = page[page.index('id="votes-waiting"') : page.index('id="ties-waiting"')]
    ties = page[page.index('id="ties-waiting"') :]
    assert "/committeevoteview/add" in votes and "暂无待表决事项" not in votes
    assert re.search(r'href="/awardcycleview/ranking/\d+"', ties)


def test_a_recommender_sees_their_recommendations_and_each_applicants_status_m9(app, demo, browser):
    from app.extensions import db
    from models import Recommendation, Recommender

    page = _page(browser, "recommender1")
    with app.app_context():
        mine = db.session.scalars(
            select(Recommendation.id)
            .join(Recommender)
            .join(User)
            .where(User.username == "recommender1")
        ).all()
        others = db.session.scalars(
            select(Recommendation.id).where(Recommendation.id.not_in(mine))
        ).all()
        db.session.remove()
    table = page[page.index('id="recommender-home"') :]
    linked = {int(x) for x in re.findall(r"/recommendationview/show/(\d+)", table)}
    assert linked == set(mine) and not linked & set(others)
    assert "资格审查通过" in table or "获奖" in table


def test_each_home_page_costs_a_bounded_number_of_statements_whatever_the_rows(app, demo, browser):
    """No query per row: two reviewers with different numbers of sheets cost the same."""
    counts = {
        u: page_statements(app, browser(u), "/") for u in ("reviewer1", "leader1", "recommender1")
    }
    assert counts["reviewer1"] == counts["leader1"], counts
    assert max(counts.values()) <= 8, counts
    assert page_statements(app, browser("office"), "/") <= 22
    assert page_statements(app, browser("committee1"), "/") <= 28
