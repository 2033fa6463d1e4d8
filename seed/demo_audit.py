"""The demo's audit log (M-3): the decisions the demo tells of, chained like the live log."""

from sqlalchemy.orm import Session

from app.services.audit import CLI, append


def write_trail(session: Session, trail: list[dict]) -> int:
    """Append the noted entries in date order after the last entry there is; returns how many."""
    # sorted() is stable: entries of the same moment keep the order they were noted in.
    for noted in sorted(trail, key=lambda e: e["at"]):
        append(session, **{"origin": CLI, **noted})
        session.flush()  # ids in chain order
    count = len(trail)
    trail.clear()
    return count
