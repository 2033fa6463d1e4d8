"""A conflict recorded at any time, even after the reviewer submitted (M-25.2, M-25.3): the
sheet does not count at group close, ranking or exports; the group page says why; the Office
is told the group needs a replacement, and the group cannot close until it has enough
counting sheets for that application (M-10); the reviewer's to-do list drops the sheet."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.counting import TooFewCountingReviewers
from app.services import (
    conflict_counting,
    dashboard,
    reminders,
    review_groups,
    scoring,
    scoring_close,
)
from models import (
    ConsultingEngagement,
    InterestDeclaration,
    Notification,
    ReviewGroupMember,
    Scoresheet,
    StageScore,
    User,
)
from tests import factories as f
from tests.app.test_scoring_scene import all_at, build, reviewer
from tests.clients import web

OFFICE = scoring.Actor("office")


def _submit(db, scene, percents):
    for i, percent in enumerate(percents):
        sheet = scene.sheet(db.session, i)
        scoring.submit(
            sheet.id, scene.actor(i), sheet.version, all_at(db.session, scene.cycle, percent)
        )


def _declare(db, scene, i, kind="shareholding"):
    db.session.add(
        InterestDeclaration(
            reviewer_id=scene.reviewers[i].id,
            organization_id=scene.app.organization_id,
            kind=kind,
            source="office",
        )
    )
    db.session.commit()


def _consulted(db, scene, i):
    db.session.add(
        ConsultingEngagement(
            reviewer_id=scene.reviewers[i].id, organization_id=scene.app.organization_id
        )
    )
    db.session.commit()


def _score(db, scene) -> StageScore:
    db.session.expire_all()
    return db.session.scalar(select(StageScore).where(StageScore.application_id == scene.app.id))


def test_an_interest_recorded_after_submitting_leaves_the_sheet_out_at_close_M_25_2(app, db):
    scene = build(app, db, members=4)
    _submit(db, scene, [50, 60, 70, 100])
    _declare(db, scene, 3)
    scoring_close.close_group(scene.group.id, OFFICE)
    score = _score(db, scene)
    assert score.sheets == 3 and score.total == Decimal("600")  # the 1,000 left out


def test_consulting_recorded_after_submitting_leaves_the_sheet_out_at_close_M_25_3(app, db):
    scene = build(app, db, members=4)
    _submit(db, scene, [50, 60, 70, 100])
    _consulted(db, scene, 3)
    scoring_close.close_group(scene.group.id, OFFICE)
    score = _score(db, scene)
    assert score.sheets == 3 and score.total == Decimal("600")


def test_a_conflicted_reviewers_draft_does_not_hold_the_group_open_M_25_2(app, db):
    scene = build(app, db, members=4)
    _submit(db, scene, [50, 60, 70])  # the fourth never submits: tied to the applicant
    _declare(db, scene, 3)
    scoring_close.close_group(scene.group.id, OFFICE)
    assert _score(db, scene).sheets == 3


def test_close_is_refused_until_a_replacement_gives_enough_counting_sheets_M_25_2_M_10(app, db):
    scene = build(app, db)
    _submit(db, scene, [50, 60, 70])
    _declare(db, scene, 2)
    with pytest.raises(TooFewCountingReviewers) as exc:
        scoring_close.close_group(scene.group.id, OFFICE)
    message = str(exc.value)
    assert exc.value.rule == "M-25.2"
    assert scene.app.number in message and scene.reviewers[2].name in message
    assert "M-10" in message and "补充" in message
    db.session.expire_all()
    assert scene.group.closed_at is None and _score(db, scene) is None

    # The Office adds a replacement (blank sheets made); the group closes once it submits.
    extra = reviewer(app, db.session, username="rv9")
    member = ReviewGroupMember(group=scene.group, reviewer=extra, is_leader=False)
    review_groups.check_member(member, True)
    review_groups.apply_member(member, True)
    db.session.add(member)
    db.session.commit()
    with pytest.raises(Exception, match="rv9|评审员"):
        scoring_close.close_group(scene.group.id, OFFICE)  # the replacement has not submitted
    sheet = db.session.scalar(select(Scoresheet).where(Scoresheet.reviewer_id == extra.id))
    scoring.submit(
        sheet.id,
        scoring.Actor("rv9", extra.id),
        sheet.version,
        all_at(db.session, scene.cycle, 80),
    )
    scoring_close.close_group(scene.group.id, OFFICE)
    score = _score(db, scene)
    assert score.sheets == 3 and round(score.total, 2) == Decimal("633.33")  # 500, 600, 800


def test_the_reviewers_to_do_list_drops_a_sheet_they_are_now_tied_to_M_25_2(app, db):
    scene = build(app, db)
    _declare(db, scene, 1)
    user = db.session.scalar(select(User).where(User.username == "rv2"))
    listed = [a.sheet_id for a in dashboard.reviewer_todo(user)["assignments"]]
    assert scene.sheet(db.session, 1).id not in listed
    notices = [n for n in reminders._sheet_notices(scene.cycle.opens_on) if n.user_id == user.id]
    assert notices == []


def test_the_dashboard_links_no_sheet_that_would_answer_404_M_25_2(app, db, browser):
    scene = build(app, db)
    _declare(db, scene, 1)
    page = web(app, browser, "rv2").get("/").get_data(as_text=True)
    assert f"/scoresheetview/show/{scene.sheet(db.session, 1).id}" not in page
    assert "暂无评审任务" in page


def test_the_group_page_says_whose_sheet_does_not_count_and_why_M_25_2(app, db, browser):
    scene = build(app, db, members=4)
    f.user(app, "office", "Office")
    db.session.commit()
    _submit(db, scene, [50, 60, 70, 100])
    _declare(db, scene, 3)
    page = web(app, browser, "office").get(f"/reviewgroupview/composition/{scene.group.id}")
    text = page.get_data(as_text=True)
    name, number = scene.reviewers[3].name, scene.app.number
    assert f"评审员 {name} 对 申报 {number} 存在利益冲突（M-25.2，于 " in text
    assert "登记），其评分不计入" in text


def test_the_office_is_told_the_group_needs_a_replacement_when_a_conflict_is_recorded_M_25_2(
    app, db, browser
):
    scene = build(app, db)
    office = f.user(app, "office", "Office")
    db.session.commit()
    _submit(db, scene, [50, 60, 70])
    web(app, browser, "office").post(
        "/interestdeclarationview/add",
        {
            "reviewer": str(scene.reviewers[2].id),
            "organization": str(scene.app.organization_id),
            "kind": "relative",
        },
    )
    db.session.expire_all()
    assert db.session.scalar(select(InterestDeclaration)) is not None
    notes = list(db.session.scalars(select(Notification).where(Notification.user_id == office.id)))
    texts = [n.title + n.body for n in notes]
    assert any("补充评审员" in t and scene.app.number in t and scene.group.name in t for t in texts)
    # The daily run finds the same need (one notice per user and occasion).
    keys = {n.key for n in reminders.due_notices(scene.cycle.opens_on)}
    assert {n.dedupe_key for n in notes} <= keys


def test_a_conflict_recorded_after_close_takes_the_sheet_out_of_the_stage_score_M_25_2(app, db):
    scene = build(app, db, members=4)
    _submit(db, scene, [50, 60, 70, 100])
    scoring_close.close_group(scene.group.id, OFFICE)
    assert _score(db, scene).total == Decimal("700")
    _declare(db, scene, 3)
    scoring_close.conflict_recorded(scene.reviewers[3].id, "office")
    score = _score(db, scene)
    assert score.sheets == 3 and score.total == Decimal("600")


def test_ranking_refuses_a_stage_score_that_still_counts_a_conflicted_sheet_M_25_2(app, db):
    scene = build(app, db)
    _submit(db, scene, [50, 60, 70])
    scoring_close.close_group(scene.group.id, OFFICE)
    _declare(db, scene, 2)  # too few left to recompute: the Office must act
    with pytest.raises(TooFewCountingReviewers) as exc:
        conflict_counting.ensure_scores_untainted(scene.cycle.id)
    assert scene.app.number in str(exc.value) and scene.reviewers[2].name in str(exc.value)


def test_a_tied_reviewers_draft_holds_up_neither_the_stage_nor_the_ready_notice_M_25_2(app, db):
    from app.domain.enums import ReviewStage
    from app.services.workflow import open_sheets

    scene = build(app, db, members=4)
    _submit(db, scene, [50, 60, 70])
    assert open_sheets(scene.cycle.id, ReviewStage.MATERIAL) == 1
    _declare(db, scene, 3)
    assert open_sheets(scene.cycle.id, ReviewStage.MATERIAL) == 0
    assert [i.key for i in reminders._groups_ready()] == [f"group-ready:{scene.group.id}"]


def test_the_shortlist_is_refused_on_a_material_score_that_counts_a_tied_sheet_M_25_2(app, db):
    from app.services import shortlist

    scene = build(app, db)
    _submit(db, scene, [50, 60, 70])
    scoring_close.close_group(scene.group.id, OFFICE)
    _declare(db, scene, 1)
    with pytest.raises(TooFewCountingReviewers) as exc:
        shortlist.choose(scene.cycle.id, [scene.app.id])
    assert scene.app.number in str(exc.value)


def test_the_workbooks_score_detail_says_which_sheet_does_not_count_M_25_3(app, db):
    from app.services.summary_facts import load_facts
    from app.services.summary_records import detail_columns, detail_rows

    scene = build(app, db, members=4)
    _submit(db, scene, [50, 60, 70, 100])
    _consulted(db, scene, 3)
    scoring_close.close_group(scene.group.id, OFFICE)
    facts = load_facts(scene.cycle)
    assert detail_columns(facts)[-1].header == "计入阶段得分"
    counted = {row[3]: row[-1] for row in detail_rows(facts, reviewer_names=False)}
    assert counted == {
        scene.reviewers[0].code: "是",
        scene.reviewers[1].code: "是",
        scene.reviewers[2].code: "是",
        scene.reviewers[3].code: "否：利益冲突（M-25.3）",
    }


def test_a_conflict_recorded_through_the_api_recounts_the_closed_group_and_tells_the_office_M_25_2(
    app, db, api
):
    """The REST API records a tie through the same use case as the screen: a closed group's
    stage score drops the tied sheet, as it does after a declaration on the screen."""
    scene = build(app, db, members=4)
    f.user(app, "office", "Office")
    db.session.commit()
    _submit(db, scene, [50, 60, 70, 100])
    scoring_close.close_group(scene.group.id, OFFICE)
    assert _score(db, scene).total == Decimal("700")
    resp = api("office").post(
        "/api/v1/interest_declaration/",
        json={
            "reviewer": scene.reviewers[3].id,
            "organization": scene.app.organization_id,
            "kind": "relative",
        },
    )
    assert resp.status_code == 201, resp.get_data(as_text=True)
    score = _score(db, scene)
    assert score.sheets == 3 and score.total == Decimal("600")
