"""The audit log (M-3): who, when, what and why, each entry chained to the previous by hash."""

import hashlib
import json
from datetime import datetime

from flask import g, has_request_context
from sqlalchemy import select

from app.extensions import db
from models import AuditEntry
from models.base import utcnow

GENESIS = "0" * 64


def current_username() -> str | None:
    if has_request_context():
        user = getattr(g, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return user.username
    return getattr(g, "cli_user", None) if has_request_context() is False else None


def entry_hash(
    prev_hash: str, at: datetime, username, action, object_type, object_id, summary, reason, details
) -> str:
    payload = json.dumps(
        [
            prev_hash,
            at.isoformat(timespec="microseconds"),
            username,
            action,
            object_type,
            object_id,
            summary,
            reason,
            details,
        ],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    action: str,
    obj,
    summary: str,
    *,
    reason: str | None = None,
    details: dict | None = None,
    cycle_id=None,
    application_id=None,
    username: str | None = None,
) -> AuditEntry:
    """Append an entry in the caller's transaction; the caller commits."""
    # Serialize writers so two entries never chain to the same predecessor.
    last = db.session.execute(
        select(AuditEntry.id, AuditEntry.hash)
        .order_by(AuditEntry.id.desc())
        .limit(1)
        .with_for_update()
    ).first()
    prev = last.hash if last else GENESIS
    at = utcnow()
    username = username or current_username()
    object_type = type(obj).__name__ if obj is not None else "System"
    object_id = getattr(obj, "id", None)
    details = details or {}
    entry = AuditEntry(
        at=at,
        username=username,
        action=action,
        object_type=object_type,
        object_id=object_id,
        cycle_id=cycle_id,
        application_id=application_id,
        summary=summary,
        reason=reason,
        details=details,
        prev_hash=prev,
        hash=entry_hash(
            prev, at, username, action, object_type, object_id, summary, reason, details
        ),
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def verify_chain() -> tuple[int, AuditEntry | None]:
    """(entries checked, first broken entry or None)."""
    prev = GENESIS
    count = 0
    for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        count += 1
        expected = entry_hash(
            prev,
            entry.at,
            entry.username,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.summary,
            entry.reason,
            entry.details,
        )
        if entry.prev_hash != prev or entry.hash != expected:
            return count, entry
        prev = entry.hash
    return count, None
