"""M-27: winners' annual follow-up reports, due by the end of February, and what they trigger."""

from dataclasses import dataclass
from datetime import date

from app.domain.dates import end_of_february
from app.domain.enums import RevocationGround
from app.domain.errors import RuleViolation

DEFAULT_REPORT_YEARS = 5


class AwardRevoked(RuleViolation):
    rule = "M-27"
    default_message = "该奖项已被撤销，不再受理年度报告"


def due_date(report_year: int) -> date:
    """The report on `report_year` is due on the last day of February of the year after."""
    return end_of_february(report_year + 1)


def reports_due(
    awarded_on: date,
    today: date,
    active_until: date | None = None,
    years: int = DEFAULT_REPORT_YEARS,
) -> list[int]:
    """The years a winner must have reported on by now, oldest first.

    A winner reports on each year from the year it was awarded, for `years` reports. The
    report on year R exists from 1 January of R+1 (so in January and February it is listed
    while its deadline is still ahead) and is due by `due_date(R)`. An award that ended on
    `active_until` (revoked) owes no report on a year that ended after that date.
    """
    last_day = today if active_until is None else min(today, active_until)
    last_year = min(last_day.year - 1, awarded_on.year + years - 1)
    return list(range(awarded_on.year, last_year + 1))


def is_overdue(due: date, received_on: date | None, today: date) -> bool:
    """Late if received after the due day, or still missing once the due day has passed."""
    if received_on is not None:
        return received_on > due
    return today > due


@dataclass(frozen=True)
class FollowUpFacts:
    """What a winner declared about the report year."""

    loss: bool = False
    accidents_declared: bool = False
    failed_sampling_declared: bool = False
    penalties_declared: bool = False


def revocation_triggers(report: FollowUpFacts) -> list[RevocationGround]:
    """The grounds on which a revocation case is opened for the Office to examine (M-26)."""
    grounds = []
    if report.failed_sampling_declared:
        grounds.append(RevocationGround.SAMPLING)  # M-26.2
    if report.accidents_declared:
        grounds.append(RevocationGround.ACCIDENT)  # M-26.3
    if report.penalties_declared:
        # A penalty shows a breach of law; whether its social impact was bad is the Office's call.
        grounds.append(RevocationGround.ILLEGAL)  # M-26.4
    if report.loss:
        grounds.append(RevocationGround.LOSS)  # M-26.5
    return grounds


def ensure_award_active(revoked: bool) -> None:
    """No report is taken for an award that has been revoked."""
    if revoked:
        raise AwardRevoked()
