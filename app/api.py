"""The REST API (CONTRACT.md): one resource per screen, with the screen's permissions,
row scope and validation."""

import re

from flask import current_app, g, jsonify, request
from flask_appbuilder.api import ModelRestApi
from sqlalchemy import LargeBinary, select
from sqlalchemy.exc import DataError, SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.routing import IntegerConverter

from app.api_errors import normalize, refusal
from app.domain.errors import InvalidInput, RuleViolation, StaleRecord
from app.extensions import db
from app.security.filters import RowScope
from app.services import decisions, records
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
        if c.key != "version"
        and not c.foreign_keys
        and not c.info.get("blind_index")
        and not isinstance(c.type, LargeBinary)  # a stored file is downloaded, not JSON
    ]


def _readable(model) -> list[str]:
    """Plain columns and many-to-one relations by their key only (never a nested user row),
    and the row's `version` where it has one: a client sends it back with PUT or an action,
    and a stale one is refused with 409 (issue 15)."""
    pk = model.__mapper__.primary_key[0].key
    related = [
        f"{r.key}.{r.mapper.primary_key[0].key}"
        for r in model.__mapper__.relationships
        if r.direction.name == "MANYTOONE"
    ]
    version = ["version"] if "version" in model.__table__.c else []
    return [pk, *[c for c in _plain_columns(model) if c != pk], *version, *related]


def _writable(view_cls, columns) -> list[str]:
    """The screen's form columns, less the decision fields only a use case sets."""
    model = view_cls.model
    relations = set(model.__mapper__.relationships.keys())
    plain = set(_plain_columns(model)) - decisions.decision_fields(model)
    return [c for c in (columns or []) if c in plain or c in relations]


def current_version(model, pk) -> int | None:
    """The row's version as stored now (after a refusal, for the 409's body)."""
    if "version" not in model.__table__.c:
        return None
    column = model.__mapper__.primary_key[0]
    try:
        return db.session.scalar(select(model.version).where(column == pk))
    except SQLAlchemyError:
        db.session.rollback()
        return None


def claim_version(model, item, data) -> None:
    """`version` in a request body: refused with 409 unless it is the row's version. Taken out
    of the body (it is not a field to write); the ORM's version check covers the rest."""
    if not isinstance(data, dict) or "version" not in data or item is None:
        return
    if "version" not in model.__table__.c:
        data.pop("version")
        return
    given = data.pop("version")
    if isinstance(given, bool) or not isinstance(given, (int, str)) or not str(given).isdigit():
        raise InvalidInput(
            "version 应为读取记录时得到的版本号（整数）",
            fields={"version": "应为整数版本号"},
        )
    if int(given) != item.version:
        raise StaleRecord(version=item.version)


class AwardApi(ModelRestApi):
    view_cls = None
    allow_browser_login = False
    max_page_size = 100
    model2schemaconverter = AwardSchemaConverter

    def _refusing(self, method, *args, pk=None, **kwargs):
        g.api_saved = None
        try:
            return method(*args, **kwargs)
        except StaleRecord as exc:
            db.session.rollback()
            if exc.version is None and pk is not None:
                exc.version = current_version(self.datamodel.obj, pk)
            return refusal(exc)
        except StaleDataError:
            db.session.rollback()
            exc = StaleRecord(version=current_version(self.datamodel.obj, pk))
            return refusal(exc)
        except RuleViolation as exc:
            return refusal(exc)
        except (DataError, OverflowError):
            # A value the database cannot hold (PostgreSQL says so, SQLite overflows).
            db.session.rollback()
            return self.response(400, message="数值超出范围或格式无效，未作任何修改")
        except SQLAlchemyError:
            saved = g.get("api_saved")
            if saved is None:
                raise
            # Committed, then reading the row back failed (the connection dropped): the
            # change is stored, so the answer says so, from what was known before commit.
            db.session.rollback()
            status, body = saved
            return self.response(status, **body)

    def _body(self):
        data = request.get_json(silent=True)
        return data if isinstance(data, dict) else None

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
        try:
            decisions.ensure_not_given(self.datamodel.obj, self._body())
        except RuleViolation as exc:
            return refusal(exc)
        return self._refusing(super().post_headless)

    def put_headless(self, pk):
        if not self._known(pk):
            return self.response_404()
        data = self._body()
        try:
            decisions.ensure_not_given(self.datamodel.obj, data)
            if data is not None and "version" in data:
                item = self.datamodel.get(pk, self._base_filters)
                if item is None:
                    return self.response_404()
                claim_version(self.datamodel.obj, item, data)
        except RuleViolation as exc:  # a stale version (StaleRecord, 409) included
            return refusal(exc)
        return self._refusing(super().put_headless, pk, pk=pk)

    def delete_headless(self, pk):
        if not self._known(pk):
            return self.response_404()
        return self._refusing(super().delete_headless, pk, pk=pk)

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

    # The same use case as the screens' forms (app/services/records.py).
    def pre_add(self, item):
        records.save(item, adding=True)
        self._known_before_commit(201, item)

    def pre_update(self, item):
        records.save(item, adding=False)
        self._known_before_commit(200, item)

    def post_add(self, item):
        records.after_save(item)

    def post_update(self, item):
        records.after_save(item)

    def pre_delete(self, item):
        records.check_delete(item)
        g.api_saved = (200, {"message": "OK"})

    def post_delete(self, item):
        records.after_delete(item)  # a deleted document's file leaves the disk

    def _known_before_commit(self, status, item) -> None:
        """What the answer can say without reading the row again, should that fail after the
        commit: its key and version (flushed, so already the new one)."""
        pk = self.datamodel.get_pk_value(item)
        body = {"id": pk, "message": "已保存；读取保存后的记录失败，请稍后重新读取"}
        if "version" in self.datamodel.obj.__table__.c:
            body["version"] = item.version
        g.api_saved = (status, body)


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
    register_api_errors(appbuilder.sm.jwt_manager)
    current_app.after_request(normalize)  # one error body everywhere (app/api_errors.py)
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


def register_api_errors(jwt_manager) -> None:
    """401 for any bad token, as the OpenAPI document says (404 and 405 are app/errors.py's)."""

    def unauthorized(reason):
        return jsonify(message=f"令牌无效：{reason}"), 401

    # flask-jwt-extended answers a malformed or wrong-type token with 422 (FAB-NOTES).
    jwt_manager.invalid_token_loader(unauthorized)
