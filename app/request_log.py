"""The server's log: one line per request (method, path, status, duration, user id, request id),
at WARNING when the request was slow (SLOW_REQUEST_MS) or refused by a rule (its ID), ERROR with
the traceback when it failed. Lines go to stderr, one per record (a traceback's line breaks are
written as ``\\n``), in gunicorn's layout, so journald and gunicorn's error log take them as they
are. Level from LOG_LEVEL. No personal data: ids and rule IDs only, never names, ID numbers,
form fields or query strings.

Registered per app by the factory (`register_request_log`)."""

import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request, session

LOGGER_NAME = "award.request"
FORMAT = (
    "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s request_id=%(request_id)s: %(message)s"
)
DATEFMT = "%Y-%m-%d %H:%M:%S %z"
DEFAULT_SLOW_MS = 1000
# A rule ID as RuleViolation writes it at the end of its message: "…（M-19.5）".
RULE_ID = re.compile(r"（([A-Z]{1,3}-\d+(?:\.\d+)*)）")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_START = "award.request_start"


class _Stderr(logging.StreamHandler):
    """stderr as it is when a record is written (a test runner or gunicorn may swap it)."""

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


class _RequestId(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = (has_request_context() and g.get("request_id")) or "-"
        return True


class OneLineFormatter(logging.Formatter):
    def format(self, record):
        return super().format(record).replace("\r", "").replace("\n", "\\n")


def _handler() -> logging.Handler:
    handler = _Stderr()
    handler.setFormatter(OneLineFormatter(FORMAT, DATEFMT))
    handler.award_request_log = True
    return handler


def _level(app: Flask) -> int:
    name = str(app.config.get("LOG_LEVEL") or "INFO").upper()
    level = logging.getLevelName(name)
    if not isinstance(level, int):
        raise RuntimeError(
            f"LOG_LEVEL 无效：{name}（应为 DEBUG、INFO、WARNING、ERROR 或 CRITICAL）"
        )
    return level


def _install(logger: logging.Logger) -> None:
    if not any(getattr(h, "award_request_log", False) for h in logger.handlers):
        logger.addHandler(_handler())
    if not any(isinstance(f, _RequestId) for f in logger.filters):
        logger.addFilter(_RequestId())


def register_request_log(app: Flask) -> None:
    """Request lines on `award.request`; Flask's own error records (tracebacks) on the app's
    logger, in the same one-line layout and with the request id. The loggers are the process's;
    the level and the slow threshold are this app's (read from its config per request)."""
    from flask.logging import default_handler

    app.extensions["request_log"] = _level(app)  # refuses a bad LOG_LEVEL at start
    log = logging.getLogger(LOGGER_NAME)
    log.propagate = False  # its own stderr handler; no second copy through the root logger
    log.setLevel(logging.DEBUG)  # each app filters by its own LOG_LEVEL below
    _install(log)
    app.logger.removeHandler(default_handler)
    app.logger.setLevel(app.extensions["request_log"])
    _install(app.logger)

    @app.before_request
    def _start():
        request.environ[_START] = time.perf_counter()
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex[:16]
        request.environ["award.request_id"] = g.request_id

    @app.after_request
    def _line(response):
        request_id = g.get("request_id") or request.environ.get("award.request_id") or "-"
        response.headers.setdefault("X-Request-ID", request_id)
        start = request.environ.get(_START)
        ms = round((time.perf_counter() - start) * 1000) if start is not None else -1
        slow_ms = app.config.get("SLOW_REQUEST_MS")
        slow_ms = DEFAULT_SLOW_MS if slow_ms in (None, "") else int(slow_ms)
        rule = _refused_rule(response)
        slow = ms >= slow_ms
        fields = [
            request.method,
            request.path,  # never the query string: it may carry names or ID numbers
            str(response.status_code),
            f"{ms}ms",
            f"user={_user_id()}",
        ]
        if rule:
            fields.append(f"rule={rule}")
        if slow:
            fields.append(f"slow>={slow_ms}ms")
        if response.status_code >= 500:
            level = logging.ERROR
        elif rule or slow:
            level = logging.WARNING
        else:
            level = logging.INFO
        if level >= app.extensions["request_log"]:
            log.log(level, " ".join(fields), extra={"request_id": request_id})
        return response


def _user_id() -> str:
    user = g.get("user")
    if user is None:
        from flask_login import current_user

        user = current_user
    if user is None or not getattr(user, "is_authenticated", False):
        return "-"
    # The key the row was loaded with: no attribute load, so a user detached by an error
    # handler's rollback (a refused CSRF token, a database that went away) still logs.
    from sqlalchemy import inspect

    state = inspect(user, raiseerr=False)
    if state is not None and state.identity:
        return str(state.identity[0])
    return "-"


def _refused_rule(response) -> str | None:
    """The rule a refusal named: the API's JSON `rule`, or the rule ID in the message a screen
    flashed during this request (the message's text is not logged)."""
    if response.status_code >= 400 and response.is_json:
        body = response.get_json(silent=True)
        if isinstance(body, dict) and isinstance(body.get("rule"), str) and body["rule"]:
            return body["rule"]
    if not session.modified:  # nothing flashed during this request
        return None
    flashes = session.get("_flashes") or []
    if flashes:
        category, message = flashes[-1]
        if category in ("danger", "error", "warning"):
            found = RULE_ID.search(str(message))
            if found:
                return found.group(1)
    return None
