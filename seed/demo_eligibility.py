"""Eligibility reviews of the demo applications, computed by the domain checklists (M-19.1)."""

from dataclasses import asdict
from datetime import date, timedelta

from sqlalchemy import select

from app.domain import eligibility as el
from app.domain.bans import Ban as BanSpec
from app.domain.bans import ban_for_falsification
from app.domain.enums import (
    ApplicationStatus,
    AuthorityLevel,
    CheckStatus,
    IncidentKind,
    Severity,
)
from app.services.intake import bans_where
from models import (
    Application,
    Ban,
    Certificate,
    EligibilityJudgement,
    EligibilityReview,
    Incident,
    Individual,
    Organization,
    Penalty,
    SamplingResult,
    Trademark,
)

from .context import DemoContext, at

S = ApplicationStatus
RETURNED = {S.RETURNED_INCOMPLETE, S.RETURNED_INELIGIBLE, S.RETURNED_FALSIFIED}
# The Office's notes on the conditions that need judgement (RULES.md §3 decision).
JUDGEMENT_NOTES = {
    "M-11.1a": "营业执照由伊宁县市场监督管理局核发（654021）；经实地核查，公司住所和实际经营地均位于伊宁市伊犁河路西三巷18号，属伊宁市行政区域",
    "M-11.3": "经市统计局、税务局数据核实，营业收入、利税总额和总资产贡献率居本市同行业前列",
    "M-11.6": "经“信用中国（新疆伊犁）”查询无失信记录，顾客满意度测评结果良好，积极履行社会责任",
    "M-13.1": "符合国家产业、环保、节能和质量政策，未列入限制类或淘汰类目录",
    "M-13.5": "经查询市场监管、生态环境、应急管理、税务等部门，无其他严重违法违规行为",
    "M-12.2": "熟悉产品质量法等法律法规，参与的质量改进项目成效显著，有所在单位证明",
    "M-12.3": "主持推行卓越绩效评价、六西格玛和QC小组活动，成果有据可查",
    "M-12.4": "在产品质量提升、技术创新和品牌培育方面贡献突出",
    "M-12.5": "所在单位和社区出具品德证明，遵纪守法，获得同行认可",
    "M-12.6": "在质量管理领域的贡献经推荐单位确认",
}


def _records(session, model, column, owner_id):
    return list(session.scalars(select(model).where(column == owner_id).order_by(model.id)))


def _bans(session, column, owner_id) -> list[BanSpec]:
    return bans_where(session, column == owner_id)


def _incidents(rows) -> list[el.Incident]:
    return [
        el.Incident(
            IncidentKind(i.kind), Severity(i.severity), i.occurred_on, i.responsible, i.description
        )
        for i in rows
    ]


def organization_facts(session, org: Organization) -> el.OrganizationFacts:
    oid = org.id
    return el.OrganizationFacts(
        name=org.name,
        credit_code=org.credit_code,
        domicile_evidence=org.domicile_evidence,
        operating_since=org.operating_since,
        certificates=[
            el.Certificate(c.standard, c.number, c.valid_from, c.valid_to, c.is_management_system)
            for c in _records(session, Certificate, Certificate.organization_id, oid)
        ],
        has_registered_trademark=bool(_records(session, Trademark, Trademark.organization_id, oid)),
        trademark_exempt=org.trademark_exempt,
        compulsory_licence_required=org.compulsory_licence_required,
        compulsory_licence_held=bool(org.compulsory_licence_no),
        incidents=_incidents(_records(session, Incident, Incident.organization_id, oid)),
        samplings=[
            el.SamplingResult(AuthorityLevel(s.level), s.sampled_on, s.passed, s.serious, s.product)
            for s in _records(session, SamplingResult, SamplingResult.organization_id, oid)
        ],
        penalties=[
            el.Penalty(p.decided_on, p.authority, p.major_quality, p.description)
            for p in _records(session, Penalty, Penalty.organization_id, oid)
        ],
        bans=_bans(session, Ban.organization_id, oid),
    )


def individual_facts(session, person: Individual) -> el.IndividualFacts:
    pid = person.id
    return el.IndividualFacts(
        name=person.name,
        id_number=person.id_number,
        quality_work_since=person.quality_work_since,
        works_in_yining=person.works_in_yining,
        sanctions=[
            el.Penalty(p.decided_on, p.authority, p.major_quality, p.description)
            for p in _records(session, Penalty, Penalty.individual_id, pid)
        ],
        incidents=_incidents(_records(session, Incident, Incident.individual_id, pid)),
        bans=_bans(session, Ban.individual_id, pid),
    )


def checklist(ctx: DemoContext, app: Application, judgements: dict) -> el.Checklist:
    session = ctx.session
    signed = bool(app.recommendation is not None and app.recommendation.is_signed)
    deadline = app.cycle.deadline
    if app.organization_id is not None:
        facts = organization_facts(session, session.get(Organization, app.organization_id))
        return el.check_organization(facts, deadline, judgements, signed, cycle_year=app.cycle.year)
    facts = individual_facts(session, session.get(Individual, app.individual_id))
    return el.check_individual(facts, deadline, judgements, signed, cycle_year=app.cycle.year)


def _as_json(result: el.Checklist) -> list[dict]:
    return [{**asdict(item), "status": item.status.value} for item in result.items]


def review_eligibility(
    ctx: DemoContext, app: Application, reviewed_on: date, status: ApplicationStatus, extras: dict
) -> EligibilityReview:
    """Run the checklist; for an application found eligible, record the Office's judgements."""
    ctx.session.refresh(app)  # loads the recommendation just added
    outcome = status if status in RETURNED else S.ELIGIBLE
    judgements: dict[str, el.Judgement] = {}
    if outcome is S.ELIGIBLE:
        for item in checklist(ctx, app, {}).pending_judgement:
            note = JUDGEMENT_NOTES[item.rule]
            judgements[item.rule] = el.Judgement(item.rule, CheckStatus.PASS, note)
            ctx.add(
                EligibilityJudgement(
                    application_id=app.id,
                    rule=item.rule,
                    status=CheckStatus.PASS.value,
                    note=note,
                    decided_by="office",
                )
            )
    result = checklist(ctx, app, judgements)
    reasons = extras.get("reasons") or "；".join(
        f"{i.title}（{i.rule}）：{i.evidence}" for i in result.failed_items
    )
    deadline = None
    if outcome is S.RETURNED_INCOMPLETE:
        deadline = reviewed_on + timedelta(days=app.cycle.supplement_days)
        app.supplement_deadline = deadline
        reasons = "申报材料不齐全，请在补正期限内补齐后重新报送。"
    review = ctx.add(
        EligibilityReview(
            application_id=app.id,
            outcome=outcome.value,
            checklist=_as_json(result),
            reasons=reasons or None,
            missing_items=extras.get("missing"),
            supplement_deadline=deadline,
            reviewed_at=at(reviewed_on, 16),
            reviewed_by="office",
        )
    )
    if outcome in RETURNED:
        app.office_note = reasons
    if outcome is S.RETURNED_FALSIFIED:
        ban = ban_for_falsification(reviewed_on, app.cycle.year)
        ctx.add(
            Ban(
                reason=ban.reason.value,
                starts_on=ban.starts_on,
                ends_on=ban.ends_on,
                organization_id=app.organization_id,
                individual_id=app.individual_id,
                application_id=app.id,
                note=f"{app.number}：{ban.describe()}",
            )
        )
    return review
