"""The REST API (CONTRACT.md): one resource per screen, with the screen's permissions,
row scope and validation."""

import re

from flask_appbuilder.api import ModelRestApi

from app.domain.errors import RuleViolation
from app.extensions import db
from views import MENU, resource_name
from views.base import AwardInterface

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
    return [c.key for c in model.__table__.columns if c.key != "version" and not c.foreign_keys]


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

    def _refusing(self, method, *args, **kwargs):
        try:
            return method(*args, **kwargs)
        except RuleViolation as exc:
            db.session.rollback()
            return self.response(422, message=str(exc), rule=exc.rule)

    def post_headless(self):
        return self._refusing(super().post_headless)

    def put_headless(self, pk):
        return self._refusing(super().put_headless, pk)

    def delete_headless(self, pk):
        return self._refusing(super().delete_headless, pk)

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
        "base_order": view_cls.base_order or ("id", "desc"),
        "openapi_spec_tag": view_cls.title,
    }
    if model.__name__ == "AuditEntry":
        attrs["base_permissions"] = ["can_get", "can_info"]
    return type(f"{resource_name(view_cls)}Api", (AwardApi,), attrs)


def register_apis(appbuilder) -> None:
    for _category, _label, _icon, items in MENU:
        for view_cls, _item_label, _item_icon in items:
            appbuilder.add_api(make_api(view_cls))
