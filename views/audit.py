"""Read-only screens for the audit log (M-3); each user's notices are in views/notifications.py."""

from flask_babel import lazy_gettext as _

from app.services.audit import MAC_FIELDS, ORIGIN_LABELS
from models import AuditEntry

from . import audit_readable
from .base import AwardModelView


class AuditEntryView(AwardModelView):
    model, title = AuditEntry, _("审计日志")
    list_columns = ["at", "username", "origin", "action", "object_type", "summary"]
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
    # Sentences and tables in Chinese, people by name, cycles by year, applications by
    # number and applicant (views/audit_readable.py); the stored entry is unchanged.
    formatters_columns = {
        "origin": lambda value: ORIGIN_LABELS.get(value, value or ""),
        "at": audit_readable.when_to_the_second,
        "algorithm": lambda value: (value or "").upper(),  # HMAC-SM3
        **audit_readable.FORMATTERS,
    }
    label_columns = {
        "cycle_id": _("评定年度"),
        "application_id": _("申报"),
        "object_type": _("记录类别"),
        "object_id": _("记录编号"),
    }
    base_order = ("id", "desc")
    base_permissions = ["can_list", "can_show"]
