"""Login, sessions, CSRF, production guards, a tamper-evident audit log, backup and restore."""

import pytest
from sqlalchemy import func, select, text

from models import AuditEntry, Organization
from tests import factories as f

REAL_SECRET = "a-real-secret-of-at-least-32-bytes-0123456789"
AUDIT_KEY = "an-audit-key-of-at-least-32-bytes-long"


def test_production_refuses_to_start_with_the_development_secret_key(database_url):
    from app import create_app
    from config import DEV_SECRET_KEY

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", SECRET_KEY=DEV_SECRET_KEY, SQLALCHEMY_DATABASE_URI=database_url)


def test_production_refuses_to_start_while_a_user_has_the_demo_password(app, db):
    from app import create_app

    user = f.user(app, "office", "Office")
    db.session.commit()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with pytest.raises(RuntimeError, match="office"):
        create_app(
            "production",
            SECRET_KEY=REAL_SECRET,
            AUDIT_KEY=AUDIT_KEY,
            PII_KEY="p" * 32,
            SQLALCHEMY_DATABASE_URI=url,
        )
    app.appbuilder.sm.reset_password(user.id, "Another-passw0rd")
    db.session.commit()
    prod = create_app(
        "production",
        SECRET_KEY=REAL_SECRET,
        AUDIT_KEY=AUDIT_KEY,
        PII_KEY="p" * 32,
        SQLALCHEMY_DATABASE_URI=url,
    )
    assert prod.config["SESSION_COOKIE_SECURE"] is True
    assert prod.config["SESSION_COOKIE_HTTPONLY"] is True


def test_a_form_posted_without_the_csrf_token_is_refused_and_saves_nothing(app, db, browser):
    f.user(app, "office", "Office")
    db.session.commit()
    b = browser("office")
    resp = b.client.post(
        "/organizationview/add",
        data={
            "name": "伊宁市某公司",
            "credit_code": f.credit_code(),
            "legal_form": "legal_person",
            "industry": "C",
        },
    )
    assert resp.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Organization)) == 0


def test_a_delete_by_get_is_refused(app, db, browser):
    org = f.organization(db.session)
    f.user(app, "office", "Office")
    db.session.commit()
    b = browser("office")
    b.get(f"/organizationview/delete/{org.id}")
    assert db.session.get(Organization, org.id) is not None


def test_logout_ends_the_session(app, db, browser):
    f.user(app, "office", "Office")
    db.session.commit()
    b = browser("office")
    assert b.get("/organizationview/list/").status_code == 200
    b.get("/logout/")
    assert b.get("/organizationview/list/").status_code == 302


def test_a_wrong_password_does_not_log_in(app, db, browser):
    f.user(app, "office", "Office")
    db.session.commit()
    b = browser()
    b.login("office", "wrong-password-1")
    assert b.get("/organizationview/list/").status_code == 302


def test_logins_are_rate_limited(app, db, browser, monkeypatch):
    """Repeated logins from one address are refused (LOGIN_RATE_LIMIT; more in
    tests/app/test_login_security.py)."""
    import uuid

    monkeypatch.setitem(app.config, "LOGIN_GUARD_PREFIX", f"t-{uuid.uuid4().hex}")
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    f.user(app, "office", "Office")
    db.session.commit()
    b = browser()
    codes = [b.login("office", "bad").status_code for _ in range(5)]
    assert 429 in codes


def test_the_password_policy_refuses_a_weak_password():
    from flask_appbuilder.exceptions import PasswordComplexityValidationError

    from app.security.passwords import password_policy

    with pytest.raises(PasswordComplexityValidationError):
        password_policy("abc")
    with pytest.raises(PasswordComplexityValidationError):
        password_policy("abcdefghij")
    with pytest.raises(PasswordComplexityValidationError):
        password_policy("quality2026")
    password_policy("Quality2026")


def test_verify_audit_names_the_first_entry_edited_in_the_database(app, db):
    """M-3: the audit log cannot be changed quietly."""
    from app.services import audit

    org = f.organization(db.session)
    for i in range(3):
        audit.record("test", org, f"第 {i} 条决定", reason="测试", username="office")
    db.session.commit()
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["award", "verify-audit"])
    total = db.session.scalar(select(func.count()).select_from(AuditEntry))
    assert ok.exit_code == 0 and f"共校验 {total} 条" in ok.output
    second = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "test").order_by(AuditEntry.id)
    ).all()[1]
    db.session.execute(
        text("UPDATE audit_entry SET summary = '被篡改' WHERE id = :id"), {"id": second.id}
    )
    db.session.commit()
    broken = runner.invoke(args=["award", "verify-audit"])
    assert broken.exit_code == 1
    assert f"编号 {second.id}" in broken.output


def test_audit_entries_cannot_be_edited_or_deleted_through_the_screens_or_api(
    app, db, api, browser
):
    from app.services import audit

    f.user(app, "office", "Office")
    entry = audit.record("test", None, "一条决定", username="office")
    db.session.commit()
    b = browser("office")
    assert b.get(f"/auditentryview/edit/{entry.id}").status_code == 403
    client = api("office")
    assert client.put(f"/api/v1/audit_entry/{entry.id}", json={"summary": "x"}).status_code == 403
    assert client.delete(f"/api/v1/audit_entry/{entry.id}").status_code == 403
    db.session.expire_all()
    assert db.session.get(AuditEntry, entry.id).summary == "一条决定"


def test_a_backup_restores_the_demo_database(app, demo, tmp_path):
    """`award backup` writes a consistent copy that `award restore` brings back."""
    from app.extensions import db

    runner = app.test_cli_runner()
    target = tmp_path / "award.backup"
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Organization))
        db.session.remove()
    result = runner.invoke(args=["award", "backup", str(target)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.execute(text("DELETE FROM trademark"))
        db.session.execute(text("DELETE FROM certificate"))
        db.session.commit()
        db.session.remove()
    result = runner.invoke(args=["award", "restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Organization)) == before
        assert db.session.scalar(text("SELECT count(*) FROM certificate")) > 0
        db.session.remove()


def _statements_naming(app, call, value) -> list[str]:
    """The statements `call()` sends whose parameters include `value`."""
    from tests.statements import Counter, engine_of

    with Counter(engine_of(app)) as counter:
        call()
    return [
        statement
        for statement, parameters in counter.sent
        if value in (parameters.values() if isinstance(parameters, dict) else parameters or ())
    ]


def test_what_anyone_may_do_unsigned_is_declared_in_code_and_read_without_a_query_issue_20(
    app, db, api
):
    """The Public role is declared with the other roles (FAB_ROLES: no permission anywhere).
    FAB read it and its permissions from the database on every API call and every anonymous
    request (two statements each); an API call still answers its user, and without a token
    the API and the screens still refuse."""
    from app.security.roles import PUBLIC

    assert app.config["AUTH_ROLE_PUBLIC"] == PUBLIC
    assert app.config["FAB_ROLES"][PUBLIC] == []
    f.user(app, "office", "Office")
    db.session.commit()
    office = api("office")
    answers = []
    seen = _statements_naming(
        app, lambda: answers.append(office.get("/api/v1/organization/")), PUBLIC
    )
    assert answers[0].status_code == 200
    assert seen == []
    anonymous = app.test_client()
    seen = _statements_naming(
        app,
        lambda: answers.extend(
            [anonymous.get("/api/v1/organization/"), anonymous.get("/organizationview/list/")]
        ),
        PUBLIC,
    )
    assert answers[1].status_code == 401
    assert answers[2].status_code == 302 and "/login" in answers[2].headers["Location"]
    assert seen == []
