"""Identification and authentication (GB/T 22239-2019 身份鉴别) and login history (安全审计):
one rate limit and lockout for the form, the API login and the token refresh, shared by
workers through Redis; the password policy, forced and periodic changes, the idle timeout,
the production key check, the second factor, and the security events with their retention."""

import re
import time
import uuid
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from models import SecurityEvent, UserSecurity
from models.base import utcnow
from tests import factories as f

UNTIL = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
STRONG = "Quality-Award-2026"


@pytest.fixture
def limits(app, monkeypatch):
    """Low limits on the session's app, counted under a key prefix of this test only."""
    monkeypatch.setitem(app.config, "LOGIN_GUARD_PREFIX", f"t-{uuid.uuid4().hex}")
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", 3)
    monkeypatch.setitem(app.config, "LOGIN_LOCK_MINUTES", 15)
    return app.config


def _api_login(client, username, password, **extra):
    return client.post(
        "/api/v1/security/login",
        json={"username": username, "password": password, "provider": "db", **extra},
    )


def _events(db, kind, username=None):
    db.session.expire_all()
    query = select(SecurityEvent).where(SecurityEvent.kind == kind)
    if username:
        query = query.where(SecurityEvent.username == username)
    return db.session.scalars(query).all()


# -- the finding: POST /api/v1/security/login had no rate limit ------------------------------


def test_the_api_login_is_rate_limited_per_address_with_a_chinese_json_answer(
    app, db, limits, monkeypatch
):
    """Finding: 340 wrong API logins in a row were all answered 401, then the right one was
    accepted. Now the address is limited like the form (身份鉴别)."""
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", 1000)
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "5 per minute")
    f.user(app, "office", "Office")
    db.session.commit()
    client = app.test_client()
    codes = [_api_login(client, "office", f"wrong-{i}").status_code for i in range(8)]
    assert codes[:5] == [401] * 5
    assert codes[5:] == [429] * 3
    right = _api_login(client, "office", "demo12345")
    assert right.status_code == 429
    assert "过于频繁" in right.json["message"] and UNTIL.search(right.json["message"])
    assert "access_token" not in right.json


def test_the_api_login_locks_the_account_after_n_failures_and_says_until_when(app, db, limits):
    """After LOGIN_MAX_FAILURES wrong passwords the account is locked, even for the right
    password, with the time it opens again (身份鉴别)."""
    f.user(app, "office", "Office")
    db.session.commit()
    client = app.test_client()
    first = _api_login(client, "office", "wrong-1")
    assert first.status_code == 401 and "还可尝试 2 次" in first.json["message"]
    _api_login(client, "office", "wrong-2")
    third = _api_login(client, "office", "wrong-3")
    assert third.status_code == 423
    locked = _api_login(client, "office", "demo12345")
    assert locked.status_code == 423
    assert "已被锁定" in locked.json["message"] and UNTIL.search(locked.json["message"])
    assert "access_token" not in locked.json
    assert len(_events(db, "lockout", "office")) == 1
    assert len(_events(db, "login_failed", "office")) == 3


def test_the_form_login_shares_the_lockout_and_shows_until_when(app, db, limits, browser):
    f.user(app, "office", "Office")
    db.session.commit()
    client = app.test_client()
    for i in range(3):
        _api_login(client, "office", f"wrong-{i}")
    b = browser()
    page = b.login("office")
    assert page.status_code == 423
    text = page.get_data(as_text=True)
    assert "已被锁定" in text and UNTIL.search(text)
    assert b.get("/organizationview/list/").status_code == 302


def test_the_form_login_is_rate_limited_with_a_chinese_page(app, db, limits, browser, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "2 per minute")
    f.user(app, "office", "Office")
    db.session.commit()
    b = browser()
    b.login("office", "wrong-1")
    b.login("office", "wrong-2")
    page = b.login("office")
    assert page.status_code == 429
    assert "登录尝试过于频繁" in page.get_data(as_text=True)


def test_a_token_refresh_is_refused_while_the_account_is_locked(app, db, limits):
    f.user(app, "office", "Office")
    db.session.commit()
    client = app.test_client()
    tokens = _api_login(client, "office", "demo12345", refresh=True).json
    for i in range(3):
        _api_login(client, "office", f"wrong-{i}")
    resp = client.post(
        "/api/v1/security/refresh",
        headers={"Authorization": f"Bearer {tokens['refresh_token']}"},
    )
    assert resp.status_code == 423 and "已被锁定" in resp.json["message"]


def test_a_successful_login_resets_the_failure_count(app, db, limits):
    f.user(app, "office", "Office")
    db.session.commit()
    client = app.test_client()
    for _ in range(2):
        _api_login(client, "office", "wrong")
    assert _api_login(client, "office", "demo12345").status_code == 200
    for _ in range(2):
        _api_login(client, "office", "wrong")
    assert _api_login(client, "office", "demo12345").status_code == 200


def test_a_lock_made_through_one_worker_holds_on_another_sharing_redis(app, db, database_url):
    """Two application instances (two workers) with the same REDIS_URL share the counts."""
    redis = pytest.importorskip("redis")
    from app import create_app

    url = "redis://127.0.0.1:6379/0"
    prefix = f"t-{uuid.uuid4().hex}"
    settings = dict(
        SQLALCHEMY_DATABASE_URI=database_url,
        REDIS_URL=url,
        LOGIN_GUARD_PREFIX=prefix,
        LOGIN_MAX_FAILURES=3,
    )
    f.user(app, "office", "Office")
    db.session.commit()
    worker_a = create_app("testing", **settings)
    worker_b = create_app("testing", **settings)
    client = redis.Redis.from_url(url)
    try:
        a, b = worker_a.test_client(), worker_b.test_client()
        assert _api_login(a, "office", "wrong-1").status_code == 401
        assert _api_login(b, "office", "wrong-2").status_code == 401
        assert _api_login(a, "office", "wrong-3").status_code == 423
        locked = _api_login(b, "office", "demo12345")
        assert locked.status_code == 423 and UNTIL.search(locked.json["message"])
        assert client.keys(f"*{prefix}*")
    finally:
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)
        client.close()
        for worker in (worker_a, worker_b):
            with worker.app_context():
                from app.extensions import db as _db

                _db.session.remove()
                _db.engine.dispose()


def test_sign_in_answers_503_in_chinese_when_the_shared_counters_are_away(app, db, database_url):
    """With REDIS_URL set and Redis not answering, a sign-in is refused with a 503 and a
    Chinese message (never a 500, never let through uncounted)."""
    from app import create_app

    f.user(app, "office", "Office")
    db.session.commit()
    worker = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=database_url, REDIS_URL="redis://127.0.0.1:9/0"
    )
    try:
        resp = _api_login(worker.test_client(), "office", "demo12345")
        assert resp.status_code == 503, resp.get_data(as_text=True)
        assert "登录计数服务暂时不可用" in resp.json["message"]
        assert resp.headers["Retry-After"]
    finally:
        with worker.app_context():
            from app.extensions import db as _db

            _db.session.remove()
            _db.engine.dispose()


def test_an_administrator_unlocks_an_account_from_the_command_line(app, db, limits):
    f.user(app, "office", "Office")
    db.session.commit()
    client = app.test_client()
    for i in range(3):
        _api_login(client, "office", f"wrong-{i}")
    assert _api_login(client, "office", "demo12345").status_code == 423
    done = app.test_cli_runner().invoke(args=["award", "unlock-user", "office"])
    assert done.exit_code == 0 and "已解锁" in done.output
    assert _api_login(client, "office", "demo12345").status_code == 200


def test_the_suite_default_limits_never_trip_on_repeated_demo_logins(app, db, api):
    f.user(app, "office", "Office")
    db.session.commit()
    for _ in range(12):
        api("office")


# -- password policy --------------------------------------------------------------------------


def test_the_policy_refuses_short_simple_the_username_and_the_last_passwords(app):
    from werkzeug.security import generate_password_hash

    from app.security.passwords import PasswordRejected, check_password

    with app.app_context():
        for weak, why in [
            ("Ab1-short", "至少 10 位"),
            ("alllowercase2026", "至少三类"),
            ("Office-2026-secure", "用户名"),
        ]:
            with pytest.raises(PasswordRejected, match=why):
                check_password(weak, "office")
        old = [
            generate_password_hash(f"Old-Passw0rd-{i}", method="pbkdf2:sha256:1000")
            for i in range(5)
        ]
        with pytest.raises(PasswordRejected, match="最近 5 次"):
            check_password("Old-Passw0rd-3", "office", old)
        check_password(STRONG, "office", old)


def test_changing_my_password_enforces_the_policy_and_refuses_a_recent_one(app, db, browser):
    f.user(app, "office", "Office")
    db.session.commit()
    b = browser("office")
    form = "/resetmypassword/form"
    weak = b.post(form, {"password": "short", "conf_password": "short"})
    assert "至少 10 位" in weak.get_data(as_text=True)
    ok = b.post(form, {"password": STRONG, "conf_password": STRONG})
    assert ok.status_code == 302
    again = b.post(form, {"password": "Second-Passw0rd", "conf_password": "Second-Passw0rd"})
    assert again.status_code == 302
    back = b.post(form, {"password": STRONG, "conf_password": STRONG})
    assert "最近 5 次" in back.get_data(as_text=True)
    assert browser().login("office", "Second-Passw0rd").status_code == 302
    assert len(_events(db, "password_changed", "office")) == 2
    assert len(_events(db, "password_rejected")) == 1


def test_add_user_refuses_a_weak_initial_password(app, db):
    from app.security.passwords import PasswordRejected

    sm = app.appbuilder.sm
    with pytest.raises(PasswordRejected):
        sm.add_user(
            "clerk", "张", "三", "clerk@example.cn", sm.find_role("Office"), password="demo12345"
        )
    assert sm.find_user(username="clerk") is None


def test_the_user_screen_refuses_a_weak_password_and_saves_nothing(app, db, browser):
    f.user(app, "admin", "Admin")
    db.session.commit()
    b = browser("admin")
    role = app.appbuilder.sm.find_role("Office")
    data = {
        "first_name": "张",
        "last_name": "三",
        "username": "clerk",
        "active": "y",
        "email": "clerk@example.cn",
        "roles": str(role.id),
        "password": "clerk-Passw0rd",
        "conf_password": "clerk-Passw0rd",
    }
    b.post("/users/add", data, token_from="/users/add")
    assert app.appbuilder.sm.find_user(username="clerk") is None
    data.update(password=STRONG, conf_password=STRONG)
    b.post("/users/add", data, token_from="/users/add")
    clerk = app.appbuilder.sm.find_user(username="clerk")
    assert clerk is not None
    assert db.session.get(UserSecurity, clerk.id).must_change_password is True
    assert _events(db, "user_created", "admin")


# -- initial and reset passwords, expiry --------------------------------------------------------


def test_an_initial_password_must_be_changed_at_first_login(app, db, browser):
    sm = app.appbuilder.sm
    sm.add_user("clerk", "张", "三", "clerk@example.cn", sm.find_role("Office"), password=STRONG)
    db.session.commit()
    api_login = _api_login(app.test_client(), "clerk", STRONG)
    assert api_login.status_code == 403 and "修改密码" in api_login.json["message"]
    b = browser()
    b.login("clerk", STRONG)
    page = b.get("/organizationview/list/")
    assert page.status_code == 302 and "/resetmypassword/form" in page.location
    b.post(
        "/resetmypassword/form",
        {"password": "Fresh-Start-Passw0rd", "conf_password": "Fresh-Start-Passw0rd"},
    )
    assert b.get("/organizationview/list/").status_code == 200
    assert _api_login(app.test_client(), "clerk", "Fresh-Start-Passw0rd").status_code == 200


def test_a_password_reset_by_an_administrator_must_be_changed(app, db, browser):
    user = f.user(app, "office", "Office")
    db.session.commit()
    app.appbuilder.sm.reset_password(user.id, STRONG)
    db.session.commit()
    b = browser()
    b.login("office", STRONG)
    assert "/resetmypassword/form" in b.get("/organizationview/list/").location
    assert _events(db, "password_reset")


def test_a_password_older_than_the_maximum_age_must_be_changed(app, db, browser, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_MAX_AGE_DAYS", 90)
    user = f.user(app, "office", "Office")
    db.session.get(UserSecurity, user.id).password_changed_at = utcnow() - timedelta(days=91)
    db.session.commit()
    b = browser("office")
    page = b.get("/organizationview/list/")
    assert page.status_code == 302 and "/resetmypassword/form" in page.location
    assert "90 天" in b.get("/resetmypassword/form").get_data(as_text=True)
    monkeypatch.setitem(app.config, "PASSWORD_MAX_AGE_DAYS", 0)
    assert b.get("/organizationview/list/").status_code == 200


# -- idle sessions ------------------------------------------------------------------------------


def test_an_idle_session_ends_after_the_configured_minutes(app, db, browser):
    f.user(app, "office", "Office")
    db.session.commit()
    b = browser("office")
    page = b.get("/organizationview/list/")
    assert page.status_code == 200
    assert 'data-idle-minutes="30"' in page.get_data(as_text=True)
    with b.client.session_transaction() as session:
        session["award_seen"] = int(time.time()) - 31 * 60
    gone = b.get("/organizationview/list/")
    assert gone.status_code == 302 and "/login/" in gone.location
    assert "没有操作" in b.get("/login/").get_data(as_text=True)
    assert b.get("/organizationview/list/").status_code == 302
    assert _events(db, "idle_timeout", "office")


def test_an_active_session_stays(app, db, browser):
    f.user(app, "office", "Office")
    db.session.commit()
    b = browser("office")
    with b.client.session_transaction() as session:
        session["award_seen"] = int(time.time()) - 29 * 60
    assert b.get("/organizationview/list/").status_code == 200


# -- production key -----------------------------------------------------------------------------


def test_production_refuses_a_secret_key_shorter_than_32_bytes(database_url):
    from app import create_app

    with pytest.raises(RuntimeError, match="32 字节"):
        create_app("production", SECRET_KEY="x", SQLALCHEMY_DATABASE_URI=database_url)


# -- second factor ------------------------------------------------------------------------------


def test_a_required_second_factor_is_enrolled_then_asked_at_each_login(
    app, db, browser, monkeypatch
):
    monkeypatch.setitem(app.config, "REQUIRE_2FA", True)
    f.user(app, "office", "Office")
    f.user(app, "reviewer1", "Reviewer")
    db.session.commit()
    assert browser("reviewer1").get("/scoresheetview/list/").status_code == 200
    api_refused = _api_login(app.test_client(), "office", "demo12345")
    assert api_refused.status_code == 403 and "动态口令" in api_refused.json["message"]
    b = browser("office")
    page = b.get("/organizationview/list/")
    assert page.status_code == 302 and "/twofactor/enrol" in page.location
    enrol = b.get("/twofactor/enrol").get_data(as_text=True)
    secret = re.search(r'id="two-factor-secret">([A-Z2-7]+)<', enrol).group(1)
    assert "otpauth://totp/" in enrol and "<svg" in enrol
    b.post("/twofactor/enrol", {"code": pyotp.TOTP(secret).now()})
    assert b.get("/organizationview/list/").status_code == 200
    assert _events(db, "totp_enrolled", "office")

    again = browser()
    step = again.login("office")
    assert "/twofactor/verify" in step.location
    assert again.get("/organizationview/list/").status_code == 302
    again.post("/twofactor/verify", {"code": "000000"})
    assert again.get("/organizationview/list/").status_code == 302
    again.post("/twofactor/verify", {"code": pyotp.TOTP(secret).now()})
    assert again.get("/organizationview/list/").status_code == 200
    client = app.test_client()
    assert _api_login(client, "office", "demo12345").status_code == 401
    ok = _api_login(client, "office", "demo12345", totp=pyotp.TOTP(secret).now())
    assert ok.status_code == 200


# -- login history and security events ---------------------------------------------------------


def test_logins_failures_logouts_and_refusals_are_recorded_with_address(app, db, browser):
    f.user(app, "office", "Office")
    f.user(app, "reviewer1", "Reviewer")
    db.session.commit()
    browser().login("office", "wrong-password")
    b = browser("office")
    b.get("/logout/")
    r = browser("reviewer1")
    assert r.get("/organizationview/add").status_code == 403
    login = _events(db, "login", "office")
    assert login and login[0].address == "127.0.0.1" and login[0].result == "成功"
    assert _events(db, "login_failed", "office")[0].result == "失败"
    assert _events(db, "logout", "office")
    denied = _events(db, "permission_denied", "reviewer1")
    assert denied and "/organizationview/add" in denied[0].detail


def test_a_role_change_on_the_user_screen_is_recorded(app, db, browser):
    f.user(app, "admin", "Admin")
    clerk = f.user(app, "clerk", "Reviewer")
    db.session.commit()
    b = browser("admin")
    office = app.appbuilder.sm.find_role("Office")
    b.post(
        f"/users/edit/{clerk.id}",
        {
            "first_name": "张",
            "last_name": "三",
            "username": "clerk",
            "active": "y",
            "email": "clerk@example.cn",
            "roles": str(office.id),
        },
        token_from=f"/users/edit/{clerk.id}",
    )
    changed = _events(db, "role_changed", "admin")
    assert changed and "Office" in changed[0].detail and "Reviewer" in changed[0].detail


def test_the_security_events_screen_is_for_admin_not_office(app, db, browser):
    f.user(app, "admin", "Admin")
    f.user(app, "office", "Office")
    db.session.commit()
    assert browser("office").get("/securityeventview/list/").status_code == 403
    page = browser("admin").get("/securityeventview/list/")
    assert page.status_code == 200 and "登录与安全事件" in page.get_data(as_text=True)


def test_the_purge_keeps_every_event_younger_than_180_days(app, db):
    now = utcnow()
    for days in (181, 179, 1):
        db.session.add(
            SecurityEvent(at=now - timedelta(days=days), kind="login", username="x", result="成功")
        )
    db.session.commit()
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["award", "purge-security-events", "--days", "30"])
    assert refused.exit_code == 1 and "180" in refused.output
    done = runner.invoke(args=["award", "purge-security-events"])
    assert done.exit_code == 0 and "1 条" in done.output
    db.session.expire_all()
    kept = db.session.scalars(select(SecurityEvent.at)).all()
    assert len(kept) == 2 and all(now - at < timedelta(days=180) for at in kept)
