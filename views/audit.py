"""Read-only screens for the audit log (M-3); each user's notices are in views/notifications.py."""

from flask_babel import lazy_gettext as _

from models import AuditEntry

from .base import AwardModelView


class AuditEntryView(AwardModelView):
    model, title = AuditEntry, _("审计日志")
    list_columns = ["at", "username", "action", "object_type", "object_id", "summary"]
    search_columns = [
        "username",
        "action",
        "object_type",
        "object_id",
        "cycle_id",
        "application_id",
        "at",
    ]
    show_columns = [
        "at",
        "username",
        "action",
        "object_type",
        "object_id",
        "cycle_id",
        "application_id",
        "summary",
        "reason",
        "details",
        "prev_hash",
        "hash",
    ]
    base_order = ("id", "desc")
    base_permissions = ["can_list", "can_show"]
