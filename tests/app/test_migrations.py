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
