"""Screens after the award: follow-up reports (M-27), revocation (M-26) and recoveries."""

from models import FollowUpReport, Recovery, RevocationCase

from .base import AwardModelView

EDIT = ["can_list", "can_show", "can_add", "can_edit"]


class FollowUpReportView(AwardModelView):
    model, title = FollowUpReport, "年度报告"
    eager = ("award",)
    list_columns = ["award", "report_year", "due_on", "status", "received_on"]
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
    base_permissions = ["can_list", "can_show", "can_edit"]
    base_order = ("due_on", "desc")
    description_columns = {
        "profit": "当年亏损的，将立案审查是否撤销奖项（M-26.5）",
        "due_on": "每年二月底前报送上一年度卓越绩效管理情况（M-27）",
    }


class RecoveryView(AwardModelView):
    model, title = Recovery, "追回记录"
    list_columns = ["revocation_case_id", "item", "amount", "recovered", "recovered_on"]
    label_columns = {"revocation_case_id": "撤销案件"}
    edit_columns = ["recovered", "recovered_on", "note"]
    base_permissions = ["can_list", "can_show", "can_edit"]


class RevocationCaseView(AwardModelView):
    model, title = RevocationCase, "撤销案件"
    eager = ("award",)
    list_columns = ["award", "ground", "status", "opened_on", "approved_on", "published"]
    search_columns = ["ground", "status", "opened_on", "published"]
    add_columns = ["award", "ground", "evidence", "opened_on"]
    edit_columns = ["evidence"]
    base_permissions = EDIT
    description_columns = {
        "ground": "M-26 规定的五种情形之一",
        "evidence": "由市质评办核实、委员会审议、市政府批准（M-26）",
    }
