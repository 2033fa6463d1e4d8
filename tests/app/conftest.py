"""Fixtures the app tests share: signed-in clients by username, the demo data with an app
context for reading its rows, and the scoring scene (three reviewers rv1..rv3 in one group
with one application, and the Office)."""

import pytest

from tests import factories as f
from tests.clients import rest, web


@pytest.fixture
def as_user(app, browser):
    """as_user("office"): a browser signed in as that user (tests/clients.py)."""
    return lambda username: web(app, browser, username)


@pytest.fixture
def as_api(app, api):
    """as_api("office"): a JWT client of that user (tests/clients.py)."""
    return lambda username: rest(app, api, username)


@pytest.fixture
def scene(app, db):
    """tests/app/test_scoring_scene.py's `build` with an Office user."""
    from tests.app.test_scoring_scene import build

    s = build(app, db)
    f.user(app, "office", "Office")
    db.session.commit()
    return s


@pytest.fixture
def ctx(app, demo):
    """The demo data with an app context for reading rows (each request starts afresh);
    yields Flask-SQLAlchemy's `db`."""
    from app.extensions import db

    with app.app_context():
        yield db
        db.session.rollback()
