"""A reviewer's scope is read once per request (issue 8) but never outlives a write: once the
reviewer declares an interest in an applicant, that application leaves their scope within the
same request (M-25)."""

from flask import g
from sqlalchemy import select

from app.security import scopes
from models import Application, InterestDeclaration, Scoresheet, User
from tests.app.test_scoring_scene import build
from tests.statements import Counter


def _visible(db, model):
    return {row.id for row in scopes.scope(model, db.session.query(model.id)).all()}


def test_a_declaration_in_the_same_request_removes_the_application_from_scope_M_25(app, db):
    scene = build(app, db)
    db.session.commit()
    user = db.session.scalar(select(User).where(User.username == "rv1"))
    with app.test_request_context("/"):
        g.user = user
        assert _visible(db, Application) == {scene.app.id}
        own_sheets = _visible(db, Scoresheet)
        assert own_sheets
        db.session.add(
            InterestDeclaration(
                reviewer_id=scene.reviewers[0].id,
                organization_id=scene.app.organization_id,
                kind="gift",
                source="declared",
            )
        )
        db.session.flush()
        assert _visible(db, Application) == set()
        assert _visible(db, Scoresheet) == set()
    db.session.rollback()


def test_the_scope_is_read_once_for_a_list_pages_count_and_rows(app, db):
    scene = build(app, db)
    db.session.commit()
    # Signed in as a request signs in: the login loads the user with their reviewer id.
    rv1 = db.session.scalar(select(User.id).where(User.username == "rv1"))
    user = app.appbuilder.sm.load_user(rv1)
    with app.test_request_context("/"):
        g.user = user
        first = _visible(db, Scoresheet)
        with Counter(db.engine) as counter:
            second = _visible(db, Scoresheet)
    assert first == second and first
    assert counter.count == 1  # the second use runs only its own query
    assert {sheet.application_id for sheet in db.session.scalars(select(Scoresheet))} == {
        scene.app.id
    }
