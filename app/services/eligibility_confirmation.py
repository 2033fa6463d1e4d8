"""The Committee's confirmation of a cycle's eligible list (M-19.1), once every application
has its eligibility outcome."""

from datetime import date, datetime

from sqlalchemy import func, select

from app.domain.enums import ApplicationStatus, Stage
from app.domain.errors import InvalidInput, RuleViolation
from app.domain.stages import ensure_stage
from app.extensions import db
from app.services import audit
from app.services.eligibility import OUTCOMES, commit_decision, username_or_current
from app.services.recommendation_online import ensure_ready_for_eligibility
from models import Application, AwardCycle
from models.base import utcnow

S = ApplicationStatus


class ReviewsStillOpen(RuleViolation):
    rule = "M-19.1"
    default_message = "尚有申报未作资格审查结论，不能确认合格名单"


def _count(cycle_id: int, *where) -> int:
    stmt = select(func.count()).select_from(Application).where(Application.cycle_id == cycle_id)
    return db.session.scalar(stmt.where(*where)) or 0


def confirm_eligible(
    cycle_id: int,
    note: str | None = None,
    *,
    now: datetime | None = None,
    today: date | None = None,
    username: str | None = None,
) -> AwardCycle:
    """M-19.1: the Committee confirms the eligible list once every application is decided."""
    today = today or date.today()
    username = username_or_current(username)
    cycle = db.session.get(AwardCycle, cycle_id)
    if cycle is None:
        raise InvalidInput(f"评定年度 {cycle_id} 不存在")
    ensure_stage(Stage(cycle.stage), Stage.ELIGIBILITY, "确认资格审查合格名单")
    open_reviews = _count(cycle.id, Application.status == S.SUBMITTED.value)
    pending = _count(
        cycle.id,
        Application.status == S.RETURNED_INCOMPLETE.value,
        (Application.supplement_deadline.is_(None)) | (Application.supplement_deadline >= today),
    )
    if open_reviews or pending:
        parts = []
        if open_reviews:
            parts.append(f"尚有 {open_reviews} 份已提交的申报未作资格审查结论")
        if pending:
            parts.append(f"尚有 {pending} 份退回补正的申报仍在补正期限内")
        raise ReviewsStillOpen("；".join(parts) + "，不能确认合格名单")
    eligible = list(
        db.session.scalars(
            select(Application)
            .where(Application.cycle_id == cycle.id, Application.status == S.ELIGIBLE.value)
            .order_by(Application.number)
        )
    )
    for app in eligible:  # M-18: none on the list without its signature and paper copies
        ensure_ready_for_eligibility(app)
    numbers = [app.number for app in eligible]
    counts = {s: _count(cycle.id, Application.status == s.value) for s in OUTCOMES}
    tally = "，".join(f"{s.label} {n} 份" for s, n in counts.items())
    cycle.eligibility_confirmed_at = now or utcnow()
    cycle.eligibility_confirmed_by = username
    cycle.eligibility_confirmation_note = (note or "").strip() or f"确认资格审查结果：{tally}"
    audit.record(
        "eligibility_confirmed",
        cycle,
        f"{cycle.name}资格审查合格名单经委员会确认：{tally}",
        reason=cycle.eligibility_confirmation_note,
        details={"eligible": numbers},
        cycle_id=cycle.id,
        username=username,
    )
    commit_decision()
    return cycle
