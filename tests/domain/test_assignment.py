"""Automatic group forming and assignment (M-10, M-25): never conflicted, never without an expert."""

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.assignment import propose_assignment
from app.domain.conflicts import Interest
from app.domain.enums import Degree, InterestKind, ReviewStage
from app.domain.errors import InvalidInput
from app.domain.groups import AssignedApplication, ensure_composition
from app.domain.reviewers import ReviewerFacts

ON = date(2025, 6, 1)
STAGE = ReviewStage.MATERIAL


def reviewer(key: str, industries=("C",), since=date(2012, 1, 1), **changes):
    base = ReviewerFacts(
        key=key,
        name=f"评审员{key}",
        degree=Degree.BACHELOR,
        quality_work_since=since,
        excellence_reviews_done=2,
        law_training_on=date(2024, 1, 1),
        integrity_pledge_on=date(2024, 1, 1),
        industries=frozenset(industries),
    )
    return replace(base, **changes)


def application(n: int, industry: str = "C") -> AssignedApplication:
    return AssignedApplication(f"app-{n:02d}", f"org-{n:02d}", f"申报单位{n:02d}", industry)


def assert_valid(proposal, applications, interests):
    by_key = {a.key: a for a in applications}
    placed = [k for g in proposal.groups for k in g.application_keys]
    left = [k for k, _ in proposal.unassigned]
    assert sorted(placed + left) == sorted(by_key), "every application exactly once"
    for n, g in enumerate(proposal.groups, 1):
        ensure_composition(
            g.spec(f"G{n}", proposal.stage), [by_key[k] for k in g.application_keys], interests, ON
        )
    for key, count in proposal.load.items():
        assert count == sum(
            len(g.application_keys) for g in proposal.groups if key in g.member_keys
        )


def test_m10_a_balanced_pool_is_split_into_groups_whose_loads_differ_by_at_most_one():
    pool = [reviewer(f"r{i}") for i in range(9)]
    apps = [application(n) for n in range(10)]
    proposal = propose_assignment(pool, apps, [], STAGE, ON)
    assert_valid(proposal, apps, [])
    assert len(proposal.groups) == 3 and proposal.unassigned == []
    used = [n for n in proposal.load.values() if n > 0]
    assert len(used) == 9
    assert max(used) - min(used) <= 1


def test_groups_mix_industries_so_that_work_spreads_over_the_whole_pool():
    pool = [reviewer(f"c{i}", ("C",)) for i in range(3)] + [
        reviewer(f"e{i}", ("E",)) for i in range(3)
    ]
    apps = [application(n, "C") for n in range(5)] + [application(9, "E")]
    proposal = propose_assignment(pool, apps, [], STAGE, ON)
    assert_valid(proposal, apps, [])
    assert sorted(len(g.application_keys) for g in proposal.groups) == [3, 3]
    assert set(proposal.load.values()) == {3}


def test_m10_the_leader_is_the_most_experienced_member():
    pool = [
        reviewer("r1", since=date(2015, 1, 1)),
        reviewer("r2", since=date(2008, 1, 1)),
        reviewer("r3", since=date(2012, 1, 1)),
    ]
    proposal = propose_assignment(pool, [application(1)], [], STAGE, ON)
    assert proposal.groups[0].leader_key == "r2"


def test_m10_every_group_has_an_expert_for_each_of_its_applications():
    pool = [reviewer("r1", ("C",)), reviewer("r2", ("E",)), reviewer("r3", ("I",))]
    pool += [reviewer(f"x{i}", ("P",)) for i in range(4)]
    apps = [application(1, "C"), application(2, "E"), application(3, "I")]
    proposal = propose_assignment(pool, apps, [], STAGE, ON)
    assert proposal.unassigned == []
    assert_valid(proposal, apps, [])


def test_m25_a_conflicted_reviewer_is_never_put_on_the_application():
    pool = [reviewer(f"r{i}") for i in range(5)]
    pool[0] = replace(pool[0], employer_key="org-01")
    interests = [Interest("r1", "org-01", InterestKind.CONSULTING, "office")]
    proposal = propose_assignment(pool, [application(1)], interests, STAGE, ON)
    (group,) = proposal.groups
    assert group.member_keys == ["r2", "r3", "r4"]


def test_m25_an_application_all_of_whose_experts_are_tied_to_it_is_left_unassigned_with_the_reason():
    pool = [reviewer("r1", ("C",), employer_key="org-01"), reviewer("r2", ("E",))]
    pool.append(reviewer("r3", ("E",)))
    pool.append(reviewer("r4", ("E",)))
    proposal = propose_assignment(pool, [application(1, "C")], [], STAGE, ON)
    assert proposal.groups == []
    assert proposal.unassigned == [
        ("app-01", "C（制造业） 行业专家均与 申报单位 申报单位01 存在利害关系")
    ]


def test_m10_an_industry_without_any_qualified_expert_is_left_unassigned_with_the_reason():
    pool = [reviewer(f"r{i}") for i in range(3)]
    proposal = propose_assignment(pool, [application(1, "H")], [], STAGE, ON)
    assert proposal.unassigned == [("app-01", "没有具备资格的 H（住宿和餐饮业） 行业专家")]


def test_m10_unqualified_reviewers_are_excluded_from_groups_with_the_reason():
    pool = [reviewer(f"r{i}") for i in range(3)]
    pool.append(reviewer("r9", degree=Degree.BELOW_BACHELOR))
    proposal = propose_assignment(pool, [application(1)], [], STAGE, ON)
    assert proposal.excluded == [("r9", "大学本科以上学历（M-10.2）")]
    assert "r9" not in proposal.load


def test_m10_too_few_reviewers_leaves_the_application_unassigned():
    pool = [reviewer("r1"), reviewer("r2")]
    proposal = propose_assignment(pool, [application(1)], [], STAGE, ON)
    assert proposal.groups == []
    assert "可用评审员不足 3 名" in proposal.unassigned[0][1]


def test_m10_a_group_size_below_three_is_refused():
    with pytest.raises(InvalidInput):
        propose_assignment([], [], [], STAGE, ON, group_size=2)


def test_the_per_group_limit_is_respected_and_reviewers_are_shared_only_when_needed():
    pool = [reviewer(f"r{i}") for i in range(3)]
    apps = [application(n) for n in range(5)]
    proposal = propose_assignment(pool, apps, [], STAGE, ON, max_apps_per_group=2)
    assert [len(g.application_keys) for g in proposal.groups] == [2, 2, 1]
    assert_valid(proposal, apps, [])
    alone = propose_assignment(
        pool, apps, [], STAGE, ON, max_apps_per_group=2, share_reviewers=False
    )
    assert len(alone.groups) == 1 and len(alone.unassigned) == 3


def test_the_proposal_is_deterministic_whatever_the_input_order():
    pool = [reviewer(f"r{i}", ("C", "E") if i % 2 else ("C",)) for i in range(7)]
    apps = [application(n, "CE"[n % 2]) for n in range(6)]
    one = propose_assignment(pool, apps, [], STAGE, ON)
    two = propose_assignment(list(reversed(pool)), list(reversed(apps)), [], STAGE, ON)
    assert one == two


INDUSTRIES = ["C", "E", "I", "F"]


@st.composite
def scenarios(draw):
    n_reviewers = draw(st.integers(0, 12))
    n_apps = draw(st.integers(0, 9))
    apps = [application(n, draw(st.sampled_from(INDUSTRIES))) for n in range(n_apps)]
    org_keys = [a.applicant_key for a in apps]
    pool = []
    for i in range(n_reviewers):
        pool.append(
            reviewer(
                f"r{i:02d}",
                draw(st.sets(st.sampled_from(INDUSTRIES[:3]), max_size=2)),
                since=draw(st.dates(date(2000, 1, 1), date(2022, 1, 1))),
                degree=draw(st.sampled_from([Degree.BACHELOR] * 5 + [Degree.BELOW_BACHELOR])),
                excellence_reviews_done=draw(st.integers(0, 5)),
                employer_key=draw(st.none() | st.sampled_from(org_keys)) if org_keys else None,
            )
        )
    interests = []
    if pool and apps:
        pairs = st.tuples(st.sampled_from(pool), st.sampled_from(org_keys))
        for r, org in draw(st.lists(pairs, max_size=10)):
            kind = draw(st.sampled_from(list(InterestKind)))
            source = draw(st.sampled_from(["declared", "office", "derived"]))
            interests.append(Interest(r.key, org, kind, source))
    group_size = draw(st.integers(3, 4))
    cap = draw(st.none() | st.integers(1, 4))
    share = draw(st.booleans())
    return pool, apps, interests, group_size, cap, share


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_m10_m25_every_proposed_group_passes_the_composition_rules(scenario):
    pool, apps, interests, group_size, cap, share = scenario
    proposal = propose_assignment(
        pool, apps, interests, STAGE, ON, group_size, cap, share_reviewers=share
    )
    assert_valid(proposal, apps, interests)
    for g in proposal.groups:
        assert len(g.members) == group_size
        assert cap is None or len(g.application_keys) <= cap
    if not share:
        seats = [k for g in proposal.groups for k in g.member_keys]
        assert len(seats) == len(set(seats))


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 5), st.integers(1, 25))
def test_load_is_even_across_used_reviewers_in_a_uniform_pool(n_groups, n_apps):
    pool = [reviewer(f"r{i:02d}") for i in range(3 * n_groups)]
    apps = [application(n) for n in range(n_apps)]
    proposal = propose_assignment(pool, apps, [], STAGE, ON)
    used = [n for n in proposal.load.values() if n > 0]
    assert max(used) - min(used) <= 1


def test_a_cap_on_the_number_of_groups_keeps_the_applications_in_fewer_groups():
    pool = [reviewer(f"r{i}") for i in range(9)]
    apps = [application(n) for n in range(4)]
    proposal = propose_assignment(pool, apps, [], STAGE, ON, max_groups=1)
    assert len(proposal.groups) == 1 and proposal.groups[0].application_keys == [
        a.key for a in apps
    ]
    capped = propose_assignment(pool, apps, [], STAGE, ON, max_apps_per_group=3, max_groups=1)
    assert capped.unassigned == [
        ("app-03", "现有评审组均无法承担且不能再组建新评审组（每组至多 3 件，评审组至多 1 个）")
    ]
