"""Bad input in the evaluation workflow is refused with the rule's ID and changes nothing."""

import threading
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.domain.enums import ApplicationStatus as S
from app.domain.enums import ReviewStage, Stage
from app.domain.errors import RuleViolation
from app.domain.money import BudgetExceeded, PaymentExceedsPrize
from app.domain.notice import NoticeTooShort, ObjectionsOpen
from app.domain.quotas import QuotaExceeded
from app.domain.stages import ActionNotAllowedInStage, StageOrderViolation
from app.domain.votes import InvalidVote
from app.extensions import db as _db
from app.services import announcement, disqualification, evaluation, prizes, ranking, workflow
from app.services.workflow import StageMovedMeanwhile
from models import (
    Application,
    Award,
    AwardCycle,
    Ban,
    CommitteeVote,
    Disqualification,
    GovernmentApproval,
    Objection,
    PrizePayment,
    PublicNotice,
    SatisfactionEvaluation,
    StageMove,
)
from tests.app.test_workflow_builders import (
    Entry,
    application,
    audit_actions,
    draft_sheet,
    new_cycle,
    review,
    set_stage,
    statuses,
)


def _count(model, **where) -> int:
    stmt = select(func.count()).select_from(model)
    for key, value in where.items():
        stmt = stmt.where(getattr(model, key) == value)
    return _db.session.scalar(stmt)


def ranked_cycle(year, entries, stage=Stage.COMPREHENSIVE, **cycle_kw):
    """A cycle at `stage` whose finalists have material and on-site scores, ranking stored."""
    cycle = new_cycle(year, stage=Stage.COMPREHENSIVE.value, **cycle_kw)
    for e in entries:
        application(cycle, e, S.FINALIST)
    review(cycle, ReviewStage.MATERIAL, {e.app.id: (e.material, "250") for e in entries})
    review(cycle, ReviewStage.ONSITE, {e.app.id: (e.onsite, e.results) for e in entries})
    _db.session.commit()
    ranking.store_ranking(cycle.id)
    set_stage(cycle, stage)
    return cycle


THREE_AWARDS = [
    Entry("a1", "award", "800", "850"),
    Entry("a2", "award", "780", "820"),
    Entry("a3", "award", "760", "790"),
]


# --- M-17: stage order and concurrency -----------------------------------------------------
@pytest.mark.parametrize(
    ("target", "fragment"),
    [("draft", "不能退回到「筹备」"), ("material_review", "须先经过「资格审查」")],
)
def test_a_stage_cannot_go_back_or_skip_one_m17(db, target, fragment):
    cycle = new_cycle(2040, stage="applications_open")
    _db.session.commit()
    with pytest.raises(StageOrderViolation) as exc:
        workflow.advance_stage(cycle.id, target=target, today=date(2040, 5, 1))
    assert fragment in str(exc.value) and "M-17" in str(exc.value)
    _db.session.refresh(cycle)
    assert cycle.stage == "applications_open"
    assert _count(StageMove) == 0


def test_a_closed_cycle_has_no_next_stage_m17(db):
    cycle = new_cycle(2040, stage="closed")
    _db.session.commit()
    with pytest.raises(StageOrderViolation, match="没有下一阶段"):
        workflow.advance_stage(cycle.id)


def test_the_second_clerk_moving_the_same_cycle_is_refused_m17(db):
    """Both saw 申报受理; the first move wins, the second names the stage it now is in."""
    cycle = new_cycle(2040, stage="applications_open")
    _db.session.commit()
    workflow.advance_stage(cycle.id, expected="applications_open", today=date(2040, 4, 1))
    with pytest.raises(StageMovedMeanwhile) as exc:
        workflow.advance_stage(cycle.id, expected="applications_open", today=date(2040, 4, 1))
    assert "资格审查" in str(exc.value) and "M-17" in str(exc.value)
    assert _count(StageMove) == 1


def test_two_clerks_moving_at_the_same_moment_one_wins_m17(app, db):
    """Two requests race (threads, own sessions): one move is made, the other is refused."""
    cycle = new_cycle(2041, stage="applications_open")
    _db.session.commit()
    cycle_id = cycle.id
    barrier = threading.Barrier(2)
    outcomes = []

    def clerk():
        with app.app_context():
            _db.session.get(AwardCycle, cycle_id)  # each clerk read the page first
            barrier.wait()
            try:
                workflow.advance_stage(
                    cycle_id, expected="applications_open", today=date(2041, 4, 1)
                )
                outcomes.append("moved")
            except StageMovedMeanwhile as exc:
                outcomes.append(str(exc))
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=clerk) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(outcomes) == 2 and outcomes.count("moved") == 1, outcomes
    assert "M-17" in [o for o in outcomes if o != "moved"][0]
    _db.session.expire_all()
    assert _db.session.get(AwardCycle, cycle_id).stage == "eligibility"
    assert _count(StageMove) == 1


# --- M-19.5, M-4: ranking ----------------------------------------------------------------
def test_ranking_with_open_scoresheets_is_refused_m19_5(db):
    cycle = new_cycle(2042, stage="comprehensive")
    e = Entry("a1", "award", "800", "850")
    application(cycle, e, S.FINALIST)
    review(cycle, ReviewStage.ONSITE, {e.app.id: ("850", "300")})
    draft_sheet(cycle, e.app, ReviewStage.ONSITE)
    _db.session.commit()
    with pytest.raises(ranking.ScoresheetsOpen) as exc:
        ranking.store_ranking(cycle.id)
    assert "1 份评分表未提交" in str(exc.value) and "M-19.5" in str(exc.value)
    assert statuses([e]) == {"a1": "finalist"}
    assert "rank_cycle" not in audit_actions()


def test_ranking_outside_the_comprehensive_stages_is_refused_m17(db):
    cycle = new_cycle(2042, stage="onsite_review")
    _db.session.commit()
    with pytest.raises(ActionNotAllowedInStage, match="M-17"):
        ranking.store_ranking(cycle.id)


def test_approving_more_winners_than_the_quota_is_refused_naming_the_excess_m4(db):
    cycle = ranked_cycle(2043, THREE_AWARDS, stage=Stage.APPROVAL)
    third = THREE_AWARDS[2].app
    third.status = S.PROPOSED.value  # e.g. a reinstatement after the notice brought it back
    notice = PublicNotice(
        cycle_id=cycle.id,
        title="公示",
        starts_on=date(2043, 10, 1),
        ends_on=date(2043, 10, 7),
        how_to_object="实名",
        published_at=datetime(2043, 10, 1),
    )
    _db.session.add(notice)
    _db.session.commit()
    item = GovernmentApproval(cycle_id=cycle.id, approved_on=date(2043, 10, 20), document_no="X")
    with pytest.raises(QuotaExceeded) as exc:
        announcement.validate_approval(item, True, today=date(2043, 10, 20))
    assert "名额为 2 个，已拟定 3 个，超出 1 个" in str(exc.value) and "M-4" in str(exc.value)
    _db.session.rollback()
    assert _count(GovernmentApproval) == 0


def test_awards_beyond_the_quota_are_refused_m4(db):
    cycle = ranked_cycle(2044, THREE_AWARDS, stage=Stage.APPROVAL)
    THREE_AWARDS[2].app.status = S.PROPOSED.value
    _db.session.add(
        GovernmentApproval(cycle_id=cycle.id, approved_on=date(2044, 10, 20), document_no="Y")
    )
    _db.session.commit()
    with pytest.raises(QuotaExceeded, match="超出 1 个"):
        prizes.create_awards(cycle.id, date(2044, 10, 25))
    assert _count(Award) == 0


# --- M-3: disqualification and reinstatement -----------------------------------------------
def test_a_disqualified_application_leaves_the_ranking_and_the_next_moves_up_m3(db):
    entries = [Entry(x.key, x.prize, x.material, x.onsite) for x in THREE_AWARDS]
    cycle = ranked_cycle(2045, entries)
    assert statuses(entries) == {"a1": "proposed", "a2": "proposed", "a3": "not_awarded"}
    disqualification.disqualify([entries[0].app.id], "major_accident", "2045年7月发生重大安全事故")
    assert statuses(entries) == {"a1": "disqualified", "a2": "proposed", "a3": "proposed"}
    result = ranking.cycle_ranking(cycle)
    award = result.rankings[next(iter(result.rankings))]
    assert [line.candidate.application_id for line in award.lines] == [
        entries[1].app.id,
        entries[2].app.id,
    ]
    assert award.not_ranked[0][1] == "已取消资格，不参与排名"
    row = _db.session.scalar(select(Disqualification))
    assert row.previous_status == "proposed" and row.active
    assert _count(Ban) == 0  # only falsification bans

    disqualification.reinstate([entries[0].app.id], "经复核，事故责任不在申报单位")
    assert statuses(entries) == {"a1": "proposed", "a2": "proposed", "a3": "not_awarded"}
    _db.session.refresh(row)
    assert not row.active and row.reinstate_reason.startswith("经复核")
    actions = audit_actions(application_id=entries[0].app.id)
    assert "disqualify" in actions and "reinstate" in actions


def test_falsification_bans_the_applicant_for_the_year_and_needs_evidence_m19_1(db):
    cycle = new_cycle(2046, stage="material_review")
    e = Entry("a1", "award", "800")
    application(cycle, e, S.ELIGIBLE)
    _db.session.commit()
    with pytest.raises(RuleViolation, match="证据"):
        disqualification.disqualify([e.app.id], "falsification", "  ")
    with pytest.raises(RuleViolation, match="理由类别"):
        disqualification.disqualify([e.app.id], "no_such_ground", "x")
    assert statuses([e]) == {"a1": "eligible"}
    disqualification.disqualify(
        [e.app.id], "falsification", "营业执照复印件经核查系伪造", today=date(2046, 6, 3)
    )
    ban = _db.session.scalar(select(Ban))
    assert (ban.reason, ban.starts_on, ban.ends_on) == (
        "falsified",
        date(2046, 6, 3),
        date(2046, 12, 31),
    )
    assert ban.organization_id == e.app.organization_id
    disqualification.reinstate([e.app.id], "公安机关鉴定材料为真")
    assert _count(Ban) == 0
    assert "lift_ban" in audit_actions()


def test_withdrawal_and_disqualification_stop_at_the_announcement_m3(db):
    cycle = new_cycle(2047, stage="announced")
    e = Entry("a1", "award", "800")
    application(cycle, e, S.NOT_AWARDED)
    _db.session.commit()
    with pytest.raises(RuleViolation, match="公布表彰后不能再取消"):
        disqualification.disqualify([e.app.id], "withdrawal", "申请撤回")
    cycle.stage = "material_review"
    e.app.status = S.ELIGIBLE.value
    _db.session.commit()
    disqualification.disqualify([e.app.id], "withdrawal", "申报单位来函撤回")
    assert statuses([e]) == {"a1": "withdrawn"}
    with pytest.raises(RuleViolation, match="恢复资格须填写理由"):
        disqualification.reinstate([e.app.id], "")


# --- M-19.3, M-19.6: satisfaction and votes --------------------------------------------------
def test_satisfaction_is_only_for_shortlisted_organizations_within_range_m19_3(db):
    cycle = new_cycle(2048, stage="user_evaluation")
    org, person = Entry("a1", "award", "800"), Entry("n1", "nomination", "700", individual=True)
    application(cycle, org, S.NOT_SHORTLISTED)
    application(cycle, person, S.SHORTLISTED)
    _db.session.commit()

    def sat(app, **kw):
        values = dict(method="own_evidence", sample_size=100, valid_responses=90)
        values.update(kw)
        return SatisfactionEvaluation(
            application_id=app.id, satisfaction_index=Decimal("90"), **values
        )

    with pytest.raises(evaluation.SatisfactionRefused, match="只有列入现场评审名单的组织"):
        evaluation.validate_satisfaction(sat(org.app), True)
    with pytest.raises(evaluation.SatisfactionRefused, match="个人申报"):
        evaluation.validate_satisfaction(sat(person.app), True)
    org.app.status = S.SHORTLISTED.value
    with pytest.raises(evaluation.SatisfactionRefused, match="多于样本量"):
        evaluation.validate_satisfaction(sat(org.app, valid_responses=120), True)
    item = sat(org.app)
    item.satisfaction_index = Decimal("101")
    with pytest.raises(evaluation.SatisfactionRefused, match="0 至 100") as exc:
        evaluation.validate_satisfaction(item, True)
    assert "M-19.3" in str(exc.value)


@pytest.mark.parametrize(
    ("tally", "fragment"),
    [
        (dict(members=9, present=9, votes_for=10), "共 10 票，多于出席人数 9 人"),
        (dict(members=9, present=11, votes_for=5), "出席 11 人，多于委员总数 9 人"),
    ],
)
def test_a_vote_with_more_votes_than_members_is_refused_m19_6(db, tally, fragment):
    cycle = new_cycle(2049, stage="committee_vote")
    e = Entry("a1", "award", "800")
    application(cycle, e, S.PROPOSED)
    _db.session.commit()
    vote = CommitteeVote(application_id=e.app.id, held_on=date(2049, 9, 1), **tally)
    with pytest.raises(InvalidVote) as exc:
        evaluation.validate_vote(vote, True)
    assert fragment in str(exc.value) and "M-19.6" in str(exc.value)
    _db.session.rollback()
    assert _count(CommitteeVote) == 0


def test_only_proposed_candidates_are_voted_on_during_the_vote_stage_m19_6(db):
    cycle = new_cycle(2050, stage="comprehensive")
    e = Entry("a1", "award", "800")
    application(cycle, e, S.PROPOSED)
    _db.session.commit()
    vote = CommitteeVote(application_id=e.app.id, held_on=date(2050, 9, 1), members=9, present=9)
    with pytest.raises(ActionNotAllowedInStage):
        evaluation.validate_vote(vote, True)
    cycle.stage = "committee_vote"
    e.app.status = S.FINALIST.value
    with pytest.raises(evaluation.NotACandidate, match="只能对拟表彰对象表决"):
        evaluation.validate_vote(vote, True)


# --- M-19.6, M-19.7: notice, objections, approval ---------------------------------------------
def test_a_notice_shorter_than_the_minimum_is_refused_m19_6(db):
    cycle = new_cycle(2051, stage="public_notice")
    _db.session.commit()
    notice = PublicNotice(
        cycle_id=cycle.id,
        title="公示",
        starts_on=date(2051, 10, 1),
        ends_on=date(2051, 10, 5),
        how_to_object="实名",
    )
    with pytest.raises(NoticeTooShort) as exc:
        announcement.validate_notice(notice, True)
    assert "至少 7 个自然日" in str(exc.value) and "2051年10月7日" in str(exc.value)
    _db.session.rollback()
    assert _count(PublicNotice) == 0


def _noticed_cycle(year, stage=Stage.APPROVAL):
    cycle = new_cycle(year, stage=stage.value)
    e = Entry("a1", "award", "800")
    application(cycle, e, S.PROPOSED)
    notice = PublicNotice(
        cycle_id=cycle.id,
        title="公示",
        starts_on=date(year, 10, 1),
        ends_on=date(year, 10, 7),
        how_to_object="实名",
        published_at=datetime(year, 10, 1, 9),
    )
    _db.session.add(notice)
    _db.session.commit()
    return cycle, notice, e


def test_approval_with_an_open_objection_is_refused_m19_6(db):
    cycle, notice, e = _noticed_cycle(2052)
    _db.session.add(
        Objection(
            notice_id=notice.id,
            objector_name="王",
            objector_contact="139",
            content="异议",
            received_on=date(2052, 10, 3),
            status="open",
        )
    )
    _db.session.commit()
    item = GovernmentApproval(cycle_id=cycle.id, approved_on=date(2052, 10, 20), document_no="Z")
    with pytest.raises(ObjectionsOpen) as exc:
        announcement.validate_approval(item, True, today=date(2052, 10, 20))
    assert "1 件实名异议未处理" in str(exc.value) and "M-19.6" in str(exc.value)


def test_approval_before_the_notice_ends_is_refused_m19_6(db):
    cycle, _notice, _e = _noticed_cycle(2053)
    item = GovernmentApproval(cycle_id=cycle.id, approved_on=date(2053, 10, 7), document_no="Z")
    with pytest.raises(announcement.ApprovalRefused, match="公示期结束前不能报送审批"):
        announcement.validate_approval(item, True, today=date(2053, 10, 7))


def test_an_anonymous_objection_is_logged_not_investigated_m19_6(db):
    _cycle, notice, _e = _noticed_cycle(2054, Stage.PUBLIC_NOTICE)
    item = Objection(
        notice_id=notice.id, objector_name="李", content="有问题", received_on=date(2054, 10, 2)
    )
    announcement.validate_objection(item, True)  # a name without a contact is not a real name
    announcement.apply_objection(item, True)
    _db.session.commit()
    assert item.status == "logged_anonymous"
    with pytest.raises(announcement.ObjectionRefused, match="匿名异议仅作登记"):
        announcement.resolve_objection(item.id, "查无实据")
    late = Objection(
        notice_id=notice.id,
        objector_name="赵",
        objector_contact="1",
        content="x",
        received_on=date(2054, 10, 9),
    )
    with pytest.raises(announcement.ObjectionRefused, match="不在公示期内"):
        announcement.validate_objection(late, True)


def test_a_named_objection_needs_a_resolution_note_m19_6(db):
    _cycle, notice, _e = _noticed_cycle(2055, Stage.PUBLIC_NOTICE)
    item = Objection(
        notice_id=notice.id,
        objector_name="赵",
        objector_contact="139",
        content="x",
        received_on=date(2055, 10, 2),
    )
    announcement.validate_objection(item, True)
    announcement.apply_objection(item, True)
    _db.session.commit()
    with pytest.raises(announcement.ObjectionRefused, match="处理结果"):
        announcement.resolve_objection(item.id, " ")
    assert _db.session.get(Objection, item.id).status == "open"


# --- M-20, M-5: prize payments ------------------------------------------------------------
def _award(year, amount="200000.00", budget="600000.00"):
    cycle = new_cycle(year, stage="announced", budget=Decimal(budget))
    e = Entry("a1", "award", "800")
    application(cycle, e, S.AWARDED)
    award = Award(
        application_id=e.app.id,
        cycle_id=cycle.id,
        prize="award",
        certificate_no=f"伊政质奖〔{year}〕001号",
        awarded_on=date(year, 11, 1),
        amount=Decimal(amount),
    )
    _db.session.add(award)
    _db.session.commit()
    return award


def test_a_payment_above_the_prize_is_refused_m20(db):
    award = _award(2056)
    first = PrizePayment(award_id=award.id, amount=Decimal("150000"), paid_on=date(2056, 11, 5))
    prizes.validate_payment(first, True)
    prizes.apply_payment(first, True)
    _db.session.commit()
    second = PrizePayment(award_id=award.id, amount=Decimal("60000"), paid_on=date(2056, 11, 6))
    with pytest.raises(PaymentExceedsPrize) as exc:
        prizes.validate_payment(second, True)
    assert "超出 10,000.00 元" in str(exc.value) and "M-20" in str(exc.value)
    _db.session.rollback()
    assert _count(PrizePayment) == 1


def test_a_payment_beyond_the_budget_is_refused_m5(db):
    award = _award(2057, budget="100000.00")  # 80,000 agency fee leaves 20,000
    item = PrizePayment(award_id=award.id, amount=Decimal("30000"), paid_on=date(2057, 11, 5))
    with pytest.raises(BudgetExceeded, match="M-5"):
        prizes.validate_payment(item, True)


def test_a_whole_application_set_keeps_its_scoresheets_after_disqualification_m3(db):
    cycle = new_cycle(2058, stage="onsite_review")
    e = Entry("a1", "award", "800")
    application(cycle, e, S.SHORTLISTED)
    sheet = draft_sheet(cycle, e.app, ReviewStage.ONSITE)
    _db.session.commit()
    assert workflow.open_sheets(cycle.id, ReviewStage.ONSITE) == 1
    disqualification.disqualify([e.app.id], "penalty", "2058年8月受到行政处罚")
    assert _db.session.get(type(sheet), sheet.id) is not None
    assert workflow.open_sheets(cycle.id, ReviewStage.ONSITE) == 0  # no longer blocks the stage
    assert _db.session.get(Application, e.app.id).status == "disqualified"
