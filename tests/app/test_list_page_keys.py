"""A list page with joined relations picks its page's keys from the base table first, then joins
for those keys only (issue 20): a reviewer's score-line list had joined every line of their
scope to six tables before cutting the page. The rows, their order, the pages and the count
stay those of the row scope (M-25)."""

import re

import pytest
from sqlalchemy import func, select

from bench.data import BENCH_PASSWORD
from tests.app.test_list_query_counts import _add_bench_data, _busiest_reviewer, _wipe
from tests.statements import page_sent

ROW_ID = re.compile(r'name="rowid" value="(\d+)"')
COUNT = re.compile(r"</strong>\s*([\d,]+)")


@pytest.fixture
def bench_rows(app):
    _wipe(app)
    _add_bench_data(app, 0.004, first_year=2000)
    yield _busiest_reviewer(app)
    _wipe(app)


def _page(app, browser, username, url):
    """(row ids shown, count shown, the statements of one GET after a warming one)."""
    client = browser()
    client.login(username, BENCH_PASSWORD)
    html, sent = page_sent(app, client.client, url)
    count = COUNT.search(html)
    statements = [" ".join(statement.split()) for statement, _params in sent]
    return [int(i) for i in ROW_ID.findall(html)], count and count.group(1), statements


def _scoped_line_ids(app, username) -> list[int]:
    """The reviewer's score lines by the rule's own selects (app.security.scopes), newest first."""
    from app.extensions import db
    from app.security.scopes import visible_scoresheet_ids
    from models import Reviewer, ScoreLine, User

    with app.app_context():
        rid = db.session.scalar(
            select(Reviewer.id)
            .join(User, User.id == Reviewer.user_id)
            .where(User.username == username)
        )
        ids = list(
            db.session.scalars(
                select(ScoreLine.id)
                .where(ScoreLine.scoresheet_id.in_(visible_scoresheet_ids(rid)))
                .order_by(ScoreLine.id.desc())
            )
        )
        db.session.remove()
    return ids


def _rows_statement(statements) -> str:
    (rows,) = [
        s for s in statements if s.startswith("SELECT score_line.id") and "criteria_item" in s
    ]
    return rows


def test_a_reviewers_score_line_pages_are_exactly_their_scope_in_order_M_25_issue_20(
    app, browser, bench_rows, backend
):
    reviewer = bench_rows
    expected = _scoped_line_ids(app, reviewer)
    assert len(expected) > 50  # two full pages and more
    first, count, statements = _page(
        app, browser, reviewer, "/scorelineview/list/?psize_ScoreLineView=25"
    )
    second, _count, _ = _page(
        app, browser, reviewer, "/scorelineview/list/?psize_ScoreLineView=25&page_ScoreLineView=1"
    )
    assert first == expected[:25] and second == expected[25:50]
    assert count == f"{len(expected)}" or count == f"{len(expected):,}"
    # The joins see the page's 25 keys; on PostgreSQL found through the scope, then sorted.
    rows = _rows_statement(statements)
    assert re.search(r"WHERE score_line\.id IN \(SELECT score_line\.id .* LIMIT", rows), rows[-400:]
    assert ("score_line.id + " in rows) == (backend == "postgres"), rows[-400:]


def test_the_admins_score_line_page_walks_the_primary_key_for_its_keys_issue_20(
    app, browser, bench_rows
):
    from app.extensions import db
    from models import ScoreLine

    with app.app_context():
        newest = list(
            db.session.scalars(select(ScoreLine.id).order_by(ScoreLine.id.desc()).limit(50))
        )
        total = db.session.scalar(select(func.count()).select_from(ScoreLine))
        db.session.remove()
    first, count, statements = _page(
        app, browser, "bench-admin", "/scorelineview/list/?psize_ScoreLineView=25"
    )
    second, _count, _ = _page(
        app,
        browser,
        "bench-admin",
        "/scorelineview/list/?psize_ScoreLineView=25&page_ScoreLineView=1",
    )
    assert first == newest[:25] and second == newest[25:50]
    assert count in (f"{total}", f"{total:,}")
    rows = _rows_statement(statements)
    assert re.search(r"WHERE score_line\.id IN \(SELECT score_line\.id .* LIMIT", rows), rows[-400:]
    assert "score_line.id + " not in rows, rows[-400:]  # no row scope: newest first by the index


def test_rows_joined_only_for_a_label_load_the_columns_the_label_reads_issue_20(
    app, browser, bench_rows
):
    """A score line is named by its scoresheet, which names its applicant and reviewer: the
    organization, person and reviewer are joined for their names alone, not for their 15–25
    columns (their identity numbers included). The sheet itself is a list column shown by its
    label, so it is read for its key alone (not its comment or category sums); the criteria
    item, which has no label columns declared, stays whole."""
    _ids, _count, statements = _page(
        app, browser, "bench-admin", "/scorelineview/list/?psize_ScoreLineView=25"
    )
    rows = _rows_statement(statements)
    assert "organization_1.name" in rows and "reviewer_1.code" in rows, rows[:400]
    for unread in (
        "organization_1.registered_address",
        "individual_1.id_number",
        "reviewer_1.id_number",
    ):
        assert unread not in rows, unread
    assert "scoresheet_1.id" in rows and "scoresheet_1.overall_comment" not in rows
    assert "criteria_item_1.points" in rows
