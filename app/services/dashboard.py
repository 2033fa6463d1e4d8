"""What the landing page shows each user: the Office's dashboard with the work waiting for it,
the Committee's votes and ties, a reviewer's assignments, a recommender's recommendations."""

from datetime import date

from sqlalchemy import case, func, select

from app.domain.deadlines import deadline_state
from app.domain.enums import ApplicationStatus, ObjectionStatus, SheetStatus, Stage
from app.extensions import db
from app.security.roles import ADMIN, APPLICANT, COMMITTEE, OFFICE, RECOMMENDER, REVIEWER
from app.security.scopes import recommender_id_of, reviewer_id_of, role_names
from app.services import home
from models import (
    Application,
    AwardCycle,
    CriteriaCategory,
    CriteriaItem,
    Objection,
    ReviewGroup,
    ScoreLine,
    Scoresheet,
    StageScore,
)


def current_cycle() -> AwardCycle | None:
    """The newest cycle in progress (neither in preparation nor closed), else the newest."""
    active = db.session.scalar(
        select(AwardCycle)
        .where(AwardCycle.stage.not_in([Stage.DRAFT.value, Stage.CLOSED.value]))
        .order_by(AwardCycle.year.desc())
        .limit(1)
    )
    return active or db.session.scalar(select(AwardCycle).order_by(AwardCycle.year.desc()).limit(1))


def dashboard_for(user, year: int | None = None, today: date | None = None) -> dict:
    """The home page of the user's first business role: Office (and Admin), Committee,
    Reviewer, Recommender; anyone else gets a plain welcome."""
    today = today or date.today()
    roles = role_names(user)
    if roles & {ADMIN, OFFICE}:
        data = office_dashboard(today=today, year=year)
        data["tasks"] = home.office_tasks(today)
        return data
    if COMMITTEE in roles:
        data = office_dashboard(today=today, year=year)
        data["kind"] = "committee"
        data["votes"] = home.votes_waiting()
        data["ties"] = home.ties_waiting()
        return data
    if REVIEWER in roles:
        return reviewer_todo(user, today)
    if APPLICANT in roles:
        return {"kind": "applicant"}  # its own portal, never the Office's figures
    if RECOMMENDER in roles:
        return {
            "kind": "recommender",
            "recommendations": home.recommender_recommendations(recommender_id_of(user)),
        }
    return {"kind": "plain"}


def office_dashboard(today: date | None = None, year: int | None = None) -> dict:
    today = today or date.today()
    chosen = None
    if year is not None:
        chosen = db.session.scalar(select(AwardCycle).where(AwardCycle.year == year))
    cycle = chosen or current_cycle()
    years = db.session.scalars(select(AwardCycle.year).order_by(AwardCycle.year.desc())).all()
    data: dict = {"kind": "office", "cycle": cycle, "today": today, "years": years}
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
    groups = db.session.execute(
        select(
            ReviewGroup.id,
            ReviewGroup.name,
            func.count(Scoresheet.id),
            submitted,
            ReviewGroup.closed_at,
            ReviewGroup.due_on,
        )
        .join(Scoresheet, Scoresheet.group_id == ReviewGroup.id, isouter=True)
        .where(ReviewGroup.cycle_id == cycle.id)
        .group_by(ReviewGroup.id, ReviewGroup.name, ReviewGroup.closed_at, ReviewGroup.due_on)
        .order_by(ReviewGroup.name)
    ).all()
    # M-19.2, M-19.4: an open group past its due date is flagged overdue.
    data["groups"] = [
        {
            "id": gid,
            "name": name,
            "total": total,
            "submitted": done or 0,
            "closed": closed_at is not None,
            "deadline": deadline_state(due_on, today, done=closed_at is not None),
        }
        for gid, name, total, done, closed_at, due_on in groups
    ]
    from app.services.aftercare import overdue

    data["overdue_reports"] = len(overdue(today))
    data["open_objections"] = db.session.scalar(
        select(func.count())
        .select_from(Objection)
        .where(Objection.status == ObjectionStatus.OPEN.value)
    )
    data["stages"] = [
        (s.label, s.value == cycle.stage, s.order < Stage(cycle.stage).order) for s in Stage
    ]
    # What the charts show, language-neutral: the view words and draws them per request.
    data["categories"] = category_distribution(cycle.id)
    data["finalists"] = finalists_radar(cycle)
    return data


def category_distribution(cycle_id: int) -> list[tuple[str, str, str, float, float, float]]:
    """(code, Chinese name, English name, min, mean, max share of the category's points in %)
    over the submitted sheets."""
    per_sheet = (
        select(
            CriteriaCategory.id.label("category_id"),
            (func.sum(ScoreLine.points) * 100 / CriteriaCategory.points).label("pct"),
        )
        .select_from(ScoreLine)
        .join(CriteriaItem, CriteriaItem.id == ScoreLine.item_id)
        .join(CriteriaCategory, CriteriaCategory.id == CriteriaItem.category_id)
        .join(Scoresheet, Scoresheet.id == ScoreLine.scoresheet_id)
        .join(Application, Application.id == Scoresheet.application_id)
        .where(
            Application.cycle_id == cycle_id,
            Scoresheet.status == SheetStatus.SUBMITTED.value,
            Scoresheet.is_consensus.is_(False),
        )
        .group_by(Scoresheet.id, CriteriaCategory.id, CriteriaCategory.points)
        .subquery()
    )
    rows = db.session.execute(
        select(
            CriteriaCategory.code,
            CriteriaCategory.name_zh,
            CriteriaCategory.name_en,
            func.min(per_sheet.c.pct),
            func.avg(per_sheet.c.pct),
            func.max(per_sheet.c.pct),
        )
        .join(per_sheet, per_sheet.c.category_id == CriteriaCategory.id)
        .group_by(CriteriaCategory.code, CriteriaCategory.name_zh, CriteriaCategory.name_en)
        .order_by(CriteriaCategory.code)
    ).all()
    return [(code, zh, en, float(lo), float(avg), float(hi)) for code, zh, en, lo, avg, hi in rows]


def finalists_radar(cycle: AwardCycle):
    """The finalists of the newest cycle with on-site scores, as shares of each category:
    (that cycle's year, [(Chinese, English) category name], [(applicant, shares)]), or None."""
    latest = db.session.scalar(
        select(AwardCycle)
        .join(Application, Application.cycle_id == AwardCycle.id)
        .join(StageScore, StageScore.application_id == Application.id)
        .where(StageScore.stage == "onsite", AwardCycle.year <= cycle.year)
        .order_by(AwardCycle.year.desc())
        .limit(1)
    )
    if latest is None:
        return None
    categories = db.session.execute(
        select(
            CriteriaCategory.code,
            CriteriaCategory.name_zh,
            CriteriaCategory.name_en,
            CriteriaCategory.points,
        )
        .where(CriteriaCategory.version_id == latest.criteria_version_id)
        .order_by(CriteriaCategory.position)
    ).all()
    scores = db.session.execute(
        select(Application, StageScore)
        .join(StageScore, StageScore.application_id == Application.id)
        .where(Application.cycle_id == latest.id, StageScore.stage == "onsite")
        .order_by(StageScore.total.desc())
        .limit(6)
    ).all()
    axes = [(zh, en) for _code, zh, en, _points in categories]
    maxima = [(code, float(points)) for code, _zh, _en, points in categories]
    series = [
        (
            application.applicant_name,
            [float(score.categories.get(code) or 0) / points for code, points in maxima],
        )
        for application, score in scores
    ]
    return (latest.year, axes, series) if series else None


def reviewer_todo(user, today: date | None = None) -> dict:
    """A reviewer's assignments, in their row scope (never a conflicted applicant, M-25)."""
    today = today or date.today()
    return {
        "kind": "reviewer",
        "assignments": home.reviewer_assignments(reviewer_id_of(user), today),
    }
