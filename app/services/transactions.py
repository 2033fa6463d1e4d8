"""One use case, one transaction: commit on success, roll back on any refusal or error.

A row changed by someone else since it was read (the `version` column, SQLAlchemy's
StaleDataError) becomes the named conflict `StaleRecord`: 409 in the API, a flashed
"该记录已被他人修改，请刷新后重试" on the screens."""

import functools
import logging

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError

from app.domain.errors import StaleRecord
from app.extensions import db

log = logging.getLogger(__name__)


def atomic(fn):
    """Run `fn` and commit; roll back and re-raise whatever it raises, so nothing half-changes.
    A stale row, at flush or at commit, is raised as `StaleRecord`."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            result = fn(*args, **kwargs)
            db.session.commit()
            return result
        except StaleDataError:
            db.session.rollback()
            raise StaleRecord() from None
        except BaseException:
            db.session.rollback()
            raise

    return wrapper


def after_commit(build, fallback):
    """Build an answer about a change that is already committed. If reading the stored rows
    fails now (the database connection dropped), the change still stands: answer with
    `fallback()` - what is known without the database - never with a failure."""
    try:
        return build()
    except SQLAlchemyError:
        log.warning("reading back a committed change failed; answering from what is known")
        try:
            db.session.rollback()
        except SQLAlchemyError:  # pragma: no cover - the connection is gone
            pass
        return fallback()


def expect_version(row, expected, stale=None) -> None:
    """The version a form or API body read the row at must still be the row's (409 otherwise,
    with the current version); left empty, nothing is checked; not a number, refused by name.
    `stale` is the StaleRecord subclass to raise (its message)."""
    from app.domain.errors import InvalidInput, StaleRecord

    if expected is None or not str(expected).strip():
        return
    if not str(expected).strip().isdigit():
        raise InvalidInput("version 应为整数版本号", fields={"version": "应为整数版本号"})
    if int(str(expected).strip()) != row.version:
        raise (stale or StaleRecord)(version=row.version)
