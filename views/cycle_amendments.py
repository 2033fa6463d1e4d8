"""Amendments of a cycle's frozen settings by the Committee's decision (M-3, M-17): the record
list shown on the cycle page, and the form that calls the one use case."""

from flask import flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.services import cycle_settings as svc
from models import CycleAmendment

from .base import AwardModelView


class CycleAmendmentView(AwardModelView):
    """Append-only: amendments are made by the use case, never added or edited here."""

    model, title = CycleAmendment, _("设置变更记录")
    eager = ("cycle",)
    list_columns = ["cycle", "field", "old_value", "new_value", "decision_ref", "amended_at"]
    show_columns = [
        "cycle",
        "field",
        "old_value",
        "new_value",
        "reason",
        "decision_ref",
        "amended_at",
        "amended_by",
    ]
    search_columns = ["field", "decision_ref", "amended_by"]
    base_order = ("amended_at", "desc")
    base_permissions = ["can_list", "can_show"]
    formatters_columns = {"field": svc.field_label}


class AmendCycleForm(FlaskForm):
    field = SelectField(_("变更的设置"), validators=[DataRequired()])
    value = StringField(
        _("新值"),
        validators=[DataRequired(), Length(max=2000)],
        description=_("日期写作 2027-03-31；名额、天数写整数"),
    )
    reason = TextAreaField(_("变更理由"), validators=[DataRequired(), Length(max=2000)])
    decision_ref = StringField(
        _("评定委员会决定文号"),
        validators=[DataRequired(), Length(max=200)],
        description=_("评定委员会决定的文号或会议纪要编号（M-3）"),
    )


class CycleAmendMixin:
    """Mixed into AwardCycleView: the button on the cycle and its form page (`can_amend`)."""

    @action("amend_settings", _("变更已冻结的设置"), None, "fa-pencil-square-o", multiple=False)
    def amend_settings(self, item):
        return redirect(url_for(".amend", pk=item.id))

    @expose("/amend/<int:pk>", methods=["GET", "POST"])
    @has_access
    def amend(self, pk):
        cycle = self._cycle_or_404(pk)
        form = AmendCycleForm()
        form.field.choices = svc.amendable_choices()
        if form.validate_on_submit() and self.try_service(
            lambda: svc.amend_cycle(
                cycle.id,
                form.field.data,
                form.value.data,
                form.reason.data,
                form.decision_ref.data,
            ),
            lambda row: (
                f"已变更「{svc.field_label(row.field)}」：{row.old_value or '（空）'} → "
                f"{row.new_value}（{row.decision_ref}）"
            ),
        ):
            return redirect(url_for(".show", pk=cycle.id))
        if request.method == "POST":
            for errors in form.errors.values():
                for error in errors:
                    flash(str(error), "danger")
        return self.render_template(
            "award/cycle_amend.html",
            cycle=cycle,
            form=form,
            current=[(label, getattr(cycle, name)) for name, label in form.field.choices],
        )
