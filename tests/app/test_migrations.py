"""Alembic owns the schema: an empty database upgrades to head and matches the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect


def test_an_empty_database_upgrades_to_head_and_matches_the_models(empty_database_url):
    from app import create_app
    from app.extensions import db

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade()
        engine = db.engine
        tables = set(inspect(engine).get_table_names())
        # The first revision holds FAB's security tables as well as the award's.
        assert {
            "ab_user",
            "ab_role",
            "organization",
            "application",
            "scoresheet",
            "audit_entry",
        } <= tables
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        db.session.remove()
        db.engine.dispose()


def test_upgrading_twice_changes_nothing(empty_database_url):
    from app import create_app
    from app.extensions import db

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade()
        upgrade()
        engine = create_engine(empty_database_url)
        assert "alembic_version" in inspect(engine).get_table_names()
        engine.dispose()
        db.engine.dispose()


def test_the_database_itself_refuses_a_quota_above_two_m4(empty_database_url):
    """M-4 holds in the database too: a cycle changed around the app (raw SQL) to 3 winners of
    a prize is refused by the check constraint the migrations create."""
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from app import create_app
    from app.extensions import db
    from seed.reference import load_reference
    from tests import factories as f

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade()
        load_reference(db.session)
        cycle = f.cycle(db.session)
        db.session.commit()
        for column in ("award_quota", "nomination_quota"):
            with pytest.raises(IntegrityError, match="quotas"):
                with db.engine.begin() as conn:
                    conn.execute(
                        text(f"UPDATE award_cycle SET {column} = 3 WHERE id = :id"),
                        {"id": cycle.id},
                    )
        db.session.remove()
        db.engine.dispose()


def test_the_migration_gives_every_submitted_sheet_its_sums_from_its_lines_M_19_2(
    empty_database_url,
):
    """issue 20: upgraded from the revision before, each sheet already submitted gets the
    category sums its lines add up to (the same the submit use case stores), a draft none;
    no score line is lost on the way down or up (SQLite recreates the table for the check)."""
    import random

    from flask_migrate import downgrade
    from sqlalchemy import select, text

    from app import create_app
    from app.extensions import db
    from app.services import scoring
    from models import ScoreLine, Scoresheet
    from seed.reference import load_reference
    from tests.app.test_scoring_scene import build, item_codes
    from tests.conftest import _approve_criteria

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade()
        app.appbuilder.sm.sync_roles()
        load_reference(db.session)
        _approve_criteria(db.session)
        db.session.commit()
        scene = build(app, db, members=3)
        rng = random.Random(20)
        codes = item_codes(db.session, scene.cycle)
        for i in (0, 1):
            sheet = scene.sheet(db.session, i)
            entries = {c: {"percent": 5 * rng.randint(0, 20)} for c in codes}
            scoring.submit(sheet.id, scene.actor(i), sheet.version, entries)
        draft = scene.sheet(db.session, 2)
        scoring.save(draft.id, scene.actor(2), draft.version, {codes[0]: {"percent": 50}})
        draft_id = draft.id
        select_sums = select(Scoresheet.id, Scoresheet.category_sums)
        stored = dict(db.session.execute(select_sums).all())
        lines = db.session.query(ScoreLine).count()
        db.session.remove()

        downgrade(revision="applicants_online")
        engine = create_engine(empty_database_url)
        assert "category_sums" not in {c["name"] for c in inspect(engine).get_columns("scoresheet")}
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM score_line")).scalar() == lines
        upgrade()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM score_line")).scalar() == lines
        backfilled = dict(db.session.execute(select_sums).all())
        assert backfilled == stored
        assert backfilled[draft_id] is None
        assert sum(v is not None for v in backfilled.values()) == 2
        db.session.remove()
        engine.dispose()
        db.engine.dispose()
