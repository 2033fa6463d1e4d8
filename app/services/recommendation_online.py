"""The recommendation online (M-18): the recommending body chosen for a submitted application
signs its opinion or declines with a reason on the screen; the Office sees both and records
the receipt of the two paper copies; the eligibility review starts only with both."""

from datetime import date

from app.domain import recommendation_online as rules
from app.domain.dates import parse_date
from app.domain.enums import ApplicationStatus, Stage
from app.domain.errors import InvalidInput, RecordNotFound, RuleViolation
from app.domain.stages import ensure_stage
from app.extensions import db
from app.services import audit
from app.services.intake import RecommenderOutOfSector
from app.services.transactions import atomic, expect_version
from models import Application, Recommendation, Recommender
from models.base import utcnow

INTAKE_STAGES = {Stage.APPLICATIONS_OPEN, Stage.ELIGIBILITY}


def state_of(rec: Recommendation | None) -> str:
    if rec is None:
        return "none"
    if rec.declined_at is not None:
        return "declined"
    return "signed" if rec.is_signed else "pending"


def intake_of(app: Application) -> rules.Intake:
    return rules.Intake(
        number=app.number,
        recommendation=state_of(app.recommendation),
        paper_copies=app.paper_copies or 0,
        paper_received_on=app.paper_received_on,
    )


def ensure_ready_for_eligibility(app: Application) -> None:
    """M-18: the signed recommendation and the two paper copies are both there."""
    rules.ensure_ready_for_eligibility(intake_of(app))


_version = expect_version


def _load(rec_id, acting_recommender_id: int | None) -> Recommendation:
    """The recommendation, when the acting recommender is the chosen one (None: the Office or
    Admin, who may act for any); another body's row is not found (M-9)."""
    rec = db.session.get(Recommendation, rec_id)
    if rec is None or (
        acting_recommender_id is not None and rec.recommender_id != acting_recommender_id
    ):
        raise RecordNotFound("推荐意见不存在或不是推荐给本单位的")
    return rec


def _ensure_decidable(rec: Recommendation, what: str) -> Application:
    app = rec.application
    ensure_stage(Stage(app.cycle.stage), INTAKE_STAGES, what)
    if app.status == ApplicationStatus.DRAFT.value:
        raise RuleViolation(f"申报 {app.number} 尚未提交，推荐单位不能{what}", rule="M-18")
    industry = app.industry_code
    if industry and not rec.recommender.covers(industry):
        raise RecommenderOutOfSector(
            f"{rec.recommender.name}的推荐范围为 {rec.recommender.sectors}，"
            f"不包括申报主体所属行业 {industry}"
        )
    return app


@atomic
def request_recommendation(application_id: int, recommender_id: int) -> Recommendation:
    """The applicant's chosen recommending body, waiting for its signature (M-18, M-9)."""
    return add_request(application_id, recommender_id)


def add_request(application_id: int, recommender_id: int) -> Recommendation:
    """`request_recommendation` inside the caller's transaction (the applicant's online
    submission asks its chosen body in the same commit)."""
    app = db.session.get(Application, application_id)
    recommender = db.session.get(Recommender, recommender_id)
    if app is None or recommender is None:
        raise InvalidInput("请选择申报和推荐单位")
    ensure_stage(Stage(app.cycle.stage), INTAKE_STAGES, "选择推荐单位")
    if app.recommendation is not None:
        raise RuleViolation(
            f"申报 {app.number} 已有推荐意见，每份申报只能有一份推荐意见", rule="M-18"
        )
    industry = app.industry_code
    if industry and not recommender.covers(industry):
        raise RecommenderOutOfSector(
            f"{recommender.name}的推荐范围为 {recommender.sectors}，不包括申报主体所属行业 {industry}"
        )
    rec = Recommendation(application_id=app.id, recommender_id=recommender.id, opinion="")
    db.session.add(rec)
    db.session.flush()
    audit.record(
        "recommendation_requested",
        rec,
        f"申报 {app.number} 选择{recommender.name}为推荐单位，待其签署推荐意见",
        cycle_id=app.cycle_id,
        application_id=app.id,
    )
    return rec


@atomic
def sign(
    rec_id,
    opinion: str,
    signatory: str,
    *,
    acting_recommender_id: int | None,
    expected_version=None,
    today: date | None = None,
    username: str | None = None,
) -> Recommendation:
    """M-18: the chosen recommending body signs its opinion, once; dated today."""
    rec = _load(rec_id, acting_recommender_id)
    _version(rec, expected_version)
    rules.ensure_signable(state_of(rec), opinion, signatory)
    app = _ensure_decidable(rec, "签署推荐意见")
    username = username or audit.current_username()
    rec.opinion = opinion.strip()
    rec.signatory = signatory.strip()[:50]
    rec.signed_on = today or date.today()
    rec.signed_at, rec.signed_by = utcnow(), username
    db.session.flush()
    audit.record(
        "recommendation_signed",
        rec,
        f"{rec.recommender.name}签署申报 {app.number} 的推荐意见（签署人 {rec.signatory}）",
        details={"signatory": rec.signatory, "signed_on": rec.signed_on.isoformat()},
        cycle_id=app.cycle_id,
        application_id=app.id,
        username=username,
    )
    return rec


@atomic
def decline(
    rec_id,
    reason: str,
    *,
    acting_recommender_id: int | None,
    expected_version=None,
    username: str | None = None,
) -> Recommendation:
    """M-18: the chosen recommending body declines, with its reason; the Office sees it."""
    rec = _load(rec_id, acting_recommender_id)
    _version(rec, expected_version)
    rules.ensure_declinable(state_of(rec), reason)
    app = _ensure_decidable(rec, "作出不予推荐")
    username = username or audit.current_username()
    rec.decline_reason = reason.strip()
    rec.declined_at, rec.declined_by = utcnow(), username
    db.session.flush()
    audit.record(
        "recommendation_declined",
        rec,
        f"{rec.recommender.name}对申报 {app.number} 不予推荐",
        reason=rec.decline_reason,
        cycle_id=app.cycle_id,
        application_id=app.id,
        username=username,
    )
    return rec


def _count(value) -> int:
    if isinstance(value, bool):
        raise InvalidInput("份数应为整数", fields={"paper_copies": "应为整数"})
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidInput("份数应为整数", fields={"paper_copies": "应为整数"}) from None


def _day(value) -> date | None:
    return parse_date(value, "paper_received_on", label="接收日期")


@atomic
def record_paper_copies(
    application_id,
    count,
    received_on,
    *,
    expected_version=None,
    today: date | None = None,
    username: str | None = None,
) -> Application:
    """M-18: the Office received the two paper copies: the day, the count, by whom."""
    app = db.session.get(Application, application_id)
    if app is None:
        raise RecordNotFound(f"申报 {application_id} 不存在")
    _version(app, expected_version)
    n, day = _count(count), _day(received_on)
    rules.ensure_paper_copies(n, day, today or date.today())
    ensure_stage(Stage(app.cycle.stage), INTAKE_STAGES, "登记纸质申报材料")
    if app.status == ApplicationStatus.DRAFT.value:
        raise RuleViolation(f"申报 {app.number} 尚未提交，不能登记纸质材料", rule="M-18")
    username = username or audit.current_username()
    app.paper_copies, app.paper_received_on, app.paper_received_by = n, day, username
    db.session.flush()
    audit.record(
        "paper_copies_received",
        app,
        f"申报 {app.number} 的纸质申报材料已接收 {n} 份（{day.isoformat()}）",
        details={"paper_copies": n, "received_on": day.isoformat()},
        cycle_id=app.cycle_id,
        application_id=app.id,
        username=username,
    )
    return app
