"""Cycle stage moves (M-17): one stage forward at a time, only once the stage's work is done."""

from datetime import date

from sqlalchemy import and_, exists, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from app.domain import stages as rules
from app.domain.enums import ApplicantKind, ObjectionStatus, ReviewStage, SheetStatus, Stage
from app.domain.enums import ApplicationStatus as S
from app.domain.errors import InvalidInput, RuleViolation, StaleRecord
from app.extensions import db
from app.security.scopes import conflicted_application_ids
from app.services import audit
from app.services.approvals import ensure_approved_to_open
from app.services.audit import current_username
from app.services.transactions import atomic
from models import (
    Application,
    AuditEntry,
    Award,
    AwardCycle,
    CommitteeVote,
    GovernmentApproval,
    Objection,
    PrizePayment,
    PublicNotice,
    ReviewAssignment,
    ReviewGroup,
    SatisfactionEvaluation,
    Scoresheet,
    StageMove,
)
from models.base import utcnow

# Standings of an application, grouped by how far it got (M-19.2 to M-19.8).
IN_MATERIAL_REVIEW = {S.ELIGIBLE, S.SHORTLISTED, S.NOT_SHORTLISTED}
ON_SITE_LIST = {S.SHORTLISTED, S.FINALIST, S.PROPOSED, S.NOT_AWARDED, S.AWARDED}
OUT = {S.DISQUALIFIED, S.WITHDRAWN}
RANK_ACTION = "rank_cycle"  # the audit action that stores the Office's proposal (M-19.5)


class StageMovedMeanwhile(StaleRecord):
    rule = "M-17"
    default_message = "本届评定的阶段已被他人推进，请刷新页面后再操作"


def values(statuses) -> list[str]:
    return [s.value for s in statuses]


def ids_of(values) -> set[int]:
    """Record ids from a form or a request body, refusing anything that is not a number."""
    try:
        return {int(v) for v in values}
    except (TypeError, ValueError):
        raise InvalidInput("所选记录编号无效") from None


def stage_of(value) -> Stage:
    try:
        return Stage(value)
    except ValueError:
        raise InvalidInput(f"「{value}」不是有效的评定阶段") from None


def lock_cycle(cycle_id) -> AwardCycle:
    """The cycle, re-read and locked for this transaction (SELECT ... FOR UPDATE on PostgreSQL)."""
    cycle = db.session.execute(
        select(AwardCycle)
        .where(AwardCycle.id == cycle_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if cycle is None:
        raise InvalidInput("评定年度不存在")
    return cycle


def _count(stmt) -> int:
    return db.session.scalar(stmt) or 0


def _apps(cycle_id, statuses):
    return and_(Application.cycle_id == cycle_id, Application.status.in_(values(statuses)))


def open_sheets(cycle_id, stage: ReviewStage) -> int:
    """Draft scoresheets of applications still in the running (a disqualified one's stay)."""
    return _count(
        select(func.count(Scoresheet.id))
        .join(Application, Application.id == Scoresheet.application_id)
        .where(
            Application.cycle_id == cycle_id,
            Application.status.not_in(values(OUT)),
            Scoresheet.stage == stage.value,
            Scoresheet.status == SheetStatus.DRAFT.value,
            # M-25.2, M-25.3: a tied reviewer's draft is no longer theirs to finish.
            Scoresheet.application_id.not_in(conflicted_application_ids(Scoresheet.reviewer_id)),
        )
    )


def _review_facts(cycle_id, stage: ReviewStage, statuses) -> dict:
    assigned = exists().where(
        ReviewAssignment.application_id == Application.id,
        ReviewAssignment.stage == stage.value,
    )
    return dict(
        open_scoresheets=open_sheets(cycle_id, stage),
        open_groups=_count(
            select(func.count(ReviewGroup.id)).where(
                ReviewGroup.cycle_id == cycle_id,
                ReviewGroup.stage == stage.value,
                ReviewGroup.closed_at.is_(None),
            )
        ),
        unassigned_applications=_count(
            select(func.count(Application.id)).where(_apps(cycle_id, statuses), ~assigned)
        ),
    )


def proposal_stored(cycle_id) -> bool:
    return bool(
        db.session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.cycle_id == cycle_id, AuditEntry.action == RANK_ACTION
            )
        )
    )


def notice_of(cycle_id) -> PublicNotice | None:
    return db.session.scalar(select(PublicNotice).where(PublicNotice.cycle_id == cycle_id))


def open_objections(cycle_id) -> int:
    return _count(
        select(func.count(Objection.id))
        .join(PublicNotice, PublicNotice.id == Objection.notice_id)
        .where(
            PublicNotice.cycle_id == cycle_id,
            Objection.status == ObjectionStatus.OPEN.value,
        )
    )


def unpaid_awards(cycle_id) -> int:
    paid = (
        select(func.coalesce(func.sum(PrizePayment.amount), 0))
        .where(PrizePayment.award_id == Award.id)
        .scalar_subquery()
    )
    return _count(
        select(func.count(Award.id)).where(
            Award.cycle_id == cycle_id, Award.revoked.is_(False), Award.amount > paid
        )
    )


def stage_facts(cycle: AwardCycle, today: date) -> rules.StageFacts:
    """What app/domain/stages needs to know about the stage the cycle is in."""
    cid = cycle.id
    match Stage(cycle.stage):
        case Stage.DRAFT:
            return rules.StageFacts(
                application_period_set=bool(cycle.opens_on and cycle.deadline),
                criteria_bound=bool(cycle.criteria_version_id),
            )
        case Stage.APPLICATIONS_OPEN:
            return rules.StageFacts(
                application_deadline_passed=bool(cycle.deadline and today > cycle.deadline)
            )
        case Stage.ELIGIBILITY:
            return rules.StageFacts(
                ungraded_applications=_count(
                    select(func.count(Application.id)).where(_apps(cid, {S.SUBMITTED}))
                ),
                pending_supplements=_count(
                    select(func.count(Application.id)).where(
                        _apps(cid, {S.RETURNED_INCOMPLETE}),
                        Application.supplement_deadline >= today,
                    )
                ),
                unconfirmed_eligible_list=cycle.eligibility_confirmed_at is None,
            )
        case Stage.MATERIAL_REVIEW:
            return rules.StageFacts(
                **_review_facts(cid, ReviewStage.MATERIAL, IN_MATERIAL_REVIEW),
                eligible_count=_count(
                    select(func.count(Application.id)).where(_apps(cid, IN_MATERIAL_REVIEW))
                ),
                shortlisted_count=_count(
                    select(func.count(Application.id)).where(_apps(cid, {S.SHORTLISTED}))
                ),
            )
        case Stage.USER_EVALUATION:
            evaluated = exists().where(SatisfactionEvaluation.application_id == Application.id)
            return rules.StageFacts(
                missing_satisfaction=_count(
                    select(func.count(Application.id)).where(
                        _apps(cid, {S.SHORTLISTED}),
                        Application.applicant_kind == ApplicantKind.ORGANIZATION.value,
                        ~evaluated,
                    )
                )
            )
        case Stage.ONSITE_REVIEW:
            return rules.StageFacts(**_review_facts(cid, ReviewStage.ONSITE, {S.SHORTLISTED}))
        case Stage.COMPREHENSIVE:
            return rules.StageFacts(candidate_list_proposed=proposal_stored(cid))
        case Stage.COMMITTEE_VOTE:
            return rules.StageFacts(
                candidates_count=_count(
                    select(func.count(Application.id)).where(_apps(cid, {S.PROPOSED}))
                ),
                votes_recorded=_count(
                    select(func.count(CommitteeVote.id))
                    .join(Application, Application.id == CommitteeVote.application_id)
                    .where(_apps(cid, {S.PROPOSED}))
                ),
            )
        case Stage.PUBLIC_NOTICE:
            notice = notice_of(cid)
            return rules.StageFacts(
                notice_ended=bool(
                    notice and notice.published_at and today > notice.ends_on  # M-19.6
                ),
                unresolved_objections=open_objections(cid),
            )
        case Stage.APPROVAL:
            return rules.StageFacts(
                approval_recorded=bool(
                    db.session.scalar(
                        select(func.count(GovernmentApproval.id)).where(
                            GovernmentApproval.cycle_id == cid
                        )
                    )
                )
            )
        case Stage.ANNOUNCED:
            return rules.StageFacts(unpaid_prizes=unpaid_awards(cid))
    return rules.StageFacts()


def missing_preconditions(cycle: AwardCycle, today: date | None = None) -> list[str]:
    """What still keeps the cycle in its stage, in Chinese (empty when it may move on)."""
    today = today or date.today()
    missing = rules.preconditions(Stage(cycle.stage), stage_facts(cycle, today))
    if Stage(cycle.stage) is Stage.DRAFT:
        try:
            ensure_approved_to_open(cycle)
        except RuleViolation as exc:  # M-7: shown on the stage page before the move
            missing.append(str(exc))
    return missing


def set_status(app: Application, new: S, action: str, why: str, **details) -> None:
    """Change an application's standing and log it (M-3)."""
    old = S(app.status)
    if old is new:
        return
    app.status = new.value
    audit.record(
        action,
        app,
        f"{app.number} {app.applicant_name}：{old.label} → {new.label}",
        reason=why,
        details={"from": old.value, "to": new.value, **details},
        cycle_id=app.cycle_id,
        application_id=app.id,
    )


def _on_leave(cycle: AwardCycle, current: Stage) -> None:
    """Standings that follow from the stage just finished."""
    if current is Stage.ONSITE_REVIEW:
        for app in db.session.scalars(select(Application).where(_apps(cycle.id, {S.SHORTLISTED}))):
            set_status(app, S.FINALIST, "stage_finalist", "现场评审结束，进入综合评价（M-19.5）")
    elif current is Stage.COMMITTEE_VOTE:
        passed = select(CommitteeVote.application_id).where(CommitteeVote.passed.is_(True))
        failed = select(Application).where(
            _apps(cycle.id, {S.PROPOSED}), Application.id.not_in(passed)
        )
        for app in db.session.scalars(failed):
            set_status(app, S.NOT_AWARDED, "vote_failed", "委员会表决未通过（M-19.6）")


@atomic
def advance_stage(
    cycle_id,
    *,
    expected: str | Stage | None = None,
    target: str | Stage | None = None,
    note: str | None = None,
    today: date | None = None,
) -> StageMove:
    """M-17: move the cycle to its next stage, refusing a move back, a skip, unfinished work,
    or a move someone else made first (`expected` is the stage the clerk saw)."""
    today = today or date.today()
    try:
        cycle = lock_cycle(cycle_id)
        current = Stage(cycle.stage)
        if expected is not None and stage_of(expected) is not current:
            raise StageMovedMeanwhile(
                f"本届评定已由他人推进到「{current.label}」阶段（您看到的是「{stage_of(expected).label}」），"
                "请刷新页面后再操作"
            )
        following = rules.next_stage(current)
        target = stage_of(target) if target else following
        if target is None:
            raise rules.StageOrderViolation(f"本届评定已处于「{current.label}」阶段，没有下一阶段")
        rules.ensure_advance(current, target)
        rules.ensure_can_leave(current, stage_facts(cycle, today))
        if current is Stage.DRAFT:  # M-7: announced and opened only as the Committee approved
            ensure_approved_to_open(cycle)
        _on_leave(cycle, current)
        cycle.stage = target.value
        move = StageMove(
            cycle_id=cycle.id,
            from_stage=current.value,
            to_stage=target.value,
            moved_at=utcnow(),
            moved_by=current_username(),
            note=(note or "").strip() or None,
        )
        db.session.add(move)
        db.session.flush()  # the version check: a concurrent move makes this fail
    except StaleDataError:
        db.session.rollback()
        raise StageMovedMeanwhile() from None
    except OperationalError as exc:
        # Two writers at once: SQLite's lock or PostgreSQL's deadlock check chose the loser.
        if not any(w in str(exc.orig).lower() for w in ("locked", "deadlock")):
            raise
        db.session.rollback()
        raise StageMovedMeanwhile() from None
    audit.record(
        "advance_stage",
        cycle,
        f"{cycle.name}由「{current.label}」推进到「{target.label}」",
        reason=move.note,
        details={"from": current.value, "to": target.value},
        cycle_id=cycle.id,
    )
    return move
