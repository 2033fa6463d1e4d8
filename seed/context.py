"""What the demo loaders share while they run: the session, `today`, and the rows made so far."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.criteria import CriteriaVersion as CriteriaSpec
from app.domain.criteria import load_criteria
from models import (
    Application,
    AwardCycle,
    CriteriaItem,
    CriteriaVersion,
    Individual,
    Organization,
    Recommender,
    Reviewer,
)

from .reference import criteria_data


@dataclass
class DemoContext:
    session: Session
    today: date
    version: CriteriaVersion
    users: dict = field(default_factory=dict)
    orgs: dict[str, Organization] = field(default_factory=dict)
    people: dict[str, Individual] = field(default_factory=dict)
    recommenders: dict[str, Recommender] = field(default_factory=dict)
    reviewers: dict[str, Reviewer] = field(default_factory=dict)
    cycles: dict[int, AwardCycle] = field(default_factory=dict)
    apps: dict[str, Application] = field(default_factory=dict)
    # Decisions to log (M-3), written chained and in date order once every row exists.
    trail: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.items: list[CriteriaItem] = list(
            self.session.scalars(
                select(CriteriaItem)
                .where(CriteriaItem.version_id == self.version.id)
                .order_by(CriteriaItem.position)
            )
        )
        self.spec: CriteriaSpec = load_criteria(criteria_data())

    def add(self, *rows):
        self.session.add_all(rows)
        self.session.flush()
        return rows[0] if len(rows) == 1 else rows

    def applicant(self, key: str) -> Organization | Individual:
        return self.orgs.get(key) or self.people[key]

    def log(self, action: str, obj, summary: str, when: datetime, **kw) -> None:
        """Note a decision for the audit log as the service that takes it would (M-3);
        `kw`: username (default office), reason, details, cycle_id, application_id."""
        self.trail.append(
            dict(
                at=when,
                action=action,
                object_type=type(obj).__name__ if obj is not None else "System",
                object_id=getattr(obj, "id", None),
                summary=summary,
                username=kw.get("username", "office"),
                reason=kw.get("reason"),
                details=kw.get("details") or {},
                cycle_id=kw.get("cycle_id"),
                application_id=kw.get("application_id"),
            )
        )


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A naive timestamp on `day` (stored like `utcnow()`)."""
    return datetime.combine(day, time(hour, minute))
