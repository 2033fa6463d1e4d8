"""Each user's inbox of notices, the bell's unread count, and the e-mail preference."""

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.actions import action
from flask_appbuilder.security.decorators import has_access
from markupsafe import Markup, escape

from app.services import mailer
from app.services import notifications as svc
from models import Notification

from . import readable
from .base import AwardModelView
from .forms import NotifyPreferencesForm, refuse_invalid


def _when(moment) -> str:
    return readable.when(moment)


def _read_state(read_at) -> str:
    return "未读" if not read_at else _when(read_at)


def _email_state(status) -> str:
    return mailer.STATUS_LABELS.get(status, status or "")


def _link(link) -> Markup:
    if not link:
        return Markup("")
    return Markup('<a href="{0}"><i class="fa fa-external-link"></i> 打开相关页面</a>').format(link)


def _paragraphs(text) -> Markup:
    return Markup("<br>").join(escape(line) for line in (text or "").splitlines())


def unread_notifications() -> int:
    """The bell's count: one indexed query, only for a signed-in user."""
    user = getattr(g, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return svc.unread_count(user.id)


class NotificationView(AwardModelView):
    model, title = Notification, "我的通知"
    scoped_rows = True  # a user's own notices only: another's id is a 404 (scopes.scope)
    list_columns = ["created_at", "title", "read_at", "email_status"]
    search_columns = ["title", "kind", "read_at"]
    show_columns = ["created_at", "title", "body", "link", "read_at", "email_status"]
    label_columns = {"read_at": "阅读状态", "created_at": "时间"}
    formatters_columns = {
        "created_at": _when,
        "read_at": _read_state,
        "email_status": _email_state,
        "link": _link,
        "body": _paragraphs,
    }
    base_order = ("created_at", "desc")
    base_permissions = ["can_list", "can_show", "can_preferences"]
    list_template = "award/notify_list.html"

    def create_blueprint(self, appbuilder, endpoint=None, static_folder=None):
        blueprint = super().create_blueprint(appbuilder, endpoint, static_folder)
        blueprint.add_app_template_global(unread_notifications, "unread_notifications")
        return blueprint

    @action("mark_read", "标为已读", None, "fa-check")
    def mark_read(self, items):
        items = items if isinstance(items, list) else [items]
        count = svc.mark_read(g.user.id, [item.id for item in items])
        flash(f"已将 {count} 条通知标为已读", "success")
        return redirect(self.get_redirect())

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        """Opening a notice reads it."""
        try:
            item = self._scoped_item(int(pk))
        except ValueError:
            abort(404)
        if item is None:
            abort(404)
        svc.mark_read(g.user.id, [item.id])
        return super().show(pk)

    @expose("/preferences", methods=["GET", "POST"])
    @has_access
    def preferences(self):
        user = g.user
        if request.method == "POST":
            enabled = refuse_invalid(NotifyPreferencesForm()).email_enabled.data
            svc.set_email_enabled(user.id, enabled)
            flash(
                "已开启邮件通知" if enabled else "已关闭邮件通知，通知仍会在系统内显示", "success"
            )
            return redirect(url_for(".preferences"))
        return self.render_template(
            "award/notify_preferences.html",
            title="通知设置",
            enabled=svc.email_enabled(user.id),
            address=user.email,
            address_ok=mailer.valid_address(user.email),
            mail_configured=mailer.configured(),
        )
