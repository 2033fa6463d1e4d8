"""Each demo cycle stands where its stage says, as the services see it: the work of every stage
it left is done (M-17), and the work of its own stage is the one still under way."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.domain import stages as rules
from app.domain import votes as vote_rules
from app.domain.enums import ApplicantKind, ObjectionStatus, ReviewStage, SheetStatus, Stage
from app.domain.enums import ApplicationStatus as S
from app.domain.groups import ensure_composition
from models import (
    Application,
    AuditEntry,
    AwardCycle,
    CommitteeVote,
    GovernmentApproval,
    Objection,
    PublicNotice,
    Reviewer,
    ReviewGroup,
    SatisfactionEvaluation,
    Scoresheet,
    StageScore,
    User,
)
from tests.conftest import DEMO_TODAY

TODAY = DEMO_TODAY


@pytest.fixture
def session(app, demo):
    """The app's session on the freshly loaded demo, inside an app context."""
    from app.extensions import db

    with app.app_context():
        yield db.session
        db.session.rollback()


def cycle_of(session, stage: Stage) -> AwardCycle:
    (cycle,) = session.scalars(select(AwardCycle).where(AwardCycle.stage == stage.value))
    return cycle


def apps_of(session, cycle) -> list[Application]:
    return list(
        session.scalars(
            select(Application).where(Application.cycle_id == cycle.id).order_by(Application.number)
        )
    )


def at_stage(cycle, stage: Stage) -> SimpleNamespace:
    """The cycle as app.services.workflow.stage_facts would have read it while at `stage`."""
    return SimpleNamespace(
        id=cycle.id,
        stage=stage.value,
        opens_on=cycle.opens_on,
        deadline=cycle.deadline,
        criteria_version_id=cycle.criteria_version_id,
        eligibility_confirmed_at=cycle.eligibility_confirmed_at,
    )


def left_behind(session, cycle, stage: Stage) -> list[str]:
    """What the workflow would still miss in `stage`, judged on today's records."""
    from app.services.workflow import ON_SITE_LIST, stage_facts

    facts = stage_facts(at_stage(cycle, stage), TODAY)
    if stage is Stage.MATERIAL_REVIEW:
        # The on-site list has moved on since (finalists, proposed, ...): count it as chosen.
        chosen = sum(S(a.status) in ON_SITE_LIST for a in apps_of(session, cycle))
        facts = replace(facts, shortlisted_count=chosen)
    return rules.preconditions(stage, facts)


def test_every_cycle_finished_the_work_of_each_stage_it_left_M_17(session):
    """The workflow's own preconditions hold for every stage behind each cycle."""
    for cycle in session.scalars(select(AwardCycle).order_by(AwardCycle.year)):
        for stage in list(Stage)[: Stage(cycle.stage).order]:
            assert left_behind(session, cycle, stage) == [], (cycle.name, stage.label)


def test_each_cycle_is_held_in_its_stage_by_the_work_still_under_way_M_17(session):
    """What keeps each cycle where it is, in the workflow's own words."""
    from app.services.workflow import missing_preconditions

    missing = {
        Stage(c.stage): missing_preconditions(c, TODAY) for c in session.scalars(select(AwardCycle))
    }
    assert missing[Stage.DRAFT] == [
        "尚未公布申报受理期（开始日期和截止日期）"
    ]  # 2028 is being prepared
    assert missing[Stage.APPLICATIONS_OPEN] == ["申报截止日期尚未过"]
    assert any("未作资格审查结论" in m for m in missing[Stage.ELIGIBILITY])
    assert any("评分表未提交" in m for m in missing[Stage.MATERIAL_REVIEW])
    assert missing[Stage.USER_EVALUATION] == ["尚有 1 家入围组织未录入用户满意度测评（M-19.3）"]
    assert any("现场评审尚有" in m and "评分表未提交" in m for m in missing[Stage.ONSITE_REVIEW])
    assert (
        missing[Stage.COMPREHENSIVE] == []
    )  # the proposal is stored; the tie awaits the Committee
    assert missing[Stage.COMMITTEE_VOTE] == ["尚有 1 名候选对象未经委员会表决（M-19.6）"]
    assert missing[Stage.PUBLIC_NOTICE] == [
        "公示期尚未结束",
        "尚有 1 件公示异议未处理（M-19.6）",
    ]
    assert missing[Stage.APPROVAL] == ["尚未录入市政府的审批结果（M-19.7）"]
    assert missing[Stage.ANNOUNCED] == []
    assert missing[Stage.CLOSED] == ["本届评定已结束，没有下一阶段"]


def test_each_on_site_list_takes_the_best_material_scores_of_each_prize_M_19_2(session):
    """好中选优: whoever the Office put on the list scored above whoever it left off."""
    from app.services.workflow import ON_SITE_LIST

    checked = 0
    for cycle in session.scalars(select(AwardCycle)):
        if Stage(cycle.stage).order <= Stage.MATERIAL_REVIEW.order:
            continue
        material = {
            a: (S(status), prize, total)
            for a, status, prize, total in session.execute(
                select(Application.id, Application.status, Application.prize, StageScore.total)
                .join(StageScore, StageScore.application_id == Application.id)
                .where(Application.cycle_id == cycle.id, StageScore.stage == ReviewStage.MATERIAL)
            )
        }
        for prize in {p for _, p, _ in material.values()}:
            left = [t for s, p, t in material.values() if p == prize and s is S.NOT_SHORTLISTED]
            listed = [t for s, p, t in material.values() if p == prize and s in ON_SITE_LIST]
            assert listed, (cycle.name, prize)
            assert not left or min(listed) > max(left), (cycle.name, prize)
            checked += bool(left)
    assert checked >= 3


def test_the_user_evaluation_has_some_satisfaction_records_and_waits_for_others_M_19_3(session):
    cycle = cycle_of(session, Stage.USER_EVALUATION)
    apps = apps_of(session, cycle)
    listed = [a for a in apps if a.status == S.SHORTLISTED]
    assert {S(a.status) for a in apps} == {S.SHORTLISTED, S.NOT_SHORTLISTED}
    orgs = [a for a in listed if a.applicant_kind == ApplicantKind.ORGANIZATION]
    evaluated = set(
        session.scalars(
            select(SatisfactionEvaluation.application_id).where(
                SatisfactionEvaluation.application_id.in_([a.id for a in apps])
            )
        )
    )
    assert evaluated and evaluated < {a.id for a in orgs}
    # Every later cycle has the evidence of every organization on its on-site list.
    for later in session.scalars(select(AwardCycle)):
        if Stage(later.stage).order > Stage.USER_EVALUATION.order and later.year < 2025:
            for a in apps_of(session, later):
                if a.status not in (S.NOT_SHORTLISTED, S.ELIGIBLE) and a.organization_id:
                    assert session.scalar(
                        select(SatisfactionEvaluation).where(
                            SatisfactionEvaluation.application_id == a.id
                        )
                    ), (later.year, a.number)


def test_the_onsite_review_has_a_proper_group_with_submitted_and_draft_sheets_M_10_M_19_4(
    session,
):
    from app.services.reviewing import assigned, group_spec, recorded_interests
    from app.services.scoring_close import application_results

    cycle = cycle_of(session, Stage.ONSITE_REVIEW)
    (group,) = session.scalars(
        select(ReviewGroup).where(
            ReviewGroup.cycle_id == cycle.id, ReviewGroup.stage == ReviewStage.ONSITE
        )
    )
    assert group.closed_at is None and group.due_on > TODAY
    ensure_composition(
        group_spec(group),
        [assigned(a.application) for a in group.assignments],
        recorded_interests([m.reviewer for m in group.members]),
        TODAY,
    )
    users = {m.reviewer.user.username for m in group.members if m.reviewer.user}
    assert users == {"leader1", "reviewer1", "reviewer2", "reviewer3", "reviewer4"}
    assert [m.reviewer.user.username for m in group.members if m.is_leader] == ["leader1"]
    sheets = list(session.scalars(select(Scoresheet).where(Scoresheet.group_id == group.id)))
    assert len(sheets) == len(group.members) * len(group.assignments)
    drafts = {s.reviewer.user.username for s in sheets if s.status == SheetStatus.DRAFT}
    assert drafts == users - {"reviewer2"}  # reviewer2 has submitted all of theirs
    assert SheetStatus.SUBMITTED in {s.status for s in sheets}
    for sheet in sheets:
        assert len(sheet.lines) == 23
        for line in sheet.lines:
            assert line.points == (
                None if line.percent is None else line.item.points * line.percent / 100
            )
    assert {a.application.status for a in group.assignments} == {S.SHORTLISTED}
    # One submitted sheet lies far from its group's mean: flagged for the leader (M-19.2).
    flagged = [
        r
        for a in group.assignments
        for r in application_results(group, a.application_id)
        if r.outlier
    ]
    assert [r.sheet.reviewer.user.username for r in flagged] == ["reviewer4"]


def test_reviewer1_can_score_a_draft_sheet_in_a_stage_that_allows_scoring_M_19_2(session):
    from app.services import scoring

    reviewer = session.scalar(select(Reviewer).join(User).where(User.username == "reviewer1"))
    actor = scoring.Actor("reviewer1", reviewer.id)
    drafts = list(
        session.scalars(
            select(Scoresheet)
            .join(Application)
            .join(AwardCycle)
            .where(
                Scoresheet.reviewer_id == reviewer.id,
                Scoresheet.status == SheetStatus.DRAFT,
                AwardCycle.stage.in_([Stage.MATERIAL_REVIEW, Stage.ONSITE_REVIEW]),
            )
            .order_by(Scoresheet.id)
        )
    )
    stages = {s.application.cycle.stage for s in drafts}
    assert stages == {Stage.MATERIAL_REVIEW, Stage.ONSITE_REVIEW}
    for sheet in drafts:
        scoring.ensure_writable(sheet, actor)  # no conflict, right stage, group open
    onsite = next(s for s in drafts if s.stage == ReviewStage.ONSITE)
    saved = scoring.save(onsite.id, actor, onsite.version, {"4.1.2": {"percent": "65"}})
    line = next(line for line in saved.lines if line.item.code == "4.1.2")
    assert line.percent == 65 and line.points == line.item.points * Decimal("0.65")
    assert saved.total == sum((x.points or Decimal(0) for x in saved.lines), Decimal(0))


def test_the_comprehensive_cycle_holds_the_ranking_the_service_computes_M_19_5_M_4(session):
    from app.services.ranking import cycle_ranking, ensure_quotas, store_ranking

    cycle = cycle_of(session, Stage.COMPREHENSIVE)
    groups = list(session.scalars(select(ReviewGroup).where(ReviewGroup.cycle_id == cycle.id)))
    assert {g.stage for g in groups} == {ReviewStage.MATERIAL, ReviewStage.ONSITE}
    assert all(g.closed_at is not None for g in groups)
    result = cycle_ranking(cycle)
    for prize, ranking in result.rankings.items():
        tied = result.tied_open(prize)
        for line in ranking.lines:
            app = session.get(Application, line.candidate.application_id)
            expected = (
                S.PROPOSED if line.proposed else S.FINALIST if app.id in tied else S.NOT_AWARDED
            )
            assert app.status == expected, app.number
            scores = {
                s.stage: s
                for s in session.scalars(
                    select(StageScore).where(StageScore.application_id == app.id)
                )
            }
            assert set(scores) == {ReviewStage.MATERIAL, ReviewStage.ONSITE}
            for score in scores.values():
                assert all(isinstance(v, str) for v in score.categories.values())
                assert sum(Decimal(v) for v in score.categories.values()) == score.total
    statuses = {S(a.status) for a in apps_of(session, cycle)}
    assert {S.PROPOSED, S.FINALIST} <= statuses  # a tie straddles the award quota
    ensure_quotas(cycle)
    # The Office ranking again through the service changes no standing.
    before = {a.number: a.status for a in apps_of(session, cycle)}
    store_ranking(cycle.id)
    session.expire_all()
    assert {a.number: a.status for a in apps_of(session, cycle)} == before


def test_the_committee_vote_has_candidates_some_voted_under_the_cycle_rule_M_19_6(session):
    for stage in (Stage.COMMITTEE_VOTE, Stage.PUBLIC_NOTICE, Stage.APPROVAL):
        cycle = cycle_of(session, stage)
        threshold = Fraction(str(cycle.vote_threshold))
        apps = apps_of(session, cycle)
        votes = {
            v.application_id: v
            for v in session.scalars(
                select(CommitteeVote).where(CommitteeVote.application_id.in_([a.id for a in apps]))
            )
        }
        for vote in votes.values():
            tally = vote_rules.VoteTally(
                vote.votes_for, vote.votes_against, vote.abstentions, vote.present, vote.members
            )
            assert vote.passed == vote_rules.vote_passes(tally, threshold)
        proposed = [a for a in apps if a.status == S.PROPOSED]
        assert proposed
        if stage is Stage.COMMITTEE_VOTE:
            assert [a for a in proposed if a.id in votes]
            assert [a for a in proposed if a.id not in votes]
        else:
            assert all(votes[a.id].passed for a in proposed)
    failed = [v for v in session.scalars(select(CommitteeVote)) if not v.passed]
    assert [session.get(Application, v.application_id).status for v in failed] == [S.NOT_AWARDED]


def test_the_public_notice_runs_today_with_an_open_named_and_a_logged_anonymous_objection(
    session,
):
    """M-8.5, M-19.6: the period includes the demo's today; approval must wait for it."""
    cycle = cycle_of(session, Stage.PUBLIC_NOTICE)
    notice = session.scalar(select(PublicNotice).where(PublicNotice.cycle_id == cycle.id))
    assert notice.published_at is not None and notice.starts_on <= TODAY <= notice.ends_on
    assert notice.ends_on - notice.starts_on == timedelta(days=cycle.notice_days - 1)
    objections = list(session.scalars(select(Objection).where(Objection.notice_id == notice.id)))
    assert sorted((o.anonymous, o.status) for o in objections) == [
        (False, ObjectionStatus.OPEN),
        (True, ObjectionStatus.LOGGED_ANONYMOUS),
    ]
    assert all(notice.starts_on <= o.received_on <= TODAY for o in objections)
    names = [a.applicant_name for a in apps_of(session, cycle) if a.status == S.PROPOSED]
    assert names and all(n in notice.body for n in names)


def test_the_approval_waits_only_for_the_city_government_M_19_7(session):
    """The notice is over, objections resolved or only logged, no approval recorded yet; the
    service would now accept the city's approval."""
    from app.services.announcement import validate_approval

    cycle = cycle_of(session, Stage.APPROVAL)
    notice = session.scalar(select(PublicNotice).where(PublicNotice.cycle_id == cycle.id))
    assert notice.ends_on < TODAY
    statuses = {
        o.status for o in session.scalars(select(Objection).where(Objection.notice_id == notice.id))
    }
    assert statuses == {ObjectionStatus.RESOLVED, ObjectionStatus.LOGGED_ANONYMOUS}
    assert (
        session.scalar(select(GovernmentApproval).where(GovernmentApproval.cycle_id == cycle.id))
        is None
    )
    approval = GovernmentApproval(
        cycle=cycle,
        cycle_id=cycle.id,
        approved_on=notice.ends_on + timedelta(days=10),
        document_no="伊市政发〔2023〕99号",
    )
    validate_approval(approval, adding=True, today=TODAY)  # refuses nothing


def test_the_demo_audit_log_verifies_after_seed_demo_M_3(app, demo):
    from app.extensions import db

    result = app.test_cli_runner().invoke(args=["award", "verify-audit"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        count = db.session.query(AuditEntry).count()
        db.session.remove()
    assert f"共校验 {count} 条记录" in result.output and count == demo["audit_entries"]
