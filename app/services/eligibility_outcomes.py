"""Eligibility outcomes (M-19.1): eligible, or returned as incomplete, not meeting conditions
or falsified, with who, when and why; a falsification bars the applicant for the year; a
supplement in time sends the application back for a new review. A changed outcome voids the
Committee's confirmation of the eligible list."""

from datetime import date, timedelta

from app.domain.bans import ban_for_falsification
from app.domain.dates import parse_date
from app.domain.enums import CheckStatus
from app.domain.errors import InvalidInput, RuleViolation
from app.domain.stages import zh_date
from app.extensions import db
from app.services import audit
from app.services.applicant_notices import notify_outcome
from app.services.eligibility import (
    DECIDABLE,
    OUTCOMES,
    S,
    WrongStanding,
    add_review,
    commit_decision,
    ensure_intake,
    ensure_version,
    load_application,
    username_or_current,
)
from app.services.eligibility_facts import compute
from app.services.recommendation_online import ensure_ready_for_eligibility
from models import Application, AwardCycle, Ban, EligibilityReview


class NotAllConditionsMet(RuleViolation):
    rule = "M-19.1"
    default_message = "资格条件未全部符合，不能认定资格审查合格"


class SupplementTooLate(RuleViolation):
    rule = "M-19.1"
    default_message = "补正期限已过，不能再补正"


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
    return parse_date(value)


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
    sections: list[str] | None = None,
) -> EligibilityReview:
    """M-19.1: eligible, or returned as incomplete, not meeting conditions, or falsified."""
    today = today or date.today()
    username = username_or_current(username)
    app = load_application(application_id)
    ensure_intake(app, "作出资格审查结论")
    ensure_version(app, expected_version)
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
        # M-18: and the signed recommendation and the two paper copies are there.
        ensure_ready_for_eligibility(app)
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
    review = add_review(
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
    # Issue 18: the parts of the online form the applicant may edit to supplement (none named:
    # every part), and the applicant's notice with the items, the deadline or the ground.
    app.supplement_sections = _sections(sections) if deadline else None
    notify_outcome(app, result, review.id)
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


def _sections(sections) -> list[str] | None:
    from app.domain.applicant_portal import SECTIONS

    chosen = [s for s in (sections or []) if s]
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        raise InvalidInput(f"未知的申报表部分：{'、'.join(unknown)}")
    return chosen or None


def _ban_applicant(app: Application, today: date, username: str | None) -> Ban:
    """M-19.1: a falsified application bars the applicant from the rest of that cycle."""
    spec = ban_for_falsification(today, app.cycle.year)
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
    app = load_application(application_id)
    ensure_intake(app, "受理补正材料")
    ensure_version(app, expected_version)
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
