"""Application factory with register_* helpers."""

import os
from pathlib import Path

from flask import Flask

from config import ProductionConfig, config_for

from .extensions import csrf, db, migrate, new_appbuilder


def create_app(config_name: str | None = None, **overrides) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(Path(__file__).resolve().parent.parent / "instance"),
        template_folder="templates",
        static_folder="static",
    )
    config_cls = config_for(config_name)
    app.config.from_object(config_cls)
    app.config.update(overrides)
    from .security.roles import fab_roles

    app.config["FAB_ROLES"] = fab_roles()
    register_production_guards(app, config_cls)
    from .request_log import register_request_log

    register_request_log(app)
    os.makedirs(app.config["UPLOAD_DIR"], exist_ok=True)
    register_extensions(app)
    register_commands(app)
    if issubclass(config_cls, ProductionConfig):
        refuse_demo_passwords(app)
    return app


def register_production_guards(app: Flask, config_cls) -> None:
    from config import DEV_SECRET_KEY, ProductionConfig

    if issubclass(config_cls, ProductionConfig) and app.config["SECRET_KEY"] == DEV_SECRET_KEY:
        raise RuntimeError("生产环境必须通过环境变量 SECRET_KEY 设置密钥，拒绝使用开发密钥启动")


DEMO_USERNAMES = (
    "admin",
    "office",
    "leader1",
    "reviewer1",
    "reviewer2",
    "reviewer3",
    "reviewer4",
    "committee1",
    "recommender1",
)


def refuse_demo_passwords(app: Flask) -> None:
    """Production refuses to start while a demo account still has the demo password.

    Only the demo accounts are checked: one password hash each, whatever the number of users."""
    from sqlalchemy import inspect as sa_inspect
    from sqlalchemy import select
    from werkzeug.security import check_password_hash

    with app.app_context():
        if "ab_user" not in sa_inspect(db.engine).get_table_names():
            return
        user_model = app.appbuilder.sm.user_model
        rows = db.session.execute(
            select(user_model.username, user_model.password).where(
                user_model.username.in_(DEMO_USERNAMES)
            )
        ).all()
        demo = app.config["DEMO_PASSWORD"]
        weak = [name for name, hashed in rows if hashed and check_password_hash(hashed, demo)]
        db.session.remove()
    if weak:
        raise RuntimeError(
            f"生产环境拒绝启动：演示用户 {'、'.join(weak)} 仍在使用演示密码，请先修改密码"
        )


def register_extensions(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _sqlite_foreign_keys()
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).resolve().parent.parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    appbuilder = new_appbuilder()
    with app.app_context():
        appbuilder.init_app(app, db.session)
        from views import register_views

        register_views(appbuilder)
        from views.rendering import register as register_rendering

        register_rendering(app)
        from .api import register_apis

        register_apis(appbuilder)
        from .api_actions import register_all

        register_all(appbuilder)
        appbuilder.post_init()
    from .public import public_bp

    app.register_blueprint(public_bp)
    from .errors import register_error_handlers

    register_error_handlers(app)


def _on_connect(dbapi_connection, _record) -> None:
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _sqlite_foreign_keys() -> None:
    """SQLite enforces foreign keys only when asked, per connection (FAB-NOTES)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)


def register_commands(app: Flask) -> None:
    from .cli import award_cli

    app.cli.add_command(award_cli)
