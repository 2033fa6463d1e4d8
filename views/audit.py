"""Read-only screens for the audit log (M-3); each user's notices are in views/notifications.py."""

from flask_babel import lazy_gettext as _

from app.services.audit import MAC_FIELDS, ORIGIN_LABELS
from app.services.audit_capture import KINDS
from models import AuditEntry

from .base import AwardModelView

ROW_ACTION_LABELS = dict(KINDS.values())


class AuditEntryView(AwardModelView):
    model, title = AuditEntry, _("审计日志")
    list_columns = ["at", "username", "origin", "action", "object_type", "object_id", "summary"]
    search_columns = [
        "username",
        "origin",
        "action",
        "object_type",
        "object_id",
        "cycle_id",
        "application_id",
        "at",
    ]
    # Every field the entry's MAC covers, then the MAC itself (app/services/audit.py).
    show_columns = [
        *(f for f in MAC_FIELDS if f not in ("prev_hash", "algorithm")),
        "prev_hash",
        "hash",
        "algorithm",
    ]
    formatters_columns = {
        "origin": lambda value: ORIGIN_LABELS.get(value, value or ""),
        # The row changes audit_capture writes read 新增/修改/删除, not db_insert…
        "action": lambda value: ROW_ACTION_LABELS.get(value, value or ""),
    }
    base_order = ("id", "desc")
    base_permissions = ["can_list", "can_show"]
