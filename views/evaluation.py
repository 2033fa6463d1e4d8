"""Screens for user evaluation, votes, public notice, approval and awards (M-19.3 to M-19.8)."""

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
    model, title = SatisfactionEvaluation, "用户满意度测评"
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
    description_columns = {
        "satisfaction_index": "0-100，与评分并列展示，不计入 1000 分（M-19.3）",
    }


class CommitteeVoteView(AwardModelView):
    model, title = CommitteeVote, "委员会表决"
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
    base_permissions = EDIT
    description_columns = {"votes_for": "赞成票超过出席委员半数为通过（M-19.6）"}


class ObjectionView(AwardModelView):
    model, title = Objection, "异议"
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
    edit_columns = ["resolution", "resolved_on"]
    base_permissions = EDIT
    description_columns = {
        "objector_name": "实名异议须留姓名和联系方式；匿名异议只登记、不调查（M-19.6）",
    }


class PublicNoticeView(AwardModelView):
    model, title = PublicNotice, "公示"
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
    description_columns = {"ends_on": "公示期默认 7 个自然日（M-19.6）"}
    related_views = [ObjectionView]


class GovernmentApprovalView(AwardModelView):
    model, title = GovernmentApproval, "市政府审批"
    eager = ("cycle",)
    list_columns = ["cycle", "approved_on", "document_no", "meeting"]
    add_columns = edit_columns = ["cycle", "approved_on", "document_no", "meeting", "note"]
    base_permissions = EDIT


class PrizePaymentView(AwardModelView):
    model, title = PrizePayment, "奖金支付"
    eager = ("award",)
    list_columns = ["award", "amount", "paid_on", "voucher_no"]
    add_columns = edit_columns = ["award", "amount", "paid_on", "voucher_no", "note"]
    base_permissions = EDIT


class AwardView(AwardModelView):
    model, title = Award, "获奖记录"
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
