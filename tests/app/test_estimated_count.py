"""A very large unfiltered list on PostgreSQL shows the planner's estimate ("约 N 条") instead
of an exact count(*) of every row (issue 20); filtered or small lists, and SQLite, stay exact."""

from views import base
from views.base import EstimatedCount


def test_an_estimated_count_reads_as_about_n_and_counts_as_a_number_issue_20(app):
    with app.test_request_context("/"):
        count = EstimatedCount(920000)
        assert str(count) == "约 920,000"
        assert count.__html__() == "约 920,000"
    assert count + 0 == 920000 and count // 25 == 36800


def test_the_organization_list_is_estimated_only_when_unfiltered_on_postgresql_issue_20(
    app, demo, browser, backend, monkeypatch
):
    from app.extensions import db
    from models import Organization

    with app.app_context():
        exact = db.session.query(Organization).count()
        if backend == "postgres":
            with db.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE organization")
        db.session.remove()
    monkeypatch.setattr(base, "ESTIMATE_ABOVE", 0)
    client = browser("admin")
    page = client.get("/organizationview/list/").get_data(as_text=True)
    if backend == "postgres":
        assert "约 " in page
    else:
        assert "约 " not in page and f"</strong> {exact}" in page
    searched = client.get("/organizationview/list/?_flt_2_name=公司").get_data(as_text=True)
    assert "约 " not in searched
