"""Screens for applicants and the records screened by M-11 to M-13 (and bans, M-28)."""

from flask_babel import lazy_gettext as _

from models import (
    Ban,
    Certificate,
    Incident,
    Individual,
    Organization,
    Penalty,
    SamplingResult,
    Trademark,
)

from .base import AwardModelView
from .fieldsets import form_fieldsets


class CertificateView(AwardModelView):
    model, title = Certificate, _("管理体系证书")
    eager = ("organization",)
    list_columns = ["organization", "standard", "number", "valid_from", "valid_to"]
    add_columns = edit_columns = [
        "organization",
        "standard",
        "number",
        "issuer",
        "is_management_system",
        "valid_from",
        "valid_to",
    ]
    search_columns = ["standard", "number", "valid_to"]
    description_columns = {"is_management_system": _("M-11.2：ISO 9001 或其他有效的管理体系认证")}


class TrademarkView(AwardModelView):
    model, title = Trademark, _("注册商标")
    eager = ("organization",)
    list_columns = ["organization", "name", "registration_no", "registered_on"]
    add_columns = edit_columns = ["organization", "name", "registration_no", "registered_on"]


class OrganizationView(AwardModelView):
    model, title = Organization, _("组织")
    scoped_rows = True  # a recommender: its sectors and its recommendations only (M-9)
    eager = ("industry",)
    list_columns = ["name", "credit_code", "legal_form", "industry", "district", "operating_since"]
    search_columns = ["name", "credit_code", "legal_form", "district", "industry_code"]
    add_columns = edit_columns = [
        "name",
        "credit_code",
        "legal_form",
        "parent_name",
        "industry",
        "district",
        "registered_address",
        "domicile_evidence",
        "operating_since",
        "trademark_exempt",
        "compulsory_licence_required",
        "compulsory_licence_no",
        "legal_representative",
        "contact_name",
        "contact_phone",
        "contact_email",
        "employees",
    ]
    show_fieldsets = [
        (
            _("基本信息"),
            {
                "fields": [
                    "name",
                    "credit_code",
                    "legal_form",
                    "parent_name",
                    "industry",
                    "employees",
                    "legal_representative",
                ]
            },
        ),
        (
            _("住所（M-11.1）"),
            {"fields": ["district", "registered_address", "domicile_evidence", "operating_since"]},
        ),
        (
            _("资质（M-11.2、M-11.4、M-13.2）"),
            {
                "fields": [
                    "trademark_exempt",
                    "compulsory_licence_required",
                    "compulsory_licence_no",
                ]
            },
        ),
        (_("联系方式"), {"fields": ["contact_name", "contact_phone", "contact_email"]}),
    ]
    add_fieldsets = edit_fieldsets = form_fieldsets(show_fieldsets, add_columns)
    description_columns = {
        "credit_code": _(
            "18 位，按 GB 32100-2015 校验；第 3-8 位为登记机关行政区划代码（伊宁市 654002）"
        ),
        "domicile_evidence": _("登记机关不在伊宁市时，由市质评办记录住所在伊宁市的证明（M-11.1）"),
        "operating_since": _("正常经营 3 年以上，计算至申报截止日（M-11.1）"),
        "legal_form": _("法人、非法人组织或其分支、内设、派出机构，含基层一线班组（M-2）"),
    }
    related_views = [CertificateView, TrademarkView]


class IndividualView(AwardModelView):
    model, title = Individual, _("个人")
    scoped_rows = True  # a recommender: its sectors and its recommendations only (M-9)
    eager = ("employer",)
    list_columns = ["name", "id_number", "employer", "position", "quality_work_since", "education"]
    search_columns = ["name", "id_number", "employer_name", "position"]
    add_columns = edit_columns = [
        "name",
        "id_number",
        "employer",
        "employer_name",
        "position",
        "works_in_yining",
        "quality_work_since",
        "education",
        "phone",
        "email",
    ]
    show_fieldsets = [
        (_("基本信息"), {"fields": ["name", "id_number", "education"]}),
        (
            _("从事质量工作（M-12.1）"),
            {
                "fields": [
                    "employer",
                    "employer_name",
                    "position",
                    "works_in_yining",
                    "quality_work_since",
                ]
            },
        ),
        (_("联系方式"), {"fields": ["phone", "email"]}),
    ]
    add_fieldsets = edit_fieldsets = form_fieldsets(show_fieldsets, add_columns)
    description_columns = {
        "id_number": _("18 位，按 GB 11643-1999 校验出生日期和校验码"),
        "quality_work_since": _("在本市组织从事质量管理工作 5 年以上（M-12.1）"),
        "employer": _("已登记的组织；未登记的，填写工作单位名称"),
        "works_in_yining": _("未在本市组织从事质量管理工作的，不符合 M-12.1"),
    }


_APPLICANT = ["organization", "individual"]


class IncidentView(AwardModelView):
    model, title = Incident, _("事故及质量投诉")
    eager = ("organization", "individual")
    list_columns = ["organization", "individual", "kind", "severity", "occurred_on", "responsible"]
    add_columns = edit_columns = [
        *_APPLICANT,
        "kind",
        "severity",
        "occurred_on",
        "responsible",
        "description",
        "source",
    ]
    description_columns = {
        "severity": _("重大事故在申报截止日前 3 年内的，不得申报（M-11.5、M-13.3）")
    }


class SamplingResultView(AwardModelView):
    model, title = SamplingResult, _("监督抽查结果")
    eager = ("organization", "individual")
    list_columns = ["organization", "level", "sampled_on", "product", "passed", "serious"]
    add_columns = edit_columns = [
        *_APPLICANT,
        "level",
        "sampled_on",
        "product",
        "passed",
        "serious",
        "note",
    ]


class PenaltyView(AwardModelView):
    model, title = Penalty, _("行政处罚")
    eager = ("organization", "individual")
    list_columns = ["organization", "individual", "decided_on", "authority", "major_quality"]
    add_columns = edit_columns = [
        *_APPLICANT,
        "decided_on",
        "authority",
        "document_no",
        "major_quality",
        "description",
    ]


class BanView(AwardModelView):
    model, title = Ban, _("禁止申报记录")
    eager = ("organization", "individual")
    list_columns = ["organization", "individual", "reason", "starts_on", "ends_on"]
    add_columns = edit_columns = [*_APPLICANT, "reason", "starts_on", "ends_on", "note"]
    base_order = ("ends_on", "desc")
