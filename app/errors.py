"""Errors answered in the app, never by the server's bare page: rule violations become a
flashed message (screens) or a 422 with the rule ID (API); bad requests 400/404 with a Chinese
message; a database that is away 503 with `Retry-After` (issue 15, item 7).

The API's body is always `{"message", "rule", "fields"}`; screens get a page in the app's
layout (the public layout when the database is away, as the app's menu may need it)."""

import logging

from flask import flash, g, has_request_context, jsonify, redirect, render_template, request
from sqlalchemy import event
from sqlalchemy.exc import (
    DataError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from app import app_state
from app.domain.errors import RuleViolation

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
BAD_REQUEST_RULE = "请求格式"
DB_AWAY_RULE = "数据库不可用"
DB_AWAY_MESSAGE = "数据库暂时无法连接，操作未完成，请稍后重试（数据库不可用）"
SAVED_THEN_DB_AWAY = (
    "修改已保存；随后读取最新数据时数据库连接中断，请稍后刷新页面查看（数据库不可用）"
)
HTTP_MESSAGES = {
    400: "请求无效，未作任何修改",
    401: "请先登录",
    403: "没有权限执行此操作",
    404: "记录或地址不存在",
    405: "该地址不支持此方法",
    413: "请求内容过大，未作任何修改",
    429: "操作过于频繁，已暂时拒绝，未作任何修改",
    500: "服务器内部错误，操作未完成，数据未改变",
}
# What happened, in a few words (the page's heading), and what the user can do next.
HTTP_TITLES = {
    400: "请求无效",
    401: "需要登录",
    403: "没有权限",
    404: "页面或记录不存在",
    405: "不支持此操作方式",
    413: "提交的内容过大",
    423: "账户已锁定",
    429: "操作过于频繁",
    500: "系统内部错误",
    503: "系统暂时不可用",
}
HTTP_ADVICE = {
    400: "请刷新页面后重新填写并提交；如仍出现，请联系市质评办。",
    401: "请登录后再访问此页面。",
    403: "您的角色不能访问此页面或执行此操作；如确需办理，请联系系统管理员分配权限，"
    "或返回首页从菜单进入。",
    404: "请检查地址是否正确，或返回首页从菜单进入；记录可能已被删除，或不在您可见的范围内。",
    405: "请从页面上的按钮或链接操作，不要直接输入地址提交。",
    413: "请压缩或拆分文件后重新上传（单个文件大小上限见上传页面说明）。",
    429: "请稍等几分钟后再试。",
    500: "请稍后重试；如反复出现，请联系市质评办并告知出错的时间和页面。",
    503: "请稍后再试；如长时间无法使用，请联系系统管理员。",
}
# Errors meaning "the database is not reachable right now" (lost connection, server down or
# restarting, SQLite file locked or gone, pool exhausted): 503, try again later.
DB_AWAY = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)
COUNTERS_AWAY_MESSAGE = "登录计数服务暂时不可用，为安全起见暂停登录，请稍后再试"


def _counter_store_errors() -> tuple[type[BaseException], ...]:
    """Errors of the store that counts sign-in attempts across workers (Redis)."""
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # no redis package: counters are in memory
        return ()
    return (RedisConnectionError, RedisTimeoutError)


def is_api() -> bool:
    return request.path.startswith("/api/")


def error_body(message: str, rule: str | None = None, fields: dict | None = None) -> dict:
    """The API's one error body (app/api_errors.py): `rule` and `fields` are null where none
    applies, as the OpenAPI document says."""
    return {"message": message, "rule": rule or None, "fields": fields or None}


def safe_rollback() -> None:
    """Roll back and drop the request's session; on a dead connection this may itself fail,
    which must not turn the answer into the server's bare 500."""
    from app.extensions import db

    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is already gone; the pool replaces it
        log.warning("rollback failed; the session is discarded", exc_info=True)
    try:
        db.session.remove()
    except Exception:  # noqa: BLE001
        log.warning("closing the session failed; it is discarded", exc_info=True)
        discard_session()


def _rollback_keeping_user() -> None:
    """Roll back but keep the session, so the error page can still draw the user's menu; a
    rollback that fails drops the session (safe_rollback)."""
    from app.extensions import db

    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; drop the session instead
        safe_rollback()


def discard_session() -> None:
    """Drop the request's session whose close failed: its connections are invalidated (closed
    at the driver, never returned to the pool with a transaction open) and it is forgotten."""
    from app.extensions import db

    try:
        db.session().invalidate()
    except Exception:  # noqa: BLE001
        log.warning("invalidating the session's connection failed", exc_info=True)
    db.session.registry.clear()


def answer(status: int, message: str, rule: str | None = None, headers=None, fields=None):
    """The one shape of an error answer: JSON on the API, a page on screens."""
    if is_api():
        return jsonify(error_body(message, rule, fields)), status, headers or {}
    return screen_page(status, message, rule), status, headers or {}


def screen_page(status: int, message: str, rule: str | None = None) -> str:
    """A page in the app's layout (menu and user) where it can be drawn; the public layout when
    the database is away or drawing the menu fails."""
    text = f"{message}（{rule}）" if rule and rule not in message else message
    if status != 503:
        try:
            from flask import current_app

            appbuilder = current_app.appbuilder
            if not hasattr(g, "user"):
                # Refused before FAB's own before_request (a CSRF check): the menu needs it.
                from flask_login import current_user

                g.user = current_user
            return render_template(
                "award/error.html",
                base_template=appbuilder.base_template,
                appbuilder=appbuilder,
                status=status,
                heading=HTTP_TITLES.get(status, HTTP_TITLES[400]),
                message=text,
                advice=HTTP_ADVICE.get(status, HTTP_ADVICE[400]),
            )
        except Exception:  # noqa: BLE001 - fall back to the page that needs no database
            log.warning("the error page could not use the app's layout", exc_info=True)
            safe_rollback()
    return render_template(
        "public/error.html",
        heading=HTTP_TITLES.get(status, HTTP_TITLES[400]),
        message=text,
        advice=HTTP_ADVICE.get(status, HTTP_ADVICE[400]),
    )


COMMIT_LISTENER = "remember_commit"


def _remember_commit(session, *_args) -> None:
    """A request that changes data and has committed must not be answered as failed."""
    if (
        has_request_context()
        and app_state.listening(COMMIT_LISTENER)
        and request.method not in ("GET", "HEAD", "OPTIONS")
    ):
        g.award_committed = True


def register_error_handlers(app) -> None:
    from app import fab_seams
    from app.request_guards import register_request_guards

    register_request_guards(app)
    fab_seams.install(app)
    app_state.turn_on(app, COMMIT_LISTENER)
    if not event.contains(Session, "after_commit", _remember_commit):
        event.listen(Session, "after_commit", _remember_commit)

    @app.teardown_appcontext
    def close_session_quietly(_exc):
        # Runs before Flask-SQLAlchemy's own teardown (reverse order): a session whose
        # connection died is discarded here instead of raising out of the server (bare 500).
        # A transaction that only read is committed first (app/read_transactions.py).
        from app import read_transactions
        from app.extensions import db

        try:
            read_transactions.end(db.session())
            db.session.remove()
        except Exception:  # noqa: BLE001
            log.warning("closing the session after the request failed", exc_info=True)
            discard_session()

    @app.errorhandler(RuleViolation)
    def rule_violation(exc: RuleViolation):
        from app.extensions import db

        db.session.rollback()
        if request.path.startswith("/api/"):
            from app.api_errors import error_body

            body, status = error_body(exc)  # one body and status per kind (issue 15)
            return jsonify(body), status
        flash(str(exc), "danger")
        return redirect(request.referrer or "/")

    @app.errorhandler(DataError)
    def bad_value(exc):
        # A value the database cannot hold or compare (PostgreSQL says so): bad input.
        safe_rollback()
        return answer(400, "数值超出范围或格式无效，未作任何修改", BAD_REQUEST_RULE)

    def database_away(exc):
        committed = g.pop("award_committed", False)
        safe_rollback()
        log.warning("database unavailable: %s", str(exc).splitlines()[0][:200])
        if committed:
            # The change is stored; only what came after (a re-read, a page) failed.
            if is_api():
                return jsonify(error_body(SAVED_THEN_DB_AWAY, DB_AWAY_RULE) | {"saved": True}), 200
            flash(SAVED_THEN_DB_AWAY, "warning")
            return redirect(request.referrer or "/")
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        return answer(503, DB_AWAY_MESSAGE, DB_AWAY_RULE, headers)

    for cls in DB_AWAY:
        app.register_error_handler(cls, database_away)

    def counters_away(exc):
        # The sign-in counters' store (Redis, REDIS_URL) is away: refuse the sign-in rather
        # than let it through uncounted, and say so (GB/T 22239 身份鉴别).
        safe_rollback()
        log.warning("login counter store unavailable: %s", str(exc).splitlines()[0][:200])
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        return answer(503, COUNTERS_AWAY_MESSAGE, "身份鉴别", headers)

    for cls in _counter_store_errors():
        app.register_error_handler(cls, counters_away)

    @app.errorhandler(NotFound)
    def not_found(exc):
        return answer(404, HTTP_MESSAGES[404])

    @app.errorhandler(MethodNotAllowed)
    def method_not_allowed(exc):
        return answer(
            405, HTTP_MESSAGES[405], headers={"Allow": ", ".join(exc.valid_methods or [])}
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code is None or exc.code < 400 or exc.code >= 500:
            return exc
        message = HTTP_MESSAGES.get(exc.code, HTTP_MESSAGES[400])
        description = getattr(exc, "award_message", None)
        if description:
            message = description
        elif exc.code == 400 and "CSRF" in (exc.description or ""):
            message = "页面已过期或缺少安全令牌，请刷新页面后重试，未作任何修改"
        return answer(exc.code, message, getattr(exc, "award_rule", None))

    @app.errorhandler(500)
    def server_error(exc):
        original = getattr(exc, "original_exception", None)
        if isinstance(original, DB_AWAY):
            return database_away(original)
        _rollback_keeping_user()
        if g.pop("award_committed", False):
            message = "修改已保存，但生成回应时出错，请刷新页面查看"
            if is_api():
                return jsonify(error_body(message, None) | {"saved": True}), 200
            flash(message, "warning")
            return redirect(request.referrer or "/")
        return answer(500, HTTP_MESSAGES[500])


class BadRequest400(HTTPException):
    """A request refused as malformed, with its Chinese message and rule (400)."""

    code = 400

    def __init__(self, message: str, rule: str = BAD_REQUEST_RULE):
        super().__init__(message)
        self.award_message = message
        self.award_rule = rule


def refuse(message: str, rule: str = BAD_REQUEST_RULE, status: int = 400):
    exc = BadRequest400(message, rule)
    exc.code = status
    raise exc
