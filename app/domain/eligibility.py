"""Eligibility checklists for organizations (M-11, M-13) and individuals (M-12, M-13)."""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from app.domain.bans import Ban, ban_for_cycle
from app.domain.dates import add_years, window_start, within_years_before
from app.domain.enums import (
    ApplicantKind,
    ApplicationStatus,
    AuthorityLevel,
    CheckStatus,
    IncidentKind,
    Prize,
    Severity,
)
from app.domain.errors import InvalidInput, RuleViolation
from app.domain.identifiers import InvalidCreditCode, domicile_status

OPERATING_YEARS = 3  # M-11.1
QUALITY_WORK_YEARS = 5  # M-12.1
LOOKBACK_YEARS = 3  # M-11.5, M-13.3, M-13.4: 近三年
PENDING = "待市质评办判定"
BAN_RULE = "M-19.1/M-28"
INSIDE = "（在截止日前3年内）"

ACCIDENTS = {
    IncidentKind.QUALITY_ACCIDENT,
    IncidentKind.SAFETY_ACCIDENT,
    IncidentKind.ENVIRONMENT_ACCIDENT,
    IncidentKind.EQUIPMENT_ACCIDENT,
}
# M-11.5 names quality, environmental and work-safety accidents only, and only responsible ones.
M11_5_ACCIDENTS = ACCIDENTS - {IncidentKind.EQUIPMENT_ACCIDENT}


class PrizeNotForApplicant(RuleViolation):
    rule = "M-2"
    default_message = "该奖项不接受此类申报人"


@dataclass(frozen=True)
class Certificate:
    kind: str
    number: str
    valid_from: date
    valid_to: date
    is_management_system: bool = True


@dataclass(frozen=True)
class Incident:
    kind: IncidentKind
    severity: Severity
    occurred_on: date
    responsible: bool
    description: str = ""


@dataclass(frozen=True)
class SamplingResult:
    level: AuthorityLevel
    sampled_on: date
    passed: bool
    serious: bool
    product: str = ""


@dataclass(frozen=True)
class Penalty:
    """An administrative penalty (organization) or administrative sanction (individual)."""

    decided_on: date
    authority: str
    major_quality: bool
    description: str = ""


@dataclass
class OrganizationFacts:
    name: str
    credit_code: str
    domicile_evidence: str | None = None
    operating_since: date | None = None
    certificates: list[Certificate] = field(default_factory=list)
    has_registered_trademark: bool = False
    trademark_exempt: bool = False
    compulsory_licence_required: bool = False
    compulsory_licence_held: bool = False
    incidents: list[Incident] = field(default_factory=list)
    samplings: list[SamplingResult] = field(default_factory=list)
    penalties: list[Penalty] = field(default_factory=list)
    bans: list[Ban] = field(default_factory=list)


@dataclass
class IndividualFacts:
    name: str
    id_number: str
    quality_work_since: date | None = None
    works_in_yining: bool = False
    sanctions: list[Penalty] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    bans: list[Ban] = field(default_factory=list)


@dataclass(frozen=True)
class Judgement:
    """What the Office ticked for a condition that needs judgement, and why (M-3)."""

    rule: str
    status: CheckStatus
    note: str

    def __post_init__(self) -> None:
        if self.status is not CheckStatus.JUDGEMENT and not self.note.strip():
            raise InvalidInput(f"{self.rule} 判定为“{self.status.label}”时须填写判定理由")


@dataclass(frozen=True)
class CheckItem:
    rule: str
    title: str
    status: CheckStatus
    evidence: str


@dataclass
class Checklist:
    """Every condition with pass / fail / needs-judgement and its evidence (RULES.md §3)."""

    items: list[CheckItem]

    @property
    def passed(self) -> bool:
        return all(item.status is CheckStatus.PASS for item in self.items)

    @property
    def failed_items(self) -> list[CheckItem]:
        return [item for item in self.items if item.status is CheckStatus.FAIL]

    @property
    def pending_judgement(self) -> list[CheckItem]:
        return [item for item in self.items if item.status is CheckStatus.JUDGEMENT]

    @property
    def outcome_hint(self) -> ApplicationStatus | None:
        """M-19.1 outcome the checklist suggests; None while a judgement is outstanding."""
        if self.failed_items:
            return ApplicationStatus.RETURNED_INELIGIBLE
        if self.pending_judgement:
            return None
        return ApplicationStatus.ELIGIBLE


def check_prize_fits_applicant(prize: Prize, kind: ApplicantKind) -> None:
    """M-2: the award is for organizations; individuals may only seek the nomination prize."""
    if prize is Prize.AWARD and kind is ApplicantKind.INDIVIDUAL:
        raise PrizeNotForApplicant(
            f"{Prize.AWARD.label}只授予组织，个人只能申报{Prize.NOMINATION.label}"
        )


def check_organization(
    facts: OrganizationFacts,
    deadline: date,
    judgements: dict[str, Judgement] | None = None,
    has_signed_recommendation: bool = True,
    *,
    cycle_year: int | None = None,
) -> Checklist:
    """The M-11 conditions and M-13 exclusions for an organization, counted to the deadline."""
    recent = _Recent(deadline)
    accidents = [
        i
        for i in recent.incidents(facts.incidents)
        if i.kind in M11_5_ACCIDENTS and i.severity is Severity.MAJOR and i.responsible
    ]
    serious = [s for s in recent.failed_samplings(facts.samplings) if s.serious]
    penalties = [p for p in recent.penalties(facts.penalties) if p.major_quality]
    items = [
        _domicile_item(facts),
        _years_item(
            "M-11.1b", "正常经营起始日期", facts.operating_since, deadline, OPERATING_YEARS
        ),
        _certificate_item(facts.certificates, deadline),
        _pending("M-11.3"),
        _item(
            "M-11.4",
            facts.has_registered_trademark or facts.trademark_exempt,
            "主导产品和服务具有注册商标"
            if facts.has_registered_trademark
            else "属特殊行业，免于注册商标要求",
            "主导产品和服务无注册商标，且不属特殊行业",
        ),
        _clean_record(
            "M-11.5",
            [_incident_text(i) for i in accidents] + [_sampling_text(s) for s in serious],
            f"{recent.text}内无重大责任事故，监督抽查无严重质量问题",
        ),
        _pending("M-11.6"),
        _pending("M-13.1"),
        _licence_item(facts),
        _m13_3_item(recent, facts.incidents, facts.samplings),
        _clean_record(
            "M-13.4",
            [_penalty_text(p, "行政处罚") for p in penalties],
            f"{recent.text}内无因重大质量事故受到的行政处罚",
        ),
        _pending("M-13.5"),
        _recommendation_item(has_signed_recommendation),
        _ban_item(facts.bans, cycle_year or deadline.year, deadline),
    ]
    return Checklist(_apply_judgements(items, judgements))


def check_individual(
    facts: IndividualFacts,
    deadline: date,
    judgements: dict[str, Judgement] | None = None,
    has_signed_recommendation: bool = True,
    *,
    cycle_year: int | None = None,
) -> Checklist:
    """The M-12 conditions and the M-13 exclusions that apply to a person."""
    recent = _Recent(deadline)
    if facts.works_in_yining:
        years = _years_item(
            "M-12.1",
            "从事质量管理工作起始日期",
            facts.quality_work_since,
            deadline,
            QUALITY_WORK_YEARS,
        )
    else:
        years = _item("M-12.1", False, "", "未在本市组织负责或从事质量管理工作")
    items = [
        years,
        *(_pending(rule) for rule in ("M-12.2", "M-12.3", "M-12.4", "M-12.5", "M-12.6")),
        _m13_3_item(recent, facts.incidents, []),
        _clean_record(
            "M-13.4",
            [_penalty_text(p, "行政处分") for p in recent.penalties(facts.sanctions)],
            f"{recent.text}内无行政处分记录",
            title="近三年未受到行政处分",
        ),
        _pending("M-13.5"),
        _recommendation_item(has_signed_recommendation),
        _ban_item(facts.bans, cycle_year or deadline.year, deadline),
    ]
    return Checklist(_apply_judgements(items, judgements))


TITLES = {
    "M-11.1b": "正常经营三年以上",
    "M-11.2": "通过ISO 9001或其他管理体系认证并有效",
    "M-11.3": "经营绩效居市内同行业前列",
    "M-11.4": "主导产品和服务具有注册商标（特殊行业除外）",
    "M-11.5": "近三年无重大质量、环境、安全生产责任事故，监督抽查无严重质量问题",
    "M-11.6": "诚信记录良好，顾客满意度高，履行社会责任，无违法违规",
    "M-12.1": "在本市组织负责或从事质量管理工作五年以上",
    "M-12.2": "熟悉质量法律法规，质量提升工作成绩显著",
    "M-12.3": "掌握质量管理理论和方法，为提高质量管理水平作出突出贡献",
    "M-12.4": "在提高产品质量、技术创新、品牌培育等方面贡献卓著",
    "M-12.5": "社会公德和职业美德良好，遵纪守法，获得社会公认",
    "M-12.6": "在管理或其他特殊领域对质量工作有卓越贡献",
    "M-13.1": "符合国家产业、环保、质量政策",
    "M-13.2": "列入强制管理范围的产品已获得相关证照",
    "M-13.3": "近三年无监督抽查不合格、重大事故及重大质量投诉",
    "M-13.4": "近三年未因重大质量事故受到行政处罚",
    "M-13.5": "无其他严重违反法律法规行为",
    "M-18": "有推荐单位签署的推荐意见",
    BAN_RULE: "不在禁止申报期内",
}
DOMICILE_TITLE = "住所在伊宁市行政区域内"


def _item(rule: str, ok: bool, if_ok: str, if_not: str, title: str | None = None) -> CheckItem:
    status = CheckStatus.PASS if ok else CheckStatus.FAIL
    return CheckItem(rule, title or TITLES[rule], status, if_ok if ok else if_not)


def _pending(rule: str) -> CheckItem:
    return CheckItem(rule, TITLES[rule], CheckStatus.JUDGEMENT, PENDING)


def _apply_judgements(
    items: list[CheckItem], judgements: dict[str, Judgement] | None
) -> list[CheckItem]:
    """Lines still needing judgement take the Office's tick and note when one is given."""
    judgements = judgements or {}
    for key, judgement in judgements.items():
        if judgement.rule != key:
            raise InvalidInput(f"判定记录的条款 {judgement.rule} 与键 {key} 不一致")
    resolved = []
    for item in items:
        judgement = judgements.get(item.rule)
        if item.status is CheckStatus.JUDGEMENT and judgement is not None:
            note = judgement.note.strip() or PENDING
            evidence = note if item.evidence == PENDING else f"{item.evidence}；{note}"
            item = replace(item, status=judgement.status, evidence=f"市质评办判定：{evidence}")
        resolved.append(item)
    return resolved


class _Recent:
    """The 3-year look-back window ending on the deadline (M-11.5, M-13.3, M-13.4)."""

    def __init__(self, deadline: date):
        self.deadline = deadline
        start = window_start(deadline, LOOKBACK_YEARS)
        self.text = f"截止日前3年（{start.isoformat()} 至 {deadline.isoformat()}）"

    def _inside(self, on: date) -> bool:
        return within_years_before(on, self.deadline, LOOKBACK_YEARS)

    def incidents(self, incidents: Iterable[Incident]) -> list[Incident]:
        return [i for i in incidents if self._inside(i.occurred_on)]

    def failed_samplings(self, samplings: Iterable[SamplingResult]) -> list[SamplingResult]:
        return [s for s in samplings if not s.passed and self._inside(s.sampled_on)]

    def penalties(self, penalties: Iterable[Penalty]) -> list[Penalty]:
        return [p for p in penalties if self._inside(p.decided_on)]


def _incident_text(i: Incident) -> str:
    duty = "，负有责任" if i.responsible else ""
    detail = i.description or "未填写说明"
    return f"{i.occurred_on.isoformat()} {i.severity.label}{i.kind.label}：{detail}{duty}{INSIDE}"


def _sampling_text(s: SamplingResult) -> str:
    gravity = "严重质量问题" if s.serious else "不合格"
    detail = s.product or "未填写产品"
    return f"{s.sampled_on.isoformat()} {s.level.label}监督抽查{gravity}：{detail}{INSIDE}"


def _penalty_text(p: Penalty, what: str) -> str:
    detail = p.description or "未填写说明"
    return f"{p.decided_on.isoformat()} {p.authority}{what}：{detail}{INSIDE}"


def _clean_record(rule: str, hits: list[str], clean: str, title: str | None = None) -> CheckItem:
    return _item(rule, not hits, clean, "；".join(hits), title)


def _m13_3_item(
    recent: _Recent, incidents: Iterable[Incident], samplings: Iterable[SamplingResult]
) -> CheckItem:
    # Unlike M-11.5, M-13.3 excludes for any major accident, responsible or not.
    major = [
        i
        for i in recent.incidents(incidents)
        if i.severity is Severity.MAJOR
        and (i.kind in ACCIDENTS or i.kind is IncidentKind.QUALITY_COMPLAINT)
    ]
    hits = [_incident_text(i) for i in major]
    hits += [_sampling_text(s) for s in recent.failed_samplings(samplings)]
    return _clean_record("M-13.3", hits, f"{recent.text}内无监督抽查不合格、重大事故或重大质量投诉")


def _domicile_item(facts: OrganizationFacts) -> CheckItem:
    try:
        status, evidence = domicile_status(facts.credit_code, facts.domicile_evidence)
    except InvalidCreditCode as error:
        return CheckItem("M-11.1a", DOMICILE_TITLE, CheckStatus.FAIL, str(error))
    return CheckItem("M-11.1a", DOMICILE_TITLE, status, evidence)


def _years_item(rule: str, what: str, since: date | None, deadline: date, years: int) -> CheckItem:
    """Passes when `since` is on or before the day `years` years before the deadline."""
    if since is None:
        return _item(rule, False, "", f"未填报{what}")
    latest = add_years(deadline, -years)
    ok = since <= latest
    compared = f"{'不晚于' if ok else '晚于'} {latest.isoformat()}"
    evidence = (
        f"{what} {since.isoformat()}，{compared}（截止日 {deadline.isoformat()} 前{years}年）"
    )
    return _item(rule, ok, evidence, evidence)


def _certificate_item(certificates: Iterable[Certificate], deadline: date) -> CheckItem:
    systems = [c for c in certificates if c.is_management_system]

    def text(c: Certificate) -> str:
        return f"{c.kind} 证书 {c.number}，有效期 {c.valid_from.isoformat()} 至 {c.valid_to.isoformat()}"

    valid = [c for c in systems if c.valid_from <= deadline <= c.valid_to]
    if valid:
        return _item("M-11.2", True, f"{text(valid[0])}，截止日 {deadline.isoformat()} 有效", "")
    if not systems:
        return _item("M-11.2", False, "", "未登记管理体系认证证书")
    listed = "；".join(text(c) for c in systems)
    return _item("M-11.2", False, "", f"{listed}；截止日 {deadline.isoformat()} 均不在有效期内")


def _licence_item(facts: OrganizationFacts) -> CheckItem:
    if not facts.compulsory_licence_required:
        return _item("M-13.2", True, "产品未列入国家强制管理范围", "")
    return _item(
        "M-13.2",
        facts.compulsory_licence_held,
        "产品列入强制管理范围，已获得相关证照",
        "产品列入强制管理范围，未获得相关证照",
    )


def _recommendation_item(signed: bool) -> CheckItem:
    return _item("M-18", signed, "已提交推荐单位签署的推荐意见", "缺少推荐单位签署的推荐意见")


def _ban_item(bans: Iterable[Ban], cycle_year: int, deadline: date) -> CheckItem:
    """M-19.1, M-28: a ban that bars this cycle excludes the applicant (the intake's rule)."""
    ban = ban_for_cycle(bans, cycle_year, deadline)
    if ban is None:
        return _item(
            BAN_RULE, True, f"{cycle_year}年度（截止日 {deadline.isoformat()}）无禁止申报记录", ""
        )
    return _item(BAN_RULE, False, "", f"{ban.describe()}（{ban.rule}）")
