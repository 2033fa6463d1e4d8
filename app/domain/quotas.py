"""Per-cycle winner quotas of each prize, and how much of each is used (M-4)."""

from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.enums import Prize
from app.domain.errors import InvalidInput, RuleViolation

# M-4: at most 2 winners of each prize per cycle; also the quota a new cycle starts with and a
# check constraint of award_cycle (models/cycles.py).
MAX_QUOTA = 2


class QuotaExceeded(RuleViolation):
    rule = "M-4"
    default_message = "拟表彰数量超出本周期名额"

    def __init__(self, message: str | None = None, *, prize: Prize | None = None, excess: int = 0):
        self.prize = prize
        self.excess = excess
        super().__init__(message)


@dataclass(frozen=True)
class QuotaUse:
    prize: Prize
    quota: int
    used: int
    vacant: int
    excess: int


def ensure_within_quota(prize: Prize, quota: int, count: int) -> None:
    """M-4: no more winners of a prize than the cycle's quota (fewer is a vacancy, allowed)."""
    prize = Prize(prize)
    if quota < 0 or count < 0:
        raise InvalidInput(f"{prize.label}的名额（{quota}）和人数（{count}）不能为负数")
    if count > quota:
        raise QuotaExceeded(
            f"{prize.label}名额为 {quota} 个，已拟定 {count} 个，超出 {count - quota} 个",
            prize=prize,
            excess=count - quota,
        )


def ensure_quota_setting(prize: Prize, quota: int | None) -> None:
    """M-4: a cycle's quota of a prize is a whole number from 0 (the prize not awarded this
    cycle) to MAX_QUOTA."""
    prize = Prize(prize)
    if quota is None:
        return
    if quota < 0:
        raise InvalidInput(f"{prize.label}名额不能为负数（M-4）")
    if quota > MAX_QUOTA:
        raise QuotaExceeded(
            f"每届{prize.label}名额不超过 {MAX_QUOTA} 个，不能设为 {quota} 个",
            prize=prize,
            excess=quota - MAX_QUOTA,
        )


def quota_usage(quotas: Mapping[Prize, int], counts: Mapping[Prize, int]) -> list[QuotaUse]:
    """Each prize's quota, winners counted, vacant seats and excess, in the order of `Prize`.

    A prize with a quota but no count has used none; a count for a prize without a quota is
    refused, since the cycle must set every prize's quota.
    """
    stray = set(counts) - set(quotas)
    if stray:
        raise InvalidInput(f"未设置名额的奖项：{'、'.join(Prize(p).label for p in stray)}")
    usage = []
    for prize in Prize:
        if prize not in quotas:
            continue
        quota, used = quotas[prize], counts.get(prize, 0)
        if quota < 0 or used < 0:
            raise InvalidInput(f"{prize.label}的名额（{quota}）和人数（{used}）不能为负数")
        usage.append(
            QuotaUse(
                prize=prize,
                quota=quota,
                used=used,
                vacant=max(quota - used, 0),
                excess=max(used - quota, 0),
            )
        )
    return usage
