"""A request ends its transaction by what it did (issue 20, app/read_transactions.py).

On PostgreSQL a request that only read commits, so that psycopg keeps the statements it has
prepared (a rollback makes it forget them all) and PostgreSQL stops planning the same list and
scope statements on every page. Whatever a request changed without a use case committing it
is still rolled back, on both databases (the one write path: nothing but a use case commits).
"""

import pytest
from sqlalchemy import event, select, text, update

from models import Organization
from tests import factories
from tests.statements import engine_of


@pytest.mark.postgres_only
def test_a_page_read_again_and_again_runs_prepared_statements(app, demo, browser):
    """psycopg prepares a statement after five runs on a connection; before, every page's
    rollback made it forget them, and not one statement of a list page was ever prepared."""
    office = browser("office")
    connections = set()
    engine = engine_of(app)

    def seen(_conn, cursor, *_args):
        connections.add(cursor.connection)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        for _ in range(20):  # five runs per connection, whichever the pool hands out
            assert office.get("/scorelineview/list/").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    prepared = []
    for raw in connections:  # each is back in the pool, idle; ask it what it keeps
        prepared += [
            row[0]
            for row in raw.execute(
                "SELECT statement FROM pg_prepared_statements", prepare=False
            ).fetchall()
        ]
        raw.commit()
    assert any("FROM score_line" in s for s in prepared), prepared
    assert any("FROM ab_user" in s for s in prepared), prepared


def test_a_change_no_use_case_committed_is_rolled_back_when_the_request_ends(app, db):
    """A statement that changed a row, and an object changed in the session, are not kept when
    the context ends without a commit (the end of a request commits only what merely read)."""
    org = factories.organization(db.session, name="原名有限公司")
    db.session.commit()
    key = org.id
    with app.app_context():
        db.session.execute(update(Organization).where(Organization.id == key).values(name="改名"))
    with app.app_context():
        db.session.get(Organization, key).name = "又改名"
        db.session.execute(select(Organization.id)).all()
    with app.app_context():
        db.session.execute(text("SELECT 1")).all()  # only read: committed, changes nothing
    db.session.expire_all()
    assert db.session.scalar(select(Organization.name).where(Organization.id == key)) == (
        "原名有限公司"
    )


@pytest.mark.postgres_only
def test_only_a_transaction_that_merely_read_is_committed(app, db):
    """`end` commits a transaction of SELECTs alone; one that wrote, or holds a pending change,
    it leaves to the rollback."""
    from app import read_transactions

    org = factories.organization(db.session)
    db.session.commit()
    db.session.execute(select(Organization.id)).all()
    assert read_transactions.end(db.session()) is True
    db.session.execute(update(Organization).values(district="伊宁市"))
    assert read_transactions.end(db.session()) is False
    db.session.rollback()
    db.session.get(Organization, org.id).district = "霍城县"
    assert read_transactions.end(db.session()) is False
    db.session.rollback()
    db.session.execute(text("SET LOCAL statement_timeout = 1000"))
    assert read_transactions.end(db.session()) is False
    db.session.rollback()


@pytest.mark.postgres_only
def test_a_connection_lost_during_a_flush_is_still_reported_as_the_database_away(
    app, db, database_url
):
    """The end-of-transaction bookkeeping never hides a lost connection: SQLAlchemy rolls back
    an invalidated connection when a flush fails, and the listener that forgets the writes must
    not ask that connection anything (it raised PendingRollbackError, which the app answered as
    a bare 500 instead of a 503; `make chaos` found it)."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import OperationalError

    org = factories.organization(db.session)
    db.session.commit()
    pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
    admin = create_engine(database_url)
    try:
        with admin.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        admin.dispose()
    with pytest.raises(OperationalError):  # reading the old value, or the flush itself
        db.session.get(Organization, org.id).district = "霍城县"
        db.session.flush()
    db.session.rollback()
    db.session.remove()
