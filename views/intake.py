"""Screens for cycles, recommenders, applications and the eligibility review (M-17 to M-19.1)."""

from app.services import intake as svc
from models import (
    Application,
    ApplicationDocument,
    Disqualification,
    EligibilityJudgement,
    EligibilityReview,
    Recommendation,
    Recommender,
)

from .base import AwardModelView


class RecommenderView(AwardModelView):
    model, title = Recommender, "推荐单位"
    list_columns = ["name", "kind", "sectors", "contact_name", "contact_phone"]
    add_columns = edit_columns = [
        "name",
        "kind",
        "sectors",
        "user",
        "contact_name",
        "contact_phone",
    ]
    description_columns = {
        "sectors": "GB/T 4754 门类代码，逗号分隔；留空表示全部行业（如市场监督管理局）"
    }


class RecommendationView(AwardModelView):
    model, title = Recommendation, "推荐意见"
    eager = ("application", "recommender")
    scoped_rows = True
    list_columns = ["application", "recommender", "signatory", "signed_on"]
    search_columns = ["signatory", "signed_on"]
    add_columns = edit_columns = [
        "application",
        "recommender",
        "opinion",
        "signatory",
        "signed_on",
        "pages",
    ]
    description_columns = {
        "opinion": "推荐单位对申报主体的推荐意见（M-18），须签署后方可通过资格审查",
    }

    def validate(self, item, adding):
        svc.validate_recommendation(item)


class ApplicationDocumentView(AwardModelView):
    model, title = ApplicationDocument, "申报材料"
    eager = ("application",)
    scoped_rows = True
    list_columns = ["application", "kind", "title", "filename", "size", "uploaded_by"]
    search_columns = ["kind", "title", "filename"]
    show_columns = [
        "application",
        "kind",
        "title",
        "filename",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "created_at",
    ]
    base_permissions = ["can_list", "can_show", "can_delete"]


class EligibilityReviewView(AwardModelView):
    model, title = EligibilityReview, "资格审查记录"
    eager = ("application",)
    list_columns = ["application", "outcome", "reviewed_at", "reviewed_by"]
    search_columns = ["outcome", "reviewed_by"]
    base_permissions = ["can_list", "can_show"]
    base_order = ("reviewed_at", "desc")


class EligibilityJudgementView(AwardModelView):
    model, title = EligibilityJudgement, "资格条件人工判定"
    eager = ("application",)
    list_columns = ["application", "rule", "status", "note", "decided_by"]
    search_columns = ["rule", "status"]
    add_columns = edit_columns = ["application", "rule", "status", "note"]
    description_columns = {
        "rule": "需人工判定的条款，如 M-11.3、M-11.6、M-12.2、M-13.1、M-13.5",
    }

    def validate(self, item, adding):
        svc.validate_judgement(item)


class DisqualificationView(AwardModelView):
    model, title = Disqualification, "取消资格记录"
    eager = ("application",)
    list_columns = ["application", "ground", "decided_at", "decided_by", "active"]
    search_columns = ["ground", "active"]
    base_permissions = ["can_list", "can_show"]


class ApplicationView(AwardModelView):
    model, title = Application, "申报"
    eager = ("cycle", "organization", "individual")
    scoped_rows = True
    list_columns = ["number", "cycle", "prize", "applicant_name", "status", "submitted_on"]
    search_columns = ["number", "prize", "applicant_kind", "status", "submitted_on"]
    order_columns = ["number", "prize", "status", "submitted_on"]
    add_columns = [
        "cycle",
        "prize",
        "applicant_kind",
        "organization",
        "individual",
        "submitted_on",
        "paper_copies",
        "paper_received_on",
        "summary",
        "office_note",
    ]
    edit_columns = [
        "prize",
        "submitted_on",
        "paper_copies",
        "paper_received_on",
        "summary",
        "office_note",
    ]
    show_fieldsets = [
        (
            "申报信息（M-18）",
            {
                "fields": [
                    "number",
                    "cycle",
                    "prize",
                    "applicant_kind",
                    "applicant_name",
                    "status",
                    "submitted_on",
                    "summary",
                ]
            },
        ),
        ("纸质材料", {"fields": ["paper_copies", "paper_received_on"]}),
        ("资格审查（M-19.1）", {"fields": ["supplement_deadline", "office_note"]}),
    ]
    description_columns = {
        "prize": "政府质量奖只授予组织；提名奖授予组织或个人（M-2）",
        "paper_copies": "申报材料纸质版一式两份（M-18）",
    }
    related_views = [ApplicationDocumentView, EligibilityReviewView]

    def validate(self, item, adding):
        svc.validate_application(item, adding)
