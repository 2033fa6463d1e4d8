"""Read-only screens for the audit log (M-3) and each user's own notices."""

from models import AuditEntry, Notification

from .base import AwardModelView


class AuditEntryView(AwardModelView):
    model, title = AuditEntry, "审计日志"
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


class NotificationView(AwardModelView):
    model, title = Notification, "我的通知"
    scoped_rows = True
    list_columns = ["created_at", "title", "read_at", "email_status"]
    search_columns = ["title", "kind", "read_at"]
    show_columns = ["created_at", "title", "body", "link", "read_at", "email_status"]
    base_order = ("created_at", "desc")
    base_permissions = ["can_list", "can_show"]
