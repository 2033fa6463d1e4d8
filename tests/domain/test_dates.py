"""Year arithmetic used by the 3-year windows (M-11.5, M-13.3) and the 5-year ban (M-28)."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from app.domain.dates import (
    add_years,
    end_of_february,
    window_start,
    within_years_before,
    years_between,
)

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))


def test_adding_years_keeps_the_day():
    assert add_years(date(2021, 3, 15), 3) == date(2024, 3, 15)
    assert add_years(date(2024, 3, 15), -3) == date(2021, 3, 15)


def test_a_leap_day_becomes_february_28_in_a_common_year():
    assert add_years(date(2024, 2, 29), 5) == date(2029, 2, 28)
    assert add_years(date(2024, 2, 29), -1) == date(2023, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_years_between_counts_completed_years_only():
    assert years_between(date(2021, 3, 15), date(2024, 3, 15)) == 3
    assert years_between(date(2021, 3, 16), date(2024, 3, 15)) == 2
    assert years_between(date(2024, 3, 15), date(2021, 3, 15)) == -3
    assert years_between(date(2021, 3, 1), date(2021, 2, 28)) == -1


def test_someone_starting_on_a_leap_day_completes_a_year_on_march_1():
    assert years_between(date(2020, 2, 29), date(2021, 2, 28)) == 0
    assert years_between(date(2020, 2, 29), date(2021, 3, 1)) == 1


def test_an_event_exactly_three_years_before_the_reference_is_inside_the_window():
    assert within_years_before(date(2021, 3, 15), date(2024, 3, 15), 3)


def test_an_event_three_years_and_one_day_before_the_reference_is_outside():
    assert not within_years_before(date(2021, 3, 14), date(2024, 3, 15), 3)


def test_the_reference_day_is_inside_and_the_day_after_is_outside():
    assert within_years_before(date(2024, 3, 15), date(2024, 3, 15), 3)
    assert not within_years_before(date(2024, 3, 16), date(2024, 3, 15), 3)


def test_the_window_starts_on_the_same_day_years_earlier():
    assert window_start(date(2024, 2, 29), 3) == date(2021, 2, 28)


def test_the_end_of_february_depends_on_leap_years():
    assert end_of_february(2024) == date(2024, 2, 29)
    assert end_of_february(2025) == date(2025, 2, 28)
    assert end_of_february(1900) == date(1900, 2, 28)
    assert end_of_february(2000) == date(2000, 2, 29)


@given(start=dates, end=dates, n=st.integers(min_value=-160, max_value=160))
def test_years_between_agrees_with_add_years(start, end, n):
    assert (years_between(start, end) >= n) == (start <= add_years(end, -n))


@given(d=dates, n=st.integers(min_value=-50, max_value=50))
def test_add_years_moves_exactly_that_many_calendar_years(d, n):
    moved = add_years(d, n)
    assert moved.year == d.year + n
    assert moved.month == d.month
