"""Pure rules of issue 18: the recommendation online and the paper copies (M-18), the
Committee's approvals (M-7) and the agency's contract period (M-6)."""

from datetime import date

import pytest

from app.domain import approvals as A
from app.domain import recommendation_online as R
from app.domain.errors import InvalidInput


def test_the_review_starts_only_with_a_signed_recommendation_and_two_paper_copies_m18():
    R.ensure_ready_for_eligibility(R.Intake("A-1", "signed", 2))
    for state, copies, words in (
        ("none", 2, "尚无推荐"),
        ("pending", 2, "尚未签署"),
        ("declined", 2, "不予推荐"),
        ("signed", 1, "一式两份"),
    ):
        with pytest.raises(R.NotReadyForEligibility) as refused:
            R.ensure_ready_for_eligibility(R.Intake("A-1", state, copies))
        assert words in str(refused.value) and refused.value.rule == "M-18"


def test_an_opinion_is_signed_or_declined_once_and_declining_needs_a_reason_m18():
    R.ensure_signable("pending", "同意推荐", "李局长")
    with pytest.raises(R.RecommendationIncomplete) as missing:
        R.ensure_signable("pending", " ", "")
    assert set(missing.value.fields) == {"opinion", "signatory"}
    for state in ("signed", "declined"):
        with pytest.raises(R.RecommendationAlreadyDecided):
            R.ensure_signable(state, "同意", "李")
    with pytest.raises(R.DeclineNeedsReason):
        R.ensure_declinable("pending", "")


def test_paper_copies_are_two_received_on_a_day_not_in_the_future_m18():
    today = date(2026, 6, 1)
    R.ensure_paper_copies(2, today, today)
    for count, day in ((1, today), (3, today), (2, None), (2, date(2026, 6, 2))):
        with pytest.raises(R.PaperCopiesInvalid):
            R.ensure_paper_copies(count, day, today)


def test_a_cycle_opens_only_with_an_approved_version_and_procedure_m7():
    A.ensure_approved_to_open("GB/T 19580-2012", True, True)
    with pytest.raises(A.NotApprovedByCommittee) as refused:
        A.ensure_approved_to_open("GB/T 19580-2027", False, False)
    assert "GB/T 19580-2027" in str(refused.value) and "评审程序" in str(refused.value)
    with pytest.raises(InvalidInput):
        A.ensure_reference("  ")


def test_the_agency_acts_only_within_its_contract_period_m6():
    start, end = date(2025, 2, 1), date(2025, 12, 31)
    A.ensure_within_contract("机构", start, end, date(2025, 7, 1))
    for on in (date(2025, 1, 31), date(2026, 1, 1)):
        with pytest.raises(A.OutsideAgencyContract):
            A.ensure_within_contract("机构", start, end, on)
    with pytest.raises(A.OutsideAgencyContract):
        A.ensure_within_contract("机构", None, end, date(2025, 7, 1))
    with pytest.raises(InvalidInput):
        A.ensure_contract_dates(end, start)
