"""Baseline: Flask-AppBuilder as it comes: plain ModelViews over the same tables and columns,
the default search form, roles and permissions stored in the database."""

from flask import Flask
from flask_appbuilder import AppBuilder, ModelView
from flask_appbuilder.models.sqla.interface import SQLAInterface

import models
from app.extensions import db

from .screens import SCREENS


def _list_columns(view_name: str) -> list[str]:
    import views

    for _category, _label, _icon, items in views.MENU:
        for view_cls, _label2, _icon2 in items:
            if view_cls.__name__ == view_name:
                return list(view_cls.list_columns)
    raise KeyError(view_name)


def default_view_name(view: str) -> str:
    return view.replace("View", "DefaultView")


def create_default_fab_app(database_url: str) -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY="bench-default-fab",  # noqa: S105 - a throwaway in-process baseline
        SQLALCHEMY_DATABASE_URI=database_url,
        SQLALCHEMY_TRACK_MODIFICATIONS=False,
        WTF_CSRF_ENABLED=False,
        FAB_CREATE_DB=False,
        FAB_UPDATE_PERMS=True,  # FAB's default: permissions written to the database
        FAB_ADD_SECURITY_API=False,
        AUTH_TYPE=1,
        AUTH_ROLE_ADMIN="Admin",
        AUTH_ROLE_PUBLIC="Public",
        TESTING=True,
    )
    db.init_app(app)
    appbuilder = AppBuilder()
    with app.app_context():
        appbuilder.init_app(app, db.session)
        for screen in SCREENS:
            name = default_view_name(screen.view)
            view_cls = type(
                name,
                (ModelView,),
                {
                    "datamodel": SQLAInterface(getattr(models, screen.model)),
                    "list_columns": _list_columns(screen.view),
                },
            )
            appbuilder.add_view(view_cls, name, category="Default")
        db.session.commit()
    return app


def search_form_options(app: Flask, view: str) -> int:
    """Rows the default search form lists in its relation dropdowns for this screen."""
    from sqlalchemy import func, select

    appbuilder = app.appbuilder
    name = default_view_name(view)
    view_obj = next(v for v in appbuilder.baseviews if type(v).__name__ == name)
    total = 0
    with app.app_context():
        for column in view_obj.search_columns:
            if view_obj.datamodel.is_relation(column):
                related = view_obj.datamodel.get_related_model(column)
                total += db.session.scalar(select(func.count()).select_from(related)) or 0
        db.session.remove()
    return total


def one_page(database_url: str, view: str, size: int) -> dict:
    """One page in a fresh process (for screens whose search form lists huge tables)."""
    import time

    from sqlalchemy import event

    from bench.data import BENCH_PASSWORD

    app = create_default_fab_app(database_url)
    client = app.test_client()
    client.post("/login/", data={"username": "bench-admin", "password": BENCH_PASSWORD})
    count = [0]
    with app.app_context():
        event.listen(
            db.engine, "before_cursor_execute", lambda *a: count.__setitem__(0, count[0] + 1)
        )
    name = default_view_name(view)
    started = time.perf_counter()
    response = client.get(f"/{name.lower()}/list/?psize_{name}={size}")
    return {
        "seconds": time.perf_counter() - started,
        "queries": count[0],
        "status": response.status_code,
        "bytes": len(response.data),
    }


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(one_page(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
