"""E-mail delivery of in-app notices through Flask-Mailman: sent once, or failed and retried."""

import os
import smtplib
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_mailman import EmailMessage, Mail
from sqlalchemy import select, update

from app.extensions import db
from models import Notification
from models.base import utcnow

PENDING, SENT, FAILED, DISABLED, INVALID = "pending", "sent", "failed", "disabled", "invalid"
RETRIED = (PENDING, FAILED)  # what a run (re)tries to send
STATUS_LABELS = {
    PENDING: "待发送",
    SENT: "已发送",
    FAILED: "发送失败，下次运行时重试",
    DISABLED: "已关闭邮件通知",
    INVALID: "邮箱地址无效",
}
DEFAULT_BASE_URL = "http://127.0.0.1:5000"
DEFAULT_TIMEOUT = 10  # seconds: an unreachable server must not hold the daily run for long
# Kinds whose detail (a reopening reason written by the Office) stays in the app: the e-mail
# carries the first line and the link, never free text that could quote scores.
DETAIL_IN_APP_ONLY = {"reopened"}

# Errors that concern one message (its recipient, sender or content refused); any other
# OSError (smtplib's errors are OSErrors) leaves the server no use for the rest of the run:
# down, timing out, disconnecting, refusing TLS or the login.
_MESSAGE_REFUSED = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
)


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def base_url() -> str:
    """Where users reach the app: APP_BASE_URL from the configuration or the environment."""
    configured_url = current_app.config.get("APP_BASE_URL") or os.environ.get("APP_BASE_URL")
    return (configured_url or DEFAULT_BASE_URL).rstrip("/")


def absolute(link: str | None) -> str:
    """The screen's address for an e-mail (APP_BASE_URL + the stored path)."""
    path = link or "/notificationview/list/"
    return path if "://" in path else f"{base_url()}{path}"


def valid_address(address: str | None) -> bool:
    if not address:
        return False
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def subject_of(notice: Notification) -> str:
    return f"【{current_app.config.get('APP_NAME', '质量奖评定管理系统')}】{notice.title}"


def text_of(notice: Notification) -> str:
    body = notice.body
    if notice.kind in DETAIL_IN_APP_ONLY:
        body = body.splitlines()[0] + "\n详细内容请登录系统查看。"
    return (
        "您好：\n\n"
        f"{body}\n\n"
        f"查看详情（需登录，按您的权限显示）：\n{absolute(notice.link)}\n\n"
        "——\n"
        f"此邮件由{current_app.config.get('APP_NAME', '质量奖评定管理系统')}自动发送，请勿直接回复。\n"
        "如不希望接收邮件通知，可登录系统，在“我的通知 → 通知设置”中关闭。\n"
    )


def _mailman():
    """Flask-Mailman's state from the current configuration (read at each run, so a changed
    MAIL_* setting applies); SMTP unless MAIL_BACKEND names another backend."""
    config = dict(current_app.config)
    config["MAIL_TIMEOUT"] = config.get("MAIL_TIMEOUT") or int(
        os.environ.get("MAIL_TIMEOUT") or DEFAULT_TIMEOUT
    )
    if not config.get("MAIL_BACKEND"):
        config["MAIL_BACKEND"] = "smtp"
    state = Mail.init_mail(config, current_app.testing)
    current_app.extensions["mailman"] = state
    return state


def _claim(notice_id: int, attempts: int) -> bool:
    """Count the attempt before sending; a concurrent run that claimed it first wins."""
    done = db.session.execute(
        update(Notification)
        .where(
            Notification.id == notice_id,
            Notification.email_attempts == attempts,
            Notification.email_status.in_(RETRIED),
        )
        .values(email_attempts=attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return done.rowcount == 1


def _mark(notice_id: int, status: str, error: str | None = None) -> None:
    values = {"email_status": status, "email_error": error}
    if status == SENT:
        values["emailed_at"] = utcnow()
    db.session.execute(
        update(Notification)
        .where(Notification.id == notice_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def deliver() -> Delivery:
    """Send every notice still to send (pending, or failed on an earlier run), one message per
    notice to its user's address; each outcome is committed at once, so nothing is sent twice."""
    out = Delivery()
    if not configured():
        return out
    state = _mailman()
    rows = db.session.execute(
        select(Notification.id, Notification.email_attempts)
        .where(Notification.email_status.in_(RETRIED))
        .order_by(Notification.id)
    ).all()
    backend, down = None, None
    try:
        for notice_id, attempts in rows:
            if not _claim(notice_id, attempts):
                continue
            if down is not None:
                _mark(notice_id, FAILED, down)
                out.failed += 1
                continue
            notice = db.session.get(Notification, notice_id)
            address = notice.user.email if notice.user else None
            if not valid_address(address):
                _mark(notice_id, INVALID, "邮箱地址无效")
                continue
            try:
                if backend is None:
                    backend = state.get_connection()
                    backend.open()
                message = EmailMessage(
                    subject_of(notice), text_of(notice), state.default_sender, [address]
                )
                backend.send_messages([message])
            except _MESSAGE_REFUSED as exc:
                error = f"邮件服务器拒收：{_describe(exc)}"
                _mark(notice_id, FAILED, error)
                out.failed += 1
                out.errors.append(error)
            except OSError as exc:
                down = f"邮件服务器不可用：{_describe(exc)}"
                _mark(notice_id, FAILED, down)
                out.failed += 1
                out.errors.append(down)
                backend = _close(backend)
            else:
                _mark(notice_id, SENT)
                out.sent += 1
    finally:
        _close(backend)
    return out


def _close(backend):
    if backend is not None:
        try:
            backend.close()
        except OSError:
            pass  # the connection is gone either way; the outcome is already recorded
    return None
