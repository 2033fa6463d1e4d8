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
    """An applicant may not apply from `starts_on` to `ends_on`, both days included."""

    reason: BanReason
    starts_on: date
    ends_on: date

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

    def describe(self) -> str:
        """Chinese reason and end date, e.g. for an error message or checklist evidence."""
        if self.reason is BanReason.REVOKED:
            why = f"{self.starts_on.isoformat()} 被撤销奖项，五年内不得申报"
        else:
            why = f"{self.starts_on.isoformat()} 查实申报弄虚作假，当年不得补报"
        return f"{why}，禁止申报至 {self.ends_on.isoformat()}"


def ban_for_falsification(found_on: date) -> Ban:
    """M-19.1: a falsified application bars the applicant for the rest of that year."""
    return Ban(BanReason.FALSIFIED, found_on, date(found_on.year, 12, 31))


def ban_for_revocation(revoked_on: date) -> Ban:
    """M-28: a revoked winner may not apply for 5 years; on the 5th anniversary it may again."""
    allowed_again = add_years(revoked_on, REVOCATION_BAN_YEARS)
    return Ban(BanReason.REVOKED, revoked_on, allowed_again - timedelta(days=1))


def active_ban(bans: Iterable[Ban], on: date) -> Ban | None:
    """The ban in force on `on`; of several, the one that lasts longest."""
    active = [ban for ban in bans if ban.covers(on)]
    return max(active, key=lambda ban: ban.ends_on, default=None)


def ensure_not_banned(bans: Iterable[Ban], on: date) -> None:
    """Raise `ApplicantBanned` (rule M-19.1 or M-28) when a ban is in force on `on`."""
    ban = active_ban(bans, on)
    if ban is not None:
        raise ApplicantBanned(ban.describe(), rule=ban.rule)
