"""A reviewer scores in a real browser (M-19.2): points, category and total follow the selects as
they change, with no request leaving the intranet, and the server agrees on save."""

from sqlalchemy import select

from tests.browser.conftest import follow


def _open_draft_of(app, username):
    from app.extensions import db
    from models import Reviewer, Scoresheet, User

    with app.app_context():
        sheet = db.session.scalar(
            select(Scoresheet)
            .join(Reviewer, Reviewer.id == Scoresheet.reviewer_id)
            .join(User, User.id == Reviewer.user_id)
            .where(User.username == username, Scoresheet.status == "draft")
            .order_by(Scoresheet.id)
        )
        return sheet.id


def test_a_reviewer_sees_points_and_totals_as_they_type_and_the_save_agrees(app, journey):
    sheet_id = _open_draft_of(app, "reviewer1")
    journey.login("reviewer1")
    page = journey.go(f"/scoresheetview/entry/{sheet_id}")
    assert "评分指南" in page.inner_text("body")
    row = page.locator("tr.score-item", has=page.locator("select[name='percent-4.4.3']"))
    page.select_option("select[name='percent-4.4.3']", "35")
    assert row.locator(".item-points").inner_text() == "5.25"
    shown_total = page.inner_text("#sheet-total")
    shown_resources = page.inner_text(".category-subtotal[data-category='4.4']")
    journey.shot("typed")
    follow(page, "#btn-save")
    assert "评分已保存为草稿" in page.inner_text("body")
    assert page.inner_text("#sheet-total") == shown_total
    assert page.inner_text(".category-subtotal[data-category='4.4']") == shown_resources
    journey.shot("saved")


def test_the_office_sees_a_groups_progress_and_a_proposal_for_the_next_cycle(app, journey):
    from app.extensions import db
    from models import AwardCycle, ReviewGroup

    with app.app_context():
        group_id = db.session.scalar(
            select(ReviewGroup.id).where(ReviewGroup.closed_at.is_(None)).order_by(ReviewGroup.id)
        )
        cycle_id = db.session.scalar(select(AwardCycle.id).where(AwardCycle.stage == "eligibility"))
    journey.login("office")
    page = journey.go(f"/reviewgroupview/composition/{group_id}")
    assert "评审中" in page.inner_text("body") and "/ 23" in page.inner_text("body")
    journey.shot("group")
    page = journey.go(f"/awardcycleview/show/{cycle_id}")
    follow(page, "text=自动组建评审组")
    assert "自动组建材料评审评审组" in page.inner_text("body")
    journey.shot("proposal")
