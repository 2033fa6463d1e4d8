"""What the landing page shows each user (Office dashboard or reviewer to-do list)."""

from datetime import date

from sqlalchemy import case, func, select

from app.domain.enums import ApplicationStatus, FollowUpStatus, ObjectionStatus, SheetStatus, Stage
from app.extensions import db
from app.security.scopes import reviewer_id_of, role_names, sees_all
from models import (
    Application,
    AwardCycle,
    FollowUpReport,
    Objection,
    ReviewGroup,
    Scoresheet,
)


def current_cycle() -> AwardCycle | None:
    """The newest cycle that is not closed, else the newest."""
    open_cycle = db.session.scalar(
        select(AwardCycle)
        .where(AwardCycle.stage != Stage.CLOSED.value)
        .order_by(AwardCycle.year.desc())
        .limit(1)
    )
    return open_cycle or db.session.scalar(
        select(AwardCycle).order_by(AwardCycle.year.desc()).limit(1)
    )


def dashboard_for(user) -> dict:
    if sees_all(user):
        return office_dashboard()
    if "Reviewer" in role_names(user):
        return reviewer_todo(user)
    return {"kind": "plain"}


def office_dashboard(today: date | None = None) -> dict:
    today = today or date.today()
    cycle = current_cycle()
    data: dict = {"kind": "office", "cycle": cycle, "today": today}
    if cycle is None:
        return data
    rows = db.session.execute(
        select(Application.status, func.count())
        .where(Application.cycle_id == cycle.id)
        .group_by(Application.status)
    ).all()
    data["status_counts"] = [
        (ApplicationStatus(status).label, n) for status, n in sorted(rows, key=lambda r: r[0])
    ]
    submitted = func.sum(case((Scoresheet.status == SheetStatus.SUBMITTED.value, 1), else_=0))
    data["groups"] = db.session.execute(
        select(
            ReviewGroup.name,
            ReviewGroup.stage,
            func.count(Scoresheet.id),
            submitted,
            ReviewGroup.closed_at,
        )
        .join(Scoresheet, Scoresheet.group_id == ReviewGroup.id, isouter=True)
        .where(ReviewGroup.cycle_id == cycle.id)
        .group_by(ReviewGroup.id, ReviewGroup.name, ReviewGroup.stage, ReviewGroup.closed_at)
        .order_by(ReviewGroup.name)
    ).all()
    data["overdue_reports"] = db.session.scalar(
        select(func.count())
        .select_from(FollowUpReport)
        .where(FollowUpReport.status == FollowUpStatus.DUE.value, FollowUpReport.due_on < today)
    )
    data["open_objections"] = db.session.scalar(
        select(func.count())
        .select_from(Objection)
        .where(Objection.status == ObjectionStatus.OPEN.value)
    )
    data["stages"] = [
        (s.label, s.value == cycle.stage, s.order < Stage(cycle.stage).order) for s in Stage
    ]
    return data


def reviewer_todo(user) -> dict:
    rid = reviewer_id_of(user)
    if rid is None:
        return {"kind": "reviewer", "sheets": []}
    sheets = db.session.execute(
        select(
            Scoresheet.id,
            Application.number,
            Scoresheet.stage,
            Scoresheet.status,
            ReviewGroup.name,
            ReviewGroup.due_on,
        )
        .join(Application, Application.id == Scoresheet.application_id)
        .join(ReviewGroup, ReviewGroup.id == Scoresheet.group_id)
        .where(Scoresheet.reviewer_id == rid)
        .order_by(Scoresheet.status, ReviewGroup.due_on)
    ).all()
    return {"kind": "reviewer", "sheets": sheets}
