"""Overdue work is flagged from its due date (M-19.2, M-19.4 review groups; M-27 reports)."""

from datetime import date

from app.domain.deadlines import deadline_state


def test_a_group_past_its_due_date_and_still_open_is_overdue_by_whole_days_m19_2():
    state = deadline_state(date(2025, 6, 30), date(2025, 7, 3))
    assert state.overdue and state.days_overdue == 3 and state.days_left == -3


def test_work_due_today_is_not_yet_overdue_m19_2():
    state = deadline_state(date(2025, 6, 30), date(2025, 6, 30))
    assert not state.overdue and state.due_today and state.days_left == 0


def test_work_before_its_due_date_counts_the_days_left_m19_2():
    state = deadline_state(date(2025, 6, 30), date(2025, 6, 20))
    assert not state.overdue and state.days_left == 10 and state.days_overdue == 0


def test_finished_work_is_never_overdue_m19_4():
    state = deadline_state(date(2025, 6, 30), date(2025, 9, 1), done=True)
    assert not state.overdue and state.days_overdue == 0 and not state.due_today


def test_no_due_date_means_no_deadline_state_m19_2():
    assert deadline_state(None, date(2025, 6, 30)) is None
