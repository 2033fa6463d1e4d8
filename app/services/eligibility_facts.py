"""The facts the eligibility rules read, built from an application's records (M-11 to M-13,
M-18, bans), and the checklist computed from them against the cycle's deadline."""

from dataclasses import asdict
from datetime import date

from sqlalchemy import select

from app.domain import eligibility as rules
from app.domain.enums import AuthorityLevel, CheckStatus, IncidentKind, Severity
from app.domain.errors import InvalidInput
from app.extensions import db
from app.services.intake import domain_bans
from models import (
    Application,
    Certificate,
    EligibilityJudgement,
    Incident,
    Penalty,
    SamplingResult,
    Trademark,
)


def _rows(model, column, owner_id):
    return list(db.session.scalars(select(model).where(column == owner_id).order_by(model.id)))


def _incidents(rows) -> list[rules.Incident]:
    return [
        rules.Incident(
            IncidentKind(i.kind), Severity(i.severity), i.occurred_on, i.responsible, i.description
        )
        for i in rows
    ]


def _penalties(rows) -> list[rules.Penalty]:
    return [rules.Penalty(p.decided_on, p.authority, p.major_quality, p.description) for p in rows]


def organization_facts(org, deadline: date) -> rules.OrganizationFacts:
    oid = org.id
    # A trademark registered after the deadline did not exist when the conditions are counted.
    trademarks = [
        t
        for t in _rows(Trademark, Trademark.organization_id, oid)
        if t.registered_on is None or t.registered_on <= deadline
    ]
    return rules.OrganizationFacts(
        name=org.name,
        credit_code=org.credit_code,
        domicile_evidence=org.domicile_evidence,
        operating_since=org.operating_since,
        certificates=[
            rules.Certificate(
                c.standard, c.number, c.valid_from, c.valid_to, c.is_management_system
            )
            for c in _rows(Certificate, Certificate.organization_id, oid)
        ],
        has_registered_trademark=bool(trademarks),
        trademark_exempt=org.trademark_exempt,
        compulsory_licence_required=org.compulsory_licence_required,
        compulsory_licence_held=bool((org.compulsory_licence_no or "").strip()),
        incidents=_incidents(_rows(Incident, Incident.organization_id, oid)),
        samplings=[
            rules.SamplingResult(
                AuthorityLevel(s.level), s.sampled_on, s.passed, s.serious, s.product
            )
            for s in _rows(SamplingResult, SamplingResult.organization_id, oid)
        ],
        penalties=_penalties(_rows(Penalty, Penalty.organization_id, oid)),
        bans=domain_bans(organization_id=oid),
    )


def individual_facts(person) -> rules.IndividualFacts:
    pid = person.id
    return rules.IndividualFacts(
        name=person.name,
        id_number=person.id_number,
        quality_work_since=person.quality_work_since,
        works_in_yining=person.works_in_yining,
        sanctions=_penalties(_rows(Penalty, Penalty.individual_id, pid)),
        incidents=_incidents(_rows(Incident, Incident.individual_id, pid)),
        bans=domain_bans(individual_id=pid),
    )


def judgements_of(application_id: int) -> dict[str, rules.Judgement]:
    rows = _rows(EligibilityJudgement, EligibilityJudgement.application_id, application_id)
    return {j.rule: rules.Judgement(j.rule, CheckStatus(j.status), j.note or "") for j in rows}


def has_signed_recommendation(app: Application) -> bool:
    return bool(app.recommendation is not None and app.recommendation.is_signed)


def deadline_of(app: Application) -> date:
    if app.cycle.deadline is None:
        raise InvalidInput(f"{app.cycle.name}尚未设定申报截止日期，无法计算资格条件（M-17）")
    return app.cycle.deadline


def compute(app: Application, with_judgements: bool = True) -> rules.Checklist:
    """The M-11/M-12 conditions and M-13 exclusions of `app`, counted to its cycle's deadline."""
    deadline = deadline_of(app)
    judgements = judgements_of(app.id) if with_judgements else {}
    signed = has_signed_recommendation(app)
    if app.organization_id is not None:
        facts = organization_facts(app.organization, deadline)
        return rules.check_organization(
            facts, deadline, judgements, signed, cycle_year=app.cycle.year
        )
    return rules.check_individual(
        individual_facts(app.individual), deadline, judgements, signed, cycle_year=app.cycle.year
    )


def judgement_lines(app: Application) -> list[rules.CheckItem]:
    """The lines of `app`'s checklist that need the Office's judgement (RULES.md §3)."""
    return compute(app, with_judgements=False).pending_judgement


def judgement_rules(app: Application) -> list[str]:
    return [i.rule for i in judgement_lines(app)]


def as_json(checklist: rules.Checklist) -> list[dict]:
    return [{**asdict(item), "status": item.status.value} for item in checklist.items]
