"""The server's log (issue 20): one line per request on stderr with method, path, status,
duration, user id and request id; a WARNING for a slow request and for a refusal, naming its
rule; an ERROR with the traceback for a failure; LOG_LEVEL obeyed; no personal data."""

import logging
import re

import pytest

from app.domain.errors import RuleViolation
from app.request_log import LOGGER_NAME

LINE = re.compile(
    r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] \[\d+\] \[(?P<level>[A-Z]+)\] "
    r"(?P<logger>[\w.]+) request_id=(?P<rid>[\w.-]+): (?P<message>.*)$"
)


def request_lines(err: str) -> list[re.Match]:
    found = [LINE.match(line) for line in err.splitlines()]
    return [m for m in found if m and m["logger"] == LOGGER_NAME]


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    """A SQLite file with the tables and roles, for the apps these tests make themselves."""
    from app import create_app
    from app.extensions import db

    url = f"sqlite:///{tmp_path_factory.mktemp('log') / 'log.db'}"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.create_all()
        app.appbuilder.sm.sync_roles()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return url


@pytest.fixture(scope="module")
def small_app(small_db):
    """An app from the factory with three routes of its own: a screen refusal, an API refusal
    (both RuleViolation M-4, through the app's error handlers) and a failure."""
    from app import create_app
    from app.extensions import csrf

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=small_db, PROPAGATE_EXCEPTIONS=False)

    @app.route("/log-test/refuse", methods=["POST"])
    def refuse():
        raise RuleViolation("每届至多 2 个质量奖，张三 110101199003077777 不能再获奖", rule="M-4")

    @app.route("/api/log-test/refuse", methods=["POST"])
    @csrf.exempt  # as the app's JSON API
    def api_refuse():
        raise RuleViolation("每届至多 2 个质量奖", rule="M-4")

    @app.route("/log-test/fail")
    def fail():
        raise ZeroDivisionError("计算失败")

    return app


def test_each_request_is_one_line_with_method_path_status_duration_user_and_request_id(
    demo, browser, app, capsys
):
    office = browser("office")
    capsys.readouterr()
    saved = app.config["SLOW_REQUEST_MS"]
    app.config["SLOW_REQUEST_MS"] = 10**9  # this line is about the fields, not the duration
    try:
        resp = office.get("/applicationview/list/?_flt_0_name=王丽&id_number=110101199003077777")
    finally:
        app.config["SLOW_REQUEST_MS"] = saved
    assert resp.status_code == 200
    err = capsys.readouterr().err
    lines = request_lines(err)
    assert len(lines) == 1, err
    line = lines[0]
    with app.app_context():
        office_id = app.appbuilder.sm.find_user(username="office").id
    assert line["level"] == "INFO"
    assert re.fullmatch(
        rf"GET /applicationview/list/ 200 \d+ms user={office_id}", line["message"]
    ), line["message"]
    assert line["rid"] == resp.headers["X-Request-ID"]
    # No personal data: not the query string, the user's name or username, nor an ID number.
    for private in ("王丽", "office", "110101199003077777", "_flt_0_name", "?"):
        assert private not in line.group(0)


def test_a_request_id_given_by_the_proxy_is_kept_and_a_missing_one_is_made(small_app, capsys):
    client = small_app.test_client()
    given = client.get("/login/", headers={"X-Request-ID": "edge-42.a"})
    made = client.get("/login/")
    bad = client.get("/login/", headers={"X-Request-ID": "x y<forged>"})
    lines = request_lines(capsys.readouterr().err)
    assert given.headers["X-Request-ID"] == "edge-42.a"
    assert [m["rid"] for m in lines][0] == "edge-42.a"
    assert re.fullmatch(r"[0-9a-f]{16}", made.headers["X-Request-ID"])
    assert re.fullmatch(r"[0-9a-f]{16}", bad.headers["X-Request-ID"])
    assert [m["rid"] for m in lines] == [
        "edge-42.a",
        made.headers["X-Request-ID"],
        bad.headers["X-Request-ID"],
    ]
    assert all(m["message"].endswith("user=-") for m in lines)


def test_a_slow_request_is_a_warning_with_the_threshold_from_slow_request_ms(small_app, capsys):
    client = small_app.test_client()
    saved = small_app.config["SLOW_REQUEST_MS"]
    try:
        small_app.config["SLOW_REQUEST_MS"] = 10**9
        client.get("/login/")
        small_app.config["SLOW_REQUEST_MS"] = 0  # every request takes at least 0 ms
        client.get("/login/")
    finally:
        small_app.config["SLOW_REQUEST_MS"] = saved
    fast, slow = request_lines(capsys.readouterr().err)
    assert fast["level"] == "INFO" and "slow" not in fast["message"]
    assert slow["level"] == "WARNING" and slow["message"].endswith("slow>=0ms")


def test_a_refusal_is_a_warning_naming_its_rule_and_not_its_message_M_4(small_app, capsys):
    client = small_app.test_client()
    page = client.get("/login/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    screen = client.post("/log-test/refuse", data={"csrf_token": token})
    api = client.post("/api/log-test/refuse", json={})
    assert screen.status_code == 302 and api.status_code == 422
    refusals = request_lines(capsys.readouterr().err)[1:]
    assert [m["level"] for m in refusals] == ["WARNING", "WARNING"]
    assert re.fullmatch(r"POST /log-test/refuse 302 \d+ms user=- rule=M-4", refusals[0]["message"])
    assert re.fullmatch(
        r"POST /api/log-test/refuse 422 \d+ms user=- rule=M-4", refusals[1]["message"]
    )
    text = " ".join(m.group(0) for m in refusals)
    assert "张三" not in text and "110101199003077777" not in text and "至多" not in text


def test_a_failure_is_an_error_with_its_traceback_on_one_line_and_the_request_id(small_app, capsys):
    resp = small_app.test_client().get("/log-test/fail", headers={"X-Request-ID": "fail-1"})
    assert resp.status_code == 500
    err = capsys.readouterr().err
    records = [LINE.match(line) for line in err.splitlines() if "fail-1" in line]
    assert all(records) and len(records) == 2, err
    traceback, request = records
    assert traceback["level"] == "ERROR" and traceback["logger"] == small_app.logger.name
    assert "Traceback (most recent call last):" in traceback["message"]
    assert "ZeroDivisionError" in traceback["message"] and "\\n" in traceback["message"]
    assert request["level"] == "ERROR" and request["logger"] == LOGGER_NAME
    assert re.fullmatch(r"GET /log-test/fail 500 \d+ms user=-", request["message"])


def test_log_level_quietens_request_lines_and_a_wrong_level_stops_the_start(small_db, capsys):
    from app import create_app

    quiet = create_app("testing", SQLALCHEMY_DATABASE_URI=small_db, LOG_LEVEL="WARNING")
    assert quiet.test_client().get("/login/").status_code == 200
    assert request_lines(capsys.readouterr().err) == []
    with pytest.raises(RuntimeError, match="LOG_LEVEL"):
        create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://", LOG_LEVEL="LOUD")


def test_the_request_lines_are_the_apps_own_and_not_repeated_by_the_root_logger():
    log = logging.getLogger(LOGGER_NAME)
    assert log.propagate is False
    assert sum(getattr(h, "award_request_log", False) for h in log.handlers) == 1
