"""Screens for cycles, recommenders, applications and the eligibility review (M-17 to M-19.1)."""

from app.services import intake as svc
from models import (
    Application,
    ApplicationDocument,
    AwardCycle,
    Disqualification,
    EligibilityJudgement,
    EligibilityReview,
    Recommendation,
    Recommender,
)

from .base import AwardModelView


class AwardCycleView(AwardModelView):
    model, title = AwardCycle, "评定年度"
    eager = ("criteria_version",)
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
        "agency_name",
        "agency_contract_no",
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
            "基本信息",
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
            "时间安排（M-17）",
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
            "名额与奖金（M-4、M-20）",
            {"fields": ["award_quota", "nomination_quota", "award_amount", "nomination_amount"]},
        ),
        (
            "经费与第三方机构（M-5、M-6）",
            {"fields": ["budget", "agency_name", "agency_contract_no", "agency_fee"]},
        ),
        (
            "评审规则（M-19）",
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
            "资格审查确认（M-19.1）",
            {
                "fields": [
                    "eligibility_confirmed_at",
                    "eligibility_confirmed_by",
                    "eligibility_confirmation_note",
                ]
            },
        ),
    ]
    description_columns = {
        "award_quota": "每届政府质量奖不超过 2 个，可空缺（M-4）",
        "nomination_quota": "每届政府质量提名奖不超过 2 个，可空缺（M-4）",
        "award_amount": "每个组织 20 万元（M-20）",
        "nomination_amount": "每个组织或个人 3 万元（M-20）",
        "aggregation": "算术平均；5 人以上可去掉一个最高分和一个最低分；或组长合议（组长负责制）",
        "min_onsite_score": "低于此分不予推荐，奖项可空缺（M-4）",
        "notice_days": "默认 7 个自然日（M-19.6）",
        "vote_threshold": "赞成票超过出席委员的此比例方为通过，默认过半数",
    }

    def validate(self, item, adding):
        svc.validate_cycle(item, adding)


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
