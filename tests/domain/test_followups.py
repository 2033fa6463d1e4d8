"""M-27: annual follow-up reports due by the end of February, and the cases they raise."""

from datetime import date

import pytest

from app.domain.enums import RevocationGround
from app.domain.followups import (
    AwardRevoked,
    FollowUpFacts,
    due_date,
    ensure_award_active,
    is_overdue,
    reports_due,
    revocation_triggers,
)

AWARDED = date(2024, 11, 20)


def test_the_report_on_2023_is_due_on_29_february_2024_m27():
    assert due_date(2023) == date(2024, 2, 29)


def test_the_report_on_2024_is_due_on_28_february_2025_m27():
    assert due_date(2024) == date(2025, 2, 28)


def test_a_report_on_the_last_day_of_february_is_on_time_and_march_1_is_overdue_m27():
    due = date(2025, 2, 28)
    assert not is_overdue(due, None, date(2025, 2, 28))
    assert is_overdue(due, None, date(2025, 3, 1))


def test_a_report_received_after_the_due_day_stays_late():
    due = date(2025, 2, 28)
    assert not is_overdue(due, date(2025, 2, 28), date(2025, 6, 1))
    assert is_overdue(due, date(2025, 3, 1), date(2025, 3, 1))


def test_no_report_is_due_in_the_year_of_the_award():
    assert reports_due(AWARDED, date(2024, 12, 31)) == []


def test_the_first_report_appears_on_1_january_while_its_deadline_is_ahead():
    assert reports_due(AWARDED, date(2025, 1, 1)) == [2024]


def test_each_later_year_adds_a_report_on_the_year_before():
    assert reports_due(AWARDED, date(2027, 3, 15)) == [2024, 2025, 2026]


def test_reports_stop_after_five_years_by_default():
    assert reports_due(AWARDED, date(2035, 1, 1)) == [2024, 2025, 2026, 2027, 2028]
    assert reports_due(AWARDED, date(2035, 1, 1), years=2) == [2024, 2025]


def test_a_revoked_award_owes_no_report_on_years_after_the_revocation():
    assert reports_due(AWARDED, date(2030, 1, 1), active_until=date(2026, 6, 1)) == [2024, 2025]


def test_a_declared_loss_raises_a_case_on_ground_m26_5():
    assert revocation_triggers(FollowUpFacts(loss=True)) == [RevocationGround.LOSS]


def test_a_declared_accident_raises_a_case_on_ground_m26_3():
    assert revocation_triggers(FollowUpFacts(accidents_declared=True)) == [
        RevocationGround.ACCIDENT
    ]


def test_a_declared_failed_sampling_raises_a_case_on_ground_m26_2():
    assert revocation_triggers(FollowUpFacts(failed_sampling_declared=True)) == [
        RevocationGround.SAMPLING
    ]


def test_a_declared_penalty_raises_a_case_on_ground_m26_4():
    assert revocation_triggers(FollowUpFacts(penalties_declared=True)) == [RevocationGround.ILLEGAL]


def test_a_clean_report_triggers_nothing_and_several_declarations_trigger_each_ground():
    assert revocation_triggers(FollowUpFacts()) == []
    facts = FollowUpFacts(loss=True, accidents_declared=True, failed_sampling_declared=True)
    assert revocation_triggers(facts) == [
        RevocationGround.SAMPLING,
        RevocationGround.ACCIDENT,
        RevocationGround.LOSS,
    ]


def test_no_report_is_taken_on_a_revoked_award_m27():
    ensure_award_active(False)
    with pytest.raises(AwardRevoked) as e:
        ensure_award_active(True)
    assert e.value.rule == "M-27"
