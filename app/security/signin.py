"""The steps of signing in, shared by the form, the API login, the token refresh and the second
factor: the guard's limits, the password, the event records, then what the user must do
before anything else (second factor, a new password)."""

import time
from dataclasses import dataclass

import pyotp
from flask import current_app, session
from flask_login import login_user

from app.services import credentials, security_events

from .login_guard import LoginGuard, Refusal

SEEN_KEY = "award_seen"
PENDING_KEY = "award_2fa_user"
NEXT_KEY = "award_2fa_next"


@dataclass
class Attempt:
    user: object | None = None
    refusal: Refusal | None = None


def _address() -> str:
    return security_events.client_address() or "-"


def attempt(username: str, password: str) -> Attempt:
    """Guard, then the password. A failure is counted and recorded; the refusal says why."""
    refusal = guarded(username)
    if refusal:
        return Attempt(refusal=refusal)
    user = current_app.appbuilder.sm.auth_user_db(username, password)
    if user:
        return Attempt(user=user)
    return Attempt(refusal=failed(username, "login_failed", "用户名或密码错误"))


def guarded(username: str | None) -> Refusal | None:
    """The guard's limits before any sign-in or token refresh; a refusal is recorded."""
    refusal = LoginGuard.for_app().check(username, _address())
    if refusal:
        security_events.record("refused", username, "拒绝", refusal.message)
    return refusal


def failed(username: str, kind: str, what: str) -> Refusal:
    guard = LoginGuard.for_app()
    lock = guard.failed(username, _address())
    security_events.record(kind, username, "失败", what)
    if lock:
        security_events.record("lockout", username, "锁定", lock.message)
        return lock
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    return Refusal(
        401,
        f"{what}；连续失败 {limit} 次将锁定账户，还可尝试 {guard.remaining(username)} 次（身份鉴别）",
        kind,
    )


def needs_second_factor(user) -> str | None:
    """'verify' when the user has a second factor, 'enrol' when one is required but missing."""
    state = credentials.find_state(user)
    if state is not None and state.totp_enabled and state.totp_secret:
        return "verify"
    if current_app.config.get("REQUIRE_2FA") and holds_privileged_role(user):
        return "enrol"
    return None


def holds_privileged_role(user) -> bool:
    wanted = set(current_app.config.get("TWO_FACTOR_ROLES", ("Admin", "Office")))
    return any(role.name in wanted for role in user.roles)


def totp_ok(user, code: str | None) -> bool:
    state = credentials.find_state(user)
    if state is None or not (state.totp_secret and code):
        return False
    return pyotp.TOTP(state.totp_secret).verify(code.strip(), valid_window=1)


def complete(user, how: str) -> None:
    """The user is who they claim: the failure count resets and the login is recorded."""
    LoginGuard.for_app().succeeded(user.username)
    security_events.record("login", user.username, "成功", how, user_id=user.id)


def open_session(user) -> None:
    session.pop(PENDING_KEY, None)
    login_user(user, remember=False)
    session[SEEN_KEY] = int(time.time())
