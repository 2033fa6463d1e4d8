"""Checks on every request of a signed-in session (GB/T 22239-2019 身份鉴别, 安全审计):
the idle timeout, a password that must be changed first, a second factor that must be bound
first; and every refused permission (403) recorded as a security event."""

import time

from flask import current_app, flash, g, jsonify, redirect, request, session, url_for
from flask_login import current_user, logout_user

from app.services import credentials, security_events

from . import signin

# Pages a user who must first change the password or bind a second factor may still open.
OPEN_ENDPOINTS = {
    "static",
    "appbuilder.static",
    "AuthDBView.login",
    "AuthDBView.logout",
    "ResetMyPasswordView.this_form_get",
    "ResetMyPasswordView.this_form_post",
    "TwoFactorView.enrol",
    "TwoFactorView.verify",
}


def register(app) -> None:
    app.before_request(enforce_session)
    app.after_request(record_refusal)
    app.context_processor(lambda: {"session_idle_minutes": app.config["SESSION_IDLE_MINUTES"]})


def _leave(message: str):
    flash(message, "warning")
    if request.path.startswith("/api/"):
        return jsonify(message=message), 401
    return redirect(url_for("AuthDBView.login"))


def enforce_session():
    if request.endpoint in ("static", "appbuilder.static") or not current_user.is_authenticated:
        return None
    idle = int(current_app.config.get("SESSION_IDLE_MINUTES") or 0)
    now = int(time.time())
    seen = session.get(signin.SEEN_KEY)
    if idle and seen and now - int(seen) > idle * 60:
        user = current_user._get_current_object()
        logout_user()
        session.pop(signin.SEEN_KEY, None)
        security_events.record(
            "idle_timeout", user.username, "退出", f"空闲超过 {idle} 分钟", user_id=user.id
        )
        return _leave(
            f"您已超过 {idle} 分钟没有操作，为保护账户安全已自动退出，请重新登录（身份鉴别）"
        )
    if seen is None or now - int(seen) >= 15:
        session[signin.SEEN_KEY] = now
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    user = current_user._get_current_object()
    if signin.needs_second_factor(user) == "enrol":
        flash("系统要求本账户使用动态口令，请先完成绑定（身份鉴别）", "warning")
        return redirect(url_for("TwoFactorView.enrol"))
    reason = credentials.change_reason(credentials.find_state(user))
    if reason:
        flash(reason, "warning")
        return redirect(url_for("ResetMyPasswordView.this_form_get"))
    return None


def record_refusal(response):
    if response.status_code == 403:
        user = getattr(g, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            security_events.record(
                "permission_denied",
                user.username,
                "拒绝",
                f"{request.method} {request.full_path.rstrip('?')}"[:500],
                user_id=user.id,
            )
    return response
