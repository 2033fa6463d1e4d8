"""Reviewer qualification (M-10.1 to M-10.4) and disqualification (M-25)."""

from dataclasses import replace
from datetime import date

import pytest

from app.domain.enums import CheckStatus, Degree, SanctionLevel
from app.domain.reviewers import (
    ReviewerCertificate,
    ReviewerDisqualified,
    ReviewerFacts,
    ReviewerNotQualified,
    Sanction,
    ensure_may_score,
    ensure_qualified,
    is_disqualified,
    is_qualified,
    qualification,
    years_of_quality_work,
)

ON = date(2025, 6, 1)


def make_reviewer(**changes) -> ReviewerFacts:
    base = ReviewerFacts(
        key="r1",
        name="张三",
        degree=Degree.BACHELOR,
        quality_work_since=date(2015, 3, 1),
        excellence_reviews_done=3,
        law_training_on=date(2024, 5, 10),
        integrity_pledge_on=date(2025, 1, 5),
        industries=frozenset({"C"}),
    )
    return replace(base, **changes)


def line(facts: ReviewerFacts, rule: str, on: date = ON, **kw):
    # "M-10.3": both its lines, M-10.3a (years of work) and M-10.3b (review experience).
    items = [i for i in qualification(facts, on, **kw) if i.rule.rstrip("ab") == rule]
    assert items, rule
    return items


def test_a_reviewer_meeting_every_condition_is_qualified_and_every_line_passes():
    items = qualification(make_reviewer(), ON)
    assert [i.rule for i in items] == ["M-10.1", "M-10.2", "M-10.3a", "M-10.3b", "M-10.4", "M-25"]
    assert all(i.status is CheckStatus.PASS for i in items)
    assert is_qualified(make_reviewer(), ON)
    ensure_qualified(make_reviewer(), ON)


def test_m10_1_a_reviewer_without_recorded_law_training_fails():
    (item,) = line(make_reviewer(law_training_on=None), "M-10.1")
    assert item.status is CheckStatus.FAIL
    assert "未记录法律法规培训" in item.evidence


def test_m10_1_law_training_after_the_check_date_does_not_count():
    (item,) = line(make_reviewer(law_training_on=date(2025, 6, 2)), "M-10.1")
    assert item.status is CheckStatus.FAIL


@pytest.mark.parametrize(
    ("degree", "status"),
    [
        (Degree.BELOW_BACHELOR, CheckStatus.FAIL),
        (Degree.BACHELOR, CheckStatus.PASS),
        (Degree.MASTER, CheckStatus.PASS),
        (Degree.DOCTORATE, CheckStatus.PASS),
    ],
)
def test_m10_2_a_reviewer_needs_at_least_a_bachelors_degree(degree, status):
    (item,) = line(make_reviewer(degree=degree), "M-10.2")
    assert item.status is status


def test_m10_3_exactly_five_years_of_quality_work_passes():
    facts = make_reviewer(quality_work_since=date(2020, 6, 1))
    work, _ = line(facts, "M-10.3")
    assert work.status is CheckStatus.PASS
    assert years_of_quality_work(facts, ON) == 5


def test_m10_3_five_years_minus_one_day_of_quality_work_fails():
    facts = make_reviewer(quality_work_since=date(2020, 6, 2))
    work, _ = line(facts, "M-10.3")
    assert work.status is CheckStatus.FAIL
    assert "2025-06-02 方满 5 年" in work.evidence
    assert not is_qualified(facts, ON)


def test_m10_3_a_start_on_feb_29_completes_five_years_on_feb_28():
    facts = make_reviewer(quality_work_since=date(2016, 2, 29))
    assert line(facts, "M-10.3", on=date(2021, 2, 27))[0].status is CheckStatus.FAIL
    assert line(facts, "M-10.3", on=date(2021, 2, 28))[0].status is CheckStatus.PASS


def test_m10_3_no_recorded_start_of_quality_work_fails():
    work, _ = line(make_reviewer(quality_work_since=None), "M-10.3")
    assert work.status is CheckStatus.FAIL


def test_m10_3_a_reviewer_who_has_done_no_excellence_review_fails():
    _, experience = line(make_reviewer(excellence_reviews_done=0), "M-10.3")
    assert experience.status is CheckStatus.FAIL
    assert "0 次" in experience.evidence


def test_m10_3_the_minimum_number_of_reviews_is_a_setting():
    facts = make_reviewer(excellence_reviews_done=2)
    assert is_qualified(facts, ON, min_reviews=2)
    assert not is_qualified(facts, ON, min_reviews=3)


def test_m10_3_valid_certificates_are_shown_as_evidence_and_expired_ones_are_not():
    facts = make_reviewer(
        certificates=[
            ReviewerCertificate("卓越绩效评审员证书", "ZJ-001", date(2026, 1, 1)),
            ReviewerCertificate("质量管理体系审核员", "QMS-9", date(2025, 5, 31)),
        ]
    )
    _, experience = line(facts, "M-10.3")
    assert "ZJ-001" in experience.evidence
    assert "QMS-9" not in experience.evidence


def test_m10_4_a_reviewer_who_has_not_signed_the_integrity_pledge_fails():
    (item,) = line(make_reviewer(integrity_pledge_on=None), "M-10.4")
    assert item.status is CheckStatus.FAIL
    assert "未签署廉洁承诺书" in item.evidence


def test_m10_4_a_criticism_or_warning_does_not_bar_a_reviewer_but_is_shown():
    facts = make_reviewer(sanctions=[Sanction(SanctionLevel.WARNING, date(2024, 1, 1), "迟交")])
    (item,) = line(facts, "M-10.4")
    assert item.status is CheckStatus.PASS
    assert "警告" in item.evidence
    assert not is_disqualified(facts)
    ensure_may_score(facts)


def test_m25_a_disqualified_reviewer_fails_m10_4_and_m25_and_may_not_score():
    facts = make_reviewer(
        sanctions=[Sanction(SanctionLevel.DISQUALIFICATION, date(2024, 9, 1), "收受礼品")]
    )
    assert is_disqualified(facts)
    assert line(facts, "M-10.4")[0].status is CheckStatus.FAIL
    (item,) = line(facts, "M-25")
    assert item.status is CheckStatus.FAIL
    assert "收受礼品" in item.evidence
    with pytest.raises(ReviewerDisqualified) as err:
        ensure_may_score(facts)
    assert err.value.rule == "M-25"
    assert "张三" in str(err.value) and "2024-09-01" in str(err.value)


def test_m10_ensure_qualified_names_every_failed_condition():
    facts = make_reviewer(degree=Degree.BELOW_BACHELOR, law_training_on=None)
    with pytest.raises(ReviewerNotQualified) as err:
        ensure_qualified(facts, ON)
    # The sub-rule of the first failed condition, not the bare M-10 (issue 15), and each
    # failed condition against the field that holds its evidence.
    assert err.value.rule == "M-10.1"
    assert set(err.value.fields) == {"law_training_on", "degree"}
    assert "M-10.2" in err.value.fields["degree"]
    message = str(err.value)
    assert "张三" in message
    assert "M-10.1" in message and "M-10.2" in message
    assert "M-10.3a" not in message and "M-10.3b" not in message
