"""Read-only selectors for each role's home page: the work waiting for the signed-in user.

Each returns plain rows for one box of the page in a bounded number of queries (no per-row
loading), within the user's row scope: a reviewer never sees a sheet of an applicant they are
tied to (M-25), a recommender only their own recommendations (M-9, M-18)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from app.domain.deadlines import DeadlineState, deadline_state
from app.domain.enums import (
    ApplicationStatus,
    ObjectionStatus,
    Prize,
    ReviewStage,
    SheetStatus,
    Stage,
)
from app.extensions import db
from app.security.scopes import conflicted_application_ids
from models import (
    Application,
    Award,
    AwardCycle,
    CommitteeVote,
    FollowUpReport,
    Individual,
    Objection,
    Organization,
    Recommendation,
    Reviewer,
    ReviewGroup,
    Scoresheet,
)

APPLICANT = func.coalesce(Organization.name, Individual.name)
BOX_LIMIT = 50  # rows per box; the count beside the heading tells when there are more
RECENT_SUBMITTED = 20  # a reviewer's submitted sheets shown on the home page (the rest: list)


def _with_applicant(query):
    return query.outerjoin(Organization, Organization.id == Application.organization_id).outerjoin(
        Individual, Individual.id == Application.individual_id
    )


@dataclass(frozen=True)
class Assignment:
    """A reviewer's scoresheet as a task: whom, which stage, by when, how far."""

    sheet_id: int
    number: str
    applicant: str
    stage_label: str
    group: str
    is_consensus: bool
    submitted: bool
    deadline: DeadlineState | None


def reviewer_assignments(reviewer_id: int | None, today: date) -> list[Assignment]:
    """The reviewer's own drafts, nearest deadline first, then their latest submitted sheets
    (M-19.2, M-19.4); never a sheet of an applicant the reviewer is tied to (M-25.2, M-25.3)."""
    if reviewer_id is None:
        return []
    submitted = Scoresheet.status == SheetStatus.SUBMITTED.value
    base = (
        _with_applicant(
            select(
                Scoresheet.id,
                Application.number,
                APPLICANT,
                Scoresheet.stage,
                ReviewGroup.name,
                Scoresheet.is_consensus,
                Scoresheet.status,
                ReviewGroup.due_on,
                ReviewGroup.closed_at,
            )
            .join(Application, Application.id == Scoresheet.application_id)
            .join(ReviewGroup, ReviewGroup.id == Scoresheet.group_id)
        )
    ).where(
        Scoresheet.reviewer_id == reviewer_id,
        Scoresheet.application_id.not_in(conflicted_application_ids(reviewer_id)),
    )
    # Drafts: every one, nearest deadline first. Submitted: the most recent few.
    drafts = db.session.execute(
        base.where(~submitted).order_by(
            ReviewGroup.due_on.is_(None), ReviewGroup.due_on, Application.number
        )
    ).all()
    done = db.session.execute(
        base.where(submitted)
        .order_by(Scoresheet.submitted_at.desc(), Application.number)
        .limit(RECENT_SUBMITTED)
    ).all()
    rows = [*drafts, *done]
    return [
        Assignment(
            sheet_id=sid,
            number=number,
            applicant=applicant or "",
            stage_label=ReviewStage(stage).label,
            group=group,
            is_consensus=consensus,
            submitted=status == SheetStatus.SUBMITTED.value,
            deadline=deadline_state(
                due_on,
                today,
                done=status == SheetStatus.SUBMITTED.value or closed_at is not None,
            ),
        )
        for sid, number, applicant, stage, group, consensus, status, due_on, closed_at in rows
    ]


def votes_waiting() -> list[dict]:
    """Proposed winners of a cycle at the Committee's vote with no tally recorded (M-19.6)."""
    rows = db.session.execute(
        _with_applicant(
            select(
                Application.id, Application.number, APPLICANT, Application.prize, AwardCycle.year
            )
            .join(AwardCycle, AwardCycle.id == Application.cycle_id)
            .outerjoin(CommitteeVote, CommitteeVote.application_id == Application.id)
        )
        .where(
            AwardCycle.stage == Stage.COMMITTEE_VOTE.value,
            Application.status == ApplicationStatus.PROPOSED.value,
            CommitteeVote.id.is_(None),
        )
        .order_by(AwardCycle.year.desc(), Application.number)
        .limit(BOX_LIMIT)
    ).all()
    return [
        {"id": i, "number": n, "applicant": a or "", "prize": Prize(p).label, "year": y}
        for i, n, a, p, y in rows
    ]


def ties_waiting() -> list[dict]:
    """Ties straddling a quota that the Committee must decide (M-19.5 decision), per cycle in
    comprehensive evaluation or at the vote: one ranking per such cycle (there is one a year)."""
    from app.services import ranking

    cycles = db.session.scalars(
        select(AwardCycle)
        .where(AwardCycle.stage.in_([s.value for s in ranking.RANK_STAGES]))
        .order_by(AwardCycle.year.desc())
    ).all()
    out = []
    for cycle in cycles:
        result = ranking.cycle_ranking(cycle)
        for prize in Prize:
            tied = result.tied_open(prize)
            if tied:
                names = sorted(
                    f"{result.info[app_id].number} {line.candidate.applicant_name}"
                    if app_id in result.info
                    else line.candidate.applicant_name
                    for line in result.rankings[prize].lines
                    if (app_id := line.candidate.application_id) in tied
                )
                out.append(
                    {"cycle_id": cycle.id, "year": cycle.year, "prize": prize.label, "who": names}
                )
    return out


def recommender_recommendations(recommender_id: int | None) -> list[dict]:
    """The recommender's own recommendations and where each application stands (M-9, M-18),
    newest cycle first."""
    if recommender_id is None:
        return []
    rows = db.session.execute(
        _with_applicant(
            select(
                Recommendation.id,
                Application.number,
                APPLICANT,
                AwardCycle.year,
                Application.status,
                Recommendation.signed_on,
                Recommendation.signatory,
            )
            .join(Application, Application.id == Recommendation.application_id)
            .join(AwardCycle, AwardCycle.id == Application.cycle_id)
        )
        .where(Recommendation.recommender_id == recommender_id)
        .order_by(AwardCycle.year.desc(), Application.number)
    ).all()
    return [
        {
            "id": rid,
            "number": number,
            "applicant": applicant or "",
            "year": year,
            "status": ApplicationStatus(status).label,
            "signed": bool(signed_on and signatory),
        }
        for rid, number, applicant, year, status, signed_on, signatory in rows
    ]


def overdue_sheets(today: date) -> list[dict]:
    """Unsubmitted sheets of open groups past their due date (M-19.2, M-19.4), oldest first."""
    rows = db.session.execute(
        _with_applicant(
            select(
                Scoresheet.id,
                Application.number,
                APPLICANT,
                Reviewer.name,
                ReviewGroup.id,
                ReviewGroup.name,
                ReviewGroup.due_on,
            )
            .join(Application, Application.id == Scoresheet.application_id)
            .join(ReviewGroup, ReviewGroup.id == Scoresheet.group_id)
            .join(Reviewer, Reviewer.id == Scoresheet.reviewer_id)
        )
        .where(
            Scoresheet.status == SheetStatus.DRAFT.value,
            ReviewGroup.closed_at.is_(None),
            ReviewGroup.due_on < today,
        )
        .order_by(ReviewGroup.due_on, ReviewGroup.name, Application.number, Reviewer.name)
        .limit(BOX_LIMIT)
    ).all()
    return [
        {
            "sheet_id": sid,
            "number": number,
            "applicant": applicant or "",
            "reviewer": reviewer,
            "group_id": gid,
            "group": group,
            "deadline": deadline_state(due_on, today),
        }
        for sid, number, applicant, reviewer, gid, group, due_on in rows
    ]


def groups_ready_to_close() -> list[dict]:
    """Open groups whose members have all submitted (M-19.2: a stage closes only then)."""
    members = func.sum(case((Scoresheet.is_consensus.is_(False), 1), else_=0))
    submitted = func.sum(
        case(
            (
                (Scoresheet.is_consensus.is_(False))
                & (Scoresheet.status == SheetStatus.SUBMITTED.value),
                1,
            ),
            else_=0,
        )
    )
    rows = db.session.execute(
        select(ReviewGroup.id, ReviewGroup.name, ReviewGroup.stage, AwardCycle.year, members)
        .join(AwardCycle, AwardCycle.id == ReviewGroup.cycle_id)
        .join(Scoresheet, Scoresheet.group_id == ReviewGroup.id)
        .where(ReviewGroup.closed_at.is_(None))
        .group_by(ReviewGroup.id, ReviewGroup.name, ReviewGroup.stage, AwardCycle.year)
        .having(members > 0, members == submitted)
        .order_by(AwardCycle.year.desc(), ReviewGroup.name)
        .limit(BOX_LIMIT)
    ).all()
    return [
        {"id": gid, "name": name, "stage": ReviewStage(stage).label, "year": year, "sheets": n}
        for gid, name, stage, year, n in rows
    ]


def open_objections() -> list[dict]:
    """Named objections not yet resolved (M-19.6: each is resolved before approval)."""
    rows = db.session.execute(
        _with_applicant(
            select(Objection.id, Objection.received_on, Application.number, APPLICANT)
            .select_from(Objection)
            .outerjoin(Application, Application.id == Objection.application_id)
        )
        .where(Objection.status == ObjectionStatus.OPEN.value)
        .order_by(Objection.received_on, Objection.id)
        .limit(BOX_LIMIT)
    ).all()
    return [
        {"id": oid, "received_on": received, "number": number or "", "applicant": applicant or ""}
        for oid, received, number, applicant in rows
    ]


def reports_due(today: date) -> list[dict]:
    """Annual reports still owed by winners whose award stands (M-27), overdue first."""
    from app.services.aftercare import OWED

    rows = db.session.execute(
        _with_applicant(
            select(
                FollowUpReport.id,
                FollowUpReport.report_year,
                FollowUpReport.due_on,
                Application.number,
                APPLICANT,
            )
            .join(Award, Award.id == FollowUpReport.award_id)
            .join(Application, Application.id == Award.application_id)
        )
        .where(Award.revoked.is_(False), FollowUpReport.status.in_(OWED))
        .order_by(FollowUpReport.due_on, FollowUpReport.id)
        .limit(BOX_LIMIT)
    ).all()
    return [
        {
            "id": rid,
            "year": year,
            "number": number,
            "applicant": applicant or "",
            "deadline": deadline_state(due_on, today),
        }
        for rid, year, due_on, number, applicant in rows
    ]


def office_tasks(today: date) -> dict:
    return {
        "overdue_sheets": overdue_sheets(today),
        "groups_ready": groups_ready_to_close(),
        "objections": open_objections(),
        "reports": reports_due(today),
    }
