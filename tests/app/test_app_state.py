"""Per-app state (issue 20): caches live on `app.extensions`, created by the app factory, and
session listeners are turned on by the factory for its app, not attached when a module is
imported. Two apps in one process share nothing."""

import subprocess
import sys
from pathlib import Path

from app import app_state

ROOT = Path(__file__).resolve().parents[2]


def _second_app(tmp_path):
    from app import create_app

    return create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'second.db'}",
        UPLOAD_DIR=str(tmp_path / "up"),
        UPLOAD_FOLDER=str(tmp_path / "up"),
    )


def test_two_apps_keep_their_own_menu_and_permission_caches_issue_20(app, tmp_path):
    """The menu cache (views/rendering.py) and the permission answers
    (app/security/manager.py) were module-level or shared: each app now has its own."""
    other = _second_app(tmp_path)
    for name in (app_state.MENUS, app_state.PERMISSION_ANSWERS):
        assert app_state.of(name, app) is not app_state.of(name, other), name
    with app.test_request_context("/"):
        app.appbuilder.sm.has_access("can_list", "ApplicationView")
        from views.rendering import award_menu

        award_menu(app.appbuilder.menu)
    assert app_state.of(app_state.MENUS, app)
    assert not app_state.of(app_state.MENUS, other)
    assert not app_state.of(app_state.PERMISSION_ANSWERS, other)


def test_session_listeners_are_turned_on_per_app_by_the_factory_issue_20(app, tmp_path):
    other = _second_app(tmp_path)
    for application in (app, other):
        on = application.extensions[app_state.LISTENERS]
        assert {"scope_ids", "remember_commit", "award_audit_capture"} <= on, on


def test_importing_the_modules_attaches_no_listener_issue_20():
    """Only the factory attaches app/security/scopes.py's and app/errors.py's listeners."""
    probe = (
        "from sqlalchemy import event\n"
        "from sqlalchemy.orm import Session\n"
        "import app.errors, app.security.scopes as s, views\n"
        "print(event.contains(Session, 'after_flush', s._forget_scope_ids),"
        " event.contains(Session, 'after_commit', app.errors._remember_commit))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"], out.stdout + out.stderr


def test_a_statement_stays_compiled_after_more_than_sqlalchemys_default_500_others_issue_20(
    app, db
):
    """The app runs over 1,000 distinct SQL statements; with SQLAlchemy's default cache (500 per
    engine, trimmed when it passes 750) a statement run again after a walk over the other
    pages was compiled again. The engine keeps SQL_STATEMENT_CACHE of them."""
    from sqlalchemy import event, literal_column, select

    hits = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        hits.append(context.cache_hit.name == "CACHE_HIT")

    first = select(literal_column("0").label("c0"))
    event.listen(db.engine, "after_cursor_execute", seen)
    try:
        with db.engine.connect() as conn:
            conn.execute(first)
            for i in range(1, 1200):
                conn.execute(select(literal_column(str(i)).label(f"c{i}")))
            conn.execute(first)
    finally:
        event.remove(db.engine, "after_cursor_execute", seen)
    assert db.engine._compiled_cache.capacity == app.config["SQL_STATEMENT_CACHE"] >= 1200
    assert hits[0] is False and hits[-1] is True, "第一条语句被重新编译"
