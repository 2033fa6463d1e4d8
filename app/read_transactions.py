"""On PostgreSQL a request that only read ends its transaction with COMMIT, not ROLLBACK, so
that the driver keeps the statements it has prepared (issue 20).

psycopg prepares a statement on a connection once it has run there five times
(`prepare_threshold`), and PostgreSQL then stops planning it on every execution (after five
custom plans it keeps a generic one where that is no dearer). But psycopg forgets every
prepared statement, and every count towards one, each time the connection rolls back
(`Connection.rollback()` clears its cache; psycopg issue 1105), and a SQLAlchemy session ends
by rolling back. Every page ended that way, so no statement was ever prepared and every one was
planned on every request: planning a reviewer's scope statement took 0.7-3 ms against 0.3 ms
to run it, and a list page's statement with its label joins 1-4 ms.

COMMIT and ROLLBACK of a transaction that changed nothing leave the database the same. A
transaction counts as read-only when every statement it sent began with SELECT (anything
else: INSERT, UPDATE, DELETE, WITH, SET, DDL, marks its connection as written) and the session
holds no pending change. Everything else is rolled back at the end of the request as before:
a change that no use case committed is never kept."""

import re

from sqlalchemy import event
from sqlalchemy.orm import Session

WROTE = "award_wrote"  # Connection.info: a statement other than SELECT ran in this transaction
CONNECTION = "award_connection"  # Session.info: the connection of the session's transaction
_SELECT = re.compile(r"\s*SELECT\b", re.IGNORECASE)


def register(engine) -> None:
    """Watch `engine`'s statements (PostgreSQL only: elsewhere the request ends as before)."""
    if engine.dialect.name != "postgresql":
        return
    for name, listener in (
        ("before_cursor_execute", _note_statement),
        ("commit", _forget_writes),
        ("rollback", _forget_writes),
    ):
        if not event.contains(engine, name, listener):
            event.listen(engine, name, listener)
    if not event.contains(Session, "after_begin", _note_connection):
        event.listen(Session, "after_begin", _note_connection)


def _note_statement(conn, _cursor, statement, _params, _context, _executemany) -> None:
    if not _SELECT.match(statement):
        conn.info[WROTE] = True


def _forget_writes(conn) -> None:
    # An invalidated connection (lost mid-transaction) is rolled back too, and asking it for
    # its `info` would raise instead of the error that lost it (a bare 500, not a 503). Its
    # DBAPI connection is discarded; a mark left on its pool record only makes the next
    # transaction there roll back, as before.
    if not conn.invalidated:
        conn.info.pop(WROTE, None)


def _note_connection(session, _transaction, connection) -> None:
    session.info[CONNECTION] = connection


def end(session) -> bool:
    """Commit the session's transaction if it only read; returns whether it did. The caller
    closes the session next, as always (which rolls back whatever was not committed); objects
    loaded in it keep their values, as they did after the rollback."""
    connection = session.info.pop(CONNECTION, None)
    if (
        connection is None
        or connection.dialect.name != "postgresql"
        or connection.closed
        or connection.invalidated
        or not connection.in_transaction()
        or WROTE in connection.info
        or session.new
        or session.dirty
        or session.deleted
    ):
        return False
    # The session is closed next: its objects keep what they loaded, as after the rollback.
    session.expire_on_commit = False
    session.commit()
    return True
