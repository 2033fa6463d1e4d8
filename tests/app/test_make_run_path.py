"""What `make run` does on a fresh machine: upgrade an empty database, sync the roles, load the
demo data when empty (and not again), and let the demo users log in (CONTRACT.md)."""

from flask_migrate import upgrade
from sqlalchemy import func, select

from models import AwardCycle


def test_make_run_sequence_on_an_empty_database_ends_with_a_working_demo(empty_database_url):
    from app import create_app
    from app.extensions import db

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    runner = app.test_cli_runner()
    with app.app_context():
        upgrade()
        db.session.remove()
    assert runner.invoke(args=["award", "sync-roles"]).exit_code == 0
    first = runner.invoke(args=["award", "seed-demo", "--if-empty", "--today", "2026-11-24"])
    assert first.exit_code == 0, first.output
    assert "演示数据已就绪" in first.output
    second = runner.invoke(args=["award", "seed-demo", "--if-empty"])
    assert second.exit_code == 0 and "跳过" in second.output
    with app.app_context():
        cycles = db.session.scalar(select(func.count()).select_from(AwardCycle))
        db.session.remove()
    assert cycles >= 5
    audit = runner.invoke(args=["award", "verify-audit"])
    assert audit.exit_code == 0, audit.output
    client = app.test_client()
    page = client.get("/login/").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login/", data={"username": "admin", "password": "demo12345", "csrf_token": token})
    assert client.get("/applicationview/list/").status_code == 200
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
