"""A winner's annual follow-up report filed online (M-27) with its new quality goals (M-22)
and the experience it shared (M-23); and what an applicant may see of its own standing."""

from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from app.domain import applicant_portal as rules
from app.domain import followups as fu
from app.domain.enums import ApplicationStatus, FollowUpStatus, Stage
from app.domain.errors import InvalidInput, RuleViolation
from app.extensions import db
from app.services import aftercare, audit, online_application
from app.services.transactions import atomic
from models import Application, Award, FollowUpReport

S = FollowUpStatus
RESULT_PUBLIC_FROM = Stage.PUBLIC_NOTICE  # M-19.6: the names are public from the notice on


class GoalsMissing(RuleViolation):
    rule = "M-22"
    default_message = "年度报告须写明新的质量目标"


class ExperienceMissing(RuleViolation):
    rule = "M-23"
    default_message = "年度报告须写明本年度交流推广质量管理经验的情况"


class ReportNotOwed(RuleViolation):
    rule = "M-27"
    default_message = "该年度报告已提交，待市质评办审核，不能再修改"


def result_public(app: Application) -> bool:
    return Stage(app.cycle.stage).order >= RESULT_PUBLIC_FROM.order


def standing(app: Application) -> str:
    """The status the applicant sees: no ranking or proposal before the result is public."""
    return rules.status_for_applicant(ApplicationStatus(app.status), result_public(app))


def my_reports(user) -> list[FollowUpReport]:
    condition = online_application.my_ids_filter(user)
    return list(
        db.session.scalars(
            select(FollowUpReport)
            .join(Award, Award.id == FollowUpReport.award_id)
            .join(Application, Application.id == Award.application_id)
            .where(condition)
            .order_by(FollowUpReport.report_year.desc(), FollowUpReport.id)
        )
    )


def my_report(user, report_id) -> FollowUpReport:
    from app.services.uploads import as_id

    pk = as_id(report_id)
    found = [r for r in my_reports(user) if r.id == pk]
    if not found:
        raise rules.NotYourApplication()
    return found[0]


def _money(raw, label):
    raw = (raw or "").strip().replace(",", "")
    if not raw:
        return None
    try:
        value = Decimal(raw).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise InvalidInput(f"{label}应为金额（元）", fields={label: label}) from None
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        raise InvalidInput(f"{label}超出范围", fields={label: label})
    return value


@atomic
def submit_report(user, report_id, version, data: dict, today: date | None = None):
    """The winner files its report (M-27): figures, results, declarations, the new goals
    (M-22) and the experience shared (M-23); a declared loss, accident, failed sampling or
    penalty opens a revocation case, as when the Office records it (M-26)."""
    today = today or date.today()
    report = my_report(user, report_id)
    try:
        stale = int(version) != report.version
    except (TypeError, ValueError):
        stale = True
    if stale:
        from app.domain.errors import StaleRecord

        raise StaleRecord(version=report.version)
    fu.ensure_award_active(report.award.revoked)
    if report.status not in aftercare.OWED:
        raise ReportNotOwed(f"该年度报告状态为「{S(report.status).label}」，不能再修改")
    goals = (data.get("improvement_goals") or "").strip()
    shared = (data.get("experience_shared") or "").strip()
    if not goals:
        raise GoalsMissing(fields={"improvement_goals": "新的质量目标"})
    if not shared:
        raise ExperienceMissing(fields={"experience_shared": "经验交流"})
    report.revenue = _money(data.get("revenue"), "营业收入")
    report.profit = _money(data.get("profit"), "利润")
    report.quality_results = (data.get("quality_results") or "").strip()[:20000] or None
    report.improvement_goals = goals[:20000]
    report.experience_shared = shared[:20000]
    for flag in aftercare._FLAGS:
        setattr(report, flag, data.get(flag) in ("1", "y", "on", True))
    report.received_on = today
    aftercare.validate_report(report, today)
    aftercare.apply_report(report, today)
    audit.record(
        "follow_up_report_filed_online",
        report,
        f"{report.award.application.applicant_name}网上提交{report.report_year}年度报告（M-27）",
        cycle_id=report.award.cycle_id,
        application_id=report.award.application_id,
    )
    return report
