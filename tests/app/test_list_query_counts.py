"""List pages cost the same number of SQL queries at 25 and 100 rows a page and at two table
sizes, as Admin and as a Reviewer (issue 8): no N+1 query per row, no query per menu item."""

import re

import pytest
from sqlalchemy import func, select

from bench.data import BENCH_PASSWORD, generate
from tests.conftest import KEEP_TABLES
from tests.statements import Counter

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


# FAB's security lists and the recovery list (issue 20): the role list read each role's
# permissions, and each permission's name and view, one query per row; the group list each
# group's roles; the recovery list each case's award.
SECURITY_SCREENS = {"roles": "RoleModelView", "groups": "UserGroupModelView"}


def _grow_security_and_recoveries(app, n):
    """`n` more roles (each with a permission), groups (each with a role) and recoveries."""
    from decimal import Decimal

    from app.extensions import db
    from models import Recovery, RevocationCase

    with app.app_context():
        sm = app.appbuilder.sm
        pv = sm.add_permission_view_menu("can_list", "测试视图")
        case = db.session.scalars(select(RevocationCase).limit(1)).one()
        base = db.session.scalar(select(func.count()).select_from(sm.role_model))
        for i in range(n):
            role = sm.role_model(name=f"测试角色{base + i}")
            role.permissions = [pv]
            group = sm.group_model(name=f"测试组{base + i}", label=f"测试组{base + i}")
            group.roles = [role]
            db.session.add_all([role, group])
            db.session.add(
                Recovery(revocation_case_id=case.id, item=f"追回{base + i}", amount=Decimal("1"))
            )
        db.session.commit()
        db.session.remove()


def _drop_test_roles(app):
    """Roles and permissions outlive a test (tests/conftest.py KEEP_TABLES): removed here."""
    from app.extensions import db

    with app.app_context():
        sm = app.appbuilder.sm
        for role in db.session.scalars(
            select(sm.role_model).where(sm.role_model.name.like("测试角色%"))
        ):
            role.permissions = []
            role.user = []
            db.session.delete(role)
        db.session.commit()
        sm.del_permission_view_menu("can_list", "测试视图", cascade=True)
        db.session.remove()


def _measure_pages(app, browser, username, urls) -> dict[str, tuple[int, int]]:
    from app.extensions import db

    with app.app_context():
        engine = db.engine
    client = browser()
    client.login(username)
    out = {}
    for url in urls:
        assert client.get(url).status_code == 200, url
        with Counter(engine) as counter:
            page = client.get(url)
        assert page.status_code == 200, url
        out[url] = (counter.count, page.get_data(as_text=True).count("<tr"))
    return out


def test_security_and_recovery_lists_cost_at_most_six_queries_at_any_size_issue_20(
    app, demo, browser
):
    """Issue 20: the role list (16 queries with the demo's roles, one per role's permissions),
    the group list and the recovery list cost the same ≤ 6 queries with 3 or 23 more rows."""
    urls = [
        *(f"/{route}/list/?psize_{view}=100" for route, view in SECURITY_SCREENS.items()),
        "/recoveryview/list/?psize_RecoveryView=100",
    ]
    try:
        _grow_security_and_recoveries(app, 3)
        small = _measure_pages(app, browser, "admin", urls)
        _grow_security_and_recoveries(app, 20)
        large = _measure_pages(app, browser, "admin", urls)
    finally:
        _drop_test_roles(app)
    for url in urls:
        assert large[url][1] > small[url][1], (url, small[url], large[url])
        assert small[url][0] == large[url][0] <= MAX_QUERIES, (url, small[url], large[url])
