"""After the award: annual follow-up reports (M-27), revocation cases and recoveries (M-26),
and the five-year ban that follows a revocation (M-28)."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import joinedload

from app.domain import followups as fu
from app.domain import revocation as rv
from app.domain.bans import ban_for_revocation
from app.domain.enums import BanReason, FollowUpStatus, RevocationGround, RevocationStatus
from app.domain.errors import InvalidInput, RuleViolation
from app.extensions import db
from app.services.audit import current_username, record
from models import Award, Ban, FollowUpReport, PrizePayment, Recovery, RevocationCase
from models.base import utcnow

S, C = FollowUpStatus, RevocationStatus
OWED = (S.DUE.value, S.SENT_BACK.value)  # a report still owed by the winner
PENDING_CASE = (C.OPEN.value, C.VERIFIED.value, C.REVIEWED.value)
STEPS = ("verify", "review", "approve", "dismiss")
_FIGURES = ("revenue", "profit", "quality_results", "improvement_goals", "experience_shared")
_FLAGS = ("accidents_declared", "failed_sampling_declared", "penalties_declared")


class ReportNotReceived(RuleViolation):
    rule = "M-27"
    default_message = "只有已收到、待审核的年度报告才能审核"


class AwardAlreadyRevoked(RuleViolation):
    rule = "M-26"
    default_message = "该奖项已被撤销"


class DuplicateCase(RuleViolation):
    rule = "M-26"
    default_message = "该奖项已有同一事由的撤销案件正在办理"


def _ids(award: Award) -> dict:
    return {"cycle_id": award.cycle_id, "application_id": award.application_id}


def _label(award: Award) -> str:
    return f"{award.certificate_no} {award.application.applicant_name}"


# --- follow-up reports (M-27) ------------------------------------------------------------
def create_due_reports(today: date) -> list[FollowUpReport]:
    """Create the reports due by now for every award not revoked; running it twice adds nothing."""
    awards = db.session.scalars(
        select(Award).where(Award.revoked.is_(False)).order_by(Award.id)
    ).all()
    existing = set(db.session.execute(select(FollowUpReport.award_id, FollowUpReport.report_year)))
    created = []
    for award in awards:
        for year in fu.reports_due(award.awarded_on, today):
            if (award.id, year) not in existing:
                report = FollowUpReport(
                    award_id=award.id,
                    report_year=year,
                    due_on=fu.due_date(year),
                    status=S.DUE.value,
                )
                db.session.add(report)
                created.append(report)
    if created:
        db.session.flush()
        record(
            "create_follow_up_reports",
            None,
            f"生成年度报告待办 {len(created)} 份（M-27）",
            details={
                "today": today.isoformat(),
                "reports": [[r.award_id, r.report_year] for r in created],
            },
        )
    db.session.commit()
    return created


def overdue(today: date) -> list[FollowUpReport]:
    """Reports still owed after their due day, of awards that are not revoked."""
    rows = db.session.scalars(
        select(FollowUpReport)
        .join(Award, Award.id == FollowUpReport.award_id)
        .where(Award.revoked.is_(False), FollowUpReport.status.in_(OWED))
        .options(joinedload(FollowUpReport.award).joinedload(Award.application))
        .order_by(FollowUpReport.due_on, FollowUpReport.id)
    ).all()
    return [r for r in rows if fu.is_overdue(r.due_on, None, today)]


def validate_report(report: FollowUpReport, today: date | None = None) -> None:
    """The Office records a received report; a declared loss, accident, failed sampling or
    penalty opens a revocation case (M-26.2 to M-26.5)."""
    today = today or date.today()
    award = report.award or db.session.get(Award, report.award_id)
    fu.ensure_award_active(award.revoked)
    if report.status == S.ACCEPTED.value:
        raise RuleViolation("该年度报告已审核通过，不能再修改", rule="M-27")
    if report.received_on is None:
        filled = any(getattr(report, f) not in (None, "") for f in _FIGURES)
        if filled or any(getattr(report, f) for f in _FLAGS):
            raise InvalidInput("登记报告内容前请先填写报告收到日期（M-27）")
        return
    if report.received_on > today:
        raise InvalidInput("报告收到日期不能晚于今天")


def apply_report(report: FollowUpReport, today: date | None = None) -> None:
    """A received report is marked received; a declared loss, accident, failed sampling or
    penalty opens a revocation case (M-26.2 to M-26.5)."""
    today = today or date.today()
    if report.received_on is None or report.received_on > today:
        return
    if report.status in OWED:
        report.status = S.RECEIVED.value
    open_case_from_report(report, today)


def open_case_from_report(report: FollowUpReport, today: date) -> RevocationCase | None:
    """At most one case per report, on the first ground the report declares (M-27 decision)."""
    facts = fu.FollowUpFacts(
        loss=report.profit is not None and report.profit < 0,
        accidents_declared=bool(report.accidents_declared),
        failed_sampling_declared=bool(report.failed_sampling_declared),
        penalties_declared=bool(report.penalties_declared),
    )
    grounds = fu.revocation_triggers(facts)
    if not grounds or report.id is None:
        return None
    opened = db.session.scalar(
        select(RevocationCase.id).where(RevocationCase.follow_up_report_id == report.id).limit(1)
    )
    if opened is not None:
        return None
    declared = []
    if facts.loss:
        declared.append(f"利润 {report.profit} 元（亏损）")
    if facts.accidents_declared:
        declared.append("发生事故")
    if facts.failed_sampling_declared:
        declared.append("监督抽查不合格")
    if facts.penalties_declared:
        declared.append("受到行政处罚")
    award = report.award or db.session.get(Award, report.award_id)
    case = RevocationCase(
        award_id=award.id,
        ground=grounds[0].value,
        evidence=(
            f"{report.report_year}年度报告（{report.received_on} 收到）申报："
            f"{'；'.join(declared)}。由年度报告自动立案，待市质评办核实（M-27）。"
        ),
        status=C.OPEN.value,
        opened_on=today,
        opened_by=current_username(),
        follow_up_report_id=report.id,
    )
    db.session.add(case)
    db.session.flush()
    record(
        "open_revocation_case",
        case,
        f"{_label(award)} {report.report_year}年度报告申报{'、'.join(declared)}，自动立案审查",
        reason="、".join(g.label for g in grounds),
        details={"follow_up_report_id": report.id, "grounds": [g.value for g in grounds]},
        **_ids(award),
    )
    return case


def _owed_report(report_id: int) -> FollowUpReport:
    report = db.session.get(FollowUpReport, report_id)
    if report is None:
        raise InvalidInput("年度报告不存在")
    fu.ensure_award_active(report.award.revoked)
    if report.status != S.RECEIVED.value:
        raise ReportNotReceived(
            f"年度报告状态为「{S(report.status).label}」，只有已收到、待审核的报告才能审核"
        )
    return report


def accept_report(report_id: int, note: str | None = None, today: date | None = None):
    report = _owed_report(report_id)
    report.status = S.ACCEPTED.value
    report.reviewed_by = current_username()
    if (note or "").strip():
        report.review_note = note.strip()
    open_case_from_report(report, today or date.today())
    record(
        "accept_follow_up_report",
        report,
        f"{_label(report.award)} {report.report_year}年度报告审核通过",
        reason=note,
        **_ids(report.award),
    )
    db.session.commit()
    return report


def send_back_report(report_id: int, note: str | None) -> FollowUpReport:
    """Sent back for rework: the report is owed again (and overdue once past its due day)."""
    if not (note or "").strip():
        raise InvalidInput("退回修改须写明退回意见")
    report = _owed_report(report_id)
    first_received = report.received_on
    report.status = S.SENT_BACK.value
    report.received_on = None
    report.review_note = note.strip()
    report.reviewed_by = current_username()
    record(
        "send_back_follow_up_report",
        report,
        f"{_label(report.award)} {report.report_year}年度报告退回修改",
        reason=note.strip(),
        details={"received_on": first_received.isoformat() if first_received else None},
        **_ids(report.award),
    )
    db.session.commit()
    return report


# --- revocation (M-26) -------------------------------------------------------------------
def _ground(case: RevocationCase) -> RevocationGround | None:
    try:
        return RevocationGround(case.ground) if case.ground else None
    except ValueError:
        raise InvalidInput(f"未知的撤销事由：{case.ground}") from None


def validate_case(case: RevocationCase, adding: bool, today: date | None = None) -> None:
    """A case names a ground of M-26 and its evidence; a closed case is not edited."""
    today = today or date.today()
    rv.ensure_case_complete(_ground(case), case.evidence)
    if not adding:
        if case.status not in PENDING_CASE:
            raise rv.RevocationStepRefused(
                f"撤销案件已办结（{C(case.status).label}），证据不能再修改"
            )
        return
    award = case.award or db.session.get(Award, case.award_id)
    if award is None:
        raise InvalidInput("请选择获奖记录")
    if award.revoked:
        raise AwardAlreadyRevoked(f"{_label(award)} 已于 {award.revoked_on} 被撤销")
    same = db.session.scalar(
        select(RevocationCase.id).where(
            RevocationCase.award_id == award.id,
            RevocationCase.ground == case.ground,
            RevocationCase.status.in_(PENDING_CASE),
        )
    )
    if same is not None:
        raise DuplicateCase(
            f"该奖项已有同一事由的撤销案件（编号 {same}）正在办理，请在原案件中补充证据"
        )
    if (case.opened_on or today) > today:
        raise InvalidInput("立案日期不能晚于今天")


def apply_case(case: RevocationCase, adding: bool, today: date | None = None) -> None:
    """A new case opened by the signed-in user, with its audit entry (M-26)."""
    if not adding:
        return
    award = case.award or db.session.get(Award, case.award_id)
    case.opened_on = case.opened_on or today or date.today()
    case.award_id = award.id
    case.status = C.OPEN.value
    case.opened_by = current_username()
    db.session.add(case)
    db.session.flush()
    record(
        "open_revocation_case",
        case,
        f"{_label(award)} 立案审查是否撤销奖项",
        reason=_ground(case).label,
        **_ids(award),
    )


def _advance(status: RevocationStatus, action: str, roles: Iterable[str], document_no):
    """The new status and the role that may take the step; of several roles, the first that may."""
    refused = None
    for role in sorted(roles):
        try:
            return rv.advance_case(status, action, role, document_no), role
        except rv.RevocationStepRefused as exc:
            refused = refused or exc
    raise refused or rv.RevocationStepRefused("当前用户没有可办理撤销程序的角色")


def step_refusal(case: RevocationCase, action: str, roles: Iterable[str]) -> RuleViolation | None:
    """Why these roles may not take `action` on the case now, in the domain's words (or None)."""
    try:
        _advance(C(case.status), action, roles, "-")
    except RuleViolation as exc:
        return exc
    return None


def take_step(
    case_id: int,
    action: str,
    roles: Iterable[str],
    *,
    note: str | None = None,
    approved_on: date | None = None,
    document_no: str | None = None,
    today: date | None = None,
) -> RevocationCase:
    """Verify (Office), review (Committee), approve (the city, recorded by the Office) or dismiss."""
    today = today or date.today()
    case = db.session.get(RevocationCase, case_id)
    if case is None or action not in STEPS:
        raise InvalidInput("撤销案件或操作不存在")
    rv.ensure_case_complete(_ground(case), case.evidence)
    before = C(case.status)
    after, role = _advance(before, action, roles, document_no)
    note = (note or "").strip() or None
    username = current_username()
    award = case.award
    details: dict = {"from": before.value, "to": after.value, "role": role}
    if action == "dismiss" and note is None:
        raise InvalidInput("作出不予撤销决定须写明理由（M-3）")
    if action == "approve":
        details.update(_approve(case, award, approved_on, document_no.strip(), today))
    elif action == "verify":
        case.verified_at, case.verified_by, case.verification_note = utcnow(), username, note
    elif action == "review":
        case.reviewed_at, case.reviewed_by, case.review_note = utcnow(), username, note
    else:
        case.dismissed_reason = note
    case.status = after.value
    record(
        f"revocation_{action}",
        case,
        f"{_label(award)} 撤销案件：{rv.ACTION_ZH[action]}（{before.label} → {after.label}）",
        reason=note,
        details=details,
        **_ids(award),
    )
    db.session.commit()
    return case


def _approve(case, award: Award, approved_on: date | None, document_no: str, today: date) -> dict:
    """M-26: revoke, mark plaque, certificate and paid money for recovery, publish; M-28: ban."""
    if approved_on is None:
        raise InvalidInput("须填写市政府批准撤销的日期（M-26）")
    if approved_on > today:
        raise InvalidInput("市政府批准日期不能晚于今天")
    if award.revoked:
        raise AwardAlreadyRevoked(
            f"{_label(award)} 已于 {award.revoked_on} 被撤销，本案件请作不予撤销处理"
        )
    paid = db.session.scalar(
        select(func.coalesce(func.sum(PrizePayment.amount), 0)).where(
            PrizePayment.award_id == award.id
        )
    )
    award.revoked, award.revoked_on = True, approved_on
    case.approved_on, case.approval_document_no, case.published = approved_on, document_no, True
    for item, amount in rv.recovery_items(Decimal(paid)):
        db.session.add(
            Recovery(revocation_case_id=case.id, item=item, amount=amount or Decimal("0.00"))
        )
    ban = ban_for_revocation(approved_on)
    application = award.application
    db.session.add(
        Ban(
            reason=BanReason.REVOKED.value,
            starts_on=ban.starts_on,
            ends_on=ban.ends_on,
            organization_id=application.organization_id,
            individual_id=application.individual_id,
            revocation_case_id=case.id,
            note=f"{award.certificate_no} 撤销：{ban.describe()}",
        )
    )
    # Reports stop (M-27): placeholders never filled in are no longer owed.
    stopped = db.session.scalars(
        select(FollowUpReport).where(
            FollowUpReport.award_id == award.id,
            FollowUpReport.status == S.DUE.value,
            FollowUpReport.received_on.is_(None),
        )
    ).all()
    for report in stopped:
        db.session.delete(report)
    return {
        "approved_on": approved_on.isoformat(),
        "document_no": document_no,
        "recovered_money": str(paid),
        "ban_ends_on": ban.ends_on.isoformat(),
        "reports_stopped": [r.report_year for r in stopped],
    }


# --- recoveries (M-26) -------------------------------------------------------------------
def validate_recovery(recovery: Recovery, today: date | None = None) -> None:
    today = today or date.today()
    if recovery.recovered and recovery.recovered_on is None:
        raise InvalidInput("标记为已追回须填写追回日期（M-26）")
    if not recovery.recovered and recovery.recovered_on is not None:
        raise InvalidInput("尚未追回的，不应填写追回日期")
    case = recovery.case or db.session.get(RevocationCase, recovery.revocation_case_id)
    if recovery.recovered_on is not None:
        if recovery.recovered_on > today:
            raise InvalidInput("追回日期不能晚于今天")
        if case.approved_on and recovery.recovered_on < case.approved_on:
            raise InvalidInput(f"追回日期不能早于市政府批准撤销的日期 {case.approved_on}")


def apply_recovery(recovery: Recovery) -> None:
    """A changed recovery's audit entry (M-26), with its note as the reason."""
    case = recovery.case or db.session.get(RevocationCase, recovery.revocation_case_id)
    state = inspect(recovery)
    if state.persistent and (
        state.attrs.recovered.history.has_changes()
        or state.attrs.recovered_on.history.has_changes()
    ):
        award = case.award
        record(
            "record_recovery",
            recovery,
            f"{_label(award)} 追回{recovery.item}："
            + (f"已于 {recovery.recovered_on} 追回" if recovery.recovered else "改为未追回"),
            reason=recovery.note,
            **_ids(award),
        )


def mark_recovered(recovery_ids: Iterable[int], on: date) -> int:
    """Mark items recovered on `on`; those already recovered are left as they are."""
    marked = 0
    for rid in recovery_ids:
        recovery = db.session.get(Recovery, rid)
        if recovery is None or recovery.recovered:
            continue
        recovery.recovered, recovery.recovered_on = True, on
        validate_recovery(recovery, today=on)
        apply_recovery(recovery)
        marked += 1
    db.session.commit()
    return marked
