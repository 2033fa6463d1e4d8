"""Separation of duties (三权分立; GB/T 22239-2019 8.1.4.2 访问控制 c, 8.1.4.3 安全审计): the system
administrator manages accounts and roles but reads no applicant data or scores, the audit
administrator reads the audit log and changes nothing, and production refuses an account that
holds the all-powerful Admin role or two of the three duties."""

import pytest
from sqlalchemy import select

from app.security import roles as R
from tests import factories as f

STRONG = "Str0ng-Passw0rd!x"


def test_the_demo_has_a_system_administrator_and_an_audit_administrator(app, demo):
    sm = app.appbuilder.sm
    with app.app_context():
        assert [r.name for r in sm.find_user(username="sysadmin").roles] == [R.SYSADMIN]
        assert [r.name for r in sm.find_user(username="auditor1").roles] == [R.AUDITOR]


def test_the_system_administrator_manages_accounts_but_reads_no_applicant_data_or_scores(
    app, demo, browser, api
):
    b = browser("sysadmin")
    for page in ("/users/list/", "/roles/list/", "/groups/list/"):
        assert b.get(page).status_code == 200, page
    for page in (
        "/individualview/list/",
        "/organizationview/list/",
        "/scoresheetview/list/",
        "/stagescoreview/list/",
        "/auditentryview/list/",
    ):
        assert b.get(page).status_code == 403, page
    client = api("sysadmin")
    for resource in ("individual", "scoresheet", "stage_score", "application", "audit_entry"):
        assert client.get(f"/api/v1/{resource}/").status_code == 403, resource


def test_the_audit_administrator_reads_the_audit_log_and_changes_nothing(app, demo, browser, api):
    b = browser("auditor1")
    assert b.get("/auditentryview/list/").status_code == 200
    for page in ("/users/list/", "/roles/list/", "/individualview/list/", "/scoresheetview/list/"):
        assert b.get(page).status_code == 403, page
    client = api("auditor1")
    assert client.get("/api/v1/audit_entry/").status_code == 200
    assert client.get("/api/v1/scoresheet/").status_code == 403
    assert client.post("/api/v1/audit_entry/", json={"summary": "x"}).status_code in (403, 405)
    assert client.delete("/api/v1/audit_entry/1").status_code in (403, 405)


def _start_production(app):
    from app import create_app

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    return create_app(
        "production",
        SECRET_KEY="x" * 40,
        AUDIT_KEY="a" * 40,
        PII_KEY="p" * 40,
        SQLALCHEMY_DATABASE_URI=url,
    )


def test_production_refuses_to_start_while_an_active_account_holds_the_admin_role(app, db):
    user = f.user(app, "root", R.ADMIN, password=STRONG)
    db.session.commit()
    with pytest.raises(RuntimeError, match="root"):
        _start_production(app)
    user.active = False
    db.session.commit()
    assert _start_production(app).config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    "pair",
    [(R.SYSADMIN, R.AUDITOR), (R.SYSADMIN, R.OFFICE), (R.AUDITOR, R.COMMITTEE)],
)
def test_production_refuses_an_account_that_holds_two_of_the_three_duties(app, db, pair):
    sm = app.appbuilder.sm
    user = f.user(app, "both", pair[0], password=STRONG)
    user.roles.append(sm.find_role(pair[1]))
    db.session.commit()
    with pytest.raises(RuntimeError, match="both"):
        _start_production(app)


def test_production_starts_with_one_duty_per_account(app, db):
    for name, role in (("sa", R.SYSADMIN), ("au", R.AUDITOR), ("of", R.OFFICE), ("rv", R.REVIEWER)):
        f.user(app, name, role, password=STRONG)
    db.session.commit()
    assert _start_production(app).config["SESSION_COOKIE_SECURE"] is True


def test_a_command_creates_the_first_system_administrator(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["award", "create-sysadmin", "sa1", "--password", STRONG])
    assert result.exit_code == 0, result.output
    sm = app.appbuilder.sm
    db.session.expire_all()
    user = sm.find_user(username="sa1")
    assert [r.name for r in user.roles] == [R.SYSADMIN]
    assert sm.auth_user_db("sa1", STRONG) is not None
    again = runner.invoke(args=["award", "create-sysadmin", "sa1", "--password", STRONG])
    assert again.exit_code != 0
    assert "已存在" in again.output
    users = db.session.scalars(select(sm.user_model).where(sm.user_model.username == "sa1")).all()
    assert len(users) == 1


def test_the_create_sysadmin_command_asks_for_the_password_when_not_given(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["award", "create-sysadmin", "sa2"], input=f"{STRONG}\n{STRONG}\n")
    assert result.exit_code == 0, result.output
    assert app.appbuilder.sm.auth_user_db("sa2", STRONG) is not None
