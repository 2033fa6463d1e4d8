"""Review groups through the services (M-10, M-25): composition, conflicts declared and derived,
membership changes, the automatic proposal for a stage, and sanctions."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.conflicts import ConflictOfInterest
from app.domain.enums import ReviewStage
from app.domain.groups import GroupTooSmall, LeaderMissing, NoIndustryExpert
from app.domain.reviewers import ReviewerNotQualified
from app.services import review_groups, review_proposal, reviewing
from models import (
    ConsultingEngagement,
    InterestDeclaration,
    ReviewAssignment,
    ReviewerSanction,
    ReviewGroup,
    ReviewGroupMember,
    Scoresheet,
)
from tests import factories as f
from tests.app.test_scoring_scene import application, assign, build, group, reviewer


def _count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def cycle(db):
    return f.cycle(db.session, stage="material_review")


def _three(app, db, **kw):
    return [reviewer(app, db.session, **kw) for _ in range(3)]


def test_a_group_of_two_cannot_be_given_an_application_M_10(app, db, cycle):
    g = group(db.session, cycle, _three(app, db)[:2])
    a = application(db.session, cycle)
    with pytest.raises(GroupTooSmall) as exc:
        assign(db.session, g, a)
    assert "至少应有 3 名" in str(exc.value)
    db.session.rollback()
    assert _count(db, ReviewAssignment) == 0 and _count(db, Scoresheet) == 0


def test_a_group_without_a_leader_cannot_be_given_an_application_M_10(app, db, cycle):
    g = group(db.session, cycle, _three(app, db))
    for m in g.members:
        m.is_leader = False
    db.session.commit()
    with pytest.raises(LeaderMissing):
        assign(db.session, g, application(db.session, cycle))


def test_a_group_without_an_expert_for_the_applicants_industry_is_refused_naming_it_M_10(
    app, db, cycle
):
    g = group(db.session, cycle, _three(app, db, industries="E"))
    a = application(db.session, cycle, industry_code="Q")
    with pytest.raises(NoIndustryExpert) as exc:
        assign(db.session, g, a)
    assert "Q（卫生和社会工作）" in str(exc.value) and a.number in str(exc.value)


@pytest.mark.parametrize("source", ["declared", "office"])
def test_assigning_an_application_a_member_declared_an_interest_in_is_refused_naming_it_M_25(
    app, db, cycle, source
):
    people = _three(app, db)
    g = group(db.session, cycle, people)
    a = application(db.session, cycle)
    db.session.add(
        InterestDeclaration(
            reviewer_id=people[1].id,
            organization_id=a.organization_id,
            kind="relative",
            source=source,
        )
    )
    db.session.commit()
    with pytest.raises(ConflictOfInterest) as exc:
        assign(db.session, g, a)
    message = str(exc.value)
    assert people[1].name in message and a.applicant_name in message and "亲属关系" in message


def test_conflicts_derived_from_employment_and_consulting_are_refused_M_25(app, db, cycle):
    a = application(db.session, cycle)
    employee = reviewer(app, db.session, employer_id=a.organization_id)
    consultant = reviewer(app, db.session)
    db.session.add(
        ConsultingEngagement(reviewer_id=consultant.id, organization_id=a.organization_id)
    )
    g = group(db.session, cycle, [employee, *_three(app, db)[:2]])
    g2 = group(db.session, cycle, [consultant, *_three(app, db)[:2]])
    db.session.commit()
    with pytest.raises(ConflictOfInterest, match="任职"):
        assign(db.session, g, a)
    db.session.rollback()
    with pytest.raises(ConflictOfInterest, match="咨询服务"):
        assign(db.session, g2, a)


def test_adding_a_member_tied_to_one_of_the_groups_applications_is_refused_M_25(app, db):
    scene = build(app, db)
    tied = reviewer(app, db.session, employer_id=scene.app.organization_id)
    member = ReviewGroupMember(group=scene.group, reviewer=tied, is_leader=False)
    with pytest.raises(ConflictOfInterest) as exc:
        review_groups.check_member(member, True)
    assert tied.name in str(exc.value)


def test_an_unqualified_reviewer_cannot_join_a_group_M_10(app, db):
    scene = build(app, db)
    junior = reviewer(app, db.session, degree="below_bachelor", quality_work_since=date(2024, 1, 1))
    member = ReviewGroupMember(group=scene.group, reviewer=junior, is_leader=False)
    with pytest.raises(ReviewerNotQualified) as exc:
        review_groups.check_member(member, True)
    assert "M-10.2" in str(exc.value) and "M-10.3" in str(exc.value)


def test_a_new_member_gets_blank_sheets_and_a_new_leader_replaces_the_old_one(app, db):
    scene = build(app, db)
    newcomer = reviewer(app, db.session)
    member = ReviewGroupMember(group=scene.group, reviewer=newcomer, is_leader=True)
    review_groups.check_member(member, True)
    review_groups.apply_member(member, True)
    db.session.add(member)
    db.session.commit()
    leaders = [m.reviewer_id for m in scene.group.members if m.is_leader]
    assert leaders == [newcomer.id]
    sheet = db.session.scalar(select(Scoresheet).where(Scoresheet.reviewer_id == newcomer.id))
    assert sheet is not None and len(sheet.lines) == 23


def test_the_only_leader_of_a_group_with_applications_cannot_step_down_M_10(app, db):
    scene = build(app, db)
    leader = next(m for m in scene.group.members if m.is_leader)
    leader.is_leader = False
    with pytest.raises(LeaderMissing):
        review_groups.check_member(leader, False)


def test_a_member_who_entered_scores_cannot_be_removed_and_one_who_did_not_can(app, db):
    from app.services import scoring

    scene = build(app, db, members=4)
    sheet = scene.sheet(db.session, 3)
    scoring.save(sheet.id, scene.actor(3), sheet.version, {"4.1.2": {"percent": 50}})
    member = next(m for m in scene.group.members if m.reviewer_id == scene.reviewers[3].id)
    with pytest.raises(Exception, match="已在评审组"):
        review_groups.remove_member(member)
    db.session.rollback()
    other = next(m for m in scene.group.members if m.reviewer_id == scene.reviewers[2].id)
    review_groups.remove_member(other)
    db.session.delete(other)
    db.session.commit()
    assert _count(db, Scoresheet, Scoresheet.reviewer_id == scene.reviewers[2].id) == 0


def test_an_application_is_assigned_once_per_stage_and_only_at_its_status_M_19(app, db, cycle):
    people = _three(app, db)
    g1, g2 = group(db.session, cycle, people), group(db.session, cycle, people)
    a = application(db.session, cycle)
    late = application(db.session, cycle, status="submitted")
    db.session.commit()
    assign(db.session, g1, a)
    with pytest.raises(Exception, match="已分配给评审组"):
        assign(db.session, g2, a)
    db.session.rollback()
    with pytest.raises(Exception, match="只评审"):
        assign(db.session, g2, late)


def test_the_proposal_respects_conflicts_and_industries_and_accepting_it_creates_the_groups(
    app, db, cycle
):
    """M-10, M-25: each application gets a group with an expert for its industry and no member
    tied to it; accepting creates groups, members, assignments and blank sheets."""
    builders = [reviewer(app, db.session, industries="C") for _ in range(4)]
    medics = [reviewer(app, db.session, industries="Q") for _ in range(2)]
    reviewer(app, db.session, industries="Q", degree="below_bachelor")  # excluded
    factory = application(db.session, cycle, industry_code="C")
    hospital = application(db.session, cycle, industry_code="Q")
    db.session.add(
        InterestDeclaration(
            reviewer_id=builders[0].id,
            organization_id=factory.organization_id,
            kind="gift",
            source="office",
        )
    )
    db.session.add(
        ConsultingEngagement(reviewer_id=medics[0].id, organization_id=hospital.organization_id)
    )
    db.session.commit()
    plan = review_proposal.propose(cycle, ReviewStage.MATERIAL)
    placed = {n: g for g in plan.proposal.groups for n in g.application_keys}
    assert set(placed) == {factory.number, hospital.number}
    assert builders[0].code not in placed[factory.number].member_keys
    assert medics[0].code not in placed[hospital.number].member_keys
    assert medics[1].code in placed[hospital.number].member_keys  # the only usable Q expert
    assert len(plan.proposal.excluded) == 1

    with pytest.raises(Exception, match="重新生成"):
        review_proposal.accept(cycle, ReviewStage.MATERIAL, 3, None, "stale", "office")
    groups = review_proposal.accept(
        cycle, ReviewStage.MATERIAL, 3, None, plan.fingerprint, "office"
    )
    assert len(groups) == len(plan.proposal.groups)
    assert _count(db, ReviewAssignment) == 2
    for g in db.session.scalars(select(ReviewGroup)):
        assert sum(m.is_leader for m in g.members) == 1 and len(g.members) >= 3
    sheets = _count(db, Scoresheet)
    assert sheets == sum(len(g.member_keys) * len(g.application_keys) for g in plan.proposal.groups)
    with pytest.raises(Exception, match="没有待分配"):
        review_proposal.propose(cycle, ReviewStage.MATERIAL)


def test_a_disqualification_deactivates_the_reviewer_and_their_login_M_25(app, db):
    scene = build(app, db)
    r = scene.reviewers[1]
    sanction = ReviewerSanction(
        reviewer=r,
        level="disqualification",
        breach="M-25(4)",
        reason="收受购物卡",
        decided_on=date(2025, 5, 1),
    )
    reviewing.record_sanction(sanction, True, "office")
    db.session.commit()
    db.session.expire_all()
    assert r.active is False and r.user.active is False
    assert _count(db, ReviewerSanction) == 1
    other = group(db.session, scene.cycle, [reviewer(app, db.session), reviewer(app, db.session)])
    member = ReviewGroupMember(group=other, reviewer=r, is_leader=False)
    with pytest.raises(ReviewerNotQualified, match="撤销评审员资格"):
        review_groups.check_member(member, True)
    db.session.rollback()
    r.active = True
    with pytest.raises(Exception, match="不能重新启用"):
        reviewing.check_reviewer(r, False)


def test_a_reviewer_declares_interests_only_for_themselves(app, db):
    me, someone = reviewer(app, db.session), reviewer(app, db.session)
    org = f.organization(db.session)
    decl = InterestDeclaration(reviewer=someone, organization=org, kind="other")
    reviewing.check_declaration(decl, True, me.id, office=False)
    assert decl.reviewer_id == me.id and decl.source == "declared"
    by_office = InterestDeclaration(reviewer=someone, organization=org, kind="other")
    reviewing.check_declaration(by_office, True, None, office=True)
    assert by_office.reviewer is someone and by_office.source == "office"


def test_the_qualification_report_lists_m_10_1_to_m_10_4_and_m_25(app, db):
    r = reviewer(app, db.session, law_training_on=None)
    report = reviewing.qualification_report(r, date(2026, 1, 1))
    rules = [i.rule for i in report.items]
    assert rules == ["M-10.1", "M-10.2", "M-10.3a", "M-10.3b", "M-10.4", "M-25"]
    assert [i.status.value for i in report.items][0] == "fail" and not report.qualified
    assert report.years == 21
