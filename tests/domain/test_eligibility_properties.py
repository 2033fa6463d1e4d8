"""Invariants of the eligibility checklist for any organization (M-11, M-13, M-18, M-19.1)."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.eligibility import (
    Certificate,
    Incident,
    OrganizationFacts,
    check_organization,
)
from app.domain.enums import CheckStatus, IncidentKind, Severity
from app.domain.identifiers import make_credit_code

DEADLINE = date(2026, 3, 31)
RULES = {
    "M-11.1a",
    "M-11.1b",
    "M-11.2",
    "M-11.3",
    "M-11.4",
    "M-11.5",
    "M-11.6",
    "M-13.1",
    "M-13.2",
    "M-13.3",
    "M-13.4",
    "M-13.5",
    "M-18",
}

days = st.integers(min_value=-4000, max_value=400).map(lambda d: DEADLINE + timedelta(days=d))
incidents = st.lists(
    st.builds(
        Incident,
        kind=st.sampled_from(list(IncidentKind)),
        severity=st.sampled_from(list(Severity)),
        occurred_on=days,
        responsible=st.booleans(),
    ),
    max_size=3,
)
certificates = st.lists(
    st.tuples(days, st.integers(min_value=0, max_value=2000)).map(
        lambda t: Certificate("ISO 9001", "C-1", t[0], t[0] + timedelta(days=t[1]))
    ),
    max_size=2,
)
facts = st.builds(
    OrganizationFacts,
    name=st.just("伊宁市某公司"),
    credit_code=st.sampled_from(["654002", "654021", "110105"]).map(
        lambda d: make_credit_code(f"91{d}MA0000001")
    ),
    operating_since=st.one_of(st.none(), days),
    certificates=certificates,
    has_registered_trademark=st.booleans(),
    trademark_exempt=st.booleans(),
    incidents=incidents,
)


@settings(max_examples=150, deadline=None)
@given(facts, st.booleans())
def test_every_condition_is_listed_with_a_status_and_evidence(org, signed):
    """Never only yes/no: each rule has a line with pass, fail or needs-judgement and evidence."""
    checklist = check_organization(org, DEADLINE, has_signed_recommendation=signed)
    assert RULES <= {item.rule for item in checklist.items}
    for item in checklist.items:
        assert item.status in set(CheckStatus)
        assert item.evidence.strip()


@settings(max_examples=150, deadline=None)
@given(facts, st.booleans())
def test_a_checklist_passes_only_when_no_line_fails_or_awaits_judgement(org, signed):
    checklist = check_organization(org, DEADLINE, has_signed_recommendation=signed)
    statuses = {item.status for item in checklist.items}
    assert checklist.passed == (statuses == {CheckStatus.PASS})
    # Judgement conditions are never decided by the machine (RULES.md §3 decision).
    assert not checklist.passed


@settings(max_examples=150, deadline=None)
@given(facts, days)
def test_a_major_responsible_accident_never_makes_an_applicant_more_eligible(org, when):
    """M-11.5, M-13.3: adding an accident can only add failures, never remove one."""
    before = check_organization(org, DEADLINE)
    org.incidents = [
        *org.incidents,
        Incident(IncidentKind.QUALITY_ACCIDENT, Severity.MAJOR, when, True),
    ]
    after = check_organization(org, DEADLINE)
    failed_before = {i.rule for i in before.failed_items}
    failed_after = {i.rule for i in after.failed_items}
    assert failed_before <= failed_after
    if DEADLINE - timedelta(days=365 * 3 - 2) <= when <= DEADLINE:
        assert {"M-11.5", "M-13.3"} <= failed_after


@settings(max_examples=100, deadline=None)
@given(facts)
def test_an_unsigned_recommendation_always_fails_m18(org):
    checklist = check_organization(org, DEADLINE, has_signed_recommendation=False)
    assert "M-18" in {i.rule for i in checklist.failed_items}
