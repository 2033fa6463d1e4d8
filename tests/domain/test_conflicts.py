"""Conflicts of interest between reviewers and applicants (M-25(2)-(4))."""

from dataclasses import replace
from datetime import date

import pytest

from app.domain.conflicts import (
    ConflictOfInterest,
    Interest,
    conflicts_between,
    conflicts_for,
    derive_conflicts,
    ensure_no_conflict,
)
from app.domain.enums import Degree, InterestKind
from app.domain.reviewers import ReviewerFacts

REVIEWER = ReviewerFacts(
    key="r1",
    name="张三",
    degree=Degree.MASTER,
    quality_work_since=date(2010, 1, 1),
    excellence_reviews_done=4,
    law_training_on=date(2024, 1, 1),
    integrity_pledge_on=date(2024, 1, 1),
    industries=frozenset({"C"}),
)


def test_m25_a_reviewer_employed_by_the_applicant_has_a_derived_employment_conflict():
    reviewer = replace(REVIEWER, employer_key="org-x")
    (found,) = derive_conflicts(reviewer, "org-x", set())
    assert (found.kind, found.source, found.reviewer_key) == (
        InterestKind.EMPLOYMENT,
        "derived",
        "r1",
    )
    assert derive_conflicts(reviewer, "org-y", set()) == []


def test_m25_3_a_reviewer_who_consulted_for_the_applicant_has_a_derived_consulting_conflict():
    (found,) = derive_conflicts(REVIEWER, "org-x", {"org-x", "org-z"})
    assert found.kind is InterestKind.CONSULTING
    assert derive_conflicts(REVIEWER, "org-y", {"org-x"}) == []


def test_m25_conflicts_for_keeps_only_the_pair_asked_about_from_every_source():
    declared = [
        Interest("r1", "org-x", InterestKind.RELATIVE, "declared", "配偶任职"),
        Interest("r1", "org-y", InterestKind.SHAREHOLDING),
        Interest("r2", "org-x", InterestKind.GIFT, "office"),
    ]
    derived = derive_conflicts(replace(REVIEWER, employer_key="org-x"), "org-x", set())
    found = conflicts_for("r1", "org-x", declared, derived)
    assert [i.kind for i in found] == [InterestKind.RELATIVE, InterestKind.EMPLOYMENT]


def test_m25_an_interest_recorded_by_the_office_bars_the_reviewer():
    office = [Interest("r1", "org-x", InterestKind.GIFT, "office", "举报核实")]
    assert conflicts_between(REVIEWER, "org-x", office)
    with pytest.raises(ConflictOfInterest) as err:
        ensure_no_conflict(REVIEWER, "org-x", "伊宁市某某公司", office)
    assert "收受礼品" in str(err.value)


def test_m25_the_refusal_names_the_reviewer_the_applicant_and_the_kind():
    reviewer = replace(REVIEWER, employer_key="org-x")
    with pytest.raises(ConflictOfInterest) as err:
        ensure_no_conflict(reviewer, "org-x", "伊宁市某某公司")
    assert err.value.rule == "M-25"
    assert (
        err.value.message == "评审员 张三 与 申报单位 伊宁市某某公司 存在利害关系（任职），不得评审"
    )
    assert (err.value.reviewer_key, err.value.applicant_key) == ("r1", "org-x")
    assert err.value.kinds == (InterestKind.EMPLOYMENT,)


def test_m25_several_ties_are_all_named_once_each():
    declared = [
        Interest("r1", "org-x", InterestKind.CONSULTING),
        Interest("r1", "org-x", InterestKind.SHAREHOLDING),
    ]
    with pytest.raises(ConflictOfInterest) as err:
        ensure_no_conflict(REVIEWER, "org-x", "甲公司", declared, consulted_for={"org-x"})
    assert "（咨询服务、持股）" in err.value.message


def test_a_reviewer_without_any_tie_may_review():
    ensure_no_conflict(REVIEWER, "org-x", "甲公司", [Interest("r2", "org-x", InterestKind.OTHER)])
