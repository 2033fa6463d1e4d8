"""Review-group composition (M-10) and conflicts within a group (M-25)."""

from dataclasses import replace
from datetime import date

import pytest

from app.domain.conflicts import ConflictOfInterest, Interest
from app.domain.enums import Degree, InterestKind, ReviewStage, SanctionLevel
from app.domain.errors import InvalidInput
from app.domain.groups import (
    AssignedApplication,
    GroupMember,
    GroupSpec,
    GroupTooSmall,
    LeaderMissing,
    NoIndustryExpert,
    check_composition,
    ensure_can_add_member,
    ensure_can_assign,
    ensure_composition,
    industry_label,
)
from app.domain.reviewers import ReviewerFacts, ReviewerNotQualified, Sanction

ON = date(2025, 6, 1)


def reviewer(key: str, name: str, industries=("C",), **changes) -> ReviewerFacts:
    base = ReviewerFacts(
        key=key,
        name=name,
        degree=Degree.BACHELOR,
        quality_work_since=date(2012, 1, 1),
        excellence_reviews_done=2,
        law_training_on=date(2024, 1, 1),
        integrity_pledge_on=date(2024, 1, 1),
        industries=frozenset(industries),
    )
    return replace(base, **changes)


ZHANG = reviewer("r1", "张三", ("C",))
LI = reviewer("r2", "李四", ("E",))
WANG = reviewer("r3", "王五", ("I",))
ZHAO = reviewer("r4", "赵六", ("F",))

FACTORY = AssignedApplication("app-1", "org-1", "伊宁某制造公司", "C")
BUILDER = AssignedApplication("app-2", "org-2", "伊宁某建筑公司", "E")
HOTEL = AssignedApplication("app-3", "org-3", "伊宁某宾馆", "H")


def group(*members: ReviewerFacts, leaders=("r1",)) -> GroupSpec:
    return GroupSpec(
        "第一组", ReviewStage.MATERIAL, [GroupMember(r, r.key in leaders) for r in members]
    )


def test_m10_a_group_of_three_qualified_reviewers_with_one_leader_and_experts_is_accepted():
    g = group(ZHANG, LI, WANG)
    assert check_composition(g, ON) == []
    ensure_composition(g, [FACTORY, BUILDER], [], ON)


def test_m10_a_group_of_two_reviewers_is_refused():
    g = group(ZHANG, LI)
    assert any("只有 2 名" in p for p in check_composition(g, ON))
    with pytest.raises(GroupTooSmall) as err:
        ensure_composition(g, [], [], ON)
    assert err.value.rule == "M-10"
    assert "至少应有 3 名" in str(err.value)


def test_m10_the_same_reviewer_twice_does_not_make_a_group_of_three():
    with pytest.raises(GroupTooSmall):
        ensure_composition(group(ZHANG, LI, LI), [], [], ON)


def test_m10_a_group_with_two_leaders_is_refused():
    g = group(ZHANG, LI, WANG, leaders=("r1", "r2"))
    with pytest.raises(LeaderMissing) as err:
        ensure_composition(g, [], [], ON)
    assert "2 名组长（张三、李四）" in str(err.value)


def test_m10_a_group_without_a_leader_is_refused():
    with pytest.raises(LeaderMissing) as err:
        ensure_composition(group(ZHANG, LI, WANG, leaders=()), [], [], ON)
    assert "未指定组长" in str(err.value)


def test_m10_a_group_with_an_unqualified_member_is_refused_naming_the_member():
    unqualified = replace(WANG, degree=Degree.BELOW_BACHELOR)
    g = group(ZHANG, LI, unqualified)
    assert any("王五" in p and "M-10.2" in p for p in check_composition(g, ON))
    with pytest.raises(ReviewerNotQualified) as err:
        ensure_composition(g, [], [], ON)
    assert "王五" in str(err.value)


def test_m25_a_group_with_a_disqualified_member_is_refused():
    banned = replace(WANG, sanctions=[Sanction(SanctionLevel.DISQUALIFICATION, date(2024, 1, 1))])
    with pytest.raises(ReviewerNotQualified) as err:
        ensure_composition(group(ZHANG, LI, banned), [], [], ON)
    assert "M-25" in str(err.value)


def test_m10_a_group_with_no_expert_for_an_applications_industry_is_refused_naming_it():
    g = group(ZHANG, LI, WANG)
    with pytest.raises(NoIndustryExpert) as err:
        ensure_composition(g, [FACTORY, HOTEL], [], ON)
    assert err.value.application_key == "app-3"
    assert err.value.industry == "H"
    message = str(err.value)
    assert "伊宁某宾馆" in message and "app-3" in message and "H（住宿和餐饮业）" in message


def test_m10_a_section_expert_counts_for_a_division_of_that_section():
    division = replace(FACTORY, industry="C26")
    ensure_can_assign(group(ZHANG, LI, WANG), division, [])
    narrow = replace(ZHANG, industries=frozenset({"C26"}))
    with pytest.raises(NoIndustryExpert):
        ensure_can_assign(group(narrow, LI, WANG), FACTORY, [])


def test_m25_a_group_with_a_member_tied_to_an_applicant_is_refused_naming_the_conflict():
    tie = [Interest("r2", "org-1", InterestKind.RELATIVE, "declared", "兄弟任总经理")]
    with pytest.raises(ConflictOfInterest) as err:
        ensure_composition(group(ZHANG, LI, WANG), [FACTORY], tie, ON)
    assert (
        err.value.message
        == "评审员 李四 与 申报单位 伊宁某制造公司 存在利害关系（亲属关系），不得评审"
    )


def test_m25_a_member_employed_by_the_applicant_is_refused_without_any_declaration():
    employed = replace(WANG, employer_key="org-2")
    with pytest.raises(ConflictOfInterest) as err:
        ensure_composition(group(ZHANG, LI, employed), [BUILDER], [], ON)
    assert "王五" in str(err.value) and "任职" in str(err.value)


def test_m25_an_application_cannot_be_assigned_to_a_group_with_an_office_recorded_tie():
    office = [Interest("r1", "org-1", InterestKind.CONSULTING, "office")]
    with pytest.raises(ConflictOfInterest):
        ensure_can_assign(group(ZHANG, LI, WANG), FACTORY, office)
    ensure_can_assign(group(ZHANG, LI, WANG), BUILDER, office)


def test_m10_a_new_member_must_be_qualified_new_and_free_of_ties_to_the_groups_applications():
    g = group(ZHANG, LI, WANG)
    ensure_can_add_member(g, ZHAO, [FACTORY], [], ON)
    with pytest.raises(InvalidInput):
        ensure_can_add_member(g, LI, [FACTORY], [], ON)
    with pytest.raises(ReviewerNotQualified):
        ensure_can_add_member(g, replace(ZHAO, law_training_on=None), [FACTORY], [], ON)
    with pytest.raises(ConflictOfInterest):
        ensure_can_add_member(g, replace(ZHAO, employer_key="org-1"), [FACTORY], [], ON)


def test_industry_labels_name_the_gbt4754_section():
    assert industry_label("C") == "C（制造业）"
    assert industry_label("C26") == "C26（制造业）"
    assert industry_label("?") == "?"
