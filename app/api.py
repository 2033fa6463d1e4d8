"""The REST API (CONTRACT.md): one resource per screen, with the screen's permissions,
row scope and validation."""

import re

from flask import current_app, jsonify, request
from flask_appbuilder.api import ModelRestApi
from sqlalchemy.exc import DataError
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import IntegerConverter

from app.domain.errors import RuleViolation
from app.extensions import db
from app.security.filters import RowScope
from app.services import personal_info as pii
from views import MENU, resource_name
from views.base import AwardInterface

from .api_fields import INT_MAX, AwardSchemaConverter, row_key
from .openapi import OpenApi

_VIEW_TO_API = {
    "can_list": ["can_get", "can_info"],
    "can_show": ["can_get"],
    "can_add": ["can_post"],
    "can_edit": ["can_put"],
    "can_delete": ["can_delete"],
}


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _plain_columns(model) -> list[str]:
    return [
        c.key
        for c in model.__table__.columns
        if c.key != "version" and not c.foreign_keys and not c.info.get("blind_index")
    ]


def _readable(model) -> list[str]:
    """Plain columns and many-to-one relations by their key only (never a nested user row)."""
    pk = model.__mapper__.primary_key[0].key
    related = [
        f"{r.key}.{r.mapper.primary_key[0].key}"
        for r in model.__mapper__.relationships
        if r.direction.name == "MANYTOONE"
    ]
    return [pk, *[c for c in _plain_columns(model) if c != pk], *related]


def _writable(view_cls, columns) -> list[str]:
    model = view_cls.model
    relations = set(model.__mapper__.relationships.keys())
    plain = set(_plain_columns(model))
    return [c for c in (columns or []) if c in plain or c in relations]


class AwardApi(ModelRestApi):
    view_cls = None
    allow_browser_login = False
    max_page_size = 100
    model2schemaconverter = AwardSchemaConverter

    def _refusing(self, method, *args, **kwargs):
        try:
            return method(*args, **kwargs)
        except RuleViolation as exc:
            db.session.rollback()
            return self.response(422, message=str(exc), rule=exc.rule)
        except (DataError, OverflowError):
            # A value the database cannot hold (PostgreSQL says so, SQLite overflows).
            db.session.rollback()
            return self.response(400, message="数值超出范围或格式无效，未作任何修改")

    def _known(self, pk) -> bool:
        """An id no row can have (out of range, not a number) is a 404, never a 500."""
        return row_key(self.datamodel.obj, pk) is not None

    def get_headless(self, pk, **kwargs):
        if not self._known(pk):
            return self.response_404()
        return self._refusing(super().get_headless, pk, **kwargs)

    def get_list_headless(self, **kwargs):
        return self._refusing(super().get_list_headless, **kwargs)

    def post_headless(self):
        return self._refusing(super().post_headless)

    def put_headless(self, pk):
        if not self._known(pk):
            return self.response_404()
        return self._refusing(super().put_headless, pk)

    def delete_headless(self, pk):
        if not self._known(pk):
            return self.response_404()
        return self._refusing(super().delete_headless, pk)

    def _get_list_related_field(self, field, filter_rel_field, page=None, page_size=None):
        """`_info`'s choices for a relation: the screen's own choices where it restricts them,
        otherwise only rows the user may see (a reviewer never sees a conflicted one, M-25)."""
        if not filter_rel_field:
            related = self.datamodel.get_related_model(field.name)
            key = related.__mapper__.primary_key[0].key
            filter_rel_field = [[key, RowScope, None]]
        return super()._get_list_related_field(field, filter_rel_field, page, page_size)

    def _get_field_info(self, field, filter_rel_field, page=None, page_size=None):
        info = super()._get_field_info(field, filter_rel_field, page, page_size)
        # gettext("") is the catalogue's header: no description is an empty one.
        if not self.description_columns.get(field.name):
            info["description"] = ""
        return info

    def pre_get(self, data):
        pii.mask_fields(self.datamodel.obj, data["result"])
        pii.log_full_view(self.datamodel.obj, data["id"], "接口")

    def pre_get_list(self, data):
        for row in data["result"]:
            pii.mask_fields(self.datamodel.obj, row)

    def pre_add(self, item):
        self.view_cls._guarded(self.view_cls, item, self._validate, adding=True)

    def pre_update(self, item):
        self.view_cls._guarded(self.view_cls, item, self._validate, adding=False)

    def pre_delete(self, item):
        self.view_cls.pre_delete(self.view_cls, item)

    def post_delete(self, item):
        # The screen's clean-up too (a deleted document's file leaves the disk).
        self.view_cls.post_delete(self.view_cls, item)

    def _validate(self, item, adding):
        self.view_cls.validate(self.view_cls, item, adding)


def make_api(view_cls) -> type[AwardApi]:
    model = view_cls.model
    view_perms = view_cls.base_permissions or list(_VIEW_TO_API)
    perms = sorted({p for vp in view_perms for p in _VIEW_TO_API.get(vp, [])})
    attrs = {
        "view_cls": view_cls,
        "datamodel": AwardInterface(model),
        "resource_name": snake(model.__name__),
        "base_permissions": perms,
        "list_columns": _readable(model),
        "show_columns": _readable(model),
        "add_columns": _writable(view_cls, view_cls.add_columns),
        "edit_columns": _writable(view_cls, view_cls.edit_columns),
        "base_filters": view_cls.base_filters or [],
        # A keyed hash is searched through its column's "equal to" (models/encrypted.py).
        "search_exclude_columns": [
            c.key for c in model.__table__.columns if c.info.get("blind_index")
        ],
        "base_order": view_cls.base_order or ("id", "desc"),
        "add_query_rel_fields": view_cls.add_form_query_rel_fields or {},
        "edit_query_rel_fields": view_cls.edit_form_query_rel_fields or {},
        "openapi_spec_tag": view_cls.title,
    }
    if model.__name__ == "AuditEntry":
        attrs["base_permissions"] = ["can_get", "can_info"]
    return type(f"{resource_name(view_cls)}Api", (AwardApi,), attrs)


def register_apis(appbuilder) -> None:
    for _category, _label, _icon, items in MENU:
        for view_cls, _item_label, _item_icon in items:
            appbuilder.add_api(make_api(view_cls))
    if not current_app.config.get("FAB_API_SWAGGER_UI"):
        # FAB serves /api/v1/_openapi only with its Swagger UI (which loads from the internet);
        # the document is part of the API (CONTRACT.md), for every signed-in user.
        appbuilder.add_api(OpenApi)
    register_api_errors(current_app, appbuilder.sm.jwt_manager)
    bound_integer_ids(current_app)


class BoundedInt(IntegerConverter):
    """`<int:pk>` only up to the largest id a row can have: beyond it the URL is a 404, not a
    database error (PostgreSQL's integer; SQLite overflows) - FAB-NOTES, issue 9."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)


def bound_integer_ids(app) -> None:
    app.url_map.converters["int"] = BoundedInt  # routes added from now on
    for rule in app.url_map.iter_rules():  # and those already added
        for converter in rule._converters.values():
            if type(converter) is IntegerConverter and converter.max is None:
                converter.max = INT_MAX


def register_api_errors(app, jwt_manager) -> None:
    """Answers of the API as its OpenAPI document says: JSON, and 401 for any bad token."""

    def unauthorized(reason):
        return jsonify(message=f"令牌无效：{reason}"), 401

    # flask-jwt-extended answers a malformed or wrong-type token with 422 (FAB-NOTES).
    jwt_manager.invalid_token_loader(unauthorized)

    @app.errorhandler(NotFound)
    def not_found(exc):
        if request.path.startswith("/api/"):
            return jsonify(message="记录或地址不存在"), 404
        return exc

    @app.errorhandler(MethodNotAllowed)
    def method_not_allowed(exc):
        if request.path.startswith("/api/"):
            return (
                jsonify(message="该地址不支持此方法"),
                405,
                {"Allow": ", ".join(exc.valid_methods or [])},
            )
        return exc
