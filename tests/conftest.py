"""Layered fixtures: one app per database backend for the session, a clean database per test,
the demo data set where a test needs it, and logged-in clients per role."""

import os
import re
import tempfile
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.pg_probe import answers, pg_url

DEMO_TODAY = date(2026, 11, 24)
DEMO_PASSWORD = "demo12345"
KEEP_TABLES = {
    "industry",
    "criteria_version",
    "criteria_category",
    "criteria_item",
    "ab_role",
    "ab_permission",
    "ab_view_menu",
    "ab_permission_view",
    "ab_permission_view_role",
}


def pytest_addoption(parser):
    parser.addoption(
        "--db",
        default="sqlite",
        choices=["sqlite", "postgres"],
        help="database backend for tests that use one",
    )


def pytest_sessionstart(session):
    """Compile the app's message catalogues so a bare `pytest` sees the same Chinese as `make`.

    Once, in the xdist controller (before its workers start) or the single process; each .mo is
    written to a temporary file and renamed, so a concurrent run never reads half a catalogue."""
    if hasattr(session.config, "workerinput"):
        return
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    translations = Path(__file__).resolve().parent.parent / "app" / "translations"
    for po in translations.glob("*/LC_MESSAGES/messages.po"):
        with po.open("rb") as f:
            catalog = read_po(f, po.parent.parent.name)
        if catalog.fuzzy:
            continue  # as `pybabel compile`: a catalogue marked fuzzy is not compiled
        fd, tmp = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog)
        os.chmod(tmp, 0o644)
        os.replace(tmp, po.with_suffix(".mo"))


def pytest_report_header(config):
    return f"database backend: {config.getoption('--db')}"


@pytest.fixture(scope="session")
def backend(request) -> str:
    return request.config.getoption("--db")


@pytest.fixture(scope="session")
def database_url(backend, tmp_path_factory):
    """A fresh, empty database for this session: a SQLite file or a PostgreSQL schema."""
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("db") / "award.db"
        yield f"sqlite:///{path}"
        return
    base = pg_url()
    if not answers(base):
        pytest.exit(f"PostgreSQL 不可用：{base}", returncode=3)
    schema = f"t_{uuid.uuid4().hex[:10]}"
    from sqlalchemy import create_engine

    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(scope="session")
def app(database_url, backend):
    """The application on the session's database, schema created, roles and criteria loaded."""
    from app import create_app
    from app.extensions import db
    from seed.reference import load_reference

    upload_dir = tempfile.mkdtemp(prefix="award-uploads-")
    application = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=database_url,
        UPLOAD_DIR=upload_dir,
        UPLOAD_FOLDER=upload_dir,
    )
    # Tests hold an app context open (the `db` fixture) and Flask 3 reuses it for test-client
    # requests, so Flask-Login's cached user and Flask-WTF's CSRF token would leak between clients. Each
    # request starts without it, before FAB's own before_request hook reads it.
    application.before_request_funcs.setdefault(None, []).insert(0, _forget_cached_user)
    with application.app_context():
        if backend == "sqlite":
            _no_fsync(db.engine)
        db.create_all()
        application.appbuilder.sm.sync_roles()
        load_reference(db.session)
        _approve_criteria(db.session)
        db.session.commit()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _no_fsync(engine):
    """The session's SQLite file is thrown away: its commits need not wait for the disk.

    `PRAGMA synchronous=OFF` on every connection of the test engine (the app's own connections
    keep SQLite's default, FULL). Everything else SQLite does (locking, foreign keys,
    constraints, rollback) is unchanged; without it, fsync on each commit was half the SQLite
    half's wall time (issue 20)."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _synchronous_off(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()


def _approve_criteria(session):
    """M-7: the tests' criteria version is approved by the Committee, as in the demo data."""
    from datetime import datetime

    from models import CriteriaVersion

    for version in session.query(CriteriaVersion).filter(CriteriaVersion.approved_at.is_(None)):
        version.approved_at = datetime(2017, 2, 10, 10, 0)
        version.approved_by = "committee1"
        version.approval_ref = "伊食安质委纪〔2017〕1号"


def _forget_cached_user():
    """Start each request with an empty `g`, as it is in production (no outer app context)."""
    from flask import g

    for key in list(g):
        g.pop(key, None)


# PostgreSQL: while a test's tables are emptied or the demo rows copied back, in that one
# transaction, no trigger fires, the foreign-key checks included (they are triggers there): the
# rows go back exactly as the load left them, already checked. Three times faster (issue 20).
NO_TRIGGERS = "SET LOCAL session_replication_role = replica"


def _wipe(app):
    from app.extensions import db

    with app.app_context():
        db.session.remove()
        tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":  # one round trip (simple query protocol)
                conn.connection.driver_connection.execute(
                    ";\n".join([NO_TRIGGERS, *(f'DELETE FROM "{t.name}"' for t in tables)])
                )
            else:
                for table in tables:
                    conn.execute(table.delete())


@pytest.fixture
def db(app):
    """A clean database (reference data and roles kept) inside an app context."""
    from app.extensions import db as _db

    _wipe(app)
    with app.app_context():
        yield _db
        _db.session.rollback()
    _wipe(app)


def _make_user(sm):
    def make_user(username, role_name, full_name, email):
        found = sm.find_user(username=username)
        if found:
            return found
        with sm.demo_accounts():  # demo data only: outside the password policy
            return sm.add_user(
                username,
                full_name[:1],
                full_name[1:] or full_name,
                email,
                sm.find_role(role_name),
                password=DEMO_PASSWORD,
            )

    return make_user


@pytest.fixture(scope="session")
def demo_snapshot(app, backend, tmp_path_factory):
    """The demo data set, loaded once per session (per xdist worker) into a clean database, its
    summary kept, and every table outside KEEP_TABLES (users and their roles included) copied
    aside on the database server: an attached SQLite file, or a PostgreSQL schema next to the
    session's. `demo` copies the rows back before each test."""
    from app.extensions import db as _db
    from seed.demo import load_demo

    _wipe(app)
    tables = [t.name for t in _db.metadata.sorted_tables if t.name not in KEEP_TABLES]
    with app.app_context():
        summary = load_demo(_db.session, _make_user(app.appbuilder.sm), DEMO_TODAY)
        _db.session.commit()
        _db.session.remove()
        if backend == "sqlite":
            where = str(tmp_path_factory.mktemp("demo") / "snapshot.db")
        else:
            with _db.engine.connect() as conn:
                where = conn.exec_driver_sql("SELECT current_schema()").scalar() + "_demo"
        snapshot = DemoSnapshot(app, backend, where, tables)
        snapshot.take()
    _wipe(app)
    yield summary, snapshot
    snapshot.drop()


class DemoSnapshot:
    """Copies of the demo tables on the server; put back with one INSERT … SELECT per table,
    parents before children, all in one transaction. Primary keys are the ones the load gave;
    each PostgreSQL sequence is then set past them (a test may have rebuilt a table, restarting
    its sequence), and SQLite's next rowid follows them by itself, as after a fresh load."""

    def __init__(self, app, backend, where, tables):
        self.app, self.backend, self.where, self.tables = app, backend, where, tables
        self.sequences = []  # (table, key column) of each serial key, PostgreSQL only

    def _run(self, statements):
        from app.extensions import db as _db

        with self.app.app_context(), _db.engine.connect() as conn:
            raw = conn.connection.driver_connection
            if self.backend == "sqlite":
                # ATTACH only outside a transaction; the sqlite3 module opens one before the
                # first INSERT/CREATE and the commit closes it.
                raw.execute("ATTACH DATABASE ? AS demo_snapshot", (self.where,))
                try:
                    for statement in statements:
                        raw.execute(statement)
                    raw.commit()
                except BaseException:
                    raw.rollback()
                    raise
                finally:
                    raw.execute("DETACH DATABASE demo_snapshot")
            else:
                # one round trip (simple query protocol)
                raw.execute(";\n".join([NO_TRIGGERS, *statements]))
                raw.commit()

    def take(self):
        if self.backend == "sqlite":
            copies = [
                f'CREATE TABLE demo_snapshot."{t}" AS SELECT * FROM main."{t}"' for t in self.tables
            ]
        else:
            copies = [f'CREATE SCHEMA "{self.where}"'] + [
                f'CREATE TABLE "{self.where}"."{t}" AS SELECT * FROM "{t}"' for t in self.tables
            ]
            self.sequences = self._serial_keys()
        self._run(copies)

    def _serial_keys(self):
        from app.extensions import db as _db

        keys = []
        with self.app.app_context(), _db.engine.connect() as conn:
            for table in _db.metadata.sorted_tables:
                if table.name not in self.tables or len(table.primary_key.columns) != 1:
                    continue
                (column,) = table.primary_key.columns
                found = conn.exec_driver_sql(
                    "SELECT pg_get_serial_sequence(%(t)s, %(c)s)",
                    {"t": f'"{table.name}"', "c": column.name},
                ).scalar()
                if found:
                    keys.append((table.name, column.name))
        return keys

    def restore(self):
        if self.backend == "sqlite":
            self._run(
                [f'INSERT INTO main."{t}" SELECT * FROM demo_snapshot."{t}"' for t in self.tables]
            )
        else:
            self._run(
                [f'INSERT INTO "{t}" SELECT * FROM "{self.where}"."{t}"' for t in self.tables]
                + [
                    f"SELECT setval(pg_get_serial_sequence('\"{t}\"', '{c}'), "
                    f'COALESCE((SELECT max("{c}") FROM "{t}"), 0) + 1, false)'
                    for t, c in self.sequences
                ]
            )

    def drop(self):
        if self.backend == "postgres":
            self._run([f'DROP SCHEMA "{self.where}" CASCADE'])


@pytest.fixture
def demo(app, demo_snapshot):
    """The demo data set in a clean database (a pristine copy for every test, put back from the
    session's snapshot rather than reloaded); yields its summary."""
    summary, snapshot = demo_snapshot
    _wipe(app)
    snapshot.restore()
    yield dict(summary)
    _wipe(app)


_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class Browser:
    """A test client that logs in through the real form and carries the CSRF token."""

    def __init__(self, app, username=None):
        self.app = app
        self.client = app.test_client()
        self.username = username
        if username:
            self.login(username)

    def csrf(self, path="/login/") -> str:
        page = self.client.get(path).get_data(as_text=True)
        match = _CSRF.search(page) or re.search(r'csrf_token"?\s*value="([^"]+)"', page)
        assert match, f"页面 {path} 没有 CSRF 令牌"
        return match.group(1)

    def login(self, username, password=DEMO_PASSWORD):
        token = self.csrf("/login/")
        return self.client.post(
            "/login/", data={"username": username, "password": password, "csrf_token": token}
        )

    def get(self, path, **kw):
        return self.client.get(path, **kw)

    def post(self, path, data=None, token_from=None, **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf(token_from or path))
        return self.client.post(path, data=data, **kw)


@pytest.fixture
def browser(app):
    def make(username=None) -> Browser:
        return Browser(app, username)

    return make


@pytest.fixture
def api(app):
    """A JWT-authenticated JSON client per user: api('office').get('/api/v1/application/')."""

    class Api:
        def __init__(self, username, password=DEMO_PASSWORD):
            self.client = app.test_client()
            resp = self.client.post(
                "/api/v1/security/login",
                json={"username": username, "password": password, "provider": "db"},
            )
            assert resp.status_code == 200, resp.get_data(as_text=True)
            self.headers = {"Authorization": f"Bearer {resp.json['access_token']}"}

        def __getattr__(self, method):
            call = getattr(self.client, method)
            return lambda path, **kw: call(path, headers=self.headers, **kw)

    return Api


REPO = Path(__file__).resolve().parent.parent


BROWSER_DIR = REPO / "tests" / "browser"
# The walks over every page and route, longest first (measured: the accessibility walk's
# roles take 20–200 s each, the API fuzzing's 15–65 s, the route walk's 15–50 s), and within
# each, the two roles that see the most pages.
LONG_WALKS = (
    "test_accessibility.py",
    "test_api_fuzz.py",
    "test_route_walk.py",
    "test_permission_matrix.py",
    "test_pages_walk.py",
)
WIDEST_ROLES = ("admin", "office")
DB_FIXTURES = {"app", "db", "demo", "browser", "api", "database_url", "empty_database_url"}


def pytest_collection_modifyitems(config, items):
    """Tests that touch a database are marked `db`; the PostgreSQL half runs only those.
    Tests marked `postgres_only` (real concurrent connections) run only in that half. Tests in
    tests/browser are marked `browser`: `make test` runs them in the SQLite half only."""
    on_postgres = config.getoption("--db") == "postgres"
    kept, dropped = [], []
    for item in items:
        if DB_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)
        if BROWSER_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("postgres_only") and not on_postgres:
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    # The walks over every page and route take minutes each; started first, longest first, they
    # do not leave one xdist worker finishing a long one alone while the other idles (a stable
    # sort: the order is otherwise kept).
    items[:] = sorted(kept, key=_walk_order)


def _walk_order(item) -> tuple[int, int]:
    name = Path(str(item.fspath)).name
    if name not in LONG_WALKS:
        return (len(LONG_WALKS), 0)
    role = getattr(getattr(item, "callspec", None), "id", "").split("-")[0]
    return (LONG_WALKS.index(name), 0 if role in WIDEST_ROLES else 1)


@pytest.fixture
def empty_database_url(backend, tmp_path):
    """A database with no tables at all, on the session's backend."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    from sqlalchemy import create_engine

    base = pg_url()
    schema = f"e_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()
