"""The cycle screen: dates (M-17), quotas (M-4), money (M-5, M-20) and the stage actions."""

from flask import flash, g, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_babel import lazy_gettext as _

from app.domain.enums import ReviewStage
from app.domain.errors import InvalidInput, RuleViolation
from app.domain.groups import industry_label
from app.extensions import db
from app.services import (
    cycle_actions,
    eligibility_confirmation,
    review_proposal,
    scoring,
    scoring_close,
)
from models import AwardCycle

from .action_forms import ProcedureApprovalMixin  # the Committee's approval (M-7)
from .action_widgets import StateAwareShowWidget
from .base import AwardModelView
from .cycle_amendments import CycleAmendmentView, CycleAmendMixin
from .cycle_workflow import CycleWorkflowMixin  # stages, ranking, awards, budget
from .fieldsets import form_fieldsets
from .forms import ReviewProposalForm, refuse_invalid


class AwardCycleView(ProcedureApprovalMixin, CycleAmendMixin, CycleWorkflowMixin, AwardModelView):
    model, title = AwardCycle, _("评定年度")
    # Only what the stage allows; the rest disabled with the reason (issue 16).
    show_widget = StateAwareShowWidget.for_model(
        AwardCycle, lambda cycle: cycle_actions.unavailable(cycle.stage)
    )
    eager = ("criteria_version",)
    scoped_rows = True  # an agency sees the cycles it runs (M-6)
    label_columns = {"agency": _("第三方机构")}
    related_views = [CycleAmendmentView]  # the amendments of frozen settings (M-3, M-17)
    list_columns = [
        "year",
        "name",
        "stage",
        "opens_on",
        "deadline",
        "award_quota",
        "nomination_quota",
    ]
    search_columns = ["year", "name", "stage"]
    base_order = ("year", "desc")
    add_columns = edit_columns = [
        "year",
        "name",
        "announced_on",
        "opens_on",
        "deadline",
        "supplement_days",
        "material_review_on",
        "onsite_review_on",
        "arrangements",
        "award_quota",
        "nomination_quota",
        "award_amount",
        "nomination_amount",
        "budget",
        "agency",
        "agency_contract_no",
        "agency_contract_start",
        "agency_contract_end",
        "agency_fee",
        "aggregation",
        "outlier_threshold",
        "criteria_version",
        "regulation_version",
        "regulation_effective_on",
        "min_onsite_score",
        "shortlist_size",
        "min_material_score",
        "notice_days",
        "notice_working_days",
        "vote_threshold",
    ]
    show_fieldsets = [
        (
            _("基本信息"),
            {
                "fields": [
                    "year",
                    "name",
                    "stage",
                    "criteria_version",
                    "regulation_version",
                    "regulation_effective_on",
                ]
            },
        ),
        (
            _("时间安排（M-17）"),
            {
                "fields": [
                    "announced_on",
                    "opens_on",
                    "deadline",
                    "supplement_days",
                    "material_review_on",
                    "onsite_review_on",
                    "arrangements",
                ]
            },
        ),
        (
            _("名额与奖金（M-4、M-20）"),
            {"fields": ["award_quota", "nomination_quota", "award_amount", "nomination_amount"]},
        ),
        (
            _("经费与第三方机构（M-5、M-6）"),
            {
                "fields": [
                    "budget",
                    "agency_name",
                    "agency_contract_no",
                    "agency_contract_start",
                    "agency_contract_end",
                    "agency_fee",
                ]
            },
        ),
        (
            _("委员会批准（M-7）"),
            {
                "fields": [
                    "procedure_approved_at",
                    "procedure_approved_by",
                    "procedure_approval_ref",
                ]
            },
        ),
        (
            _("评审规则（M-19）"),
            {
                "fields": [
                    "aggregation",
                    "outlier_threshold",
                    "min_material_score",
                    "shortlist_size",
                    "min_onsite_score",
                    "vote_threshold",
                    "notice_days",
                    "notice_working_days",
                ]
            },
        ),
        (
            _("资格审查确认（M-19.1）"),
            {
                "fields": [
                    "eligibility_confirmed_at",
                    "eligibility_confirmed_by",
                    "eligibility_confirmation_note",
                ]
            },
        ),
    ]
    add_fieldsets = edit_fieldsets = form_fieldsets(show_fieldsets, add_columns)
    description_columns = {
        "award_quota": _("每届政府质量奖不超过 2 个，可空缺（M-4）"),
        "nomination_quota": _("每届政府质量提名奖不超过 2 个，可空缺（M-4）"),
        "award_amount": _("每个组织 20 万元（M-20）"),
        "nomination_amount": _("每个组织或个人 3 万元（M-20）"),
        "aggregation": _(
            "算术平均；5 人以上可去掉一个最高分和一个最低分；或组长合议（组长负责制）"
        ),
        "min_onsite_score": _("低于此分不予推荐，奖项可空缺（M-4）"),
        "notice_days": _("默认 7 个自然日（M-19.6）"),
        "vote_threshold": _("赞成票超过出席委员的此比例方为通过，默认过半数"),
        "agency": _("受托组织评审的第三方机构（M-6）；其工作人员只能在委托合同期限内组建评审组"),
        "agency_contract_end": _("不能早于开始日期（M-6）"),
    }

    # The Committee confirms the cycle's eligible list (M-19.1).
    @action(
        "confirm_eligible",
        _("确认资格审查合格名单"),
        _("确认本届资格审查合格名单？将记录确认人、确认时间和各结论份数。"),
        "fa-check-circle",
        multiple=False,
    )
    def confirm_eligible(self, item):
        try:
            confirmed = eligibility_confirmation.confirm_eligible(item.id)
        except RuleViolation as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            flash(f"资格审查合格名单已确认：{confirmed.eligibility_confirmation_note}", "success")
        return redirect(url_for(".show", pk=item.id))

    # The cycle's summary workbook for the city government (exports).
    # A button on the cycle (show page) and a GET download; Office, Admin and the Committee
    # only, reviewers by code for the Committee; every export is logged (M-25).
    @action("export_summary", _("导出汇总工作簿（Excel）"), None, "fa-file-excel-o", multiple=False)
    def export_summary(self, item):
        return self._send_summary(item.id)

    @expose("/summary_xlsx/<int:pk>")
    @has_access
    def summary_xlsx(self, pk):
        return self._send_summary(pk)

    def _send_summary(self, pk):
        import io

        from flask import flash, g, redirect, send_file, url_for

        from app.domain.errors import RuleViolation
        from app.services import exports

        buffer = io.BytesIO()
        try:
            plan = exports.plan_summary(pk, g.user)
            exports.write_summary(plan, buffer)
        except RuleViolation as exc:
            flash(str(exc), "danger")
            return redirect(url_for("AwardCycleView.show", pk=pk))  # on the cycle's page
        buffer.seek(0)
        return send_file(
            buffer,
            mimetype=exports.XLSX_MIMETYPE,
            as_attachment=True,
            download_name=plan.filename,
        )

    # The review groups of a whole stage: proposed (M-10, M-25), then closed when ready
    # (M-19.2). The proposal is app/services/review_proposal.py; the group screens views/review.py.
    @action("propose_groups", _("自动组建评审组"), None, "fa-users", multiple=False)
    def propose_groups(self, item):
        """Show the proposal for the chosen stage; with `accept`, create it if nothing changed."""
        cycle, form = item, ReviewProposalForm()
        try:
            if form.posted is not None:  # FAB's GET /action/... posts nothing
                refuse_invalid(form)
            stage = ReviewStage(form.stage.data or review_proposal.default_stage(cycle).value)
        except (ValueError, RuleViolation):
            flash(str(InvalidInput("评审阶段、每组人数和每组申报数须为有效值")), "danger")
            return redirect(url_for(".show", pk=cycle.id))
        size, cap = form.group_size.data or 3, form.max_apps.data
        try:
            if form.accept.data:
                groups = review_proposal.accept(
                    cycle, stage, size, cap, form.fingerprint.data or "", g.user.username
                )
                flash(
                    f"已按方案组建 {len(groups)} 个{stage.label}评审组，并为每名成员生成空白评分表",
                    "success",
                )
                return redirect(url_for("ReviewGroupView.list"))
            plan = review_proposal.propose(cycle, stage, size, cap)
        except RuleViolation as exc:
            flash(str(exc), "danger")
            return redirect(url_for(".show", pk=cycle.id))
        return self.render_template(
            "award/review_proposal.html",
            cycle=cycle,
            plan=plan,
            stages=list(ReviewStage),
            label=industry_label,
        )

    @action(
        "close_groups",
        _("结束本阶段各评审组评审"),
        _("结束本届当前评审阶段中全体成员已提交的评审组，并计算阶段得分？"),
        "fa-lock",
        multiple=False,
    )
    def close_groups(self, item):
        """Close every open group of the cycle's current review stage that is ready (M-19.2)."""
        actor = scoring.actor_of(g.user)
        try:
            closed, refused = scoring_close.close_groups(item.id, actor)
        except RuleViolation as exc:
            flash(str(exc), "danger")
            return redirect(url_for(".show", pk=item.id))
        if closed:
            flash(f"已结束评审：{'、'.join(closed)}", "success")
        for reason in refused:
            flash(reason, "danger")
        return redirect(url_for("ReviewGroupView.list"))
