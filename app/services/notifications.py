"""The notices kept once each (a unique key per user and occasion, so `remind` may run any
number of times), their e-mail triage and delivery, and the inbox's reads and preferences."""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.security.roles import OFFICE
from app.services import mailer
from app.services.reminders import INBOX, Item, Notice, due_notices, screen, to_each
from models import Notification, User, UserPreference
from models.base import utcnow


@dataclass
class RemindResult:
    created: list[Notification] = field(default_factory=list)
    disabled: int = 0
    invalid_users: list[str] = field(default_factory=list)
    delivery: mailer.Delivery = field(default_factory=mailer.Delivery)


def _existing_keys(keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(
            db.session.scalars(
                select(Notification.dedupe_key).where(Notification.dedupe_key.in_(chunk))
            )
        )
    return found


def create_missing(notices: list[Notice]) -> list[Notification]:
    """Store the notices not stored yet; a concurrent run's rows are left as they are."""
    for _attempt in range(3):
        wanted = {n.key: n for n in notices}
        stored = _existing_keys(list(wanted))
        missing = [n for key, n in wanted.items() if key not in stored]
        rows = [
            Notification(
                user_id=n.user_id,
                kind=n.kind,
                dedupe_key=n.key,
                title=n.title[:200],
                body=n.body,
                link=n.link,
                email_status=mailer.PENDING,
                email_attempts=0,
            )
            for n in missing
        ]
        db.session.add_all(rows)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # another run stored some of them first: look again
            continue
        return rows
    raise RuntimeError("通知生成与并发运行冲突，请稍后重试")


# --- e-mail triage: off for the user, or no valid address (reported to the Office) --------
def email_enabled(user_id: int) -> bool:
    enabled = db.session.scalar(
        select(UserPreference.email_enabled).where(UserPreference.user_id == user_id)
    )
    return enabled is not False


def set_email_enabled(user_id: int, enabled: bool) -> UserPreference:
    pref = db.session.scalar(select(UserPreference).where(UserPreference.user_id == user_id))
    if pref is None:
        pref = UserPreference(user_id=user_id)
        db.session.add(pref)
    pref.email_enabled = bool(enabled)
    db.session.commit()
    return pref


def _bad_address_items(user: User) -> list[Item]:
    # A new bad address is reported again; the same one once.
    digest = hashlib.sha1((user.email or "").encode(), usedforsecurity=False).hexdigest()[:10]
    name = f"{user.first_name or ''}{user.last_name or ''}".strip() or user.username
    return [
        Item(
            "invalid_email",
            f"invalid-email:{user.id}:{digest}",
            "邮箱地址无效",
            f"用户 {user.username}（{name}）的邮箱地址「{user.email or '（空）'}」无效，"
            "系统通知无法通过电子邮件送达（仍可在系统内查看）。请由系统管理员更正该用户的邮箱地址。",
            screen(INBOX),
        )
    ]


def triage(result: RemindResult) -> None:
    """Before sending: notices of users who turned e-mail off become `disabled`; of users
    without a valid address `invalid`, and each such user is reported to the Office once."""
    for _round in range(3):  # a report to an Office user with a bad address is triaged too
        rows = db.session.execute(
            select(Notification.id, Notification.user_id)
            .where(Notification.email_status.in_(mailer.RETRIED))
            .order_by(Notification.id)
        ).all()
        by_user: dict[int, list[int]] = {}
        for notice_id, user_id in rows:
            by_user.setdefault(user_id, []).append(notice_id)
        reports: list[Notice] = []
        for user_id, ids in by_user.items():
            user = db.session.get(User, user_id)
            if not email_enabled(user_id):
                _set_status(ids, mailer.DISABLED, None)
                result.disabled += len(ids)
            elif not mailer.valid_address(user.email):
                _set_status(ids, mailer.INVALID, "邮箱地址无效，已报告市质评办")
                if user.username not in result.invalid_users:
                    result.invalid_users.append(user.username)
                reports += to_each(OFFICE, _bad_address_items(user))
        db.session.commit()
        new = create_missing(reports)
        result.created += new
        if not new:
            return


def _set_status(ids: list[int], status: str, error: str | None) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.id.in_(ids))
        .values(email_status=status, email_error=error)
        .execution_options(synchronize_session=False)
    )


def remind(today: date) -> RemindResult:
    """The daily run: store the notices now due, then e-mail what is still to send."""
    result = RemindResult()
    result.created = create_missing(due_notices(today))
    if mailer.configured():
        triage(result)
        result.delivery = mailer.deliver()
    return result


# --- the inbox ----------------------------------------------------------------------------
def unread_count(user_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        or 0
    )


def mark_read(user_id: int, ids: list[int]) -> int:
    """Mark the user's own notices read; another user's ids change nothing."""
    if not ids:
        return 0
    done = db.session.execute(
        update(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.id.in_(ids),
            Notification.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return done.rowcount
