"""The test harness itself: two signed-in clients in one test stay two different users."""

from tests import factories as f


def test_two_clients_in_one_test_act_as_their_own_users(app, db, browser):
    f.user(app, "office", "Office")
    f.user(app, "committee1", "Committee")
    db.session.commit()
    office = browser("office")
    committee = browser("committee1")
    assert office.get("/organizationview/add").status_code == 200
    assert committee.get("/organizationview/add").status_code == 403
    assert office.get("/organizationview/add").status_code == 200


def _demo_state(app):
    """Every table's row count and the demo users with their password hashes and roles."""
    from sqlalchemy import func, select

    from app.extensions import db
    from models import User

    with app.app_context():
        counts = {
            t.name: db.session.scalar(select(func.count()).select_from(t))
            for t in db.metadata.sorted_tables
        }
        users = sorted(
            (u.id, u.username, u.password, tuple(sorted(r.name for r in u.roles)))
            for u in db.session.scalars(select(User))
        )
        db.session.remove()
    return counts, users


def test_each_test_gets_a_pristine_demo_copy_that_takes_new_rows(app, backend, demo, demo_snapshot):
    """The `demo` fixture puts the session's snapshot back: what a test changed is gone, the
    users come back with their roles, and new rows get fresh keys (sequences are past the copy)."""
    from sqlalchemy import delete

    from app.extensions import db
    from models import ScoreLine
    from tests.conftest import _wipe

    summary, snapshot = demo_snapshot
    assert demo == summary
    before = _demo_state(app)
    assert before[0]["application"] == summary["applications"] > 0
    with app.app_context():
        db.session.execute(delete(ScoreLine))
        db.session.commit()
        f.organization(db.session, name="测试新增单位")
        db.session.commit()
        db.session.remove()
    assert _demo_state(app) != before
    _wipe(app)
    if backend == "postgres":  # as a test that rebuilt the table leaves its sequence
        with app.app_context(), db.engine.begin() as conn:
            conn.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('organization', 'id'), 1, false)"
            )
    snapshot.restore()
    assert _demo_state(app) == before
    with app.app_context():
        org = f.organization(db.session, name="恢复后新增单位")
        db.session.commit()
        assert org.id is not None
        db.session.remove()
    assert browser_login_works(app)


def browser_login_works(app) -> bool:
    from tests.conftest import Browser

    return Browser(app, "office").get("/applicationview/list/").status_code == 200
