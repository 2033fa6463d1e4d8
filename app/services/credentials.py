"""Passwords and sign-in state of a user (GB/T 22239-2019 身份鉴别): the policy on every
change, the last five passwords, a password set by someone else must be changed at the next
sign-in, expiry after PASSWORD_MAX_AGE_DAYS, the second factor's secret."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.extensions import db
from app.security.passwords import check_password
from app.services.transactions import atomic
from models import PasswordHistory, UserSecurity
from models.base import utcnow

_UNLOADED = object()


def find_state(user) -> UserSecurity | None:
    """The user's state without writing: the one `load_user` brought, else one query."""
    state = getattr(user, "award_security", _UNLOADED)
    if state is _UNLOADED:
        state = db.session.get(UserSecurity, user.id)
    return state


def state_of(user_id: int) -> UserSecurity:
    """The user's state, created when missing (for a change; committed by the caller)."""
    state = db.session.get(UserSecurity, user_id)
    if state is None:
        state = UserSecurity(user_id=user_id, must_change_password=False, totp_enabled=False)
        db.session.add(state)
    return state


def hash_password(password: str) -> str:
    config = current_app.config
    return generate_password_hash(
        password=password,
        method=config.get("FAB_PASSWORD_HASH_METHOD", "scrypt"),
        salt_length=config.get("FAB_PASSWORD_HASH_SALT_LENGTH", 16),
    )


def recent_hashes(user) -> list[str]:
    keep = int(current_app.config.get("PASSWORD_HISTORY", 5))
    older = db.session.scalars(
        select(PasswordHistory.password_hash)
        .where(PasswordHistory.user_id == user.id)
        .order_by(PasswordHistory.id.desc())
        .limit(keep)
    ).all()
    return [user.password, *older][:keep] if user.password else list(older)


def validate_new_password(user, password: str) -> None:
    """Raises PasswordRejected naming the requirement the password misses."""
    check_password(password, user.username, recent_hashes(user))


def remember_password(user_id: int, hashed: str, *, must_change: bool) -> None:
    """Keeps the new hash in the history and the state (flushed, committed by the caller)."""
    db.session.add(PasswordHistory(user_id=user_id, password_hash=hashed, changed_at=utcnow()))
    state = state_of(user_id)
    state.must_change_password = must_change
    state.password_changed_at = utcnow()


@atomic
def remember_initial_password(user_id: int, hashed: str) -> None:
    """A user created on the accounts screen: the initial password in the history, to be
    changed at the first login; one commit (the screen no longer commits itself)."""
    remember_password(user_id, hashed, must_change=True)


def change_reason(state: UserSecurity | None) -> str | None:
    """Why the user must change the password before anything else, or None."""
    if state is None:
        return None
    if state.must_change_password:
        return "首次登录或密码已由管理员重置，请先修改密码（身份鉴别）"
    max_age = int(current_app.config.get("PASSWORD_MAX_AGE_DAYS") or 0)
    if max_age and state.password_changed_at is not None:
        if utcnow() - state.password_changed_at > timedelta(days=max_age):
            return f"密码已超过 {max_age} 天未修改，请先修改密码（身份鉴别）"
    return None


@atomic
def totp_secret_of(user_id: int, new_secret) -> str:
    """The user's authenticator secret, made (by `new_secret()`) and kept on first asking."""
    state = state_of(user_id)
    if not state.totp_secret:
        state.totp_secret = new_secret()
    return state.totp_secret


@atomic
def enable_totp(user_id: int) -> None:
    """The second factor is bound once the user has typed a code from it (身份鉴别)."""
    state_of(user_id).totp_enabled = True
