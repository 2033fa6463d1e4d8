"""One rate limit and lockout for every way in (form login, API login, token refresh).

Counters live in the `limits` storage that Flask-Limiter uses: Redis when `REDIS_URL` is set,
so that every worker sees the same counts, per-process memory otherwise. Per address: every
attempt counts against `LOGIN_RATE_LIMIT` (429), and `LOGIN_MAX_FAILURES_PER_ADDRESS`
failures lock the address. Per account: `LOGIN_MAX_FAILURES` failures lock the account for
`LOGIN_LOCK_MINUTES` (423), with the time it opens again in the message.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from limits import parse
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Refusal:
    """Why a sign-in is refused: HTTP status and the Chinese message shown to the user."""

    status: int
    message: str
    kind: str


def local_time(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


class LoginGuard:
    def __init__(self, app: Flask):
        uri = app.config.get("REDIS_URL") or "memory://"
        self.storage: Storage = storage_from_string(uri)
        self.window = FixedWindowRateLimiter(self.storage)

    @staticmethod
    def for_app(app: Flask | None = None) -> "LoginGuard":
        app = app or current_app._get_current_object()
        guard = app.extensions.get("award_login_guard")
        if guard is None:
            guard = app.extensions["award_login_guard"] = LoginGuard(app)
        return guard

    # keys -----------------------------------------------------------------------------
    @staticmethod
    def _key(*parts: str) -> str:
        prefix = current_app.config["LOGIN_GUARD_PREFIX"]
        return ":".join([prefix, *parts])

    @staticmethod
    def _account(username: str | None) -> str:
        return (username or "").strip().lower()[:100]

    def _lock_seconds(self) -> int:
        return max(1, int(current_app.config["LOGIN_LOCK_MINUTES"]) * 60)

    # checks ---------------------------------------------------------------------------
    def check(self, username: str | None, address: str) -> Refusal | None:
        """Before a sign-in: counts the attempt; refuses a locked account or address or a
        flood from one address."""
        limit = parse(current_app.config["LOGIN_RATE_LIMIT"])
        if not self.window.hit(limit, self._key("rate"), address):
            reset = self.window.get_window_stats(limit, self._key("rate"), address).reset_time
            return Refusal(
                429,
                f"登录尝试过于频繁，请于 {local_time(reset)} 后再试（同一地址每"
                f"{_per(limit)}最多 {limit.amount} 次）",
                "rate_limited",
            )
        return self.locked(username, address)

    def locked(self, username: str | None, address: str) -> Refusal | None:
        account = self._account(username)
        if account:
            key = self._key("lock", "user", account)
            if self.storage.get(key):
                return Refusal(
                    423,
                    f"账户 {account} 因连续 {current_app.config['LOGIN_MAX_FAILURES']} 次登录失败"
                    f"已被锁定，请于 {local_time(self.storage.get_expiry(key))} 后再试，"
                    "或请系统管理员解锁",
                    "locked",
                )
        key = self._key("lock", "addr", address)
        if self.storage.get(key):
            return Refusal(
                423,
                f"该地址登录失败次数过多，已被暂时禁止登录，请于 "
                f"{local_time(self.storage.get_expiry(key))} 后再试",
                "address_locked",
            )
        return None

    def failed(self, username: str | None, address: str) -> Refusal | None:
        """After a wrong password (or second factor): counts it; returns the lock when this
        failure reached the threshold."""
        config = current_app.config
        seconds = self._lock_seconds()
        account = self._account(username)
        refusal = None
        if account:
            count = self.storage.incr(self._key("fail", "user", account), seconds)
            if count >= int(config["LOGIN_MAX_FAILURES"]):
                self.storage.incr(self._key("lock", "user", account), seconds)
                self.storage.clear(self._key("fail", "user", account))
                refusal = self.locked(account, address)
        count = self.storage.incr(self._key("fail", "addr", address), seconds)
        if count >= int(config["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
            self.storage.incr(self._key("lock", "addr", address), seconds)
            self.storage.clear(self._key("fail", "addr", address))
            refusal = refusal or self.locked(None, address)
        return refusal

    def remaining(self, username: str | None) -> int:
        account = self._account(username)
        used = self.storage.get(self._key("fail", "user", account)) if account else 0
        return max(0, int(current_app.config["LOGIN_MAX_FAILURES"]) - int(used or 0))

    def succeeded(self, username: str | None) -> None:
        account = self._account(username)
        if account:
            self.storage.clear(self._key("fail", "user", account))

    def unlock(self, username: str) -> None:
        account = self._account(username)
        self.storage.clear(self._key("lock", "user", account))
        self.storage.clear(self._key("fail", "user", account))


def _per(limit) -> str:
    names = {"second": "秒", "minute": "分钟", "hour": "小时", "day": "天"}
    unit = names.get(limit.GRANULARITY.name, limit.GRANULARITY.name)
    return f" {limit.multiples} {unit}" if limit.multiples > 1 else unit
