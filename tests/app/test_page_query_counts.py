"""The custom pages cost the same number of SQL statements whatever their size (issue 20): no
query per member, application, sheet or row. Each page is measured on a small and a larger
data set, after a warming request, with tests/statements.py's counter."""

from sqlalchemy import select

from app.services import eligibility as elig
from app.services import scoring, scoring_close
from bench.data import BENCH_PASSWORD
from models import ReviewGroup, Scoresheet
from tests import factories as f
from tests.app.test_eligibility_service import ORG_JUDGEMENTS, YEAR, ready_organization
from tests.app.test_eligibility_service import application as eligibility_application
from tests.app.test_list_query_counts import LARGE, SMALL, _add_bench_data, _wipe
from tests.app.test_scoring_scene import all_at, application, assign, group, reviewer
from tests.statements import page_statements


def _group(app, db, *, members: int, applications: int, year: int) -> tuple[int, list[str]]:
    """A group of `members` reviewers with logins (the first leads) holding `applications`
    eligible applications of one cycle at the material review."""
    s = db.session
    cycle = f.cycle(s, year=year, stage="material_review")
    names = [f"g{year}r{i}" for i in range(members)]
    people = [reviewer(app, s, username=n) for n in names]
    g = group(s, cycle, people)
    s.commit()
    for _ in range(applications):
        assign(s, g, application(s, cycle))
    return g.id, names


def _close(db, group_id: int, names: list[str]) -> None:
    """Every member submits every sheet, then the Office closes the group (M-19.2)."""
    s = db.session
    g = s.get(ReviewGroup, group_id)
    ids = {m.reviewer_id: m.reviewer.user.username for m in g.members}
    for sheet in s.scalars(select(Scoresheet).where(Scoresheet.group_id == group_id)).all():
        actor = scoring.Actor(ids[sheet.reviewer_id], sheet.reviewer_id)
        scoring.submit(sheet.id, actor, sheet.version, all_at(s, g.cycle, 60))
    scoring_close.close_group(group_id, scoring.Actor("office"))


def _group_page_counts(app, browser, group_id: int, names: list[str]) -> dict[str, int]:
    path = f"/reviewgroupview/composition/{group_id}"
    who = {"office": "office", "leader": names[0], "member": names[1]}
    return {role: page_statements(app, browser(user), path) for role, user in who.items()}


def test_the_group_page_costs_the_same_statements_for_3_or_7_members_and_1_or_4_applications(
    app, db, browser
):
    """Issue 20: the group page read each member's qualification and ties, and each
    application's sheets, lines, stage score and consensus sheet, one query at a time (34
    statements for 3 members and 1 application, 130 for 7 and 4, as the Office)."""
    f.user(app, "office", "Office")
    db.session.commit()
    small = _group(app, db, members=3, applications=1, year=2030)
    large = _group(app, db, members=7, applications=4, year=2031)
    open_counts = [_group_page_counts(app, browser, *g) for g in (small, large)]
    for g in (small, large):
        _close(db, *g)
    closed_counts = [_group_page_counts(app, browser, *g) for g in (small, large)]
    assert open_counts[0] == open_counts[1], open_counts
    assert closed_counts[0] == closed_counts[1], closed_counts
    assert max(closed_counts[1].values()) <= 20, closed_counts


def _cycle_pages(app) -> tuple[list[str], int]:
    """The newest bench cycle's ranking, material ranking and Office dashboard, and how many
    applications it holds."""
    from app.extensions import db
    from models import Application, AwardCycle

    with app.app_context():
        cycle = db.session.scalars(select(AwardCycle).order_by(AwardCycle.year.desc())).first()
        held = len(
            db.session.scalars(select(Application.id).where(Application.cycle_id == cycle.id)).all()
        )
        db.session.remove()
    pages = [
        f"/awardcycleview/ranking/{cycle.id}",
        f"/awardcycleview/material_ranking/{cycle.id}",
        f"/?year={cycle.year}",
    ]
    return pages, held


def _bench_counts(app, browser) -> tuple[list[int], int]:
    pages, held = _cycle_pages(app)
    client = browser()
    client.login("bench-admin", BENCH_PASSWORD)
    return [page_statements(app, client, page) for page in pages], held


def test_ranking_and_dashboard_cost_the_same_statements_for_a_small_and_a_larger_cycle(
    app, browser
):
    """Issue 20: the comprehensive ranking (M-19.5), the material-review ranking (M-19.2) and
    the Office's dashboard of the bench's ranking cycle, at two scales."""
    _wipe(app)
    try:
        _add_bench_data(app, SMALL, first_year=2000)
        small, few = _bench_counts(app, browser)
        _add_bench_data(app, LARGE, first_year=2040)
        large, many = _bench_counts(app, browser)
    finally:
        _wipe(app)
    assert many > few, (few, many)
    assert small == large, (small, large)


def test_the_eligibility_checklist_costs_the_same_statements_after_one_review_or_five(
    app, db, browser
):
    """Issue 20: the checklist (M-19.1) with one review, then with the four judgements the
    Office ticks (M-11.3, M-11.6, M-13.1, M-13.5), each adding a review and an audit entry."""
    cycle = f.cycle(db.session, year=YEAR)
    application = eligibility_application(db.session, cycle, org=ready_organization(db.session))
    f.user(app, "office", "Office")
    db.session.commit()
    path = f"/applicationview/checklist/{application.id}"
    elig.run_review(application.id, username="office")
    one = page_statements(app, browser("office"), path)
    for rule in ORG_JUDGEMENTS:
        elig.record_judgement(application.id, rule, "pass", f"{rule} 经核查符合", "office")
    five = page_statements(app, browser("office"), path)
    assert one == five, (one, five)
