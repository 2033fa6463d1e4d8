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
    from views import menu_categories

    from .security.roles import fab_roles

    app.config["FAB_ROLES"] = fab_roles(menu_categories())
    validator = app.config.get("FAB_PASSWORD_COMPLEXITY_VALIDATOR")
    if isinstance(validator, str):  # FAB calls it: a dotted name in config becomes the function
        from werkzeug.utils import import_string

        app.config["FAB_PASSWORD_COMPLEXITY_VALIDATOR"] = import_string(validator)
    register_production_guards(app, config_cls)
    from .request_log import register_request_log

    register_request_log(app)
    os.makedirs(app.config["UPLOAD_DIR"], exist_ok=True)
    register_extensions(app)
    register_commands(app)
    if issubclass(config_cls, ProductionConfig):
        refuse_demo_passwords(app)
        from .security.duties import refuse_combined_duties

        refuse_combined_duties(app)
    return app


def register_production_guards(app: Flask, config_cls) -> None:
    """Production refuses to start on a development key or one shorter than KEY_MIN_BYTES."""
    if not issubclass(config_cls, ProductionConfig):
        return
    from config import DEV_AUDIT_KEY, DEV_PII_KEY, DEV_SECRET_KEY, KEY_MIN_BYTES

    from .security.crypto import PiiKeyError

    for name, development_key, what, error in (
        ("SECRET_KEY", DEV_SECRET_KEY, "会话签名密钥（身份鉴别）", RuntimeError),
        ("AUDIT_KEY", DEV_AUDIT_KEY, "审计密钥（M-3）", RuntimeError),
        ("PII_KEY", DEV_PII_KEY, "个人信息加密密钥", PiiKeyError),
    ):
        value = app.config.get(name) or ""
        if value == development_key or len(value.encode("utf-8")) < KEY_MIN_BYTES:
            raise error(
                f"生产环境必须通过环境变量 {name} 设置至少 {KEY_MIN_BYTES} 字节的{what}，"
                "拒绝使用开发密钥或过短的密钥启动"
            )


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
    "sysadmin",
    "auditor1",
    "applicant1",
    "applicant2",
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
    from . import app_state, read_transactions

    with app.app_context():
        read_transactions.register(db.engine)

    app_state.init_app(app)  # this app's caches, before anything fills them
    from .api import bound_integer_ids

    bound_integer_ids(app)  # before any route is added
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
    # After FAB's models are mapped: its users and roles are audited like the award's tables.
    from .services.audit_capture import register as register_audit_capture

    register_audit_capture(app)
    from .security import scopes

    scopes.register(app)
    from .public import public_bp

    app.register_blueprint(public_bp)
    from .errors import register_error_handlers

    register_error_handlers(app)
    from .security import session_guard

    session_guard.register(app)


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
