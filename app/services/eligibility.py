"""Eligibility review use cases (M-19.1): checklists from the records, the Office's judgements
and the review history as the screens and API read it, with the checks every eligibility
decision shares. Outcomes and supplements are app.services.eligibility_outcomes; the facts and
checklist are app.services.eligibility_facts; the Committee's confirmation of the eligible list
is app.services.eligibility_confirmation."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.domain import eligibility as rules
from app.domain.enums import ApplicationStatus, CheckStatus, Stage
from app.domain.errors import InvalidInput, RuleViolation, StaleRecord
from app.domain.stages import ensure_stage
from app.extensions import db
from app.services import audit
from app.services.eligibility_facts import as_json, compute, judgement_rules
from app.services.recommendation_online import ensure_ready_for_eligibility
from app.services.transactions import expect_version
from models import Application, EligibilityJudgement, EligibilityReview
from models.base import utcnow

S = ApplicationStatus
INTAKE_STAGES = {Stage.APPLICATIONS_OPEN, Stage.ELIGIBILITY}
RETURNS = (S.RETURNED_INCOMPLETE, S.RETURNED_INELIGIBLE, S.RETURNED_FALSIFIED)
OUTCOMES = (S.ELIGIBLE, *RETURNS)
# Standing from which an outcome may be (re)recorded; a falsification finding is final.
DECIDABLE = {S.SUBMITTED, S.ELIGIBLE, S.RETURNED_INCOMPLETE, S.RETURNED_INELIGIBLE}
REVIEWABLE = DECIDABLE | {S.RETURNED_FALSIFIED}


class WrongStanding(RuleViolation):
    rule = "M-19.1"
    default_message = "该申报当前状态不能进行此操作"


class StaleApplication(StaleRecord):
    rule = "并发保护"
    default_message = "该申报已被他人处理，请刷新页面后重新操作，本次操作未保存"


# --- reviews and judgements ---------------------------------------------------------------


def username_or_current(username: str | None) -> str | None:
    return username or audit.current_username()


def load_application(application_id: int) -> Application:
    app = db.session.get(Application, application_id)
    if app is None:
        raise InvalidInput(f"申报 {application_id} 不存在")
    return app


def ensure_intake(app: Application, what: str) -> None:
    ensure_stage(Stage(app.cycle.stage), INTAKE_STAGES, what)


def ensure_version(app: Application, expected_version) -> None:
    # a version that is not a number is refused by name (it used to reach the user as a 500)
    expect_version(app, expected_version, StaleApplication)


def commit_decision() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleApplication() from None


def add_review(app: Application, username: str | None, **values) -> EligibilityReview:
    checklist = compute(app)
    review = EligibilityReview(
        application_id=app.id,
        checklist=as_json(checklist),
        reviewed_at=utcnow(),
        reviewed_by=username,
        **values,
    )
    db.session.add(review)
    db.session.flush()
    return review


def _check_reviewable(app: Application) -> None:
    ensure_intake(app, "进行资格审查")
    if S(app.status) not in REVIEWABLE:
        raise WrongStanding(f"申报 {app.number} 状态为「{S(app.status).label}」，不能进行资格审查")
    # M-18: the review starts only with the signed recommendation and the two paper copies.
    ensure_ready_for_eligibility(app)


def run_review(application_id: int, username: str | None = None) -> EligibilityReview:
    """Compute and store the checklist of one application; its standing does not change."""
    app = load_application(application_id)
    _check_reviewable(app)
    review = add_review(app, username_or_current(username))
    commit_decision()
    return review


@dataclass
class ReviewRun:
    reviews: list[EligibilityReview]
    refused: list[str]

    def summary(self) -> str:
        lists = [r.checklist for r in self.reviews]
        fail = sum(1 for c in lists if any(i["status"] == CheckStatus.FAIL.value for i in c))
        ok = sum(1 for c in lists if all(i["status"] == CheckStatus.PASS.value for i in c))
        text = (
            f"资格审查完成 {len(lists)} 份：全部符合 {ok} 份，有不符合项 {fail} 份，"
            f"待人工判定 {len(lists) - ok - fail} 份"
        )
        if self.refused:
            text += f"；未审查 {len(self.refused)} 份：" + "；".join(self.refused)
        return text


def run_reviews(application_ids, username: str | None = None) -> ReviewRun:
    """`run_review` for many; each refusal is reported and the others are still reviewed."""
    username = username_or_current(username)
    run = ReviewRun([], [])
    for application_id in application_ids:
        app = load_application(int(application_id))
        try:
            _check_reviewable(app)
            run.reviews.append(add_review(app, username))
        except RuleViolation as exc:
            run.refused.append(f"{app.number}：{exc}")
    commit_decision()
    return run


def record_judgement(
    application_id: int, rule: str, status: str, note: str, username: str | None = None
) -> EligibilityReview:
    """The Office ticks a condition that needs judgement, with its note (M-3); re-reviews."""
    app = load_application(application_id)
    _check_reviewable(app)
    username = username_or_current(username)
    try:
        check = CheckStatus(status)
    except ValueError:
        raise InvalidInput(f"判定结论 {status} 无效") from None
    rules.Judgement(rule, check, note or "")  # a pass or fail needs its reason
    allowed = judgement_rules(app)
    if rule not in allowed:
        raise InvalidInput(
            f"{rule} 不是该申报需人工判定的条件；需人工判定的条件为：{'、'.join(allowed) or '无'}"
        )
    row = db.session.scalar(
        select(EligibilityJudgement).where(
            EligibilityJudgement.application_id == app.id, EligibilityJudgement.rule == rule
        )
    )
    if row is None:
        row = EligibilityJudgement(application_id=app.id, rule=rule)
        db.session.add(row)
    row.status, row.note, row.decided_by = check.value, (note or "").strip(), username
    db.session.flush()
    audit.record(
        "eligibility_judgement",
        app,
        f"{app.number} {rule} 判定为「{check.label}」",
        reason=row.note,
        details={"rule": rule, "status": check.value},
        cycle_id=app.cycle_id,
        application_id=app.id,
        username=username,
    )
    review = add_review(app, username)
    commit_decision()
    return review


# --- reading -----------------------------------------------------------------------------


def history(application_id: int) -> list[EligibilityReview]:
    return list(
        db.session.scalars(
            select(EligibilityReview)
            .where(EligibilityReview.application_id == application_id)
            .order_by(EligibilityReview.reviewed_at.desc(), EligibilityReview.id.desc())
        )
    )


def latest(reviews: list[EligibilityReview], decided: bool = False) -> EligibilityReview | None:
    return next((r for r in reviews if r.outcome or not decided), None)


def review_json(review: EligibilityReview | None) -> dict | None:
    if review is None:
        return None
    items = [
        {**i, "status_label": CheckStatus(i["status"]).label} for i in (review.checklist or [])
    ]
    counts = {s.value: sum(1 for i in items if i["status"] == s.value) for s in CheckStatus}
    return {
        "id": review.id,
        "reviewed_at": review.reviewed_at.isoformat(),
        "reviewed_by": review.reviewed_by,
        "outcome": review.outcome,
        "outcome_label": S(review.outcome).label if review.outcome else None,
        "reasons": review.reasons,
        "missing_items": review.missing_items,
        "supplement_deadline": (
            review.supplement_deadline.isoformat() if review.supplement_deadline else None
        ),
        "all_pass": bool(items) and counts[CheckStatus.PASS.value] == len(items),
        "counts": counts,
        "checklist": items,
    }
