"""Screens for reviewers (M-10), conflicts (M-25), review groups and their reports (M-19.2, M-19.4).

The scoresheet screens live in views/scoring.py."""

from flask import abort, flash, g, get_template_attribute, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from app.security.filters import RowScope
from app.services import (
    report_signoff,
    scoring,
    scoring_close,
)
from app.services import reviewing as svc
from app.services.group_page import Viewer, group_page
from models import (
    ConsultingEngagement,
    InterestDeclaration,
    ReviewAssignment,
    Reviewer,
    ReviewerCertificate,
    ReviewerSanction,
    ReviewGroup,
    ReviewGroupMember,
    ReviewReport,
    ScoreChange,
    ScoreLine,
    StageScore,
)

from . import readable
from .base import AwardModelView
from .fieldsets import form_fieldsets
from .scoring import ScoresheetView

__all__ = ["ScoresheetView"]  # listed in the menu with the other review screens

READ_ONLY = ["can_list", "can_show"]
IN_SCOPE = [["id", RowScope, None]]  # dropdowns offer only the rows the user may see


def _username() -> str | None:
    user = getattr(g, "user", None)
    return getattr(user, "username", None)


class ReviewerCertificateView(AwardModelView):
    model, title = ReviewerCertificate, _("评审员证书")
    eager = ("reviewer",)
    list_columns = ["reviewer", "name", "number", "valid_to"]
    add_columns = edit_columns = ["reviewer", "name", "number", "issuer", "valid_to"]


class ReviewerSanctionView(AwardModelView):
    model, title = ReviewerSanction, _("评审员处理记录")
    eager = ("reviewer",)
    list_columns = ["reviewer", "level", "breach", "decided_on", "decided_by"]
    add_columns = edit_columns = ["reviewer", "level", "breach", "reason", "decided_on"]
    base_permissions = ["can_list", "can_show", "can_add", "can_edit"]
    description_columns = {
        "level": _(
            "批评、警告或撤销评审员资格（M-25）；撤销资格后该评审员停用、不能登录评分，也不能再编入评审组"
        )
    }


class ReviewerView(AwardModelView):
    model, title = Reviewer, _("评审员")
    scoped_rows = True
    label_columns = {"title": _("职称")}
    list_columns = [
        "code",
        "name",
        "degree",
        "employer_name",
        "industries",
        "excellence_reviews_done",
        "active",
    ]
    search_columns = ["code", "name", "degree", "employer_name", "industries", "active"]
    add_columns = edit_columns = [
        "code",
        "name",
        "user",
        "id_number",
        "employer",
        "employer_name",
        "title",
        "degree",
        "quality_work_since",
        "excellence_reviews_done",
        "law_training_on",
        "law_training_certificate",
        "integrity_pledge_on",
        "industries",
        "phone",
        "email",
        "active",
    ]
    show_fieldsets = [
        (_("基本信息"), {"fields": ["code", "name", "user", "id_number", "active"]}),
        (_("工作单位"), {"fields": ["employer", "employer_name", "title"]}),
        (
            _("评审员条件（M-10、M-25）"),
            {
                "fields": [
                    "degree",
                    "quality_work_since",
                    "excellence_reviews_done",
                    "law_training_on",
                    "law_training_certificate",
                    "integrity_pledge_on",
                    "industries",
                ]
            },
        ),
        (_("联系方式"), {"fields": ["phone", "email"]}),
    ]
    add_fieldsets = edit_fieldsets = form_fieldsets(show_fieldsets, add_columns)
    description_columns = {
        "degree": _("大学本科以上学历（M-10.2）"),
        "quality_work_since": _("从事质量管理等相关专业工作 5 年以上（M-10.3）"),
        "law_training_on": _("熟悉国家质量、经济等法律法规（M-10.1）"),
        "integrity_pledge_on": _("作风正派、廉洁自律，签署廉洁保密承诺（M-10.4、M-25）"),
        "industries": _("GB/T 4754 门类代码，逗号分隔，用于匹配行业专家（M-10）"),
        "employer": _("任职单位为申报单位时，自动视为存在利害关系（M-25）"),
    }
    show_template = "award/review_reviewer_show.html"
    related_views = [ReviewerCertificateView, ReviewerSanctionView]

    @expose("/qualification/<int:pk>")
    @has_access
    def qualification(self, pk):
        reviewer = self._scoped_item(pk)
        if reviewer is None:
            abort(404)
        report = svc.qualification_report(reviewer)
        return self.render_template("award/review_qualification.html", report=report)


class InterestDeclarationView(AwardModelView):
    model, title = InterestDeclaration, _("利害关系申报")
    eager = ("reviewer", "organization", "individual")
    scoped_rows = True
    list_columns = ["reviewer", "organization", "individual", "kind", "source", "declared_on"]
    search_columns = ["kind", "source", "declared_on"]
    add_columns = edit_columns = [
        "reviewer",
        "organization",
        "individual",
        "kind",
        "note",
        "declared_on",
    ]
    add_form_query_rel_fields = edit_form_query_rel_fields = {"reviewer": IN_SCOPE}
    formatters_columns = {"source": lambda s: svc.SOURCE_LABELS.get(s, s or "")}
    description_columns = {
        "kind": _("与申报主体有利害关系的，不得参与对其评审（M-25）"),
        "reviewer": _("评审员本人申报时自动填写为本人；市质评办可为评审员补充登记"),
    }

    def post_add(self, item):
        clashes = svc.conflicted_assignments(item.reviewer)
        if clashes:
            where = "、".join(f"{group.name}（{app.number}）" for group, app in clashes)
            flash(
                f"注意：该利害关系涉及已分配的评审任务 {where}，请市质评办调整评审组（M-25）",
                "warning",
            )
        super().post_add(item)


class ConsultingEngagementView(AwardModelView):
    model, title = ConsultingEngagement, _("咨询服务记录")
    eager = ("reviewer", "organization")
    list_columns = ["reviewer", "organization", "started_on", "ended_on"]
    add_columns = edit_columns = ["reviewer", "organization", "started_on", "ended_on", "note"]
    description_columns = {"organization": _("曾为申报单位提供咨询的，不得评审该单位（M-25(3)）")}


class ReviewGroupMemberView(AwardModelView):
    model, title = ReviewGroupMember, _("评审组成员")
    eager = ("group", "reviewer")
    scoped_rows = True
    list_columns = ["group", "reviewer", "is_leader"]
    search_columns = ["is_leader"]
    add_columns = ["group", "reviewer", "is_leader"]
    edit_columns = ["is_leader"]
    add_form_query_rel_fields = {"group": IN_SCOPE}  # an agency: its own cycles' groups (M-6)
    description_columns = {
        "reviewer": _("须具备 M-10 规定条件，且与本组申报单位无利害关系（M-25）"),
        "is_leader": _("每组有且只有 1 名组长；指定新组长时原组长自动改为组员"),
    }


class ReviewAssignmentView(AwardModelView):
    model, title = ReviewAssignment, _("评审分配")
    eager = ("group", "application")
    scoped_rows = True
    list_columns = ["group", "application", "stage"]
    search_columns = ["stage"]
    add_columns = ["group", "application", "stage"]
    add_form_query_rel_fields = {"group": IN_SCOPE, "application": IN_SCOPE}  # M-6, M-25
    base_permissions = ["can_list", "can_show", "can_add", "can_delete"]
    description_columns = {
        "group": _(
            "评审组须满 3 人、有 1 名组长、有与申报单位行业相符的行业专家，且成员与其无利害关系（M-10、M-25）"
        )
    }


class ReviewGroupView(AwardModelView):
    model, title = ReviewGroup, _("评审组")
    eager = ("cycle",)
    scoped_rows = True
    list_columns = ["cycle", "name", "stage", "due_on", "deadline", "closed_at"]
    search_columns = ["name", "stage", "due_on"]
    add_columns = edit_columns = ["cycle", "name", "stage", "due_on"]
    show_columns = ["cycle", "name", "stage", "due_on", "deadline", "closed_at", "closed_by"]
    label_columns = {"deadline": _("期限")}
    # M-19.2, M-19.4: an open group past its due date is flagged with the days overdue.
    formatters_columns = {"deadline": lambda state: deadline_badge(state)}
    add_form_query_rel_fields = edit_form_query_rel_fields = {"cycle": IN_SCOPE}  # M-6
    description_columns = {"name": _("评审组不少于 3 人，含行业专家，设组长 1 名（M-10）")}
    show_template = "award/review_group_show.html"
    related_views = [ReviewGroupMemberView, ReviewAssignmentView]

    @action(
        "close_group",
        _("结束本组评审"),
        _("全体成员提交评分表后，结束本组评审并按本届汇总方法计算阶段得分。确认结束？"),
        "fa-lock",
        multiple=False,
    )
    def close_group(self, item):
        return self.run_service(
            lambda: scoring_close.close_group(item.id, scoring.actor_of(g.user)),
            lambda stored: (
                f"评审组已结束评审，已计算 {len(stored)} 份申报的阶段得分"
                if stored
                else "评审组已结束评审；本届采用组长合议，请组长录入合议评分表"
            ),
            url_for(".composition", pk=item.id),
        )

    @expose("/composition/<int:pk>")
    @has_access
    def composition(self, pk):
        group = self._scoped_item(pk)
        if group is None:
            abort(404)
        can_close = self.appbuilder.sm.has_access("close_group", self.class_permission_name)
        can_reopen = self.appbuilder.sm.has_access("can_reopen", self.class_permission_name)
        return self.render_template(
            "award/review_group.html",
            **group_page(group, Viewer.of(g.user), can_close, can_reopen),
        )

    @expose("/reopen/<int:pk>", methods=["GET", "POST"])
    @has_access
    def reopen(self, pk):
        """The Office reopens a closed group, with the reason (M-3), to add a replacement
        after a late tie (M-25.2, M-25.3); a refusal keeps the page with its message."""
        group = self._scoped_item(pk)
        if group is None:
            abort(404)
        form = ReopenGroupForm()
        if request.method == "POST":
            if not form.validate():
                for errors in form.errors.values():
                    for error in errors:
                        flash(str(error), "danger")
            elif self.try_service(
                lambda: scoring_close.reopen_group(
                    group.id, scoring.actor_of(g.user), form.reason.data
                ),
                "评审组已重新开启，阶段得分已撤销；请补充评审员，评分后再结束评审",
            ):
                return redirect(url_for(".composition", pk=group.id))
        return self.render_template("award/review_group_reopen.html", group=group, form=form)


class ReopenGroupForm(FlaskForm):
    reason = TextAreaField(_("重新开启理由（必填，M-3）"), validators=[Length(max=2000)])


def deadline_badge(state):
    """The badge of app/templates/award/deadline_macros.html, for list cells."""
    return get_template_attribute("award/deadline_macros.html", "badge")(state)


class ReviewReportView(AwardModelView):
    model, title = ReviewReport, _("评审报告")
    eager = ("application", "group")
    scoped_rows = True
    list_columns = ["application", "group", "stage", "finalized_at"]
    search_columns = ["stage", "finalized_at"]
    add_columns = edit_columns = [
        "application",
        "group",
        "summary",
        "strengths",
        "improvements",
        "recommendation",
    ]
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        "application": IN_SCOPE,
        "group": IN_SCOPE,
    }
    base_permissions = ["can_list", "can_show", "can_add", "can_edit"]
    description_columns = {
        "summary": _("材料评审报告（M-19.2）或现场评审报告（M-19.4），由组长负责")
    }

    @action(
        "sign_off",
        _("组长签发"),
        _("签发后评审报告定稿，按评审组得分出具文书，不能再修改。确认签发？"),
        "fa-check-square-o",
    )
    def sign_off(self, items):
        """M-10, M-19.2, M-19.4: the group's leader signs reports off once the group closed."""
        items = items if isinstance(items, list) else [items]
        for item in items:
            self.try_service(
                lambda i=item: report_signoff.sign_off_report(
                    i.application_id, i.stage, scoring.actor_of(g.user)
                ),
                _("评审报告已由组长签发"),
            )
        if len(items) == 1:
            return redirect(url_for(".show", pk=items[0].id))
        return redirect(url_for(".list"))


class ScoreLineView(AwardModelView):
    model, title = ScoreLine, _("评分明细")
    eager = ("item", "scoresheet")
    scoped_rows = True
    list_columns = ["scoresheet", "item", "percent", "points"]
    show_columns = ["scoresheet", "item", "percent", "points", "strengths", "improvements"]
    search_columns = ["percent"]
    label_columns = {"scoresheet": _("评分表")}
    base_permissions = READ_ONLY


class ScoreChangeView(AwardModelView):
    model, title = ScoreChange, _("评分修改记录")
    eager = ("scoresheet",)
    list_columns = [
        "scoresheet",
        "item_code",
        "field",
        "old_value",
        "new_value",
        "changed_by",
        "changed_at",
    ]
    show_columns = [*list_columns, "reason"]
    label_columns = {"scoresheet": _("评分表")}
    # 草稿 → 已提交, not draft → submitted (issue 16, readable records).
    formatters_columns = {
        "field": readable.sheet_field,
        "old_value": readable.sheet_value,
        "new_value": readable.sheet_value,
    }
    base_order = ("changed_at", "desc")
    base_permissions = READ_ONLY


class StageScoreView(AwardModelView):
    model, title = StageScore, _("阶段得分")
    eager = ("application",)
    list_columns = ["application", "stage", "method", "total", "sheets", "computed_at"]
    formatters_columns = {"categories": readable.points_by_category}
    base_permissions = READ_ONLY
