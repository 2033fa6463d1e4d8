"""Screens after the award: follow-up reports (M-27), revocation (M-26) and recoveries."""

from datetime import date

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.actions import action
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _

from app.domain import revocation as rv
from app.domain.enums import RevocationGround, RevocationStatus
from app.domain.errors import RuleViolation
from app.extensions import db
from app.security.scopes import role_names
from app.services import aftercare as svc
from models import FollowUpReport, Recovery, RevocationCase

from .base import AwardModelView
from .forms import NoteForm, RevocationStepForm, refuse_invalid

EDIT = ["can_list", "can_show", "can_add", "can_edit"]
FORM_TEMPLATE = "award/after_form.html"


def _as_list(items) -> list:
    return items if isinstance(items, list) else [items]


def _yes_no(value) -> str:
    return "是" if value else "否"


class _AfterView(AwardModelView):
    """A page with a form for a step that needs input (a note, a date, a document number)."""

    def _form_page(self, pk):
        """The row the form is about: 404 outside the user's scope."""
        item = self._scoped_item(pk)
        if item is None:
            abort(404)
        return item

    def _render_form(self, item, heading, fields, submit, summary, refused=None, errors=None):
        return self.render_template(
            FORM_TEMPLATE,
            errors=errors or {},  # the refused fields' messages, shown beside them
            title=heading,
            heading=heading,
            item=item,
            fields=fields,
            submit=submit,
            summary=summary,
            refused=refused,
            cancel_url=url_for(f"{type(self).__name__}.show", pk=item.id),
        )


class FollowUpReportView(_AfterView):
    model, title = FollowUpReport, _("年度报告")
    eager = ("award",)
    list_columns = ["award", "report_year", "due_on", "status", "received_on", "profit"]
    search_columns = ["report_year", "due_on", "status", "received_on"]
    edit_columns = [
        "received_on",
        "revenue",
        "profit",
        "quality_results",
        "accidents_declared",
        "failed_sampling_declared",
        "penalties_declared",
        "improvement_goals",
        "experience_shared",
        "review_note",
    ]
    show_fieldsets = [
        (
            _("报告（M-27）"),
            {"fields": ["award", "report_year", "due_on", "status", "received_on"]},
        ),
        (
            _("主要指标"),
            {
                "fields": [
                    "revenue",
                    "profit",
                    "quality_results",
                    "accidents_declared",
                    "failed_sampling_declared",
                    "penalties_declared",
                ]
            },
        ),
        (
            _("新的质量目标与经验交流（M-22、M-23）"),
            {"fields": ["improvement_goals", "experience_shared"]},
        ),
        (_("审核"), {"fields": ["review_note", "reviewed_by"]}),
    ]
    label_columns = {"reviewed_by": _("审核人"), "due_on": _("报送截止日期")}
    formatters_columns = {
        "accidents_declared": _yes_no,
        "failed_sampling_declared": _yes_no,
        "penalties_declared": _yes_no,
    }
    base_permissions = [
        "can_list",
        "can_show",
        "can_edit",
        "can_overdue",
        "can_generate",
        "can_send_back",
    ]
    base_order = ("due_on", "desc")
    description_columns = {
        "profit": _("当年亏损的，将自动立案审查是否撤销奖项（M-26.5）"),
        "accidents_declared": _("发生重大质量、环境、安全生产事故的，将自动立案（M-26.3）"),
        "failed_sampling_declared": _("监督抽查出现严重质量问题的，将自动立案（M-26.2）"),
        "penalties_declared": _("受到行政处罚的，将自动立案审查（M-26.4）"),
        "due_on": _("每年二月底前报送上一年度卓越绩效管理情况（M-27）"),
        "received_on": _("填写收到日期后报告转为“已收到”，待审核"),
    }

    @action("accept_report", _("审核通过"), _("确认所选年度报告审核通过？"), "fa-check")
    def accept_report(self, items):
        for item in _as_list(items):
            self.try_service(lambda i=item: svc.accept_report(i.id), f"{item} 已审核通过")
        return redirect(url_for(".list"))

    @action("send_back_report", _("退回修改"), None, "fa-reply", multiple=False)
    def send_back_report(self, item):
        return redirect(url_for(".send_back", pk=item.id))

    @expose("/send_back/<int:pk>", methods=["GET", "POST"])
    @has_access
    def send_back(self, pk):
        report, form = self._form_page(pk), NoteForm()
        if request.method == "POST" and self.try_service(
            lambda: svc.send_back_report(report.id, refuse_invalid(form).note.data),
            f"{report} 已退回修改",
        ):
            return redirect(url_for(".show", pk=report.id))
        return self._render_form(
            report,
            "退回年度报告",
            [("note", "退回意见", "textarea", True, form.note._value())],
            "退回修改",
            [("年度报告", str(report)), ("报送截止日期", report.due_on)],
        )

    @expose("/overdue")
    @has_access
    def overdue(self):
        today = date.today()
        return self.render_template(
            "award/after_overdue.html",
            title=_("逾期未报的年度报告"),
            reports=svc.overdue(today),
            today=today,
            may_generate=self.appbuilder.sm.has_access("can_generate", self.class_permission_name),
        )

    @expose("/generate", methods=["POST"])
    @has_access
    def generate(self):
        created = svc.create_due_reports(date.today())
        flash(f"已生成到期年度报告 {len(created)} 份（M-27）", "success")
        return redirect(url_for(".overdue"))


class RecoveryView(_AfterView):
    model, title = Recovery, _("追回记录")
    eager = ("case.award",)  # the case's label names its award
    list_columns = ["case", "item", "amount", "recovered", "recovered_on"]
    search_columns = ["item", "recovered", "recovered_on"]
    label_columns = {"case": _("撤销案件"), "item": _("追回事项")}
    show_columns = ["case", "item", "amount", "recovered", "recovered_on", "note"]
    edit_columns = ["recovered", "recovered_on", "note"]
    base_permissions = ["can_list", "can_show", "can_edit"]
    description_columns = {"recovered_on": _("撤销奖项后收回牌匾、证书，追回奖金（M-26）")}
    formatters_columns = {
        "case": lambda case: f"撤销案件（{case.opened_on}）：{case.award}" if case else "",
        "recovered": _yes_no,
    }

    @action("mark_recovered", _("标记为今日追回"), _("确认所选事项已于今日追回？"), "fa-undo")
    def mark_recovered(self, items):
        return self.run_service(
            lambda: svc.mark_recovered([i.id for i in _as_list(items)], date.today()),
            lambda n: f"已标记追回 {n} 项",
            url_for(".list"),
        )


STEP_PAGES = {
    "verify": ("核实撤销案件（市质评办）", "核实", [("note", "核实意见", "textarea", False)]),
    "review": ("审议撤销案件（委员会）", "审议同意撤销", [("note", "审议意见", "textarea", False)]),
    "approve": (
        "录入市政府批准撤销",
        "录入批准并撤销奖项",
        [
            ("approved_on", "市政府批准日期（YYYY-MM-DD）", "date", True),
            ("document_no", "市政府批准文号", "text", True),
            ("note", "备注", "textarea", False),
        ],
    ),
    "dismiss": ("不予撤销", "作出不予撤销决定", [("note", "不予撤销理由", "textarea", True)]),
}


class RevocationCaseView(_AfterView):
    model, title = RevocationCase, _("撤销案件")
    eager = ("award",)
    list_columns = ["award", "ground", "status", "opened_on", "approved_on", "published"]
    search_columns = ["ground", "status", "opened_on", "published"]
    add_columns = ["award", "ground", "evidence", "opened_on"]
    add_form_query_rel_fields = {"award": [["revoked", FilterEqual, False]]}
    edit_columns = ["evidence"]
    show_fieldsets = [
        (
            _("立案（M-26）"),
            {
                "fields": [
                    "award",
                    "ground",
                    "evidence",
                    "status",
                    "opened_on",
                    "opened_by",
                    "follow_up_report",
                ]
            },
        ),
        (_("市质评办核实"), {"fields": ["verified_at", "verified_by", "verification_note"]}),
        (_("委员会审议"), {"fields": ["reviewed_at", "reviewed_by", "review_note"]}),
        (_("市政府批准"), {"fields": ["approved_on", "approval_document_no", "published"]}),
        (_("不予撤销"), {"fields": ["dismissed_reason"]}),
    ]
    label_columns = {
        "ground": _("撤销事由"),
        "evidence": _("证据材料"),
        "reviewed_at": _("审议时间"),
        "reviewed_by": _("审议人"),
        "review_note": _("审议意见"),
        "approved_on": _("市政府批准日期"),
        "published": _("已公开公布"),
    }
    formatters_columns = {"published": _yes_no}
    base_permissions = [*EDIT, "can_verify", "can_review", "can_approve", "can_dismiss"]
    related_views = [RecoveryView]
    show_template = "award/revocation_case_show.html"  # with its decision's page (issue 19)
    description_columns = {
        "ground": _("M-26 规定的五种情形之一"),
        "evidence": _("由市质评办核实、委员会审议、市政府批准（M-26）"),
    }

    def _to_step(self, item, step):
        return redirect(url_for(f".{step}", pk=item.id))

    @action("verify_case", _("核实"), None, "fa-search", multiple=False)
    def verify_case(self, item):
        return self._to_step(item, "verify")

    @action("review_case", _("审议"), None, "fa-users", multiple=False)
    def review_case(self, item):
        return self._to_step(item, "review")

    @action("approve_case", _("录入市政府批准"), None, "fa-gavel", multiple=False)
    def approve_case(self, item):
        return self._to_step(item, "approve")

    @action("dismiss_case", _("不予撤销"), None, "fa-ban", multiple=False)
    def dismiss_case(self, item):
        return self._to_step(item, "dismiss")

    # The step pages are open to everyone in the procedure; who may take which step, and in
    # what order, is the domain's rule (app/domain/revocation.py), refused with its rule ID.
    @expose("/verify/<int:pk>", methods=["GET", "POST"])
    @has_access
    def verify(self, pk):
        return self._step_page(pk, "verify")

    @expose("/review/<int:pk>", methods=["GET", "POST"])
    @has_access
    def review(self, pk):
        return self._step_page(pk, "review")

    @expose("/approve/<int:pk>", methods=["GET", "POST"])
    @has_access
    def approve(self, pk):
        return self._step_page(pk, "approve")

    @expose("/dismiss/<int:pk>", methods=["GET", "POST"])
    @has_access
    def dismiss(self, pk):
        return self._step_page(pk, "dismiss")

    def _step_page(self, pk, step):
        case = self._form_page(pk)
        roles, form, errors = role_names(g.user), RevocationStepForm(), {}
        if request.method == "POST":
            try:
                refuse_invalid(form)
                svc.take_step(
                    case.id,
                    step,
                    roles,
                    note=form.note.data,
                    approved_on=form.approved_on.data,
                    document_no=form.document_no.data,
                )
                flash(
                    f"撤销案件已{rv.ACTION_ZH[step]}：{RevocationStatus(case.status).label}",
                    "success",
                )
                return redirect(url_for(".show", pk=case.id))
            except RuleViolation as exc:
                db.session.rollback()
                flash(str(exc), "danger")
                errors = exc.fields or {}
                if svc.step_refusal(case, step, roles) is not None:
                    return redirect(url_for(".show", pk=case.id))
        heading, submit, fields = STEP_PAGES[step]
        refused = svc.step_refusal(case, step, roles)
        return self._render_form(
            case,
            heading,
            [] if refused else [(*f, form[f[0]]._value()) for f in fields],
            None if refused else submit,
            [
                ("获奖记录", str(case.award)),
                ("撤销事由", RevocationGround(case.ground).label),
                ("证据材料", case.evidence),
                ("当前状态", RevocationStatus(case.status).label),
            ],
            refused=str(refused) if refused else None,
            errors=errors,
        )
