"""People as the screens and exports name them: a user's full name, never the login."""

import re

from flask import g, has_app_context

from app.extensions import db

_CJK = re.compile(r"[\u3400-\u9fff]")


def join_name(first: str | None, last: str | None) -> str:
    """A Chinese name is written without a space (王 + 丽 = 王丽); other names keep one."""
    first, last = (first or "").strip(), (last or "").strip()
    if _CJK.search(first + last):
        return first + last
    return " ".join(p for p in (first, last) if p)


def full_names() -> dict[str, str]:
    """Every account's full name by login, read once per request (or app context)."""
    cached = g.get("award_full_names") if has_app_context() else None
    if cached is None:
        from flask_appbuilder.security.sqla.models import User

        rows = db.session.query(User.username, User.first_name, User.last_name).all()
        cached = {u: join_name(f, la) or u for u, f, la in rows}
        if has_app_context():
            g.award_full_names = cached
    return cached


def name_of(username: str | None) -> str:
    """The full name of a login; the login itself when no account has it (a deleted account,
    the system's own jobs)."""
    if not username:
        return ""
    return full_names().get(username, username)
