"""Per-cycle winner quotas (M-4)."""

import pytest

from app.domain.enums import Prize
from app.domain.errors import InvalidInput
from app.domain.quotas import QuotaExceeded, QuotaUse, ensure_within_quota, quota_usage


def test_winners_up_to_the_quota_are_allowed():
    ensure_within_quota(Prize.AWARD, 2, 2)
    ensure_within_quota(Prize.NOMINATION, 2, 0)


def test_more_winners_than_the_quota_are_refused_naming_prize_quota_and_excess_m4():
    with pytest.raises(QuotaExceeded) as caught:
        ensure_within_quota(Prize.AWARD, 2, 3)
    assert caught.value.message == "政府质量奖名额为 2 个，已拟定 3 个，超出 1 个"
    assert caught.value.rule == "M-4"
    assert (caught.value.prize, caught.value.excess) == (Prize.AWARD, 1)


def test_the_nomination_quota_is_checked_by_its_own_label():
    with pytest.raises(QuotaExceeded, match="政府质量提名奖名额为 1 个，已拟定 3 个，超出 2 个"):
        ensure_within_quota(Prize.NOMINATION, 1, 3)


def test_negative_counts_are_refused_as_input_errors():
    with pytest.raises(InvalidInput):
        ensure_within_quota(Prize.AWARD, 2, -1)


def test_quota_usage_reports_used_vacant_and_excess_seats_per_prize():
    usage = quota_usage({Prize.NOMINATION: 2, Prize.AWARD: 2}, {Prize.AWARD: 3})
    assert usage == [
        QuotaUse(Prize.AWARD, quota=2, used=3, vacant=0, excess=1),
        QuotaUse(Prize.NOMINATION, quota=2, used=0, vacant=2, excess=0),
    ]


def test_quota_usage_refuses_a_count_for_a_prize_without_a_quota():
    with pytest.raises(InvalidInput, match="政府质量提名奖"):
        quota_usage({Prize.AWARD: 2}, {Prize.NOMINATION: 1})


def test_a_cycle_quota_is_zero_to_two_per_prize_m4():
    """M-4: at most 2 winners of each prize per cycle, so no quota above 2; 0 leaves the
    prize out of the cycle."""
    from app.domain.quotas import MAX_QUOTA, ensure_quota_setting

    assert MAX_QUOTA == 2
    for quota in (None, 0, 1, 2):
        ensure_quota_setting(Prize.AWARD, quota)
    with pytest.raises(QuotaExceeded, match="不超过 2 个") as exc:
        ensure_quota_setting(Prize.NOMINATION, 3)
    assert exc.value.rule == "M-4" and exc.value.excess == 1
    with pytest.raises(InvalidInput, match="M-4"):
        ensure_quota_setting(Prize.AWARD, -1)
