"""The OpenAPI document at /api/v1/_openapi, corrected where FAB's generated one disagrees with
what the API answers (issue 9: schemathesis checks every answer against it).

FAB documents neither 403 (a role without the permission) nor, for hand-written endpoints, any
answer at all; it types ids as strings, naive datetimes as RFC 3339 `date-time`, decimals
(sent as strings) as numbers, nullable relations as objects, `_info`'s column lists as objects
and a 400's field errors as a string. Each is corrected here, once, for every resource."""

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app, request
from flask_appbuilder.api import BaseApi, expose, protect, safe
from flask_appbuilder.api.manager import OpenApi as FabOpenApi
from flask_appbuilder.api.manager import resolver
from sqlalchemy import Integer

DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$"
DECIMAL = r"^-?\d{1,18}(\.\d{1,8})?$"
JSON_OBJECT = {"application/json": {"schema": {"type": "object"}}}
_STANDARD = {
    "400": "请求格式或字段无效，未作任何修改（message 可为按字段列出的错误）",
    "401": "未登录、令牌无效或已过期",
    "403": "当前角色无此权限",
    "404": "记录不存在或不在当前用户可见范围内",
    "422": "违反评定规则，未作任何修改；message 为中文说明，rule 为规则编号",
    "405": "该地址不支持此方法：路径中的编号不是数字时，地址只对应修改和删除",
    "409": "记录已被他人修改（请求中的 version 不是当前版本），未作任何修改；version 为当前版本",
}


def _models() -> tuple[dict[str, Any], dict[str, Any]]:
    """(API class name -> model, resource path prefix -> model) of the generated resources."""
    from app.api import AwardApi

    by_class, by_path = {}, {}
    for view in current_app.appbuilder.baseviews:
        if isinstance(view, AwardApi):
            model = view.datamodel.obj
            by_class[type(view).__name__] = model
            by_path[f"{view.route_base}/"] = model
    return by_class, by_path


def _key_schema(model) -> dict:
    column = model.__mapper__.primary_key[0]
    return {"type": "integer"} if isinstance(column.type, Integer) else {"type": "string"}


def _nullable_targets(model) -> set[str]:
    return {
        rel.mapper.class_.__name__
        for rel in model.__mapper__.relationships
        if rel.direction.name == "MANYTOONE" and any(c.nullable for c in rel.local_columns)
    }


def _fix_property(prop: dict) -> None:
    if prop.get("format") == "date-time":
        del prop["format"]
        prop["pattern"] = DATETIME
        prop.setdefault("description", "UTC 时间，ISO 8601 格式，不带时区")
    elif prop.get("type") == "number":
        # Numeric columns are Decimal: sent and received as strings, never rounded; the
        # column's range is checked on input (400), not expressible on a string.
        for bound in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            prop.pop(bound, None)
        prop["type"] = "string"
        prop["pattern"] = DECIMAL
        prop.setdefault("description", "十进制数，以字符串表示")


def _fix_component(name: str, schema: dict, by_class: dict) -> None:
    api, _, rest = name.partition(".")
    model = by_class.get(api)
    for prop in (schema.get("properties") or {}).values():
        _fix_property(prop)
    if model is None:
        return
    if "." in rest:  # a related row nested in a list or show answer: `{id}`, or null
        if rest.split(".", 1)[1] in _nullable_targets(model):
            schema["nullable"] = True
        return
    if rest == "put" and "version" in model.__table__.c:
        # Taken by the API before the body is loaded (app/api.py `claim_version`).
        schema.setdefault("properties", {})["version"] = {
            "type": "integer",
            "description": "读取记录时得到的版本号；不是当前版本时拒绝（409），不作修改",
        }
    if rest in ("post", "put"):
        relations = model.__mapper__.relationships
        for key, prop in (schema.get("properties") or {}).items():
            if key in relations and relations[key].direction.name == "MANYTOONE":
                rel = relations[key]
                prop.clear()
                prop.update(_key_schema(rel.mapper.class_))
                prop["description"] = f"{rel.mapper.class_.__name__} 的编号（须为已有记录）"
                if any(c.nullable for c in rel.local_columns):
                    prop["nullable"] = True


def _fix_inline(path: str, method: str, op: dict, by_path: dict) -> None:
    model = next((m for prefix, m in by_path.items() if path.startswith(prefix)), None)
    for code, response in op.get("responses", {}).items():
        schema = (response.get("content") or {}).get("application/json", {}).get("schema", {})
        props = schema.get("properties") or {}
        if model is not None and code.startswith("2"):
            if "ids" in props:
                props["ids"]["items"] = _key_schema(model)
            if "id" in props:
                props["id"].update(_key_schema(model))
        if path.endswith("/_info"):
            for key in ("add_columns", "edit_columns"):
                if key in props:
                    props[key] = {"type": "array", "items": {"type": "object"}}


def _fix_operation(path: str, method: str, op: dict) -> None:
    responses = op.setdefault("responses", {})
    if not any(str(code).startswith("2") for code in responses):
        responses["200"] = {"description": "已办理", "content": dict(JSON_OBJECT)}
    if path.startswith("/api/v1/security/"):
        responses.setdefault("401", {"$ref": "#/components/responses/401"})
        return
    for code in _STANDARD:
        if code in ("404", "405") and "{" not in path:
            continue
        responses.setdefault(code, {"$ref": f"#/components/responses/{code}"})
    declared = {p.get("name") for p in op.get("parameters", []) if p.get("in") == "path"}
    for name in re.findall(r"{(\w+)}", path):
        if name not in declared:
            op.setdefault("parameters", []).append(
                {"in": "path", "name": name, "required": True, "schema": {"type": "integer"}}
            )
    for param in op.get("parameters", []):
        if param.get("in") == "path" and param.get("schema", {}).get("type") == "integer":
            param["schema"].update(minimum=1, maximum=2**31 - 1)


# Paths of the older action patterns, kept working (CONTRACT) and documented as deprecated:
# the one pattern is /api/v1/<resource>/{pk}/<action> (issue 15).
DEPRECATED = (
    (re.compile(r"^/api/v1/award_cycle_action/"), "/api/v1/award_cycle/{pk}/<操作>"),
    (re.compile(r"^/api/v1/application_action/"), "/api/v1/application/{pk}/<操作>"),
    (re.compile(r"/send-back$"), "/api/v1/follow_up_report/{pk}/send_back"),
)


def _mark_deprecated(path: str, op: dict) -> None:
    for pattern, instead in DEPRECATED:
        if pattern.search(path):
            op["deprecated"] = True
            note = f"已废弃：请改用 {instead}（同一操作，统一路径）"
            if note not in op.get("description", ""):
                op["description"] = f"{op.get('description', '')} {note}".strip()


def correct(doc: dict) -> dict:
    by_class, by_path = _models()
    components = doc.setdefault("components", {})
    for code, text in _STANDARD.items():
        # One error body everywhere (app/api_errors.py): message, rule, fields.
        properties = {
            "message": {"type": "string", "description": "中文说明，含规则编号"},
            "rule": {"type": "string", "nullable": True, "description": "规则编号（如 M-10.3）"},
            "fields": {
                "type": "object",
                "nullable": True,
                "additionalProperties": {"type": "string"},
                "description": "按字段列出的错误",
            },
        }
        if code == "409":
            properties["version"] = {"type": "integer", "nullable": True}
        response = components.setdefault("responses", {}).setdefault(code, {})
        response["description"] = text
        response["content"] = {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["message", "rule", "fields"],
                    "properties": properties,
                }
            }
        }
    for name, schema in components.get("schemas", {}).items():
        _fix_component(name, schema, by_class)
    menu = doc.get("paths", {}).get("/api/v1/menu/", {}).get("get")
    if menu:  # FAB's menu lists separators as the string "-" among its items
        items = menu["responses"]["200"]["content"]["application/json"]["schema"]
        childs = items["properties"]["result"]["items"]["properties"]["childs"]
        childs["items"] = {"anyOf": [{"type": "object"}, {"type": "string"}]}
    for path, operations in doc.get("paths", {}).items():
        for method, op in operations.items():
            if isinstance(op, dict) and method in ("get", "post", "put", "delete", "patch"):
                _fix_inline(path, method, op, by_path)
                _fix_operation(path, method, op)
                _mark_deprecated(path, op)
    return doc


class OpenApi(FabOpenApi):
    """FAB's OpenAPI endpoint, for every signed-in user, serving the corrected document.

    The document depends only on the API classes registered at start and the address asked
    for, so it is built once per (version, address) and kept on the app: building it parses
    the YAML of every operation's docstring, about a second of CPU, which every client that
    reads the document paid on each request. `get` does what FAB's does (the same APISpec
    arguments, every API of the version added with FAB's public `add_api_spec`), then corrects
    and keeps the result; tests/app/test_openapi_document.py holds it equal to FAB's own."""

    @expose("/<version>/_openapi")
    @protect()
    @safe
    def get(self, version):
        kept = current_app.extensions.setdefault("award_openapi", {})
        key = (version, request.host_url)
        if key not in kept:
            doc = build_document(version)
            if doc is None:
                return self.response_404()
            kept[key] = correct(doc)
        return FabOpenApi.response(200, **kept[key])

    get.__doc__ = FabOpenApi.get.__doc__  # FAB documents this endpoint from its docstring


def build_document(version: str) -> dict | None:
    """FAB's OpenAPI document for `version` (as its OpenApi.get builds it), uncorrected; None
    when no API has that version."""
    spec = APISpec(
        title=current_app.appbuilder.app_name,
        version=version,
        openapi_version="3.0.2",
        info=dict(description=current_app.appbuilder.app_name),
        plugins=[MarshmallowPlugin(schema_name_resolver=resolver)],
        servers=current_app.config.get("FAB_OPENAPI_SERVERS", [{"url": request.host_url}]),
    )
    found = False
    for api in current_app.appbuilder.baseviews:
        if isinstance(api, BaseApi) and api.version == version:
            api.add_api_spec(spec)
            found = True
    return spec.to_dict() if found else None
