"""What every action endpoint shares: one pattern, `/api/v1/<resource>/<pk>/<action>`, the
request body, the optional `version` of the row (a stale one is a 409 with the current
version), refusals answered with the one error body and status per kind, and an answer built
after the commit that never reports a stored change as failed (issue 15)."""

from flask import request
from flask_appbuilder.api import BaseApi
from sqlalchemy.exc import SQLAlchemyError

from app.api_errors import refusal
from app.domain.errors import InvalidInput, RuleViolation, StaleRecord
from app.extensions import db
from app.services.transactions import after_commit

VERSION_PROPERTY = {
    "type": "integer",
    "description": "读取记录时得到的版本号（version）；与当前版本不符时拒绝（409），不作修改",
}


def body() -> dict:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def current_version(model, pk) -> int | None:
    if model is None or "version" not in model.__table__.c:
        return None
    try:
        row = db.session.get(model, pk)
    except SQLAlchemyError:
        db.session.rollback()
        return None
    return None if row is None else row.version


def ensure_version(model, pk, data: dict) -> None:
    """`version` in the body must be the row's current version (409 otherwise)."""
    if model is None or "version" not in data or "version" not in model.__table__.c:
        return
    given = data.get("version")
    if isinstance(given, bool) or not str(given).strip().isdigit():
        raise InvalidInput(
            "version 应为读取记录时得到的版本号（整数）", fields={"version": "应为整数版本号"}
        )
    row = db.session.get(model, pk)
    if row is not None and int(str(given).strip()) != row.version:
        raise StaleRecord(version=row.version)


def refuse_unknown(data: dict, allowed: set[str]) -> None:
    """A body field the action does not know is refused by name (never silently ignored)."""
    unknown = set(data) - allowed
    if unknown:
        raise InvalidInput(
            "不认识的字段：" + "、".join(sorted(unknown)),
            fields={k: "不认识的字段" for k in unknown},
        )


class ActionApi(BaseApi):
    """Base of the action endpoints; `model` is the resource's model (for `version`)."""

    allow_browser_login = False
    model = None

    def refuse(self, exc: RuleViolation, pk=None):
        if isinstance(exc, StaleRecord) and exc.version is None and pk is not None:
            db.session.rollback()
            exc.version = current_version(self.model, pk)
        return refusal(exc)

    def act(self, pk, change, answer, fallback=None, *, check_version=True):
        """Run one action: the body's `version` checked, `change(data)` (the use case, which
        commits), then `answer(result)`. Should reading the stored result fail after the
        commit, `fallback(result)` (default: the id and a message) answers instead: the
        change is stored, the answer must not say otherwise."""
        data = body()
        try:
            if check_version:
                ensure_version(self.model, pk, data)
            result = change(data)
        except RuleViolation as exc:
            return self.refuse(exc, pk)

        def known():
            out = {"id": pk} if pk is not None else {}
            out.update(fallback(result) if fallback else {})
            out.setdefault("message", "已办理；读取办理后的记录失败，请稍后重新读取")
            return self.response(200, **out)

        return after_commit(lambda: answer(result), known)


def action_doc(
    summary: str,
    methods: tuple[str, ...] = ("post",),
    *,
    properties: dict | None = None,
    required: tuple[str, ...] = (),
    description: str | None = None,
    ok: str = "已办理",
    version: bool = True,
) -> str:
    """An action's OpenAPI docstring, with the schema of its request body (issue 15)."""
    import yaml

    props = dict(properties or {})
    if version:
        props.setdefault("version", VERSION_PROPERTY)
    schema: dict = {"type": "object", "properties": props}
    if required:
        schema["required"] = list(required)
    op: dict = {"summary": summary}
    if description:  # deprecated paths are marked by app/openapi.py (DEPRECATED)
        op["description"] = description
    op["parameters"] = [
        {"in": "path", "name": "pk", "required": True, "schema": {"type": "integer"}}
    ]
    op["requestBody"] = {
        "required": bool(required),
        "content": {"application/json": {"schema": schema}},
    }
    op["responses"] = {
        "200": {"description": ok, "content": {"application/json": {"schema": {"type": "object"}}}},
        "409": {"$ref": "#/components/responses/409"},
    }
    spec = {m: op for m in methods}
    return f"{summary}\n---\n" + yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)


def string(description: str, **extra) -> dict:
    return {"type": "string", "description": description, **extra}
