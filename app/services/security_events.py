"""Login history and security events (GB/T 22239-2019 安全审计): every login, failure, lockout,
logout, password change, role change and permission refusal, with who, when, address, result.

Each event is written on its own connection and committed at once, so a refused or failed
request (whose session is rolled back) still leaves its record."""

from datetime import timedelta

from flask import current_app, has_request_context, request
from sqlalchemy import delete, insert

from app.extensions import db
from models import SecurityEvent
from models.base import utcnow

KEEP_DAYS = 180

KINDS = {
    "login": "登录",
    "login_failed": "登录失败",
    "lockout": "账户锁定",
    "refused": "登录被拒绝",
    "logout": "退出登录",
    "idle_timeout": "空闲超时退出",
    "password_changed": "修改密码",
    "password_reset": "重置密码",
    "password_rejected": "密码不符合策略",
    "user_created": "创建用户",
    "role_changed": "角色变更",
    "permission_denied": "越权访问被拒绝",
    "totp_enrolled": "绑定动态口令",
    "totp_failed": "动态口令错误",
    "token_refresh": "刷新令牌",
    "unlock": "解锁账户",
}


def client_address() -> str | None:
    return request.remote_addr if has_request_context() else None


def _text(value: str | None, limit: int) -> str | None:
    """What an attacker typed (a name, a crafted path) stored as plain text: no NUL byte, which
    PostgreSQL refuses in text, and no longer than the column."""
    if not value:
        return None
    return value.replace("\x00", "\\x00")[:limit]


def record(
    kind: str,
    username: str | None,
    result: str,
    detail: str | None = None,
    user_id: int | None = None,
) -> None:
    values = {
        "at": utcnow(),
        "kind": kind,
        "username": _text(username, 100),
        "user_id": user_id,
        "address": _text(client_address(), 64),
        "result": result,
        "detail": _text(detail, 500),
    }
    with db.engine.begin() as conn:
        conn.execute(insert(SecurityEvent), [values])


class PurgeRefused(ValueError):
    pass


def purge(days: int | None = None) -> int:
    """Delete events older than `days` (at least the 180 days the records must be kept)."""
    keep = int(current_app.config.get("SECURITY_EVENT_KEEP_DAYS", KEEP_DAYS))
    days = keep if days is None else days
    if days < keep:
        raise PurgeRefused(
            f"安全事件记录至少保留 {keep} 天，不能清理 {days} 天以内的记录（安全审计）"
        )
    cutoff = utcnow() - timedelta(days=days)
    with db.engine.begin() as conn:
        return conn.execute(delete(SecurityEvent).where(SecurityEvent.at < cutoff)).rowcount
