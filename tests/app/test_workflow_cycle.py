"""One whole cycle from opening to announcement through the services (M-17, M-19.1 to M-19.8,
M-4, M-5, M-20), checking each step: both prizes filled, a prize left vacant for lack of
score, and a tie the Committee decides."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.domain.enums import ApplicationStatus as S
from app.domain.enums import Prize, ReviewStage, SatisfactionMethod, Stage
from app.domain.stages import StagePreconditionsUnmet
from app.extensions import db as _db
from app.services import announcement, evaluation, prizes, ranking, shortlist, workflow
from models import (
    AuditEntry,
    Award,
    CommitteeVote,
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
    new_cycle,
    review,
    statuses,
)

BOTH_FILLED = dict(
    year=2031,
    cycle={},
    entries=[
        Entry("a1", "award", "800", "850"),
        Entry("a2", "award", "780", "820"),
        Entry("a3", "award", "760", "790"),
        Entry("a4", "award", "600"),  # not put on the on-site list
        Entry("n1", "nomination", "700", "760", individual=True),
        Entry("n2", "nomination", "690", "740"),
        Entry("n3", "nomination", "650", "700"),
    ],
    proposed={"a1", "a2", "n1", "n2"},
    after_rank={"a3": S.NOT_AWARDED, "a4": S.NOT_SHORTLISTED, "n3": S.NOT_AWARDED},
    vacancies={Prize.AWARD: 0, Prize.NOMINATION: 0},
    tie_decision=None,
    winners={"a1", "a2", "n1", "n2"},
)
VACANT = dict(
    year=2032,
    cycle={"min_onsite_score": Decimal("750.00")},
    entries=[
        Entry("a1", "award", "800", "800"),
        Entry("a2", "award", "790", "700"),  # below the minimum: the second seat stays vacant
        Entry("n1", "nomination", "700", "760"),
        Entry("n2", "nomination", "690", "720"),
    ],
    proposed={"a1", "n1"},
    after_rank={"a2": S.NOT_AWARDED, "n2": S.NOT_AWARDED},
    vacancies={Prize.AWARD: 1, Prize.NOMINATION: 1},
    tie_decision=None,
    winners={"a1", "n1"},
)
TIE = dict(
    year=2033,
    cycle={},
    entries=[
        Entry("a1", "award", "800", "850"),
        Entry("a2", "award", "700", "800", results="300"),
        Entry("a3", "award", "700", "800", results="300"),  # equal on all three: a tie
        Entry("n1", "nomination", "700", "780", results="320"),
        Entry("n2", "nomination", "720", "780", results="310"),  # separated by 4.7
        Entry("n3", "nomination", "650", "770"),
    ],
    proposed={"a1", "n1", "n2"},
    after_rank={"a2": S.FINALIST, "a3": S.FINALIST, "n3": S.NOT_AWARDED},
    vacancies={Prize.AWARD: 1, Prize.NOMINATION: 0},
    tie_decision="a3",
    winners={"a1", "a3", "n1", "n2"},
)


def _advance(cycle, today, expected_stage: Stage):
    move = workflow.advance_stage(cycle.id, expected=cycle.stage, today=today)
    assert move.to_stage == expected_stage.value
    _db.session.refresh(cycle)
    assert cycle.stage == expected_stage.value
    return move


def _refused(cycle, today, fragment):
    with pytest.raises(StagePreconditionsUnmet) as exc:
        workflow.advance_stage(cycle.id, expected=cycle.stage, today=today)
    assert fragment in str(exc.value)
    _db.session.refresh(cycle)


def _save(validate, item, **kw):
    from app.services import records

    validate(item, True, **kw)  # only reads (issue 15): the change follows
    records.apply(item, True)
    _db.session.add(item)
    _db.session.commit()
    return item


@pytest.mark.parametrize("scenario", [BOTH_FILLED, VACANT, TIE], ids=["filled", "vacant", "tie"])
def test_a_whole_cycle_runs_from_opening_to_announcement_m17_m19(db, scenario):
    year, entries = scenario["year"], scenario["entries"]
    by_key = {e.key: e for e in entries}
    cycle = new_cycle(year, **scenario["cycle"])
    _db.session.commit()

    # M-17: the Office announces the period, then applications come in until the deadline.
    _advance(cycle, date(year, 1, 1), Stage.APPLICATIONS_OPEN)
    for e in entries:
        application(cycle, e)
    _db.session.commit()
    _refused(cycle, date(year, 3, 31), "申报截止日期尚未过")
    _advance(cycle, date(year, 4, 1), Stage.ELIGIBILITY)

    # M-19.1 (eligibility helper's work): every application eligible, confirmed by the Committee.
    for e in entries:
        e.app.status = S.ELIGIBLE.value
    _db.session.commit()
    _refused(cycle, date(year, 4, 20), "委员会确认")
    cycle.eligibility_confirmed_at = datetime(year, 4, 25, 10)
    _db.session.commit()
    _advance(cycle, date(year, 4, 25), Stage.MATERIAL_REVIEW)

    # M-19.2: material scores, then the Office picks the on-site list.
    review(cycle, ReviewStage.MATERIAL, {e.app.id: (e.material, "250") for e in entries})
    _db.session.commit()
    _refused(cycle, date(year, 5, 20), "尚未确定现场评审名单")
    onsite = [e for e in entries if e.onsite is not None]
    shortlist.choose(cycle.id, [e.app.id for e in onsite], "择优")
    expected = {e.key: (S.SHORTLISTED if e.onsite else S.NOT_SHORTLISTED).value for e in entries}
    assert statuses(entries) == expected
    _advance(cycle, date(year, 5, 21), Stage.USER_EVALUATION)

    # M-19.3: satisfaction evidence for each organization on the list.
    orgs = [e for e in onsite if not e.individual]
    _refused(cycle, date(year, 6, 1), f"尚有 {len(orgs)} 家入围组织未录入用户满意度测评")
    for e in orgs:
        _save(
            evaluation.validate_satisfaction,
            SatisfactionEvaluation(
                application_id=e.app.id,
                method=SatisfactionMethod.THIRD_PARTY.value,
                agency="新疆某调查公司",
                sample_size=200,
                valid_responses=180,
                satisfaction_index=Decimal("88.50"),
            ),
        )
    _advance(cycle, date(year, 6, 10), Stage.ONSITE_REVIEW)

    # M-19.4: on-site scores; leaving the stage makes the list the finalists.
    review(cycle, ReviewStage.ONSITE, {e.app.id: (e.onsite, e.results) for e in onsite})
    _db.session.commit()
    _advance(cycle, date(year, 8, 1), Stage.COMPREHENSIVE)
    assert {statuses(onsite)[e.key] for e in onsite} == {S.FINALIST.value}

    # M-19.5, M-4: the Office stores the proposal; quotas, vacancies and ties as expected.
    _refused(cycle, date(year, 8, 5), "尚未提出拟表彰名单")
    result = ranking.store_ranking(cycle.id, "综合评价会议")
    got = statuses(entries)
    assert {k for k, v in got.items() if v == S.PROPOSED.value} == scenario["proposed"]
    for key, status in scenario["after_rank"].items():
        assert got[key] == status.value, key
    assert {p: r.vacancies for p, r in result.rankings.items()} == scenario["vacancies"]
    award_lines = result.rankings[Prize.AWARD].lines
    assert [line.rank for line in award_lines] == sorted(line.rank for line in award_lines)
    if scenario is VACANT:
        assert [line.below_minimum for line in award_lines] == [False, True]
    if scenario is TIE:
        assert result.rankings[Prize.AWARD].unresolved_tie
        assert [line.rank for line in award_lines] == [1, 2, 2]
        nomination = result.rankings[Prize.NOMINATION].lines
        assert "结果类别" in nomination[1].tie_break
    _advance(cycle, date(year, 8, 10), Stage.COMMITTEE_VOTE)

    # The Committee decides the remaining tie, then votes on each candidate (M-19.6).
    if scenario["tie_decision"]:
        ranking.decide_tie(cycle.id, [by_key[scenario["tie_decision"]].app.id], "委员会议定")
        assert statuses(entries)[scenario["tie_decision"]] == S.PROPOSED.value
    candidates = [e for e in entries if statuses(entries)[e.key] == S.PROPOSED.value]
    _refused(cycle, date(year, 9, 1), f"尚有 {len(candidates)} 名候选对象未经委员会表决")
    for e in candidates:
        vote = _save(
            evaluation.validate_vote,
            CommitteeVote(
                application_id=e.app.id,
                held_on=date(year, 9, 5),
                members=15,
                present=13,
                votes_for=12,
                votes_against=0,
                abstentions=1,
            ),
        )
        assert vote.passed
    _advance(cycle, date(year, 9, 6), Stage.PUBLIC_NOTICE)

    # M-19.6, M-8.5: a 7-day notice, one named objection resolved, one anonymous logged.
    notice = _save(
        announcement.validate_notice,
        PublicNotice(
            cycle_id=cycle.id,
            title=f"{year}年度拟表彰对象公示",
            starts_on=date(year, 10, 10),
            how_to_object="实名书面反映",
        ),
    )
    assert notice.ends_on == date(year, 10, 16)
    announcement.publish_notice(notice.id, today=date(year, 10, 10))
    assert notice.published_at is not None
    named = _save(
        announcement.validate_objection,
        Objection(
            notice_id=notice.id,
            application_id=candidates[0].app.id,
            objector_name="赵明",
            objector_contact="13899765432",
            content="反映拖欠货款",
            received_on=date(year, 10, 12),
        ),
    )
    anonymous = _save(
        announcement.validate_objection,
        Objection(notice_id=notice.id, content="匿名来信", received_on=date(year, 10, 13)),
    )
    assert (named.status, anonymous.status) == ("open", "logged_anonymous")
    assert anonymous.anonymous
    _refused(cycle, date(year, 10, 16), "公示期尚未结束")
    _refused(cycle, date(year, 10, 17), "尚有 1 件公示异议未处理")
    announcement.resolve_objection(named.id, "经核实已结清，不影响评定", today=date(year, 10, 15))
    _advance(cycle, date(year, 10, 17), Stage.APPROVAL)

    # M-19.7, M-19.8, M-20: the city's approval, then awards with certificate numbers.
    _save(
        announcement.validate_approval,
        GovernmentApproval(
            cycle_id=cycle.id, approved_on=date(year, 10, 20), document_no=f"伊市政发〔{year}〕9号"
        ),
        today=date(year, 10, 20),
    )
    awards = prizes.create_awards(cycle.id, date(year, 10, 25))
    winners = {e.key for e in entries if statuses(entries)[e.key] == S.AWARDED.value}
    assert winners == scenario["winners"]
    assert {a.certificate_no for a in awards if a.prize == "award"} <= {
        f"伊政质奖〔{year}〕001号",
        f"伊政质奖〔{year}〕002号",
    }
    assert all(a.amount == (200000 if a.prize == "award" else 30000) for a in awards)
    _advance(cycle, date(year, 10, 25), Stage.ANNOUNCED)

    # M-5: each prize paid in full within the budget, then the cycle closes.
    _refused(cycle, date(year, 11, 1), f"尚有 {len(awards)} 项奖金未发放")
    for a in awards:
        _save(
            prizes.validate_payment,
            PrizePayment(award_id=a.id, amount=a.amount, paid_on=date(year, 11, 20)),
        )
    summary = prizes.budget_of(cycle)
    paid = sum(a.amount for a in awards)
    assert summary.prizes_paid == paid
    assert summary.remaining == Decimal("600000.00") - Decimal("80000.00") - paid
    _advance(cycle, date(year, 11, 21), Stage.CLOSED)

    # M-3: every move and decision is on record.
    moves = _db.session.scalar(
        select(func.count(StageMove.id)).where(StageMove.cycle_id == cycle.id)
    )
    assert moves == 11
    logged = set(
        _db.session.scalars(select(AuditEntry.action).where(AuditEntry.cycle_id == cycle.id))
    )
    assert {
        "advance_stage",
        "shortlist",
        "satisfaction",
        "rank_cycle",
        "committee_vote",
        "publish_notice",
        "resolve_objection",
        "approval",
        "create_award",
        "prize_payment",
    } <= logged
    assert _db.session.scalar(
        select(func.count(Award.id)).where(Award.cycle_id == cycle.id)
    ) == len(scenario["winners"])


def test_the_vote_that_fails_takes_the_candidate_off_the_notice_m19_6(db):
    cycle = new_cycle(2034, stage="committee_vote")
    e = Entry("a1", "award", "800", "850")
    application(cycle, e, S.PROPOSED)
    _db.session.commit()
    _save(
        evaluation.validate_vote,
        CommitteeVote(
            application_id=e.app.id,
            held_on=date(2034, 9, 5),
            members=15,
            present=12,
            votes_for=6,  # half of those present is not more than half
            votes_against=5,
            abstentions=1,
        ),
    )
    vote = _db.session.scalar(select(CommitteeVote))
    assert not vote.passed
    _advance(cycle, date(2034, 9, 6), Stage.PUBLIC_NOTICE)
    assert statuses([e])["a1"] == S.NOT_AWARDED.value


def test_a_working_day_notice_skips_weekends_and_holidays_m19_6(db):
    from models import NoticeHoliday

    cycle = new_cycle(2035, stage="public_notice", notice_working_days=True, notice_days=5)
    _db.session.add(NoticeHoliday(day=date(2035, 10, 1), name="国庆节"))
    _db.session.commit()
    notice = _save(
        announcement.validate_notice,
        PublicNotice(
            cycle_id=cycle.id, title="公示", starts_on=date(2035, 9, 28), how_to_object="实名"
        ),
    )
    # Fri 28 Sep, Mon 1 Oct is a holiday: Tue 2, Wed 3, Thu 4, Fri 5 make five working days.
    assert notice.working_days
    assert notice.ends_on == date(2035, 9, 28) + timedelta(days=7)
