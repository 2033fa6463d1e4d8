"""Calendar arithmetic for the award's year-counted periods (3-year windows, 5-year bans)."""

from datetime import date, timedelta


def add_years(d: date, years: int) -> date:
    """The same day `years` later (or earlier); Feb 29 becomes Feb 28 in a non-leap year.

    Follows the civil-law rule that a period without a matching day ends on the last day of
    that month (民法典 第二百零二条), so the result never spills into March.
    """
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def years_between(start: date, end: date) -> int:
    """Completed years from `start` to `end`; negative (rounded down) when `end` is earlier.

    Consistent with `add_years`: ``years_between(s, e) >= n`` exactly when
    ``s <= add_years(e, -n)``, so "3 years or more" can be tested either way.
    """
    before_anniversary = (end.month, end.day) < (start.month, start.day)
    return end.year - start.year - int(before_anniversary)


def window_start(reference: date, years: int) -> date:
    """First day of the `years`-year window that ends on `reference` (see `within_years_before`)."""
    return add_years(reference, -years)


def within_years_before(event: date, reference: date, years: int) -> bool:
    """Whether `event` falls in the last `years` years up to `reference`, both ends included.

    The window is the closed interval ``[add_years(reference, -years), reference]``: with a
    deadline of 2024-03-15 and 3 years, an event on 2021-03-15 is inside and one on
    2021-03-14 is outside; an event after `reference` is outside too.
    """
    return window_start(reference, years) <= event <= reference


def end_of_february(year: int) -> date:
    """Feb 28 or Feb 29: the due date of the annual report (M-27)."""
    return date(year, 3, 1) - timedelta(days=1)


def parse_date(value, field: str | None = None, label: str = "日期") -> date | None:
    """A typed date (YYYY-MM-DD) or None when left empty; anything else is refused naming the
    field, never silently dropped. One parser for every form, API body and command."""
    from app.domain.errors import InvalidInput

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(
            f"{label} {value} 格式无效，应为 YYYY-MM-DD（如 2025-10-09）",
            fields={field: "日期格式无效"} if field else None,
        ) from None
