"""Every place where the app replaces a piece of Flask-AppBuilder 5.3, in one module. Each
replacement marks itself, so installing twice is harmless; tests/app/test_fab_seams.py checks
that each is in place and tests/app/test_database_away.py the FAB code the first relies on.

- `BaseApi.response_500` (called by `flask_appbuilder.api.safe`): a database or counter store
  that is away and a value the database refuses go on to app/errors.py's handlers;
- `flask_appbuilder.models.sqla.filters.set_value_to_type`: a decimal column's filter value
  becomes a Decimal;
- the view function of every model view's `/<view>/download/<filename>`: a 404;
- `User.get_full_name` (FAB's navbar, user lists, `repr`): a Chinese name without the space
  FAB puts between first and last name ("系统管理员", not "系 统管理员");
- the `jsonschema` that `flask_appbuilder.api` imported (`@rison(schema)` on every API list,
  item and info call): each schema checked against its meta-schema once, not per request.

Everything else extends FAB at its public seams (class attributes, `apply_all`, `get_filters`,
`merge_*_field_info`, `get_user_menu_access`, widgets, werkzeug's `url_map.converters`). What
is left private, with the reason no public seam serves, is listed in `PRIVATE_OVERRIDES`, FAB
code repeated with a change in `FAB_SOURCES`, and the templates copied from FAB in
`COPIED_TEMPLATES`: tests/app/test_fab_seams.py fails, naming the method or the template, when
the installed FAB's signature or source differs from the one these were written against (FAB is
pinned to that minor version in pyproject.toml)."""

import sys
from decimal import Decimal, InvalidOperation

from flask import abort
from sqlalchemy import Float, Numeric
from sqlalchemy.exc import DataError

from app import errors

FAB_TESTED = "5.3"

# "module.Class.method" -> (its parameters in FAB 5.3, where we override it and why).
PRIVATE_OVERRIDES = {
    "flask_appbuilder.baseviews.BaseCRUDView._init_properties": (
        "self",
        "views/base.py AwardModelView: FAB rebuilds edit_columns from edit_fieldsets here, "
        "before the forms are made; the stale-form guard's hidden field is added after it",
    ),
    "flask_appbuilder.security.manager.BaseSecurityManager._has_access_builtin_roles": (
        "self, role, permission_name, view_name",
        "app/security/manager.py: the FAB_ROLES answers remembered per app (65 checks a page)",
    ),
    "flask_appbuilder.models.sqla.interface.SQLAInterface._query_join_relation": (
        "self, query, root_relation, aliases_mapping=None",
        "views/base.py AwardInterface: each relation's alias made once, not on every API list "
        "and count (no public hook; FAB's source is held by FAB_SOURCES)",
    ),
    "flask_appbuilder.api.convert.Model2SchemaConverter._column2relation": (
        "self, datamodel, column, nested=False, parent_schema_name=None",
        "app/api_fields.py: a written relation must name an existing row (no public hook)",
    ),
    "flask_appbuilder.api.convert.Model2SchemaConverter._column2field": (
        "self, datamodel, column, nested=True, parent_schema_name=None",
        "app/api_fields.py: range and NUL checks on every written column (no public hook)",
    ),
}
# Public FAB functions replaced or extended here and in app/security/manager.py, whose
# parameters the replacements repeat.
REPLACED_PUBLIC = {
    "flask_appbuilder.api.BaseApi.response_500": "self, message=None",
    "flask_appbuilder.models.sqla.filters.set_value_to_type": "datamodel, column_name, value",
    "flask_appbuilder.security.manager.BaseSecurityManager.get_user_menu_access": (
        "self, menu_names=None"
    ),
    "flask_appbuilder.security.manager.BaseSecurityManager.is_item_public": (
        "self, permission_name, view_name"
    ),
}
# FAB functions our code repeats with a change -> SHA-256 of their source in FAB 5.3.
FAB_SOURCES = {
    "flask_appbuilder.models.sqla.interface.SQLAInterface._query_join_relation": (
        "770f2eb6d54c73425e8a116890fc709c731631625b4dc9e873121518513b51db"
    ),
}
# A module FAB imported, replaced in FAB's module -> (the line FAB 5.3's source must still hold
# for the replacement to be the one called, where and why).
REPLACED_IMPORTS = {
    "flask_appbuilder.api.jsonschema": (
        'jsonschema.validate(instance=kwargs["rison"], schema=schema)',
        "app/fab_seams.py check_rison_schemas_once: the schema's meta-schema check, nine tenths "
        "of the call, ran on every API request with ?q=",
    ),
}
# FAB template -> (our copy, SHA-256 of FAB 5.3's original). The copies differ by the lines
# their header comment names; views/rendering.py rebuilds lib.html's row-button macro.
COPIED_TEMPLATES = {
    "appbuilder/general/alert.html": (
        "app/templates/appbuilder/general/alert.html",
        "a1d8f674dcdba29725488ee3557c0e0e7aea635f39012613c9284be38da2a31f",
    ),
    "appbuilder/general/confirm.html": (
        "app/templates/appbuilder/general/confirm.html",
        "b40fa102c061f75bc43de5b65b90f4858d1b5fe8d223ad49c99c0e894125c062",
    ),
    "appbuilder/general/widgets/list.html": (
        "app/templates/appbuilder/general/widgets/list.html",
        "2a0fad48fe42239c756dbc963dcefa3cba1181c6d699378bc811dd081ebdb662",
    ),
    "appbuilder/general/widgets/roles/list.html": (  # its rows block, on our list.html
        "app/templates/appbuilder/general/widgets/roles/list.html",
        "fbf2cb3dbc25ccb6673f8478c3e87bb1c170c22a7663f889ee9e94650bbca818",
    ),
    "appbuilder/general/lib.html": (  # its `btn_crud` macro, rebuilt once per page in Python
        "views/rendering.py",
        "d91fc4025d4fc213f0b3f62190af4157bf392b0db5b650fc6231fc2df98f5129",
    ),
    "appbuilder/navbar.html": (  # the navbar block, with the notification bell
        "app/templates/award/base.html",
        "140e7b7ef55a8b66b8adfa25bec7703fb07ad4ffc6c9f2e374e1f2914744de07",
    ),
}


def install(app) -> None:
    route_fab_api_errors()
    convert_decimal_filter_values()
    close_generic_downloads(app)
    join_chinese_names()
    check_rison_schemas_once()


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


class RisonSchemas:
    """`jsonschema` as `flask_appbuilder.api` uses it (`validate`, `ValidationError`), with
    `validate` keeping one validator per schema. `jsonschema.validate` checks the schema itself
    against its meta-schema before every validation; FAB's rison schemas are module constants,
    so each is checked once, by the first request that sends `?q=`, and raises as before if it
    is not a valid schema. The argument is validated as `jsonschema.validate` does (the best
    match of its errors raised)."""

    award_compiled = True

    def __init__(self, module):
        self._module = module
        self._validators = {}  # id(schema) -> (schema, its validator)

    def validate(self, instance, schema):
        kept = self._validators.get(id(schema))
        if kept is None or kept[0] is not schema:
            cls = self._module.validators.validator_for(schema)
            cls.check_schema(schema)
            kept = self._validators[id(schema)] = (schema, cls(schema))
        error = self._module.exceptions.best_match(kept[1].iter_errors(instance))
        if error is not None:
            raise error

    def __getattr__(self, name):  # ValidationError and the rest, as the module has them
        return getattr(self._module, name)


def check_rison_schemas_once() -> None:
    """FAB 5.3's `rison` decorator calls `jsonschema.validate(instance=..., schema=schema)`,
    looking `jsonschema` up in its module at call time."""
    from flask_appbuilder import api

    if getattr(api.jsonschema, "award_compiled", False):
        return
    api.jsonschema = RisonSchemas(api.jsonschema)


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
    response_500.award_original = original
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
    set_value_to_type.award_original = original
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
