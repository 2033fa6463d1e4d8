"""Whose sheets count for an application (M-25.2, M-25.3, M-10): the pure rule."""

from datetime import date

import pytest

from app.domain.conflicts import Interest
from app.domain.counting import (
    TooFewCountingReviewers,
    counting_for,
    ensure_enough_counting,
    scores_still_open,
    settled_on,
)
from app.domain.enums import Degree, InterestKind, Stage
from app.domain.groups import AssignedApplication
from app.domain.reviewers import ReviewerFacts

APP = AssignedApplication("2025-ZLJ-003", "org:7", "伊宁市某某有限公司", "C")


def reviewer(key: str, name: str, employer: str | None = None) -> ReviewerFacts:
    return ReviewerFacts(
        key=key,
        name=name,
        degree=Degree.MASTER,
        quality_work_since=date(2010, 1, 1),
        excellence_reviews_done=4,
        law_training_on=date(2024, 1, 1),
        integrity_pledge_on=date(2024, 1, 1),
        industries=frozenset({"C"}),
        employer_key=employer,
    )


MEMBERS = [reviewer("r1", "张三"), reviewer("r2", "李四"), reviewer("r3", "王五")]


def test_an_interest_recorded_at_any_time_takes_the_reviewer_out_naming_when_M_25_2():
    tie = Interest("r1", "org:7", InterestKind.RELATIVE, "office", recorded_on=date(2026, 11, 3))
    counting = counting_for(MEMBERS, APP, [tie])
    assert counting.counting == ("r2", "r3")
    (excluded,) = counting.excluded
    assert excluded.rule == "M-25.2"
    assert excluded.reason() == (
        "评审员 张三 对 申报 2025-ZLJ-003 存在利益冲突（M-25.2，于 2026-11-03 登记），其评分不计入"
    )


def test_consulting_is_cited_as_M_25_3_and_employment_is_derived_without_a_date():
    members = [reviewer("r1", "张三", employer="org:7"), *MEMBERS[1:]]
    consulting = Interest("r2", "org:7", InterestKind.CONSULTING, "derived")
    counting = counting_for(members, APP, [consulting])
    rules = {e.reviewer_key: e.rule for e in counting.excluded}
    assert rules == {"r1": "M-25.2", "r2": "M-25.3"}
    assert "登记" not in counting.excluded[0].reason()


def test_a_tie_to_another_applicant_changes_nothing():
    tie = Interest("r1", "org:8", InterestKind.SHAREHOLDING)
    assert counting_for(MEMBERS, APP, [tie]).excluded == ()


def test_closing_is_refused_when_a_conflict_leaves_fewer_than_three_counting_M_25_2_M_10():
    tie = Interest("r3", "org:7", InterestKind.SHAREHOLDING, recorded_on=date(2026, 11, 3))
    with pytest.raises(TooFewCountingReviewers) as exc:
        ensure_enough_counting("材料评审第一组", counting_for(MEMBERS, APP, [tie]))
    assert exc.value.rule == "M-25.2" and exc.value.application_key == "2025-ZLJ-003"
    message = str(exc.value)
    assert "2025-ZLJ-003" in message and "王五" in message and "M-10" in message
    assert "补充 1 名评审员" in message


def test_four_members_with_one_tied_still_close():
    members = [*MEMBERS, reviewer("r4", "赵六")]
    tie = Interest("r4", "org:7", InterestKind.CONSULTING)
    ensure_enough_counting("组", counting_for(members, APP, [tie]))


def test_a_tie_recorded_after_the_scores_became_final_leaves_them_as_they_were_M_26():
    late = Interest("r1", "org:7", InterestKind.CONSULTING, recorded_on=date(2027, 3, 1))
    final = settled_on(date(2026, 10, 1), Stage.ANNOUNCED)
    assert final == date(2026, 10, 1)
    assert counting_for(MEMBERS, APP, [late], settled_on=final).excluded == ()
    assert settled_on(date(2026, 10, 1), Stage.COMPREHENSIVE) is None
    assert scores_still_open(Stage.ONSITE_REVIEW) and not scores_still_open(Stage.COMMITTEE_VOTE)
