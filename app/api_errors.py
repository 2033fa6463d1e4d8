"""One error body for every answer of the REST API: `{"message", "rule", "fields"}`.

`message` is Chinese and names the rule, `rule` is the (sub-)rule ID or null, `fields` maps
each offending input field to its message, or is null. A stale record (409) also carries the
record's current `version`. Each kind of error has one status, mapped here only: a rule
refused 422, not found 404, forbidden 403, stale 409 (app/domain/errors.py)."""

import json

from flask import jsonify, request

from app.domain.errors import RuleViolation, StaleRecord
from app.extensions import db

STALE_MESSAGE = "该记录已被他人修改，请刷新后重试，您的修改未保存"

_FAB_FIELD_MESSAGES = {
    "Unknown field.": "未知字段，不能写入",
    "Missing data for required field.": "必填字段",
    "Field may not be null.": "不能为空",
    "Not a valid integer.": "应为整数",
    "Not a valid date.": "应为 YYYY-MM-DD 格式的日期",
    "Not a valid datetime.": "应为 ISO 8601 格式的时间",
    "Not a valid string.": "应为文本",
    "Not a valid boolean.": "应为 true 或 false",
    "Not a valid number.": "应为数值",
}


# FAB's own English answers, in Chinese.
_FAB_MESSAGES = {
    "Forbidden": "当前角色无此权限",
    "Not found": "记录不存在或不在您可见的范围内",
    "Not Found": "记录不存在或不在您可见的范围内",
    "Request is not JSON": "请求体应为 JSON，未作任何修改",
    "Request is not JSON.": "请求体应为 JSON，未作任何修改",
}


def error_body(exc: RuleViolation) -> tuple[dict, int]:
    from app.errors import error_body as body_of

    body = body_of(str(exc), exc.rule, exc.fields)
    if isinstance(exc, StaleRecord):
        if "已被他人修改" not in body["message"]:
            body["message"] = f"{STALE_MESSAGE}：{body['message']}"
        body["version"] = exc.version
    return body, exc.status


def refusal(exc: RuleViolation):
    """The answer to a refused use case; the session is rolled back, nothing changed."""
    db.session.rollback()
    body, status = error_body(exc)
    return jsonify(body), status


def _field_message(messages) -> str:
    if isinstance(messages, dict):
        return "；".join(f"{k}：{_field_message(v)}" for k, v in messages.items())
    if isinstance(messages, (list, tuple)):
        return "；".join(_field_message(m) for m in messages)
    return _FAB_FIELD_MESSAGES.get(str(messages), str(messages))


def normalize(response):
    """After-request hook: every JSON error of /api/ gets the one body (FAB's own 400, 401,
    403, 404 and 405 answers included)."""
    if (
        response.status_code < 400
        or not request.path.startswith("/api/")
        or response.mimetype != "application/json"
        or response.direct_passthrough
    ):
        return response
    try:
        body = json.loads(response.get_data(as_text=True))
    except ValueError:
        return response
    if not isinstance(body, dict):
        return response
    changed = False
    message = body.get("message", body.get("msg"))
    if isinstance(message, (dict, list)):
        fields = (
            {k: _field_message(v) for k, v in message.items()}
            if isinstance(message, dict)
            else None
        )
        body["fields"] = fields
        body["message"] = "请求字段无效，未作任何修改：" + _field_message(message)
        changed = True
    elif "message" not in body or message in _FAB_MESSAGES:
        body.pop("msg", None)
        body["message"] = (
            _FAB_MESSAGES.get(message) or (str(message) if message is not None else None)
        ) or _default(response.status_code)
        changed = True
    for key in ("rule", "fields"):
        if key not in body:
            body[key] = None
            changed = True
    if changed:
        response.set_data(json.dumps(body, ensure_ascii=False))
    return response


def _default(status: int) -> str:
    return {
        400: "请求格式无效，未作任何修改",
        401: "未登录、令牌无效或已过期",
        403: "当前角色无此权限",
        404: "记录或地址不存在",
        405: "该地址不支持此方法",
        409: STALE_MESSAGE,
    }.get(status, "请求未完成，未作任何修改")
