"""A database that goes away mid-request (issue 15, item 7): the answer is a 503 with
`Retry-After` and a Chinese message (JSON on the API, a page on screens), the session is rolled
back and its connection dropped, and the next request is served again without a restart.

A second app is pointed at the session's database and breaks it from inside a request: on
PostgreSQL by terminating its own connection's backend (`pg_terminate_backend` on the pid the
app's session reports, never another one); on SQLite by locking the file from another
connection (`database is locked`)."""

import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@pytest.fixture
def fragile(database_url, backend, app):
    """(app, break_next_request): an app on the session's database whose next request loses
    its database right after the request's first query."""
    from flask import g

    from app import create_app
    from app.extensions import db

    options = {"pool_pre_ping": True}
    if backend == "sqlite":
        options["connect_args"] = {"timeout": 0.1}
    fragile_app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=database_url,
        SQLALCHEMY_ENGINE_OPTIONS=options,
        UPLOAD_DIR=app.config["UPLOAD_DIR"],
    )
    state = {"break": False, "lock": None}
    admin = create_engine(database_url) if backend == "postgres" else None

    @fragile_app.before_request
    def lose_the_database():
        g.pop("_login_user", None)
        if not state["break"]:
            return
        state["break"] = False
        if backend == "postgres":
            pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
            with admin.begin() as conn:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        else:
            db.session.remove()
            db.engine.dispose()
            lock = sqlite3.connect(make_url(database_url).database, timeout=5)
            lock.execute("BEGIN EXCLUSIVE")
            state["lock"] = lock

    def break_next_request():
        state["break"] = True

    def mend():
        if state["lock"] is not None:
            state["lock"].rollback()
            state["lock"].close()
            state["lock"] = None

    yield fragile_app, break_next_request, mend
    mend()
    with fragile_app.app_context():
        db.engine.dispose()
    if admin is not None:
        admin.dispose()


def test_a_lost_database_answers_503_with_retry_after_and_the_app_recovers(db, fragile):
    fragile_app, break_next_request, mend = fragile
    client = fragile_app.test_client()
    login = {"username": "nobody", "password": "x", "provider": "db"}
    assert client.post("/api/v1/security/login", json=login).status_code == 401

    break_next_request()
    resp = client.post("/api/v1/security/login", json=login)
    assert resp.status_code == 503
    assert int(resp.headers["Retry-After"]) > 0
    body = resp.get_json()
    assert set(body) >= {"message", "rule", "fields"}
    assert "数据库" in body["message"] and "稍后重试" in body["message"]
    mend()
    assert client.post("/api/v1/security/login", json=login).status_code == 401

    break_next_request()
    resp = client.get("/public/")
    assert resp.status_code == 503
    assert resp.headers["Retry-After"]
    page = resp.get_data(as_text=True)
    assert "数据库暂时无法连接" in page and "伊宁市政府质量奖" in page
    mend()
    assert client.get("/public/").status_code == 200  # no restart


def test_the_engine_checks_a_pooled_connection_before_using_it(app):
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True


def test_an_error_closing_the_session_after_the_answer_does_not_escape_as_a_bare_500(db, fragile):
    """Seen under a PostgreSQL restart: the session's close in the request teardown raised and
    the server answered with its bare HTML 500. The broken session is discarded instead."""
    from flask import g
    from sqlalchemy.exc import OperationalError

    from app.extensions import db as _db

    fragile_app, _break, _mend = fragile

    @fragile_app.before_request
    def close_will_fail():
        if g.get("_teardown_test_done") or not fragile_app.config.get("BREAK_CLOSE"):
            return
        session = _db.session()

        def close():
            raise OperationalError("ROLLBACK", {}, Exception("server closed the connection"))

        session.close = close

    client = fragile_app.test_client()
    fragile_app.config["BREAK_CLOSE"] = True
    resp = client.get("/public/")  # the teardown's close raises: caught, session discarded
    fragile_app.config["BREAK_CLOSE"] = False
    assert resp.status_code == 200
    with fragile_app.app_context():
        assert _db.engine.pool.checkedout() == 0  # its connection was not left open
    assert client.get("/public/").status_code == 200


def test_fab_safe_still_hands_its_500_to_response_500_inside_the_except_block():
    """The seam `route_fab_api_errors` relies on (FAB 5.3 `flask_appbuilder.api.safe`)."""
    import inspect

    from flask_appbuilder import api

    source = inspect.getsource(api.safe)
    assert "except Exception" in source and "self.response_500(" in source
