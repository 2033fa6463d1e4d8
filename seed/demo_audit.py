"""The demo's audit log (M-3): the decisions the demo tells of, chained like the live log."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.audit import GENESIS, entry_hash
from models import AuditEntry


def write_trail(session: Session, trail: list[dict]) -> int:
    """Append the noted entries in date order after the last entry there is; returns how many."""
    last = session.execute(
        select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).scalar_one_or_none()
    prev = last or GENESIS
    # sorted() is stable: entries of the same moment keep the order they were noted in.
    for noted in sorted(trail, key=lambda e: e["at"]):
        entry = AuditEntry(**noted, prev_hash=prev)
        entry.hash = entry_hash(
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
        session.add(entry)
        session.flush()  # ids in chain order
        prev = entry.hash
    count = len(trail)
    trail.clear()
    return count
