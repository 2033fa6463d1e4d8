"""List pages cost the same number of SQL queries at 25 and 100 rows a page and at two table
sizes, as Admin and as a Reviewer (issue 8): no N+1 query per row, no query per menu item."""

import re

import pytest
from sqlalchemy import event, func, select

from bench.data import BENCH_PASSWORD, generate
from tests.conftest import KEEP_TABLES

MAX_QUERIES = 6
ADMIN_SCREENS = [
    "OrganizationView",
    "ApplicationView",
    "ReviewerView",
    "ScoresheetView",
    "ScoreLineView",
    "FollowUpReportView",
    "AuditEntryView",
]
REVIEWER_SCREENS = [
    "ApplicationView",
    "ScoresheetView",
    "ScoreLineView",
    "ReviewGroupView",
    "ReviewAssignmentView",
]
SMALL, LARGE = 0.004, 0.02  # e.g. 40 vs 200 organizations, 3,680 vs 18,400 score lines
ROW = re.compile(r'name="rowid"')


def _wipe(app):
    from app.extensions import db

    with app.app_context():
        db.session.remove()
        tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
        with db.engine.begin() as conn:
            for table in tables:
                conn.execute(table.delete())


def _add_bench_data(app, scale, first_year):
    from app.extensions import db

    with app.app_context():
        generate(db.session, scale, seed=7, first_year=first_year)
        db.session.commit()
        db.session.remove()


def _busiest_reviewer(app) -> str:
    """The reviewer in the most groups: their scoped pages grow with the data."""
    from app.extensions import db
    from models import Reviewer, ReviewGroupMember

    with app.app_context():
        code = db.session.scalar(
            select(Reviewer.code)
            .join(ReviewGroupMember, ReviewGroupMember.reviewer_id == Reviewer.id)
            .group_by(Reviewer.code)
            .order_by(func.count().desc(), Reviewer.code)
            .limit(1)
        )
        db.session.remove()
    return f"bench-{code.lower()}"


class Counter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._on)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._on)

    def _on(self, *args):
        self.count += 1


def _measure(app, browser, username, screens) -> dict[tuple[str, int], tuple[int, int]]:
    """(screen, rows a page) -> (SQL queries, rows shown), after one warm-up request."""
    from app.extensions import db

    with app.app_context():
        engine = db.engine
    client = browser()
    client.login(username, BENCH_PASSWORD)
    out = {}
    for screen in screens:
        for size in (25, 100):
            url = f"/{screen.lower()}/list/?psize_{screen}={size}"
            assert client.get(url).status_code == 200, url
            with Counter(engine) as counter:
                page = client.get(url)
            assert page.status_code == 200, url
            out[screen, size] = (counter.count, len(ROW.findall(page.get_data(as_text=True))))
    return out


@pytest.fixture
def sized(app, browser):
    """Measures every page on a small data set, then again after adding a five-times-larger one."""
    _wipe(app)
    _add_bench_data(app, SMALL, first_year=2000)
    reviewer = _busiest_reviewer(app)
    small = {
        "admin": _measure(app, browser, "bench-admin", ADMIN_SCREENS),
        "reviewer": _measure(app, browser, reviewer, REVIEWER_SCREENS),
    }
    _add_bench_data(app, LARGE, first_year=2040)
    large = {
        "admin": _measure(app, browser, "bench-admin", ADMIN_SCREENS),
        "reviewer": _measure(app, browser, reviewer, REVIEWER_SCREENS),
    }
    yield small, large
    _wipe(app)


def test_each_list_page_costs_the_same_queries_at_any_page_size_and_table_size(sized):
    small, large = sized
    for who in ("admin", "reviewer"):
        for (screen, size), (queries, _rows) in small[who].items():
            counts = {
                "25 行/小表": small[who][screen, 25][0],
                "100 行/小表": small[who][screen, 100][0],
                "25 行/大表": large[who][screen, 25][0],
                "100 行/大表": large[who][screen, 100][0],
            }
            assert len(set(counts.values())) == 1, (who, screen, counts)
            assert queries <= MAX_QUERIES, (who, screen, size, queries)


def test_the_measured_pages_really_grew_so_the_counts_mean_something(sized):
    small, large = sized
    for who in ("admin", "reviewer"):
        for screen in {s for s, _ in small[who]}:
            assert large[who][screen, 100][1] > small[who][screen, 25][1], (who, screen)
            assert large[who][screen, 100][1] > large[who][screen, 25][1] or (
                large[who][screen, 25][1] < 25
            ), (who, screen)
