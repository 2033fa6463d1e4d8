"""M-19.6, M-8.5: the public-notice period and the objections received during it."""

from collections.abc import Set
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.enums import ObjectionStatus
from app.domain.errors import InvalidInput, RuleViolation
from app.domain.stages import zh_date

DEFAULT_NOTICE_DAYS = 7


class NoticeTooShort(RuleViolation):
    rule = "M-19.6"
    default_message = "公示期不足"


class ObjectionsOpen(RuleViolation):
    rule = "M-19.6"
    default_message = "尚有公示异议未处理"


def is_working_day(d: date, holidays: Set[date] = frozenset()) -> bool:
    return d.weekday() < 5 and d not in holidays


def notice_end(
    start: date,
    days: int = DEFAULT_NOTICE_DAYS,
    working_days: bool = False,
    holidays: Set[date] = frozenset(),
) -> date:
    """The last day of a notice of `days` days; the start day counts as the first day.

    Calendar days: a 7-day notice starting on 1 May ends on 7 May (start + 6).
    Working days: Saturdays, Sundays and `holidays` are not counted; a notice that starts on
    a non-working day begins counting on the next working day.
    """
    if days < 1:
        raise InvalidInput(f"公示期天数应至少为 1 天，不能为 {days} 天")
    if not working_days:
        return start + timedelta(days=days - 1)
    day, counted = start, 0
    while True:
        if is_working_day(day, holidays):
            counted += 1
            if counted == days:
                return day
        day += timedelta(days=1)


def ensure_notice_length(
    start: date,
    end: date,
    minimum_days: int = DEFAULT_NOTICE_DAYS,
    working_days: bool = False,
    holidays: Set[date] = frozenset(),
) -> None:
    """Refuse a notice period shorter than the cycle's minimum (M-19.6)."""
    earliest_end = notice_end(start, minimum_days, working_days, holidays)
    if end < earliest_end:
        unit = "个工作日" if working_days else "个自然日"
        raise NoticeTooShort(
            f"公示期至少 {minimum_days} {unit}，自{zh_date(start)}起应至{zh_date(earliest_end)}，"
            f"所定结束日期为{zh_date(end)}"
        )


def notice_ended(end: date, today: date) -> bool:
    """The notice is over only once its last day has passed."""
    return today > end


@dataclass(frozen=True)
class ObjectionFacts:
    anonymous: bool
    status: ObjectionStatus


def ensure_objection_identity(name: str | None, contact: str | None) -> ObjectionStatus:
    """The status to record: an objection with a real name and a contact is investigated,
    any other is logged as anonymous (RULES.md M-19.6 decision)."""
    if (name or "").strip() and (contact or "").strip():
        return ObjectionStatus.OPEN
    return ObjectionStatus.LOGGED_ANONYMOUS


def objection_requires_investigation(o: ObjectionFacts) -> bool:
    """Named objections are investigated by the Office (M-8.5); anonymous ones are only logged."""
    return not o.anonymous and o.status is not ObjectionStatus.LOGGED_ANONYMOUS


def objection_is_open(o: ObjectionFacts) -> bool:
    """Counts toward the objections that block approval."""
    return objection_requires_investigation(o) and o.status is ObjectionStatus.OPEN


def ensure_no_open_objections(open_count: int) -> None:
    """Every investigated objection is resolved before the list goes for approval (M-19.6)."""
    if open_count > 0:
        raise ObjectionsOpen(f"尚有 {open_count} 件实名异议未处理，不能报送审批")
