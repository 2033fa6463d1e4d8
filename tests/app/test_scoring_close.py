"""Closing a group's stage (M-19.2): refused until every member submitted; stage scores by
the cycle's method (mean, trimmed mean, consensus) with categories; outliers flagged."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.aggregation import StageCloseBlocked
from app.domain.stages import ActionNotAllowedInStage
from app.services import scoring, scoring_close
from models import AuditEntry, Scoresheet, StageScore
from tests.app.test_scoring_scene import all_at, build


def _submit_all(db, scene, percents):
    for i, percent in enumerate(percents):
        sheet = scene.sheet(db.session, i)
        scoring.submit(
            sheet.id, scene.actor(i), sheet.version, all_at(db.session, scene.cycle, percent)
        )


def _stage_score(db, scene) -> StageScore:
    db.session.expire_all()
    return db.session.scalar(select(StageScore).where(StageScore.application_id == scene.app.id))


def test_closing_is_refused_while_a_member_has_not_submitted_naming_them_M_19_2(app, db):
    scene = build(app, db)
    _submit_all(db, scene, [60, 70])
    with pytest.raises(StageCloseBlocked) as exc:
        scoring_close.close_group(scene.group.id, scoring.Actor("office"))
    message = str(exc.value)
    assert scene.reviewers[2].name in message and scene.app.number in message
    assert scene.reviewers[0].name not in message
    db.session.expire_all()
    assert scene.group.closed_at is None and _stage_score(db, scene) is None


def test_closing_outside_the_review_stage_is_refused_M_17(app, db):
    scene = build(app, db, cycle_stage="eligibility")
    with pytest.raises(ActionNotAllowedInStage):
        scoring_close.close_group(scene.group.id, scoring.Actor("office"))


def test_mean_of_the_submitted_sheets_is_the_stage_score_with_its_categories(app, db):
    scene = build(app, db)
    _submit_all(db, scene, [50, 60, 70])
    stored = scoring_close.close_group(scene.group.id, scoring.Actor("office"))
    assert len(stored) == 1
    score = _stage_score(db, scene)
    assert score.method == "mean" and score.sheets == 3
    assert score.total == Decimal("600")
    assert Decimal(score.categories["4.7"]) == Decimal("240")  # 400 points at 60%
    assert sum(Decimal(v) for v in score.categories.values()) == Decimal("600")
    db.session.expire_all()
    assert scene.group.closed_at is not None and scene.group.closed_by == "office"
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"stage_score", "close_review_group"} <= actions


def test_trimmed_mean_drops_the_highest_and_lowest_of_five_sheets(app, db):
    scene = build(app, db, members=5, aggregation="trimmed_mean")
    _submit_all(db, scene, [30, 60, 65, 70, 100])
    scoring_close.close_group(scene.group.id, scoring.Actor("office"))
    score = _stage_score(db, scene)
    assert score.method == "trimmed_mean" and score.sheets == 5
    assert score.total == Decimal("650")  # mean of 600, 650, 700


def test_under_consensus_the_leader_enters_the_consensus_sheet_after_close(app, db):
    scene = build(app, db, aggregation="consensus")
    _submit_all(db, scene, [60, 65, 70])
    assert scoring_close.close_group(scene.group.id, scoring.Actor("office")) == []
    assert _stage_score(db, scene) is None
    consensus = db.session.scalar(
        select(Scoresheet).where(
            Scoresheet.application_id == scene.app.id, Scoresheet.is_consensus.is_(True)
        )
    )
    assert consensus.reviewer_id == scene.reviewers[0].id and len(consensus.lines) == 23
    with pytest.raises(scoring.NotYourSheet):  # the leader's sheet, no one else's
        scoring.save(consensus.id, scene.actor(1), consensus.version, {})
    scoring.submit(
        consensus.id, scene.actor(0), consensus.version, all_at(db.session, scene.cycle, 65)
    )
    score = _stage_score(db, scene)
    assert score.method == "consensus" and score.total == Decimal("650") and score.sheets == 3


def test_a_consensus_sheet_cannot_be_entered_before_the_group_is_closed(app, db):
    scene = build(app, db, aggregation="consensus")
    from app.services.scoresheets import blank_sheets

    (sheet,) = blank_sheets(scene.group, scene.app.id, [scene.reviewers[0].id], consensus=True)
    db.session.commit()
    with pytest.raises(scoring.ConsensusNotOpen):
        scoring.save(sheet.id, scene.actor(0), sheet.version, {"4.1.2": {"percent": 50}})


def test_a_reviewer_far_from_the_group_mean_is_flagged_for_the_leader(app, db):
    scene = build(app, db, members=4)
    _submit_all(db, scene, [70, 70, 70, 40])
    scoring_close.close_group(scene.group.id, scoring.Actor("office"))
    db.session.expire_all()
    results = scoring_close.application_results(scene.group, scene.app.id)
    flagged = {r.sheet.reviewer_id for r in results if r.outlier}
    assert flagged == {scene.reviewers[3].id}  # 400 vs a mean of 625: beyond 15 %


def test_a_sheet_of_a_closed_group_can_be_neither_edited_nor_reopened(app, db):
    scene = build(app, db)
    _submit_all(db, scene, [50, 60, 70])
    scoring_close.close_group(scene.group.id, scoring.Actor("office"))
    sheet = scene.sheet(db.session, 0)
    with pytest.raises(scoring.GroupAlreadyClosed):
        scoring.reopen(sheet.id, scoring.Actor("office"), "复核")
    with pytest.raises(Exception, match="已于"):
        scoring_close.close_group(scene.group.id, scoring.Actor("office"))


def test_closing_the_stage_closes_ready_groups_and_names_the_others(app, db):
    from tests.app.test_scoring_scene import application, assign, group

    scene = build(app, db)
    _submit_all(db, scene, [50, 60, 70])
    waiting = group(db.session, scene.cycle, scene.reviewers, name="第二组")
    assign(db.session, waiting, application(db.session, scene.cycle))
    closed, refused = scoring_close.close_groups(scene.cycle.id, scoring.Actor("office"))
    assert closed == [scene.group.name]
    assert len(refused) == 1 and "第二组" in refused[0] and "未提交" in refused[0]
    db.session.expire_all()
    assert waiting.closed_at is None and scene.group.closed_at is not None


def _close_reads(db, group_id) -> int:
    """The statements closing a group reads before it writes: whose sheets count, the check
    that everyone counted has submitted, the stage scores computed (nothing stored)."""
    from app.domain.enums import Aggregation
    from app.services.conflict_counting import group_counting
    from models import ReviewGroup
    from tests.app.test_list_query_counts import Counter

    db.session.expire_all()
    group = db.session.get(ReviewGroup, group_id)
    group.cycle  # noqa: B018 - loaded before counting, as close_group has it
    with Counter(db.engine) as statements:
        counting = group_counting(group)
        scoring_close.ensure_can_close(group, counting)
        scoring_close.compute_stage_scores(group, counting, Aggregation.MEAN)
    return statements.count


def test_closing_reads_the_same_statements_for_three_applications_as_for_one_issue_20(app, db):
    """Set queries per group (members, applications, recorded ties, sheet states, sheet sums),
    not queries per application or member (M-19.2, M-25.2)."""
    from tests.app.test_scoring_scene import application, assign

    scene = build(app, db)
    _submit_all(db, scene, [50, 60, 70])
    one = _close_reads(db, scene.group.id)
    for _ in range(2):
        other = application(db.session, scene.cycle)
        assign(db.session, scene.group, other)
        for i, percent in enumerate([55, 65, 75]):
            sheet = scene.sheet(db.session, i, application=other)
            scoring.submit(
                sheet.id, scene.actor(i), sheet.version, all_at(db.session, scene.cycle, percent)
            )
    three = _close_reads(db, scene.group.id)
    assert three == one
    stored = scoring_close.close_group(scene.group.id, scoring.Actor("office"))
    assert sorted(s.total for s in stored) == [Decimal("600"), Decimal("650"), Decimal("650")]


def test_the_stage_score_from_the_stored_sums_is_the_one_from_the_lines_M_19_2(app, db):
    """Closing reads each sheet's category sums as submitted; the stage score and its category
    scores are the domain's trimmed mean of what the sheets' lines add up to (issue 20)."""
    import random

    from app.domain import aggregation as agg
    from app.domain.enums import Aggregation
    from app.services.scoresheets import scores_of
    from tests.app.test_scoring_scene import item_codes

    scene = build(app, db, members=5, aggregation="trimmed_mean")
    rng = random.Random(19)
    codes = item_codes(db.session, scene.cycle)
    for i in range(5):
        sheet = scene.sheet(db.session, i)
        entries = {code: {"percent": 5 * rng.randint(0, 20)} for code in codes}
        scoring.submit(sheet.id, scene.actor(i), sheet.version, entries)
    db.session.expire_all()
    from_lines = [scores_of(scene.sheet(db.session, i)) for i in range(5)]
    method = Aggregation.TRIMMED_MEAN
    expected_total = agg.aggregate([s.total for s in from_lines], method)
    expected_categories = agg.aggregate_categories([s.categories for s in from_lines], method)
    scoring_close.close_group(scene.group.id, scoring.Actor("office"))
    score = _stage_score(db, scene)
    stored = Decimal("1E-8")  # stage_score.total is NUMERIC(16, 8)
    assert score.total == expected_total.quantize(stored)
    assert {k: Decimal(v) for k, v in score.categories.items()} == expected_categories
