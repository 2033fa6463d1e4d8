"""Login history and security events (GB/T 22239-2019 安全审计): read-only, newest first.
Permission `can_list`/`can_show` on `SecurityEventView` (API: none)."""

from flask_babel import lazy_gettext as _

from app.services.security_events import KINDS
from models import SecurityEvent

from .base import AwardModelView


class SecurityEventView(AwardModelView):
    model, title = SecurityEvent, _("登录与安全事件")
    list_columns = ["at", "kind", "username", "address", "result", "detail"]
    show_columns = ["at", "kind", "username", "address", "result", "detail"]
    search_columns = ["at", "kind", "username", "address", "result"]
    label_columns = {
        "at": _("时间"),
        "kind": _("事件"),
        "username": _("用户"),
        "user_id": _("用户编号"),
        "address": _("来源地址"),
        "result": _("结果"),
        "detail": _("说明"),
    }
    formatters_columns = {"kind": lambda value: KINDS.get(value, value or "")}
    base_order = ("id", "desc")
    base_permissions = ["can_list", "can_show"]
