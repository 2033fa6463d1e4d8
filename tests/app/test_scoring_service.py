"""Score entry through the service (M-19.2): exact arithmetic, bad input refused with nothing
changed, submit and lock, the Office's reopen with its history, and no lost update."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.domain.conflicts import ConflictOfInterest
from app.domain.criteria import UnknownCriteriaItem
from app.domain.reviewers import ReviewerDisqualified
from app.domain.scoring import IncompleteScoresheet, ScoreOutOfRange
from app.domain.stages import ActionNotAllowedInStage
from app.services import reviewing, scoring
from models import InterestDeclaration, ReviewerSanction, ScoreChange, Scoresheet
from tests.app.test_list_query_counts import Counter
from tests.app.test_scoring_scene import all_at, build, item_codes


@pytest.fixture
def scene(app, db):
    return build(app, db)


def _fresh(db, sheet_id) -> Scoresheet:
    db.session.expire_all()
    return db.session.get(Scoresheet, sheet_id)


def _changes(db, sheet_id) -> int:
    return db.session.scalar(
        select(func.count()).select_from(ScoreChange).where(ScoreChange.scoresheet_id == sheet_id)
    )


def test_all_items_at_50_percent_total_500_and_at_100_percent_1000_M_19_2(db, scene):
    sheet = scene.sheet(db.session, 0)
    scoring.save(sheet.id, scene.actor(0), sheet.version, all_at(db.session, scene.cycle, 50))
    sheet = _fresh(db, sheet.id)
    assert sheet.total == Decimal("500")
    scoring.save(sheet.id, scene.actor(0), sheet.version, all_at(db.session, scene.cycle, "100"))
    sheet = _fresh(db, sheet.id)
    assert sheet.total == Decimal("1000")
    assert all(line.points == line.item.points for line in sheet.lines)


def test_item_4_4_3_at_35_percent_gives_5_25_points_exactly_M_19_2(db, scene):
    sheet = scene.sheet(db.session, 0)
    scoring.save(sheet.id, scene.actor(0), sheet.version, {"4.4.3": {"percent": "35"}})
    sheet = _fresh(db, sheet.id)
    line = next(line for line in sheet.lines if line.item.code == "4.4.3")
    assert line.percent == 35 and line.points == Decimal("5.25")
    assert sheet.total == Decimal("5.25")


@pytest.mark.parametrize("bad", ["37", "105", "-5", "abc", "50.5", 7])
def test_a_percent_not_a_multiple_of_5_in_0_to_100_is_refused_and_nothing_changes_M_19_2(
    db, scene, bad
):
    sheet = scene.sheet(db.session, 0)
    version = sheet.version
    entries = {"4.1.2": {"percent": 50, "strengths": "领导重视"}, "4.1.3": {"percent": bad}}
    with pytest.raises(ScoreOutOfRange) as exc:
        scoring.save(sheet.id, scene.actor(0), version, entries)
    assert "4.1.3" in str(exc.value) and "M-19.2" in str(exc.value)
    sheet = _fresh(db, sheet.id)
    assert sheet.version == version and sheet.total == 0
    assert all(line.percent is None and line.strengths is None for line in sheet.lines)
    assert _changes(db, sheet.id) == 0


def test_a_score_for_an_item_outside_the_cycles_criteria_version_is_refused_M_16(db, scene):
    sheet = scene.sheet(db.session, 0)
    with pytest.raises(UnknownCriteriaItem) as exc:
        scoring.save(
            sheet.id,
            scene.actor(0),
            sheet.version,
            {"4.1.2": {"percent": 50}, "4.9.9": {"percent": 50}},
        )
    assert "4.9.9" in str(exc.value)
    assert _fresh(db, sheet.id).total == 0 and _changes(db, sheet.id) == 0


def test_submitting_with_items_missing_is_refused_naming_them_M_19_2(db, scene):
    sheet = scene.sheet(db.session, 0)
    entries = all_at(db.session, scene.cycle, 60)
    del entries["4.7.7"], entries["4.2.3"]
    with pytest.raises(IncompleteScoresheet) as exc:
        scoring.submit(sheet.id, scene.actor(0), sheet.version, entries)
    assert "4.2.3" in str(exc.value) and "4.7.7" in str(exc.value) and "2 个条款" in str(exc.value)
    sheet = _fresh(db, sheet.id)
    assert sheet.status == "draft" and sheet.total == 0  # the whole submit rolled back


def test_a_submitted_sheet_is_locked_and_only_the_office_reopens_it_with_a_reason(db, scene):
    sheet = scene.sheet(db.session, 0)
    scoring.submit(sheet.id, scene.actor(0), sheet.version, all_at(db.session, scene.cycle, 70))
    sheet = _fresh(db, sheet.id)
    assert sheet.status == "submitted" and sheet.total == Decimal("700")
    with pytest.raises(scoring.SheetLocked):
        scoring.save(sheet.id, scene.actor(0), sheet.version, {"4.1.2": {"percent": 80}})
    assert _fresh(db, sheet.id).total == Decimal("700")

    office = scoring.Actor("office")
    with pytest.raises(Exception, match="理由"):
        scoring.reopen(sheet.id, office, "  ")
    scoring.reopen(sheet.id, office, "4.7 结果类评分缺少依据，请补充")
    sheet = _fresh(db, sheet.id)
    assert sheet.status == "draft" and sheet.reopened_reason.startswith("4.7")
    status_rows = list(
        db.session.scalars(
            select(ScoreChange)
            .where(ScoreChange.scoresheet_id == sheet.id, ScoreChange.field == "status")
            .order_by(ScoreChange.id)
        )
    )
    assert [(c.old_value, c.new_value, c.changed_by) for c in status_rows] == [
        ("draft", "submitted", "rv1"),
        ("submitted", "draft", "office"),
    ]
    assert status_rows[1].reason == "4.7 结果类评分缺少依据，请补充"
    scoring.save(sheet.id, scene.actor(0), sheet.version, {"4.7.2": {"percent": 40}})
    assert _fresh(db, sheet.id).total == Decimal("700") - Decimal("24")


def test_every_change_is_recorded_with_who_item_old_and_new_value(db, scene):
    sheet = scene.sheet(db.session, 1)
    scoring.save(
        sheet.id, scene.actor(1), sheet.version, {"4.2.2": {"percent": 40, "strengths": "战略清晰"}}
    )
    sheet = _fresh(db, sheet.id)
    scoring.save(sheet.id, scene.actor(1), sheet.version, {"4.2.2": {"percent": "55"}})
    rows = list(
        db.session.scalars(
            select(ScoreChange)
            .where(ScoreChange.scoresheet_id == sheet.id)
            .order_by(ScoreChange.id)
        )
    )
    got = [(c.item_code, c.field, c.old_value, c.new_value, c.changed_by) for c in rows]
    assert got == [
        ("4.2.2", "percent", None, "40", "rv2"),
        ("4.2.2", "strengths", None, "战略清晰", "rv2"),
        ("4.2.2", "percent", "40", "55", "rv2"),
    ]
    assert all(c.changed_at is not None for c in rows)


def test_a_save_from_a_stale_version_is_refused_and_the_newer_save_is_kept(db, scene):
    sheet = scene.sheet(db.session, 0)
    start = sheet.version
    scoring.save(sheet.id, scene.actor(0), start, {"4.1.2": {"percent": 80}})
    with pytest.raises(scoring.StaleScoresheet) as exc:
        scoring.save(sheet.id, scene.actor(0), start, {"4.1.2": {"percent": 20}})
    assert "未生效" in str(exc.value)
    sheet = _fresh(db, sheet.id)
    line = next(line for line in sheet.lines if line.item.code == "4.1.2")
    assert line.percent == 80 and sheet.version == start + 1


def test_a_save_without_a_version_is_refused(db, scene):
    sheet = scene.sheet(db.session, 0)
    with pytest.raises(Exception, match="版本号"):
        scoring.save(sheet.id, scene.actor(0), None, {"4.1.2": {"percent": 80}})


@pytest.mark.postgres_only
def test_two_saves_at_once_from_the_same_version_only_one_wins_on_two_connections(
    app, db, scene, backend, monkeypatch
):
    """PostgreSQL: two threads, two connections, both past the form check before either writes;
    the database's UPDATE ... WHERE version = :v lets exactly one through."""
    sheet = scene.sheet(db.session, 0)
    sheet_id, start = sheet.id, sheet.version
    actor = scene.actor(0)
    db.session.commit()
    barrier = threading.Barrier(2, timeout=20)
    real_claim = scoring._claim

    def claim_together(sheet_id, version):
        barrier.wait()  # both requests checked the same version; now both claim it
        return real_claim(sheet_id, version)

    monkeypatch.setattr(scoring, "_claim", claim_together)
    outcome = {}

    def worker(percent):
        with app.app_context():
            try:
                scoring.save(sheet_id, actor, start, {"4.1.2": {"percent": percent}})
                outcome[percent] = "saved"
            except scoring.StaleScoresheet:
                outcome[percent] = "stale"
            finally:
                from app.extensions import db as _db

                _db.session.remove()

    threads = [threading.Thread(target=worker, args=(p,)) for p in (30, 90)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcome.values()) == ["saved", "stale"]
    winner = next(p for p, o in outcome.items() if o == "saved")
    sheet = _fresh(db, sheet_id)
    line = next(line for line in sheet.lines if line.item.code == "4.1.2")
    assert line.percent == winner and sheet.version == start + 1
    assert _changes(db, sheet_id) == 1


def test_scores_are_entered_only_in_the_matching_review_stage_M_17(db, scene):
    scene.cycle.stage = "user_evaluation"
    db.session.commit()
    sheet = scene.sheet(db.session, 0)
    with pytest.raises(ActionNotAllowedInStage) as exc:
        scoring.save(sheet.id, scene.actor(0), sheet.version, {"4.1.2": {"percent": 50}})
    assert "材料评审" in str(exc.value)


def test_a_reviewer_cannot_save_another_reviewers_sheet_M_25(db, scene):
    sheet = scene.sheet(db.session, 1)
    with pytest.raises(scoring.NotYourSheet):
        scoring.save(sheet.id, scene.actor(0), sheet.version, {"4.1.2": {"percent": 50}})
    assert _changes(db, sheet.id) == 0


def test_a_disqualified_reviewer_cannot_score_M_25(db, scene):
    r = scene.reviewers[2]
    sanction = ReviewerSanction(
        reviewer=r,
        level="disqualification",
        breach="M-25(4)",
        reason="收受礼品",
        decided_on=date(2025, 1, 1),
    )
    reviewing.record_sanction(sanction, True, "office")
    db.session.commit()
    sheet = scene.sheet(db.session, 2)
    with pytest.raises(ReviewerDisqualified):
        scoring.save(sheet.id, scene.actor(2), sheet.version, {"4.1.2": {"percent": 50}})


def test_a_reviewer_who_declares_an_interest_can_no_longer_score_that_application_M_25(db, scene):
    db.session.add(
        InterestDeclaration(
            reviewer_id=scene.reviewers[1].id,
            organization_id=scene.app.organization_id,
            kind="shareholding",
            source="declared",
        )
    )
    db.session.commit()
    sheet = scene.sheet(db.session, 1)
    with pytest.raises(ConflictOfInterest) as exc:
        scoring.save(sheet.id, scene.actor(1), sheet.version, {"4.1.2": {"percent": 50}})
    assert "持股" in str(exc.value)


def test_the_cycle_items_are_the_23_of_gbt_19580(db, scene):
    assert len(item_codes(db.session, scene.cycle)) == 23


def test_a_save_runs_as_many_statements_for_23_changed_lines_as_for_one_issue_20(db, scene):
    """The history rows go in one INSERT and the lines in one UPDATE: a save's statements do
    not grow with the lines it changes; every change still has its history row (M-19.2)."""
    one, all_items = scene.sheet(db.session, 0), scene.sheet(db.session, 1)
    one_id, one_version = one.id, one.version
    all_id, all_version = all_items.id, all_items.version
    db.session.expire_all()
    with Counter(db.engine) as few:
        scoring.save(one_id, scene.actor(0), one_version, {"4.1.2": {"percent": 50}})
    entries = all_at(db.session, scene.cycle, 50)
    db.session.expire_all()
    with Counter(db.engine) as many:
        scoring.save(all_id, scene.actor(1), all_version, entries)
    assert many.count == few.count
    assert _changes(db, one_id) == 1 and _changes(db, all_id) == 23


def _line_sums(db, sheet_id) -> dict[str, Decimal]:
    """The sheet's stored lines added up per category by the database, as closing a group
    did before the sums were stored (M-19.2)."""
    from models import CriteriaCategory, CriteriaItem, ScoreLine

    return {
        code: Decimal(str(points)).quantize(Decimal("0.01"))
        for code, points in db.session.execute(
            select(CriteriaCategory.code, func.sum(ScoreLine.points))
            .join(CriteriaItem, CriteriaItem.category_id == CriteriaCategory.id)
            .join(ScoreLine, ScoreLine.item_id == CriteriaItem.id)
            .where(ScoreLine.scoresheet_id == sheet_id)
            .group_by(CriteriaCategory.code)
        )
    }


def test_a_submitted_sheet_keeps_the_sums_of_its_lines_and_a_returned_one_none_M_19_2(db, scene):
    """Over generated percentages for all 23 items: the submit use case stores each category's
    sum of the lines' points and the total, and the Office's return to draft clears them."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    codes = item_codes(db.session, scene.cycle)
    sheet_id = scene.sheet(db.session, 0).id
    office = scoring.Actor("office")

    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.lists(st.integers(0, 20), min_size=len(codes), max_size=len(codes)))
    def submitted_then_returned(steps):
        sheet = _fresh(db, sheet_id)
        entries = {code: {"percent": 5 * n} for code, n in zip(codes, steps, strict=True)}
        scoring.submit(sheet_id, scene.actor(0), sheet.version, entries)
        sheet = _fresh(db, sheet_id)
        stored = {code: Decimal(v) for code, v in sheet.category_sums.items()}
        assert stored == _line_sums(db, sheet_id)
        assert sum(stored.values()) == sheet.total == sum(line.points for line in sheet.lines)
        scoring.reopen(sheet_id, office, "请复核")
        assert _fresh(db, sheet_id).category_sums is None

    submitted_then_returned()


@pytest.mark.parametrize("status, sums", [("submitted", None), ("draft", '{"4.1": "1.00"}')])
def test_the_database_refuses_a_submitted_sheet_without_its_sums_and_a_draft_with_them_M_19_2(
    db, scene, status, sums
):
    """ck_scoresheet_sums_as_submitted: whatever writes around the use case (raw SQL here),
    a submitted sheet has the sums closing its group reads, a draft none."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    sheet_id = scene.sheet(db.session, 0).id
    db.session.commit()
    with pytest.raises(IntegrityError, match="sums_as_submitted"):
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE scoresheet SET status = :status, category_sums = :sums WHERE id = :id"
                ),
                {"status": status, "sums": sums, "id": sheet_id},
            )
    assert _fresh(db, sheet_id).status == "draft"
