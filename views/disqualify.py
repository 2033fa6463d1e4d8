"""Disqualify and reinstate applications from the application list or page (M-3, M-19.1):
the actions ask for the ground and evidence (or the reason) on a form, then call the service."""

from flask import flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_babel import lazy_gettext as _

from app.domain.enums import ApplicationStatus
from app.domain.errors import RuleViolation
from app.extensions import db
from app.services import disqualification as svc
from app.services.disqualification import ground_label  # noqa: F401 - DisqualificationView

from .forms import DisqualifyForm, ReasonForm, refuse_invalid

MODES = {"disqualify": "取消资格", "reinstate": "恢复资格"}


class DisqualificationActions:
    """Mixed into ApplicationView; the form page needs can_disqualification."""

    def _chosen(self, ids):
        items = [self._scoped_item(pk) for pk in ids]
        return [i for i in items if i is not None]

    def _run(self, mode, items):
        items = items if isinstance(items, list) else [items]
        ids = [i.id for i in items]
        endpoint = type(self).__name__
        form = DisqualifyForm() if mode == "disqualify" else ReasonForm()
        if not form.sent("confirm"):
            return redirect(
                url_for(f"{endpoint}.disqualification", mode=mode, ids=",".join(map(str, ids)))
            )
        try:
            refuse_invalid(form)
            if mode == "disqualify":
                svc.disqualify(ids, form.ground.data or "", form.evidence.data)
            else:
                svc.reinstate(ids, form.reason.data)
        except RuleViolation as exc:
            db.session.rollback()
            # The form again, as typed, the rule's message above it and beside the missing field.
            field = next(iter(exc.fields or {}), None)  # the field the use case refused
            return self._form_page(mode, items, typed=form.posted, error=str(exc), field=field), 422
        names = "、".join(i.number for i in items)
        flash(f"已{MODES[mode]}：{names}", "success")
        return redirect(
            url_for(f"{endpoint}.show", pk=ids[0]) if len(ids) == 1 else self.get_redirect()
        )

    @action("disqualify", _("取消资格"), None, "fa-ban")
    def disqualify(self, items):
        return self._run("disqualify", items)

    @action("reinstate", _("恢复资格"), None, "fa-undo")
    def reinstate(self, items):
        return self._run("reinstate", items)

    def _form_page(self, mode, items, typed=None, error=None, field=None):
        return self.render_template(
            "award/cycle_disqualify.html",
            mode=mode,
            mode_label=MODES[mode],
            items=items,
            grounds=svc.GROUNDS,
            endpoint=type(self).__name__,
            status_label=lambda s: ApplicationStatus(s).label,
            typed=typed or {},
            error=error,
            error_field=field,
        )

    @expose("/disqualification")
    @has_access
    def disqualification(self):
        mode = request.args.get("mode", "disqualify")
        mode = mode if mode in MODES else "disqualify"
        ids = [p for p in request.args.get("ids", "").split(",") if p.strip().isdigit()]
        return self._form_page(mode, self._chosen(ids))
