"""Applicants online (M-2, M-8, M-11, M-18, M-19.1, M-22, M-23, M-27): account states, the
sections of the online form, its completeness checklist, and what an applicant may edit."""

from dataclasses import dataclass
from datetime import date

from .enums import ApplicationStatus, LabeledEnum, Prize
from .errors import RuleViolation


class AccountStatus(LabeledEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"

    @staticmethod
    def LABELS():
        return {
            AccountStatus.PENDING: "待市质评办审核",
            AccountStatus.APPROVED: "已开通",
            AccountStatus.REFUSED: "未通过",
        }


class AccountNotApproved(RuleViolation):
    rule = "M-8"
    default_message = "申报账户尚未经市质评办审核开通"


class NotYourApplication(RuleViolation):
    """Another applicant's row: answered as not found, nothing is revealed (M-24)."""

    rule = "M-24"
    default_message = "记录不存在或不属于本申报主体"
    status = 404


class ApplicationLocked(RuleViolation):
    rule = "M-18"
    default_message = "申报已提交，申报人不能再修改"


class SectionNotReturned(RuleViolation):
    rule = "M-19.1"
    default_message = "退回补正时只能修改市质评办要求补正的内容"


class ApplicationIncomplete(RuleViolation):
    rule = "M-18"
    default_message = "申报材料不完整，不能提交"


# The seven parts of GB/T 19580 (M-14): an organization's self-assessment, one text each.
SELF_ASSESSMENT_PARTS = [
    ("leadership", "领导"),
    ("strategy", "战略"),
    ("customers", "顾客与市场"),
    ("resources", "资源"),
    ("processes", "过程管理"),
    ("measurement", "测量、分析与改进"),
    ("results", "结果"),
]

# Evidence the form asks for, by document kind (M-11 for organizations, M-12 for individuals).
ORG_EVIDENCE = [
    ("registration", "营业执照或登记证书（住所在伊宁市，正常经营3年以上）", "M-11.1"),
    ("certificate", "有效的质量管理体系认证证书", "M-11.2"),
    ("trademark", "主导产品或服务的注册商标证书", "M-11.4"),
    ("accounts", "近三年财务报表（经营业绩）", "M-11.3"),
]
PERSON_EVIDENCE = [
    ("employment", "在伊宁市组织从事质量工作5年以上的证明", "M-12.1"),
    ("achievements", "质量改进成果等佐证材料", "M-12.2"),
]

# The parts of the form the Office may return for supplement (M-19.1), and their labels.
SECTIONS = {
    "basic": "基本信息",
    "conditions": "申报条件及承诺",
    "evidence": "佐证材料",
    "self_assessment": "自评报告 / 先进事迹",
    "recommender": "推荐单位",
}

ORG_BASIC = [
    ("registered_address", "注册地址"),
    ("legal_representative", "法定代表人"),
    ("operating_since", "开始经营日期"),
    ("employees", "从业人数"),
    ("contact_name", "联系人"),
    ("contact_phone", "联系电话"),
]
PERSON_BASIC = [
    ("employer_name", "工作单位"),
    ("position", "职务"),
    ("quality_work_since", "从事质量工作起始日期"),
    ("phone", "联系电话"),
]

EDITABLE = {ApplicationStatus.DRAFT, ApplicationStatus.RETURNED_INCOMPLETE}


@dataclass(frozen=True)
class Line:
    """One line of the completeness checklist: what, whether it is there, the rule."""

    title: str
    done: bool
    rule: str


@dataclass
class FormFacts:
    """What an online application holds, read by the service for the checklist."""

    organization: bool
    prize: Prize
    basic: dict  # field -> value
    evidence_kinds: set
    self_assessment: dict  # part -> text
    deeds: str
    recommender_chosen: bool
    incidents_declared: bool
    truth_pledged: bool


def checklist(facts: FormFacts) -> list[Line]:
    """The live completeness checklist (M-18): each line names what is missing and its rule."""
    lines = []
    basic = ORG_BASIC if facts.organization else PERSON_BASIC
    for field, label in basic:
        lines.append(Line(f"基本信息：{label}", facts.basic.get(field) not in (None, ""), "M-18"))
    evidence = ORG_EVIDENCE if facts.organization else PERSON_EVIDENCE
    needed = evidence if facts.prize is Prize.AWARD or not facts.organization else evidence[:2]
    for kind, label, rule in needed:
        lines.append(Line(f"佐证材料：{label}", kind in facts.evidence_kinds, rule))
    if facts.organization:
        lines.append(
            Line(
                "申报条件：近3年无重大质量、安全、环境事故及监督抽查不合格的声明",
                facts.incidents_declared,
                "M-11.5",
            )
        )
        for key, label in SELF_ASSESSMENT_PARTS:
            text = (facts.self_assessment.get(key) or "").strip()
            lines.append(Line(f"自评报告：{label}", bool(text), "M-18"))
    else:
        lines.append(Line("先进事迹材料", bool((facts.deeds or "").strip()), "M-18"))
    lines.append(Line("推荐单位（签署推荐意见）", facts.recommender_chosen, "M-18"))
    lines.append(Line("申报材料真实性承诺", facts.truth_pledged, "M-19.1"))
    return lines


def missing(lines: list[Line]) -> list[Line]:
    return [line for line in lines if not line.done]


def ensure_complete(lines: list[Line]) -> None:
    gaps = missing(lines)
    if gaps:
        names = "；".join(f"{line.title}（{line.rule}）" for line in gaps)
        raise ApplicationIncomplete(f"申报材料不完整，尚缺：{names}")


def editable_sections(status: ApplicationStatus, asked: list[str] | None) -> set[str]:
    """A draft is editable in full; a returned application only in the sections the Office
    asked for (M-19.1; none named: every section); anything else is read-only (M-18)."""
    if status is ApplicationStatus.DRAFT:
        return set(SECTIONS)
    if status is ApplicationStatus.RETURNED_INCOMPLETE:
        return set(asked or SECTIONS) & set(SECTIONS)
    return set()


def ensure_section_editable(
    status: ApplicationStatus, asked: list[str] | None, section: str
) -> None:
    allowed = editable_sections(status, asked)
    if not allowed:
        raise ApplicationLocked(f"申报状态为「{status.label}」，申报人不能再修改")
    if section not in allowed:
        names = "、".join(SECTIONS[s] for s in SECTIONS if s in allowed)
        raise SectionNotReturned(
            f"退回补正时只能修改要求补正的内容（{names}），不能修改「{SECTIONS[section]}」"
        )


def supplement_lapsed(status: ApplicationStatus, deadline: date | None, today: date) -> bool:
    """M-19.1: a returned application not supplemented by its deadline has lapsed."""
    return (
        status is ApplicationStatus.RETURNED_INCOMPLETE
        and deadline is not None
        and today > deadline
    )


# What an applicant may see of its own application's standing: the result only once public.
PUBLIC_RESULT = {ApplicationStatus.AWARDED, ApplicationStatus.NOT_AWARDED}
BEFORE_RESULT = {
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.NOT_SHORTLISTED,
    ApplicationStatus.FINALIST,
    ApplicationStatus.PROPOSED,
}


def status_for_applicant(status: ApplicationStatus, result_public: bool) -> str:
    """The status an applicant is shown: review steps hide any ranking until the result is
    public (M-19.6, M-24)."""
    if status in BEFORE_RESULT and not result_public:
        return "评审中"
    if status is ApplicationStatus.PROPOSED and result_public:
        return "拟表彰（公示中）"
    return status.label
