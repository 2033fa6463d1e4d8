"""Bans on applying: falsification (M-19.1) and revocation (M-28)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.bans import (
    ApplicantBanned,
    Ban,
    active_ban,
    ban_for_cycle,
    ban_for_falsification,
    ban_for_revocation,
    ensure_not_banned,
    ensure_not_banned_in_cycle,
)
from app.domain.dates import add_years
from app.domain.enums import BanReason
from app.domain.errors import InvalidInput


def test_a_falsified_application_bars_the_applicant_until_the_end_of_that_year_m_19_1():
    ban = ban_for_falsification(date(2025, 4, 10))
    assert ban == Ban(BanReason.FALSIFIED, date(2025, 4, 10), date(2025, 12, 31))
    assert ban.rule == "M-19.1"


def test_a_falsifier_is_barred_from_the_cycle_where_it_was_found_not_the_next_one_m_19_1():
    """当年不得补报: the 2026 cycle is barred; the 2027 cycle, open since November 2026, is not."""
    bans = [ban_for_falsification(date(2026, 6, 12), cycle_year=2026)]
    ensure_not_banned_in_cycle(bans, 2027, date(2027, 2, 22))
    with pytest.raises(ApplicantBanned) as raised:
        ensure_not_banned_in_cycle(bans, 2026, date(2026, 5, 29))
    assert raised.value.rule == "M-19.1"
    assert "2026年度评定不得补报" in raised.value.message


def test_a_falsification_found_late_in_the_year_bars_the_cycle_it_was_found_in_m_19_1():
    """Found on 2026-12-10 while reviewing the 2027 cycle: 2027 is barred, 2026 is not."""
    ban = ban_for_falsification(date(2026, 12, 10), cycle_year=2027)
    assert ban.bars_cycle(2027, date(2027, 2, 22))
    assert not ban.bars_cycle(2028, date(2028, 2, 22))


def test_a_falsification_ban_without_a_cycle_bars_the_year_it_was_found_in_m_19_1():
    ban = ban_for_falsification(date(2025, 4, 10))
    assert ban.bars_cycle(2025, date(2025, 5, 31))
    assert not ban.bars_cycle(2026, date(2026, 5, 31))


def test_a_revocation_ban_bars_a_cycle_whose_deadline_falls_within_it_m_28():
    ban = ban_for_revocation(date(2022, 1, 10))  # ends 2027-01-09
    assert ban_for_cycle([ban], 2026, date(2026, 5, 29)) == ban
    assert ban_for_cycle([ban], 2027, date(2027, 2, 22)) is None


def test_a_revoked_winner_cannot_apply_for_five_years_m_28():
    ban = ban_for_revocation(date(2026, 3, 15))
    assert ban.ends_on == date(2031, 3, 14)
    with pytest.raises(ApplicantBanned) as raised:
        ensure_not_banned([ban], date(2031, 3, 14))
    assert raised.value.rule == "M-28"
    assert "2026-03-15 被撤销奖项" in raised.value.message
    assert "禁止申报至 2031-03-14" in raised.value.message
    assert str(raised.value).endswith("（M-28）")


def test_a_revoked_winner_may_apply_exactly_five_years_after_revocation_m_28():
    ensure_not_banned([ban_for_revocation(date(2026, 3, 15))], date(2031, 3, 15))


def test_a_revocation_on_a_leap_day_ends_before_february_28_five_years_later_m_28():
    ban = ban_for_revocation(date(2024, 2, 29))
    assert ban.ends_on == date(2029, 2, 27)
    assert active_ban([ban], date(2029, 2, 27)) == ban
    assert active_ban([ban], date(2029, 2, 28)) is None


def test_a_ban_does_not_apply_before_it_starts():
    assert active_ban([ban_for_revocation(date(2026, 3, 15))], date(2026, 3, 14)) is None


def test_of_two_active_bans_the_longer_one_is_reported():
    revoked = ban_for_revocation(date(2024, 6, 1))
    falsified = ban_for_falsification(date(2025, 4, 10))
    assert active_ban([falsified, revoked], date(2025, 5, 1)) == revoked


def test_no_bans_means_no_active_ban():
    assert active_ban([], date(2025, 5, 1)) is None
    ensure_not_banned([], date(2025, 5, 1))


def test_a_ban_cannot_end_before_it_starts():
    with pytest.raises(InvalidInput):
        Ban(BanReason.REVOKED, date(2025, 5, 1), date(2025, 4, 30))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_a_revocation_ban_lasts_until_the_fifth_anniversary_m_28(revoked_on):
    ban = ban_for_revocation(revoked_on)
    anniversary = add_years(revoked_on, 5)
    assert ban.covers(anniversary - timedelta(days=1))
    assert not ban.covers(anniversary)
