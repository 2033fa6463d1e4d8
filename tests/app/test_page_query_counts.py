"""The custom pages cost the same number of SQL statements whatever their size (issue 20): no
query per member, application, sheet or row. Each page is measured on a small and a larger
data set, after a warming request, with tests/statements.py's counter."""

from sqlalchemy import select

from app.services import scoring, scoring_close
from models import ReviewGroup, Scoresheet
from tests import factories as f
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
