"""Eligibility review use cases (M-19.1): checklists from the records, the Office's judgements,
outcomes with who/when/why, and supplements before their deadline."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.domain import eligibility as rules
from app.domain.bans import ban_for_falsification
from app.domain.enums import ApplicationStatus, CheckStatus, Stage
from app.domain.errors import InvalidInput, RuleViolation
from app.domain.stages import ensure_stage, zh_date
from app.extensions import db
from app.services import audit
from app.services.eligibility_facts import (  # noqa: F401 (re-exported for views and API)
    as_json,
    compute,
    has_signed_recommendation,
    judgement_lines,
    judgement_rules,
)
from models import Application, AwardCycle, Ban, EligibilityJudgement, EligibilityReview
from models.base import utcnow

S = ApplicationStatus
INTAKE_STAGES = {Stage.APPLICATIONS_OPEN, Stage.ELIGIBILITY}
RETURNS = (S.RETURNED_INCOMPLETE, S.RETURNED_INELIGIBLE, S.RETURNED_FALSIFIED)
OUTCOMES = (S.ELIGIBLE, *RETURNS)
# Standing from which an outcome may be (re)recorded; a falsification finding is final.
DECIDABLE = {S.SUBMITTED, S.ELIGIBLE, S.RETURNED_INCOMPLETE, S.RETURNED_INELIGIBLE}
REVIEWABLE = DECIDABLE | {S.RETURNED_FALSIFIED}


class NotAllConditionsMet(RuleViolation):
    rule = "M-19.1"
    default_message = "资格条件未全部符合，不能认定资格审查合格"


class SupplementTooLate(RuleViolation):
    rule = "M-19.1"
    default_message = "补正期限已过，不能再补正"


class WrongStanding(RuleViolation):
    rule = "M-19.1"
    default_message = "该申报当前状态不能进行此操作"


class StaleApplication(RuleViolation):
    rule = "并发保护"
    default_message = "该申报已被他人处理，请刷新页面后重新操作，本次操作未保存"


# --- reviews, judgements, outcomes ---------------------------------------------------------


def username_or_current(username: str | None) -> str | None:
    return username or audit.current_username()


def _load(application_id: int) -> Application:
    app = db.session.get(Application, application_id)
    if app is None:
        raise InvalidInput(f"申报 {application_id} 不存在")
    return app


def _ensure_intake(app: Application, what: str) -> None:
    ensure_stage(Stage(app.cycle.stage), INTAKE_STAGES, what)


def _ensure_version(app: Application, expected_version) -> None:
    if expected_version not in (None, "") and int(expected_version) != app.version:
        raise StaleApplication()


def commit_decision() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleApplication() from None


def _review(app: Application, username: str | None, **values) -> EligibilityReview:
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
    _ensure_intake(app, "进行资格审查")
    if S(app.status) not in REVIEWABLE:
        raise WrongStanding(f"申报 {app.number} 状态为「{S(app.status).label}」，不能进行资格审查")


def run_review(application_id: int, username: str | None = None) -> EligibilityReview:
    """Compute and store the checklist of one application; its standing does not change."""
    app = _load(application_id)
    _check_reviewable(app)
    review = _review(app, username_or_current(username))
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
        app = _load(int(application_id))
        try:
            _check_reviewable(app)
            run.reviews.append(_review(app, username))
        except RuleViolation as exc:
            run.refused.append(f"{app.number}：{exc}")
    commit_decision()
    return run


def record_judgement(
    application_id: int, rule: str, status: str, note: str, username: str | None = None
) -> EligibilityReview:
    """The Office ticks a condition that needs judgement, with its note (M-3); re-reviews."""
    app = _load(application_id)
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
    review = _review(app, username)
    commit_decision()
    return review


def _reset_confirmation(cycle: AwardCycle, username: str | None, why: str) -> bool:
    """A changed outcome voids the Committee's confirmation of the list: it must confirm again."""
    if cycle.eligibility_confirmed_at is None:
        return False
    cycle.eligibility_confirmed_at = None
    cycle.eligibility_confirmed_by = None
    cycle.eligibility_confirmation_note = None
    audit.record(
        "eligibility_confirmation_voided",
        cycle,
        f"{cycle.name}资格审查合格名单的确认失效，须由委员会重新确认",
        reason=why,
        cycle_id=cycle.id,
        username=username,
    )
    return True


def _parse_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(f"日期 {value} 格式无效，应为 YYYY-MM-DD") from None


def record_outcome(
    application_id: int,
    outcome: str,
    *,
    reasons: str | None = None,
    missing_items: str | None = None,
    supplement_deadline=None,
    expected_version=None,
    today: date | None = None,
    username: str | None = None,
) -> EligibilityReview:
    """M-19.1: eligible, or returned as incomplete, not meeting conditions, or falsified."""
    today = today or date.today()
    username = username_or_current(username)
    app = _load(application_id)
    _ensure_intake(app, "作出资格审查结论")
    _ensure_version(app, expected_version)
    try:
        result = S(outcome)
    except ValueError:
        result = None
    if result not in OUTCOMES:
        raise InvalidInput(
            f"资格审查结论 {outcome} 无效，应为：合格、退回补正、不符合条件或弄虚作假"
        )
    if S(app.status) not in DECIDABLE:
        raise WrongStanding(
            f"申报 {app.number} 状态为「{S(app.status).label}」，不能再作出资格审查结论"
        )
    reasons, missing_items = (reasons or "").strip(), (missing_items or "").strip()
    checklist = compute(app)
    deadline = None
    if result is S.ELIGIBLE:
        if not checklist.passed:
            lines = "；".join(
                f"{i.rule} {i.title}（{i.status.label}）"
                for i in checklist.items
                if i.status is not CheckStatus.PASS
            )
            raise NotAllConditionsMet(f"以下条件未全部符合，不能认定资格审查合格：{lines}")
    elif result is S.RETURNED_INCOMPLETE:
        if not missing_items:
            raise InvalidInput("退回补正须列明缺少或需补正的材料（M-19.1）")
        deadline = _parse_date(supplement_deadline) or today + timedelta(
            days=app.cycle.supplement_days
        )
        if deadline < today:
            raise InvalidInput(f"补正期限 {deadline.isoformat()} 不能早于今天")
    else:
        if result is S.RETURNED_INELIGIBLE and not reasons:
            reasons = "；".join(f"{i.rule} {i.title}：{i.evidence}" for i in checklist.failed_items)
        if not reasons:
            raise InvalidInput(f"「{result.label}」须写明理由（M-19.1、M-3）")
    review = _review(
        app,
        username,
        outcome=result.value,
        reasons=reasons or None,
        missing_items=missing_items or None,
        supplement_deadline=deadline,
    )
    previous = app.status
    app.status = result.value
    app.supplement_deadline = deadline
    app.office_note = reasons or missing_items or None
    summary = f"{app.number} 资格审查结论：{result.label}"
    if deadline:
        summary += f"，补正期限至 {deadline.isoformat()}"
    if result is S.RETURNED_FALSIFIED:
        summary += "；" + _ban_applicant(app, today, username).note
    audit.record(
        "eligibility_outcome",
        app,
        summary,
        reason=reasons or missing_items,
        details={"outcome": result.value, "previous": previous, "review_id": review.id},
        cycle_id=app.cycle_id,
        application_id=app.id,
        username=username,
    )
    _reset_confirmation(app.cycle, username, f"{app.number} 的资格审查结论改为「{result.label}」")
    commit_decision()
    return review


def _ban_applicant(app: Application, today: date, username: str | None) -> Ban:
    """M-19.1: a falsified application bars the applicant for the rest of that year."""
    spec = ban_for_falsification(today)
    ban = Ban(
        reason=spec.reason.value,
        starts_on=spec.starts_on,
        ends_on=spec.ends_on,
        organization_id=app.organization_id,
        individual_id=app.individual_id,
        application_id=app.id,
        note=f"{app.number}：{spec.describe()}",
    )
    db.session.add(ban)
    db.session.flush()
    return ban


def record_supplement(
    application_id: int,
    note: str | None = None,
    *,
    expected_version=None,
    today: date | None = None,
    username: str | None = None,
) -> Application:
    """The applicant supplemented in time: back to submitted for a new review (M-19.1)."""
    today = today or date.today()
    username = username_or_current(username)
    app = _load(application_id)
    _ensure_intake(app, "受理补正材料")
    _ensure_version(app, expected_version)
    if S(app.status) is not S.RETURNED_INCOMPLETE:
        raise WrongStanding(
            f"申报 {app.number} 状态为「{S(app.status).label}」，只有退回补正的申报才能补正后重新提交"
        )
    deadline = app.supplement_deadline
    if deadline is not None and today > deadline:
        raise SupplementTooLate(
            f"申报 {app.number} 的补正期限为{zh_date(deadline)}，{zh_date(today)}已过期，不能补正"
        )
    app.status = S.SUBMITTED.value
    app.supplement_deadline = None
    app.office_note = (note or "").strip() or None
    audit.record(
        "eligibility_supplement",
        app,
        f"{app.number} 补正后重新提交（补正期限 {deadline.isoformat() if deadline else '未设'}）",
        reason=app.office_note,
        details={"supplement_deadline": deadline.isoformat() if deadline else None},
        cycle_id=app.cycle_id,
        application_id=app.id,
        username=username,
    )
    _reset_confirmation(app.cycle, username, f"{app.number} 补正后重新提交")
    commit_decision()
    return app


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
