"""The Office reopens a closed review group when a tie recorded after closing leaves a stage
score that cannot be recomputed (M-25.2, M-25.3, M-10, M-19.2): a reason is required (M-3),
the stage score is removed, a replacement scores, the group closes again without the tied
sheet and ranking accepts the score; from the Committee's vote on it is an M-26 matter."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.counting import TooFewCountingReviewers
from app.domain.errors import RuleViolation
from app.services import conflict_counting, review_groups, scoring, scoring_close
from models import AuditEntry, ReviewGroupMember, Scoresheet, StageScore
from tests import factories as f
from tests.app.test_conflicts_late import OFFICE, _declare, _submit
from tests.app.test_scoring_scene import all_at, build, reviewer
from tests.clients import web


def _score(db, scene):
    db.session.expire_all()
    return db.session.scalar(select(StageScore).where(StageScore.application_id == scene.app.id))


def _closed_and_tainted(app, db, **kw):
    scene = build(app, db, **kw)
    _submit(db, scene, [50, 60, 70])
    scoring_close.close_group(scene.group.id, OFFICE)
    _declare(db, scene, 2)
    scoring_close.conflict_recorded(scene.reviewers[2].id, "office")  # too few: not recounted
    return scene


def _add_replacement(app, db, scene, username="rv9", percent=80):
    extra = reviewer(app, db.session, username=username)
    member = ReviewGroupMember(group=scene.group, reviewer=extra, is_leader=False)
    review_groups.check_member(member, True)
    review_groups.apply_member(member, True)
    db.session.add(member)
    db.session.commit()
    sheet = db.session.scalar(select(Scoresheet).where(Scoresheet.reviewer_id == extra.id))
    assert sheet is not None and sheet.status == "draft"  # a fresh sheet, as for an open group
    scoring.submit(
        sheet.id,
        scoring.Actor(username, extra.id),
        sheet.version,
        all_at(db.session, scene.cycle, percent),
    )
    return extra


def test_the_office_reopens_a_tainted_group_adds_a_replacement_and_ranking_accepts_M_25_2(app, db):
    scene = _closed_and_tainted(app, db)
    with pytest.raises(TooFewCountingReviewers) as exc:
        conflict_counting.ensure_scores_untainted(scene.cycle.id)
    assert scene.app.number in str(exc.value)

    scoring_close.reopen_group(scene.group.id, OFFICE, "评审员与申报单位存在持股关系，补充评审员")
    db.session.expire_all()
    assert scene.group.closed_at is None and _score(db, scene) is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "reopen_review_group"))
    assert entry.reason == "评审员与申报单位存在持股关系，补充评审员"
    assert entry.username == "office"
    conflict_counting.ensure_scores_untainted(scene.cycle.id)  # nothing ranks on a removed score

    _add_replacement(app, db, scene)
    scoring_close.close_group(scene.group.id, OFFICE)
    score = _score(db, scene)
    assert score.sheets == 3 and round(score.total, 2) == Decimal("633.33")  # 500, 600, 800
    conflict_counting.ensure_scores_untainted(scene.cycle.id)


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_without_a_reason_is_refused_and_changes_nothing_M_3(app, db, reason):
    scene = _closed_and_tainted(app, db)
    with pytest.raises(RuleViolation, match="理由.*M-3"):
        scoring_close.reopen_group(scene.group.id, OFFICE, reason)
    db.session.expire_all()
    assert scene.group.closed_at is not None and _score(db, scene) is not None


def test_reopening_an_open_group_is_refused_M_19_2(app, db):
    scene = build(app, db)
    with pytest.raises(scoring_close.GroupNotClosed, match="尚未结束评审.*M-19.2"):
        scoring_close.reopen_group(scene.group.id, OFFICE, "理由")


def test_reopening_after_the_committee_vote_is_refused_as_a_revocation_matter_M_26(app, db):
    scene = _closed_and_tainted(app, db)
    scene.cycle.stage = "committee_vote"
    db.session.commit()
    with pytest.raises(RuleViolation, match="撤销.*M-26"):
        scoring_close.reopen_group(scene.group.id, OFFICE, "理由")
    db.session.expire_all()
    assert scene.group.closed_at is not None and _score(db, scene) is not None


def test_the_office_reopens_through_the_api_with_reason_and_version_M_25_2(app, db, api):
    scene = _closed_and_tainted(app, db)
    f.user(app, "office", "Office")
    db.session.commit()
    version = scene.group.version
    url = f"/api/v1/review_group/{scene.group.id}/reopen"
    refused = api("office").post(url, json={"reason": "", "version": version})
    assert refused.status_code == 422 and "M-3" in refused.get_data(as_text=True)
    stale = api("office").post(url, json={"reason": "补充评审员", "version": version + 5})
    assert stale.status_code == 409
    resp = api("office").post(url, json={"reason": "补充评审员", "version": version})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    db.session.expire_all()
    assert scene.group.closed_at is None and _score(db, scene) is None


def test_a_reviewer_may_not_reopen_a_group_through_the_api_M_19_2(app, db, api):
    scene = _closed_and_tainted(app, db)
    resp = api("rv1").post(
        f"/api/v1/review_group/{scene.group.id}/reopen", json={"reason": "补充评审员"}
    )
    assert resp.status_code == 403
    db.session.expire_all()
    assert scene.group.closed_at is not None


def test_the_group_page_tells_the_office_to_reopen_and_the_form_needs_a_reason_M_25_2(
    app, db, browser
):
    scene = _closed_and_tainted(app, db)
    f.user(app, "office", "Office")
    db.session.commit()
    office = web(app, browser, "office")
    page = office.get(f"/reviewgroupview/composition/{scene.group.id}").get_data(as_text=True)
    assert "须重新开启本组、补充评审员" in page and scene.app.number in page
    assert f"/reviewgroupview/reopen/{scene.group.id}" in page
    refused = office.post(f"/reviewgroupview/reopen/{scene.group.id}", {"reason": " "})
    assert "重新开启评审组须填写理由（M-3）" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert scene.group.closed_at is not None
    office.post(f"/reviewgroupview/reopen/{scene.group.id}", {"reason": "补充评审员"})
    db.session.expire_all()
    assert scene.group.closed_at is None
    reviewer_page = web(app, browser, "rv1").get(f"/reviewgroupview/reopen/{scene.group.id}")
    assert reviewer_page.status_code in (302, 403)


def test_a_consensus_group_reopens_and_the_leader_scores_again_without_the_tied_sheet_M_25_2(
    app, db
):
    scene = build(app, db, aggregation="consensus")
    _submit(db, scene, [50, 60, 70])
    scoring_close.close_group(scene.group.id, OFFICE)

    def consensus_submit(percent):
        db.session.expire_all()
        sheet = db.session.scalar(
            select(Scoresheet).where(
                Scoresheet.group_id == scene.group.id, Scoresheet.is_consensus.is_(True)
            )
        )
        assert sheet.status == "draft" and sheet.category_sums is None  # M-19.2
        scoring.submit(
            sheet.id, scene.actor(0), sheet.version, all_at(db.session, scene.cycle, percent)
        )

    consensus_submit(60)
    assert _score(db, scene).sheets == 3
    _declare(db, scene, 2)
    scoring_close.conflict_recorded(scene.reviewers[2].id, "office")  # consensus: no recount
    with pytest.raises(TooFewCountingReviewers):
        conflict_counting.ensure_scores_untainted(scene.cycle.id)

    scoring_close.reopen_group(scene.group.id, OFFICE, "组员存在利益冲突，补充评审员后重新合议")
    assert _score(db, scene) is None
    _add_replacement(app, db, scene)
    scoring_close.close_group(scene.group.id, OFFICE)
    consensus_submit(65)  # the consensus sheet went back to draft for the leader
    score = _score(db, scene)
    assert score.sheets == 3 and score.method == "consensus"
    conflict_counting.ensure_scores_untainted(scene.cycle.id)
