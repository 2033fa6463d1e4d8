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
