"""Application bans: falsified applications (M-19.1) and revoked winners (M-28)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.dates import add_years
from app.domain.enums import BanReason
from app.domain.errors import InvalidInput, RuleViolation

REVOCATION_BAN_YEARS = 5

BAN_RULES = {BanReason.FALSIFIED: "M-19.1", BanReason.REVOKED: "M-28"}


class ApplicantBanned(RuleViolation):
    rule = "M-28"
    default_message = "申报人处于禁止申报期内"


@dataclass(frozen=True)
class Ban:
    """An applicant may not apply from `starts_on` to `ends_on`, both days included; a
    falsification ban (M-19.1) instead bars the cycle of `cycle_year`, where it was found."""

    reason: BanReason
    starts_on: date
    ends_on: date
    cycle_year: int | None = None

    def __post_init__(self) -> None:
        if self.ends_on < self.starts_on:
            raise InvalidInput(
                f"禁止申报期结束日 {self.ends_on.isoformat()} 早于开始日 {self.starts_on.isoformat()}"
            )

    @property
    def rule(self) -> str:
        return BAN_RULES[self.reason]

    def covers(self, on: date) -> bool:
        return self.starts_on <= on <= self.ends_on

    @property
    def barred_year(self) -> int:
        """The cycle a falsification bars: where it was found, else the year it was found in."""
        return self.cycle_year if self.cycle_year is not None else self.starts_on.year

    def bars_cycle(self, cycle_year: int, on: date) -> bool:
        """M-19.1: a falsifier may not re-apply in the same cycle (当年不得补报), and may in the
        next one even before the calendar year ends; M-28: a revocation ban bars any cycle
        while it is in force on `on` (the day of applying, or the deadline for the checklist)."""
        if self.reason is BanReason.FALSIFIED:
            return self.barred_year == cycle_year
        return self.covers(on)

    def describe(self) -> str:
        """Chinese reason and end date, e.g. for an error message or checklist evidence."""
        if self.reason is BanReason.REVOKED:
            why = f"{self.starts_on.isoformat()} 被撤销奖项，五年内不得申报"
            return f"{why}，禁止申报至 {self.ends_on.isoformat()}"
        return f"{self.starts_on.isoformat()} 查实申报弄虚作假，{self.barred_year}年度评定不得补报"


def ban_for_falsification(found_on: date, cycle_year: int | None = None) -> Ban:
    """M-19.1: a falsified application bars the applicant from the rest of that cycle."""
    return Ban(BanReason.FALSIFIED, found_on, date(found_on.year, 12, 31), cycle_year)


def ban_for_revocation(revoked_on: date) -> Ban:
    """M-28: a revoked winner may not apply for 5 years; on the 5th anniversary it may again."""
    allowed_again = add_years(revoked_on, REVOCATION_BAN_YEARS)
    return Ban(BanReason.REVOKED, revoked_on, allowed_again - timedelta(days=1))


def active_ban(bans: Iterable[Ban], on: date) -> Ban | None:
    """The ban in force on `on`; of several, the one that lasts longest."""
    active = [ban for ban in bans if ban.covers(on)]
    return max(active, key=lambda ban: ban.ends_on, default=None)


def ban_for_cycle(bans: Iterable[Ban], cycle_year: int, on: date) -> Ban | None:
    """The ban that bars an application to the cycle of `cycle_year` on `on`: the one rule
    behind both the intake refusal (on the day of applying) and the eligibility checklist
    (on the deadline), so an application accepted in time is not failed for an old ban."""
    barring = [ban for ban in bans if ban.bars_cycle(cycle_year, on)]
    return max(barring, key=lambda ban: ban.ends_on, default=None)


def ensure_not_banned_in_cycle(bans: Iterable[Ban], cycle_year: int, on: date) -> None:
    """Raise `ApplicantBanned` (rule M-19.1 or M-28) when a ban bars this cycle on `on`."""
    ban = ban_for_cycle(bans, cycle_year, on)
    if ban is not None:
        raise ApplicantBanned(ban.describe(), rule=ban.rule)


def ensure_not_banned(bans: Iterable[Ban], on: date) -> None:
    """Raise `ApplicantBanned` (rule M-19.1 or M-28) when a ban is in force on `on`."""
    ban = active_ban(bans, on)
    if ban is not None:
        raise ApplicantBanned(ban.describe(), rule=ban.rule)
