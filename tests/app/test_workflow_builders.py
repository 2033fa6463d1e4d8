"""Builders shared by the workflow tests: a cycle with applications, closed review groups and
the StageScore rows the scoring helper writes when a group closes (read, never computed, here).

No tests here; the module name keeps it beside the tests it serves."""

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from app.domain.enums import ApplicationStatus as S
from app.domain.enums import ReviewStage
from app.extensions import db
from models import (
    Application,
    AuditEntry,
    AwardCycle,
    ReviewAssignment,
    Reviewer,
    ReviewGroup,
    ReviewReport,
    Scoresheet,
    StageScore,
)
from tests import factories as f

_n = itertools.count(1)


@dataclass
class Entry:
    """One applicant of a scenario: prize, material score, on-site score and its 4.7 score."""

    key: str
    prize: str
    material: str
    onsite: str | None = None
    results: str = "300"
    individual: bool = False
    app: Application | None = field(default=None, repr=False)


def new_cycle(year: int, **kw) -> AwardCycle:
    values = dict(
        stage="draft",
        opens_on=date(year, 1, 1),
        deadline=date(year, 3, 31),
        budget=Decimal("600000.00"),
        agency_fee=Decimal("80000.00"),
    )
    values.update(kw)
    return f.cycle(db.session, year=year, **values)


def application(cycle: AwardCycle, entry: Entry, status: S = S.SUBMITTED) -> Application:
    applicant = f.individual(db.session) if entry.individual else f.organization(db.session)
    app = Application(
        cycle_id=cycle.id,
        number=f"{cycle.year}-T-{next(_n):04d}",
        prize=entry.prize,
        applicant_kind="individual" if entry.individual else "organization",
        organization_id=None if entry.individual else applicant.id,
        individual_id=applicant.id if entry.individual else None,
        status=status.value,
        submitted_on=date(cycle.year, 3, 1),
    )
    db.session.add(app)
    db.session.flush()
    entry.app = app
    return app


def reviewer() -> Reviewer:
    n = next(_n)
    r = Reviewer(code=f"R{n:05d}", name=f"评审员{n}")
    db.session.add(r)
    db.session.flush()
    return r


def review(cycle: AwardCycle, stage: ReviewStage, scores: dict[int, tuple], closed=True) -> None:
    """A review group of `stage` over the applications in `scores` (id -> (total, 4.7 score)),
    with the StageScore rows and reports its closing writes."""
    group = ReviewGroup(
        cycle_id=cycle.id,
        stage=stage.value,
        name=f"{stage.label}第{next(_n)}组",
        closed_at=datetime(cycle.year, 6, 1) if closed else None,
    )
    db.session.add(group)
    db.session.flush()
    for app_id, (total, results) in scores.items():
        db.session.add(
            ReviewAssignment(group_id=group.id, application_id=app_id, stage=stage.value)
        )
        if total is None:
            continue
        db.session.add(
            StageScore(
                application_id=app_id,
                stage=stage.value,
                method="mean",
                total=Decimal(total),
                categories={"4.1": "80", "4.7": str(results)},
                sheets=3,
            )
        )
        db.session.add(
            ReviewReport(
                application_id=app_id, group_id=group.id, stage=stage.value, summary="评审报告"
            )
        )
    db.session.flush()
    return group


def draft_sheet(cycle: AwardCycle, app: Application, stage: ReviewStage) -> Scoresheet:
    group = db.session.scalar(
        select(ReviewGroup).where(
            ReviewGroup.cycle_id == cycle.id, ReviewGroup.stage == stage.value
        )
    ) or review(cycle, stage, {}, closed=False)
    sheet = Scoresheet(
        application_id=app.id,
        group_id=group.id,
        reviewer_id=reviewer().id,
        stage=stage.value,
        status="draft",
    )
    db.session.add(sheet)
    db.session.flush()
    return sheet


def statuses(entries) -> dict[str, str]:
    db.session.expire_all()
    return {e.key: db.session.get(Application, e.app.id).status for e in entries}


def audit_actions(**where) -> list[str]:
    stmt = select(AuditEntry.action).order_by(AuditEntry.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(AuditEntry, key) == value)
    return list(db.session.scalars(stmt))


def set_stage(cycle: AwardCycle, stage) -> None:
    cycle.stage = getattr(stage, "value", stage)
    db.session.commit()
