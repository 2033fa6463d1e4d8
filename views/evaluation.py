"""Screens for user evaluation, votes, public notice, approval and awards (M-19.3 to M-19.8)."""

from flask_appbuilder.actions import action
from flask_appbuilder.fieldwidgets import DatePickerWidget
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_babel import lazy_gettext as _
from wtforms import DateField
from wtforms.validators import Optional

from app.domain.enums import ApplicationStatus
from app.services import announcement
from models import (
    Award,
    CommitteeVote,
    GovernmentApproval,
    Objection,
    PrizePayment,
    PublicNotice,
    SatisfactionEvaluation,
)

from .base import AwardModelView

EDIT = ["can_list", "can_show", "can_add", "can_edit"]


class SatisfactionEvaluationView(AwardModelView):
    model, title = SatisfactionEvaluation, _("用户满意度测评")
    eager = ("application",)
    list_columns = [
        "application",
        "method",
        "agency",
        "sample_size",
        "valid_responses",
        "satisfaction_index",
    ]
    search_columns = ["method", "agency"]
    add_columns = edit_columns = [
        "application",
        "method",
        "agency",
        "sample_size",
        "valid_responses",
        "satisfaction_index",
        "surveyed_on",
        "note",
    ]
    add_form_query_rel_fields = {
        "application": [["status", FilterEqual, ApplicationStatus.SHORTLISTED.value]]
    }
    description_columns = {
        "application": _("只针对列入现场评审名单的组织（M-19.3）"),
        "satisfaction_index": _("0-100，与评分并列展示，不计入 1000 分（M-19.3）"),
        "valid_responses": _("不能多于样本量"),
    }


class CommitteeVoteView(AwardModelView):
    model, title = CommitteeVote, _("委员会表决")
    eager = ("application",)
    list_columns = [
        "application",
        "held_on",
        "present",
        "votes_for",
        "votes_against",
        "abstentions",
        "passed",
    ]
    search_columns = ["held_on", "passed"]
    add_columns = edit_columns = [
        "application",
        "held_on",
        "members",
        "present",
        "votes_for",
        "votes_against",
        "abstentions",
        "note",
    ]
    show_columns = [*add_columns, "passed", "recorded_by"]
    base_permissions = EDIT
    label_columns = {"members": _("委员总数"), "present": _("出席委员"), "passed": _("表决通过")}
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        "application": [["status", FilterEqual, ApplicationStatus.PROPOSED.value]]
    }
    description_columns = {
        "votes_for": _("赞成票超过出席委员的本届通过比例（默认过半数）为通过（M-19.6）"),
        "present": _("赞成、反对、弃权合计不能多于出席人数，出席人数不能多于委员总数"),
    }


class ObjectionView(AwardModelView):
    model, title = Objection, _("异议")
    eager = ("notice", "application")
    list_columns = ["notice", "application", "objector_name", "anonymous", "received_on", "status"]
    search_columns = ["objector_name", "anonymous", "received_on", "status"]
    add_columns = [
        "notice",
        "application",
        "objector_name",
        "objector_contact",
        "content",
        "received_on",
    ]
    edit_columns = ["resolution"]  # resolved_on: set by 「处理完毕」 only (decision field)
    base_permissions = EDIT
    description_columns = {
        "objector_name": _("实名异议须留姓名和联系方式；匿名异议只登记、不调查（M-19.6）"),
        "resolution": _("填写调查核实情况和处理结果，再点击「处理完毕」（M-19.6）"),
    }

    @action(
        "resolve_objection",
        _("处理完毕"),
        _("确认该异议已调查处理完毕？"),
        "fa-check",
        multiple=False,
    )
    def resolve_objection(self, item):
        return self.run_service(lambda: announcement.resolve_objection(item.id), "异议已处理完毕")


def _optional_date(label):
    return DateField(label, format="%Y-%m-%d", widget=DatePickerWidget(), validators=[Optional()])


class PublicNoticeView(AwardModelView):
    model, title = PublicNotice, _("公示")
    eager = ("cycle",)
    list_columns = ["cycle", "title", "starts_on", "ends_on", "published_at"]
    add_columns = edit_columns = [
        "cycle",
        "title",
        "starts_on",
        "ends_on",
        "working_days",
        "body",
        "how_to_object",
    ]
    show_columns = [*add_columns, "published_at"]
    add_form_extra_fields = {"ends_on": _optional_date("公示结束日期")}
    edit_form_extra_fields = {"ends_on": _optional_date("公示结束日期")}
    description_columns = {
        "ends_on": _(
            "留空则按本届公示期（默认 7 个自然日）自动计算；不得短于本届最短公示期（M-19.6）"
        ),
        "working_days": _("按工作日计算时不计周六、周日和法定节假日"),
        "body": _("留空则发布时自动列出拟表彰对象"),
    }
    related_views = [ObjectionView]

    @action(
        "publish_notice",
        _("发布公示"),
        _("确认发布公示？发布后将在公开页面显示。"),
        "fa-bullhorn",
        multiple=False,
    )
    def publish_notice(self, item):
        return self.run_service(lambda: announcement.publish_notice(item.id), "公示已发布")


class GovernmentApprovalView(AwardModelView):
    model, title = GovernmentApproval, _("市政府审批")
    eager = ("cycle",)
    list_columns = ["cycle", "approved_on", "document_no", "meeting"]
    add_columns = edit_columns = ["cycle", "approved_on", "document_no", "meeting", "note"]
    base_permissions = EDIT
    description_columns = {
        "document_no": _("公示期结束且实名异议全部处理完毕后方可录入（M-19.7）"),
    }


class PrizePaymentView(AwardModelView):
    model, title = PrizePayment, _("奖金支付")
    eager = ("award",)
    list_columns = ["award", "amount", "paid_on", "voucher_no"]
    add_columns = edit_columns = ["award", "amount", "paid_on", "voucher_no", "note"]
    base_permissions = EDIT
    description_columns = {
        "amount": _("累计不超过奖金标准（M-20），且不超出本届经费预算（M-5）"),
    }


class AwardView(AwardModelView):
    model, title = Award, _("获奖记录")
    eager = ("cycle", "application")
    list_columns = [
        "certificate_no",
        "cycle",
        "application",
        "prize",
        "amount",
        "awarded_on",
        "revoked",
    ]
    search_columns = ["certificate_no", "prize", "awarded_on", "revoked"]
    edit_columns = ["plaque_delivered_on", "certificate_delivered_on"]
    base_permissions = ["can_list", "can_show", "can_edit"]
    related_views = [PrizePaymentView]
