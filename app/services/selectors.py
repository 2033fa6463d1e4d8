"""Read-only queries the screens show, one function per question (the read side: views call
these and never build a query themselves). Rows come back as model objects for the page's
template; nothing here writes."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain.enums import Stage
from app.extensions import db
from models import (
    Application,
    AuditEntry,
    AwardCycle,
    EligibilityJudgement,
    Individual,
    Organization,
    Recommendation,
    ScoreChange,
    Scoresheet,
    StageMove,
    StageScore,
)


def stage_moves(cycle_id: int) -> list[StageMove]:
    """A cycle's stage moves, oldest first (M-17; the cycle's stage page)."""
    return list(
        db.session.scalars(
            select(StageMove).where(StageMove.cycle_id == cycle_id).order_by(StageMove.moved_at)
        )
    )


def eligibility_judgements(application_id: int) -> dict[str, EligibilityJudgement]:
    """An application's eligibility judgements by rule (the eligibility checklist)."""
    rows = db.session.scalars(
        select(EligibilityJudgement).where(EligibilityJudgement.application_id == application_id)
    )
    return {j.rule: j for j in rows}


def eligibility_entries(application_id: int) -> list[AuditEntry]:
    """The audit entries of an application's eligibility review, newest first."""
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.application_id == application_id,
                AuditEntry.action.like("eligibility%"),
            )
            .order_by(AuditEntry.id.desc())
        )
    )


def stage_scores(application_ids: list[int], stage: str) -> dict[int, StageScore]:
    """The computed scores of a review stage by application (the group page; M-25.2's check
    of the scores a tie still taints), in one statement."""
    if not application_ids:
        return {}
    return {
        s.application_id: s
        for s in db.session.scalars(
            select(StageScore).where(
                StageScore.application_id.in_(application_ids), StageScore.stage == stage
            )
        )
    }


def group_sheets(group_id: int) -> tuple[dict[int, list[Scoresheet]], dict[int, Scoresheet]]:
    """A review group's sheets with their lines, in two statements: the members' sheets per
    application (by reviewer) and the leader's consensus sheet per application (the group
    page)."""
    rows = db.session.scalars(
        select(Scoresheet)
        .where(Scoresheet.group_id == group_id)
        .options(selectinload(Scoresheet.lines))
        .order_by(Scoresheet.reviewer_id, Scoresheet.id)
    )
    members: dict[int, list[Scoresheet]] = {}
    consensus: dict[int, Scoresheet] = {}
    for sheet in rows:
        if sheet.is_consensus:
            consensus.setdefault(sheet.application_id, sheet)
        else:
            members.setdefault(sheet.application_id, []).append(sheet)
    return members, consensus


def cycles_newest_first() -> list[AwardCycle]:
    """Every award cycle, the latest year first (the official documents' index)."""
    return list(db.session.scalars(select(AwardCycle).order_by(AwardCycle.year.desc())))


def cycle_years() -> dict[int, int]:
    """Each cycle's year by its id (the audit log names cycles by year)."""
    return {i: y for i, y in db.session.execute(select(AwardCycle.id, AwardCycle.year))}


def all_applications() -> list[Application]:
    """Every application (the audit log names applications by number and applicant)."""
    return list(db.session.scalars(select(Application)))


def applicant_by_key(key: str) -> tuple[Organization | None, Individual | None]:
    """The organisation with this credit code, else the individual with this ID number."""
    org = db.session.scalar(select(Organization).where(Organization.credit_code == key))
    person = None
    if org is None and key:
        person = db.session.scalar(select(Individual).where(Individual.id_number == key))
    return org, person


def awaiting_recommendation() -> tuple:
    """The conditions an application awaiting its recommendation meets (M-9, M-18): its cycle
    still takes in applications and no recommendation names it yet. The recommendation form's
    application dropdown filters by them."""
    open_cycles = select(AwardCycle.id).where(
        AwardCycle.stage.in_([Stage.APPLICATIONS_OPEN.value, Stage.ELIGIBILITY.value])
    )
    recommended = select(Recommendation.application_id)
    return Application.cycle_id.in_(open_cycles), Application.id.not_in(recommended)


def score_history(scoresheet_id: int, limit: int = 100) -> list[ScoreChange]:
    """A scoresheet's changes, newest first, at most `limit` (the scoresheet's entry page)."""
    return list(
        db.session.scalars(
            select(ScoreChange)
            .where(ScoreChange.scoresheet_id == scoresheet_id)
            .order_by(ScoreChange.changed_at.desc(), ScoreChange.id.desc())
            .limit(limit)
        )
    )
