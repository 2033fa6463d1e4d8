"""Screens for reviewers (M-10), conflicts (M-25), review groups and scoresheets (M-19.2, M-19.4)."""

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
    Scoresheet,
    StageScore,
)

from .base import AwardModelView

READ_ONLY = ["can_list", "can_show"]


class ReviewerCertificateView(AwardModelView):
    model, title = ReviewerCertificate, "评审员证书"
    eager = ("reviewer",)
    list_columns = ["reviewer", "name", "number", "valid_to"]
    add_columns = edit_columns = ["reviewer", "name", "number", "issuer", "valid_to"]


class ReviewerSanctionView(AwardModelView):
    model, title = ReviewerSanction, "评审员处理记录"
    eager = ("reviewer",)
    list_columns = ["reviewer", "level", "breach", "decided_on", "decided_by"]
    add_columns = edit_columns = ["reviewer", "level", "breach", "reason", "decided_on"]
    base_permissions = ["can_list", "can_show", "can_add", "can_edit"]
    description_columns = {"level": "批评、警告或撤销评审员资格（M-25）；撤销资格后不得再参加评审"}


class ReviewerView(AwardModelView):
    model, title = Reviewer, "评审员"
    scoped_rows = True
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
    description_columns = {
        "degree": "大学本科以上学历（M-10.2）",
        "quality_work_since": "从事质量管理等相关专业工作 5 年以上（M-10.3）",
        "law_training_on": "熟悉国家质量、经济等法律法规（M-10.1）",
        "integrity_pledge_on": "作风正派、廉洁自律，签署廉洁保密承诺（M-10.4、M-25）",
        "industries": "GB/T 4754 门类代码，逗号分隔，用于匹配行业专家（M-10）",
    }
    related_views = [ReviewerCertificateView, ReviewerSanctionView]


class InterestDeclarationView(AwardModelView):
    model, title = InterestDeclaration, "利害关系申报"
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
    description_columns = {"kind": "与申报主体有利害关系的，不得参与对其评审（M-25）"}


class ConsultingEngagementView(AwardModelView):
    model, title = ConsultingEngagement, "咨询服务记录"
    eager = ("reviewer", "organization")
    list_columns = ["reviewer", "organization", "started_on", "ended_on"]
    add_columns = edit_columns = ["reviewer", "organization", "started_on", "ended_on", "note"]


class ReviewGroupMemberView(AwardModelView):
    model, title = ReviewGroupMember, "评审组成员"
    eager = ("group", "reviewer")
    scoped_rows = True
    list_columns = ["group", "reviewer", "is_leader"]
    search_columns = ["is_leader"]
    add_columns = edit_columns = ["group", "reviewer", "is_leader"]


class ReviewAssignmentView(AwardModelView):
    model, title = ReviewAssignment, "评审分配"
    eager = ("group", "application")
    scoped_rows = True
    list_columns = ["group", "application", "stage"]
    search_columns = ["stage"]
    add_columns = ["group", "application", "stage"]
    base_permissions = ["can_list", "can_show", "can_add", "can_delete"]


class ReviewGroupView(AwardModelView):
    model, title = ReviewGroup, "评审组"
    eager = ("cycle",)
    scoped_rows = True
    list_columns = ["cycle", "name", "stage", "due_on", "closed_at"]
    search_columns = ["name", "stage", "due_on"]
    add_columns = edit_columns = ["cycle", "name", "stage", "due_on"]
    description_columns = {"name": "评审组不少于 3 人，含行业专家，设组长 1 名（M-10）"}
    related_views = [ReviewGroupMemberView, ReviewAssignmentView]


class ScoreLineView(AwardModelView):
    model, title = ScoreLine, "评分明细"
    eager = ("item",)
    scoped_rows = True
    list_columns = ["scoresheet_id", "item", "percent", "points"]
    search_columns = ["percent"]
    label_columns = {"scoresheet_id": "评分表"}
    base_permissions = READ_ONLY


class ScoresheetView(AwardModelView):
    model, title = Scoresheet, "评分表"
    eager = ("application", "reviewer", "group")
    scoped_rows = True
    list_columns = ["application", "reviewer", "stage", "status", "total", "submitted_at"]
    search_columns = ["stage", "status", "is_consensus", "submitted_at"]
    show_columns = [
        "application",
        "group",
        "reviewer",
        "stage",
        "is_consensus",
        "status",
        "total",
        "submitted_at",
        "reopened_reason",
        "overall_comment",
    ]
    base_permissions = READ_ONLY


class ScoreChangeView(AwardModelView):
    model, title = ScoreChange, "评分修改记录"
    list_columns = [
        "scoresheet_id",
        "item_code",
        "field",
        "old_value",
        "new_value",
        "changed_by",
        "changed_at",
    ]
    label_columns = {"scoresheet_id": "评分表"}
    base_order = ("changed_at", "desc")
    base_permissions = READ_ONLY


class StageScoreView(AwardModelView):
    model, title = StageScore, "阶段得分"
    eager = ("application",)
    list_columns = ["application", "stage", "method", "total", "sheets", "computed_at"]
    base_permissions = READ_ONLY


class ReviewReportView(AwardModelView):
    model, title = ReviewReport, "评审报告"
    eager = ("application", "group")
    scoped_rows = True
    list_columns = ["application", "group", "stage", "finalized_at"]
    search_columns = ["stage", "finalized_at"]
    add_columns = edit_columns = [
        "application",
        "group",
        "stage",
        "summary",
        "strengths",
        "improvements",
        "recommendation",
    ]
    base_permissions = ["can_list", "can_show", "can_add", "can_edit"]
    description_columns = {"summary": "材料评审报告（M-19.2）或现场评审报告（M-19.4），由组长负责"}
