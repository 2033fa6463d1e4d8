"""One use case, one transaction: commit on success, roll back on any refusal or error."""

import functools

from app.extensions import db


def atomic(fn):
    """Run `fn` and commit; roll back and re-raise whatever it raises, so nothing half-changes."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            result = fn(*args, **kwargs)
            db.session.commit()
            return result
        except BaseException:
            db.session.rollback()
            raise

    return wrapper
