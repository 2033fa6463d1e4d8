"""Days left and days overdue of work with a due date: a review group's scoresheets
(M-19.2, M-19.4) and a winner's annual report (M-27)."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DeadlineState:
    """Where work stands against its due date on a given day (`done` work is never overdue)."""

    due_on: date
    days_left: int  # negative once the due date has passed
    done: bool

    @property
    def overdue(self) -> bool:
        return not self.done and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.overdue else 0

    @property
    def due_today(self) -> bool:
        return not self.done and self.days_left == 0


def deadline_state(due_on: date | None, today: date, done: bool = False) -> DeadlineState | None:
    """None when no due date was set; the due day itself still counts as in time."""
    if due_on is None:
        return None
    return DeadlineState(due_on=due_on, days_left=(due_on - today).days, done=done)
