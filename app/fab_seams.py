"""Every place where the app replaces a piece of Flask-AppBuilder 5.3, in one module. Each
replacement marks itself, so installing twice is harmless; tests/app/test_fab_seams.py checks
that each is in place and tests/app/test_database_away.py the FAB code the first relies on.

- `BaseApi.response_500` (called by `flask_appbuilder.api.safe`): a database or counter store
  that is away and a value the database refuses go on to app/errors.py's handlers;
- `flask_appbuilder.models.sqla.filters.set_value_to_type`: a decimal column's filter value
  becomes a Decimal;
- the view function of every model view's `/<view>/download/<filename>`: a 404;
- `User.get_full_name` (FAB's navbar, user lists, `repr`): a Chinese name without the space
  FAB puts between first and last name ("系统管理员", not "系 统管理员")."""

import sys
from decimal import Decimal, InvalidOperation

from flask import abort
from sqlalchemy import Float, Numeric
from sqlalchemy.exc import DataError

from app import errors


def install(app) -> None:
    route_fab_api_errors()
    convert_decimal_filter_values()
    close_generic_downloads(app)
    join_chinese_names()


def join_chinese_names() -> None:
    """FAB 5.3's `User.get_full_name` returns f"{first_name} {last_name}"."""
    from flask_appbuilder.security.sqla.models import User

    from app.services.people import join_name

    if getattr(User.get_full_name, "award_joined", False):
        return

    def get_full_name(self):
        return join_name(self.first_name, self.last_name)

    get_full_name.award_joined = True
    User.get_full_name = get_full_name


def route_fab_api_errors() -> None:
    """FAB's `@safe` answers any exception of an API method with its own 500 ("Fatal error"),
    inside its `except` block: a database that is away and a value the database refuses are
    raised on to app/errors.py's handlers instead (503, 400). FAB 5.3: `api.safe` calls
    `BaseApi.response_500(message=...)` (tests/app/test_database_away.py checks both)."""
    from flask_appbuilder.api import BaseApi

    original = BaseApi.response_500
    if getattr(original, "award_routed", False):
        return

    def response_500(self, message=None):
        exc = sys.exc_info()[1]
        if isinstance(exc, (*errors.DB_AWAY, *errors._counter_store_errors(), DataError)):
            raise exc
        return original(self, message=message)

    response_500.award_routed = True
    BaseApi.response_500 = response_500


def convert_decimal_filter_values() -> None:
    """FAB's list filters pass a decimal column's value on as text, which PostgreSQL refuses to
    compare with `numeric` (a 500 for any search on an amount or a total). FAB 5.3's filter
    classes look `set_value_to_type` up in their module at call time: the value becomes a
    Decimal (None, matching nothing, when it is not a number)."""
    from flask_appbuilder.models.sqla import filters

    original = filters.set_value_to_type
    if getattr(original, "award_decimal", False):
        return

    def set_value_to_type(datamodel, column_name, value):
        column = datamodel.obj.__table__.c.get(column_name)
        if column is not None and _is_decimal(column) and not isinstance(value, Decimal):
            try:
                number = Decimal(str(value))
            except (InvalidOperation, ValueError):
                return None
            return number if number.is_finite() and abs(number) < 10**15 else None
        return original(datamodel, column_name, value)

    set_value_to_type.award_decimal = True
    filters.set_value_to_type = set_value_to_type


def _is_decimal(column) -> bool:
    return isinstance(column.type, Numeric) and not isinstance(column.type, Float)


GENERIC_DOWNLOAD = "/download/<string:filename>"


def close_generic_downloads(app) -> None:
    """Flask-AppBuilder gives every model view `/<view>/download/<filename>`, which sends any
    file of UPLOAD_FOLDER to whoever may read the view (and fails with IndexError or
    FileNotFoundError otherwise). No screen serves files through it (documents have their own
    scoped, logged route): every such route answers 404."""
    for rule in app.url_map.iter_rules():
        if rule.rule.endswith(GENERIC_DOWNLOAD):
            app.view_functions[rule.endpoint] = _closed


def _closed(**_kwargs):
    abort(404)
