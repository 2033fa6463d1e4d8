"""Notices to applicants (issue 18): a return for supplement with its items and deadline, a
refusal with its ground (M-19.1), follow-up reports due by the end of February (M-27)."""

from datetime import date

from flask import current_app
from sqlalchemy import select
from werkzeug.routing import BuildError

from app.domain.applicant_portal import AccountStatus
from app.domain.enums import ApplicationStatus, FollowUpStatus
from app.domain.stages import zh_date
from app.extensions import db
from app.services import mailer
from models import ApplicantAccount, Application, Award, FollowUpReport, Notification

S = ApplicationStatus
REMIND_FROM_MONTH = 1  # reports due by the end of February are reminded from January on


def user_ids_of(app: Application) -> list[int]:
    """The approved accounts of the application's applicant."""
    owner = (
        ApplicantAccount.organization_id == app.organization_id
        if app.organization_id
        else ApplicantAccount.individual_id == app.individual_id
    )
    return list(
        db.session.scalars(
            select(ApplicantAccount.user_id).where(
                owner, ApplicantAccount.status == AccountStatus.APPROVED.value
            )
        )
    )


def _link(endpoint: str, **values) -> str | None:
    try:
        adapter = current_app.url_map.bind("localhost")
        return adapter.build(endpoint, values)
    except BuildError:
        return None


def outcome_texts(app: Application, status: S) -> tuple[str, str] | None:
    """Title and body of the notice an eligibility outcome sends the applicant (M-19.1)."""
    number = app.number
    if status is S.RETURNED_INCOMPLETE:
        return (
            f"申报 {number} 被退回补正",
            f"市质评办要求补正：{app.office_note or ''}\n"
            f"请于{zh_date(app.supplement_deadline)}前在网上补正后重新提交；"
            "逾期未补正的，申报失效（M-19.1）。",
        )
    if status is S.RETURNED_INELIGIBLE:
        return (
            f"申报 {number} 不符合申报条件",
            f"资格审查结论：不符合申报条件。理由：{app.office_note or ''}（M-19.1）",
        )
    if status is S.RETURNED_FALSIFIED:
        return (
            f"申报 {number} 因弄虚作假被退回",
            f"资格审查认定申报材料弄虚作假：{app.office_note or ''}。"
            f"依照《办法》，本申报主体当年（{app.cycle.year}年度）不得再申报或补报（M-19.1）。",
        )
    return None


def notify_outcome(app: Application, status: S, review_id: int) -> int:
    """Adds the notices in the caller's transaction; the caller commits."""
    texts = outcome_texts(app, status)
    if texts is None:
        return 0
    title, body = texts
    link = _link("ApplicantPortalView.form", pk=app.id)
    users = user_ids_of(app)
    for uid in users:
        db.session.add(
            Notification(
                user_id=uid,
                kind="applicant_outcome",
                dedupe_key=f"applicant-outcome:{review_id}:u{uid}",
                title=title[:200],
                body=body,
                link=link,
                email_status=mailer.PENDING,
                email_attempts=0,
            )
        )
    return len(users)


def due(today: date) -> list:
    """For `award remind`: a returned application whose supplement deadline passed has lapsed
    (M-19.1); follow-up reports owed by the end of February (M-27)."""
    return [*_lapsed(today), *_reports_due(today)]


def _lapsed(today: date) -> list:
    from app.services.reminders import Notice

    rows = db.session.scalars(
        select(Application).where(
            Application.status == S.RETURNED_INCOMPLETE.value,
            Application.supplement_deadline < today,
        )
    )
    return [
        Notice(
            uid,
            "applicant_lapsed",
            f"applicant-lapsed:{app.id}:{app.supplement_deadline.isoformat()}:u{uid}",
            f"申报 {app.number} 逾期未补正，已失效",
            f"补正期限{zh_date(app.supplement_deadline)}已过，申报 {app.number} 已失效，"
            "不能再补正后重新提交（M-19.1）。",
            _link("ApplicantPortalView.form", pk=app.id),
        )
        for app in rows
        for uid in user_ids_of(app)
    ]


def _reports_due(today: date) -> list:
    from app.services.reminders import Notice

    if 2 < today.month < 12:
        return []
    rows = db.session.execute(
        select(FollowUpReport, Application)
        .join(Award, Award.id == FollowUpReport.award_id)
        .join(Application, Application.id == Award.application_id)
        .where(
            Award.revoked.is_(False),
            FollowUpReport.status.in_((FollowUpStatus.DUE.value, FollowUpStatus.SENT_BACK.value)),
        )
    ).all()
    notices = []
    for report, app in rows:
        if (report.due_on - today).days > 60:
            continue
        link = _link("ApplicantPortalView.report", pk=report.id)
        for uid in user_ids_of(app):
            notices.append(
                Notice(
                    uid,
                    "applicant_followup",
                    f"applicant-followup:{report.id}:{report.status}:u{uid}",
                    f"请于{zh_date(report.due_on)}前提交{report.report_year}年度报告",
                    f"获奖后须于每年2月底前报送上一年度报告，含新的质量目标（M-22）"
                    f"和经验交流情况（M-23）（M-27）。申报编号：{app.number}。",
                    link,
                )
            )
    return notices
