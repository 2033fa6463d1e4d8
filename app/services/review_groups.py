"""Review groups (M-10, M-19.2, M-19.4, M-25): checks on a group, its members, the
applications assigned to it and the leader's review report; blank sheets made for every
member and application, and removal only while no score has been entered (M-3)."""

from datetime import date

from sqlalchemy import exists, inspect, select

from app.domain.enums import ApplicationStatus, ReviewStage, SheetStatus
from app.domain.errors import InvalidInput, RuleViolation
from app.domain.groups import LeaderMissing, ensure_can_add_member, ensure_composition
from app.domain.reviewers import ReviewerNotQualified, ensure_qualified
from app.extensions import db
from app.services import audit
from app.services.reviewing import (
    assigned,
    group_spec,
    quiet,
    recorded_interests,
    reviewer_facts,
    today,
)
from app.services.scoresheets import blank_sheets
from models import (
    Application,
    ReviewAssignment,
    Reviewer,
    ReviewGroup,
    ReviewGroupMember,
    ScoreChange,
    ScoreLine,
    Scoresheet,
)

# Applications a stage reviews.
STAGE_STATUS = {
    ReviewStage.MATERIAL: ApplicationStatus.ELIGIBLE,
    ReviewStage.ONSITE: ApplicationStatus.SHORTLISTED,
}


def _ensure_open(group: ReviewGroup) -> None:
    if group.closed_at is not None:
        raise RuleViolation(f"评审组 {group.name} 已结束评审，不能再变更", rule="M-19.2")


def _ensure_serving(reviewer: Reviewer, on: date) -> None:
    ensure_qualified(reviewer_facts(reviewer), on)
    if not reviewer.active:
        raise ReviewerNotQualified(f"评审员 {reviewer.name} 已停用，不能编入评审组")


@quiet
def check_group(group: ReviewGroup, adding: bool) -> None:
    if adding:
        return
    state = inspect(group).attrs
    if state.closed_at.history.deleted and state.closed_at.history.deleted[0] is not None:
        raise RuleViolation(f"评审组 {group.name} 已结束评审，不能再变更", rule="M-19.2")
    changed = state.stage.history.deleted or state.cycle.history.deleted
    if changed and group.assignments:
        raise InvalidInput(f"评审组 {group.name} 已分配申报，不能更改所属年度或评审阶段")


@quiet
def check_member(member: ReviewGroupMember, adding: bool) -> None:
    """Adding: qualified, active, unconflicted with the group's applications (M-10, M-25);
    one leader (naming a new leader makes the former one a member); blank sheets made."""
    group = member.group or db.session.get(ReviewGroup, member.group_id)
    reviewer = member.reviewer or db.session.get(Reviewer, member.reviewer_id)
    if group is None or reviewer is None:
        raise InvalidInput("请选择评审组和评审员")
    _ensure_open(group)
    others = [m for m in group.members if m is not member and (m.id is None or m.id != member.id)]
    apps = [a.application for a in group.assignments]
    on = today()
    if adding:
        everyone = [m.reviewer for m in others] + [reviewer]
        ensure_can_add_member(
            group_spec(group, others),
            reviewer_facts(reviewer),
            [assigned(a) for a in apps],
            recorded_interests(everyone),
            on,
        )
        _ensure_serving(reviewer, on)
    if not member.is_leader and apps and not any(m.is_leader for m in others):
        raise LeaderMissing(
            f"评审组 {group.name} 已分配申报，须有且只有 1 名组长；请改为指定新组长"
        )


def _others(member: ReviewGroupMember, group: ReviewGroup) -> list[ReviewGroupMember]:
    return [m for m in group.members if m is not member and (m.id is None or m.id != member.id)]


@quiet
def apply_member(member: ReviewGroupMember, adding: bool) -> None:
    """A new leader makes the former one a member; a new member gets blank sheets."""
    group = member.group or db.session.get(ReviewGroup, member.group_id)
    reviewer = member.reviewer or db.session.get(Reviewer, member.reviewer_id)
    if member.is_leader:
        for m in _others(member, group):
            m.is_leader = False
    if adding:
        for app in [a.application for a in group.assignments]:
            blank_sheets(group, app.id, [reviewer.id])


def _has_entries(sheets) -> list[Scoresheet]:
    ids = [s.id for s in sheets]
    touched = (
        set(
            db.session.scalars(
                select(ScoreChange.scoresheet_id).where(ScoreChange.scoresheet_id.in_(ids))
            )
        )
        if ids
        else set()
    )
    return [s for s in sheets if s.id in touched or s.status == SheetStatus.SUBMITTED.value]


def _drop_blank(sheets) -> None:
    for sheet in sheets:
        db.session.execute(ScoreLine.__table__.delete().where(ScoreLine.scoresheet_id == sheet.id))
        db.session.delete(sheet)


@quiet
def remove_member(member: ReviewGroupMember) -> None:
    """Only before scores are entered, and never below the composition the group needs."""
    group = member.group
    _ensure_open(group)
    sheets = list(
        db.session.scalars(
            select(Scoresheet).where(
                Scoresheet.group_id == group.id, Scoresheet.reviewer_id == member.reviewer_id
            )
        )
    )
    if _has_entries(sheets):
        raise RuleViolation(
            f"评审员 {member.reviewer.name} 已在评审组 {group.name} 录入评分，不能移出（评分记录须保留）",
            rule="M-3",
        )
    apps = [a.application for a in group.assignments]
    if apps:
        others = [m for m in group.members if m.id != member.id]
        ensure_composition(
            group_spec(group, others),
            [assigned(a) for a in apps],
            recorded_interests([m.reviewer for m in others]),
            today(),
        )
    _drop_blank(sheets)


@quiet
def check_assignment(assignment: ReviewAssignment, username: str | None = None) -> None:
    """M-10, M-25: the group is complete, has an expert for the applicant's industry and no member
    tied to it; the application is at this stage; blank sheets are made for every member."""
    group = assignment.group or db.session.get(ReviewGroup, assignment.group_id)
    app = assignment.application or db.session.get(Application, assignment.application_id)
    if group is None or app is None:
        raise InvalidInput("请选择评审组和申报")
    _ensure_open(group)
    stage = ReviewStage(group.stage)
    if assignment.stage and assignment.stage != stage.value:
        raise InvalidInput(f"评审组 {group.name} 负责{stage.label}，分配的评审阶段须一致")
    if app.cycle_id != group.cycle_id:
        raise InvalidInput(f"申报 {app.number} 与评审组 {group.name} 不属于同一评定年度")
    wanted = STAGE_STATUS[stage]
    if app.status != wanted.value:
        status = ApplicationStatus(app.status).label
        raise RuleViolation(
            f"申报 {app.number} 的状态为「{status}」，{stage.label}只评审「{wanted.label}」的申报",
            rule="M-19",
        )
    taken = db.session.scalar(
        select(ReviewGroup.name)
        .join(ReviewAssignment)
        .where(ReviewAssignment.application_id == app.id, ReviewAssignment.stage == stage.value)
    )
    if taken:
        raise InvalidInput(f"申报 {app.number} 的{stage.label}已分配给评审组 {taken}")
    members = list(group.members)
    ensure_composition(
        group_spec(group, members),
        [assigned(app)],
        recorded_interests([m.reviewer for m in members]),
        today(),
    )
    for member in members:
        _ensure_serving(member.reviewer, today())


@quiet
def apply_assignment(assignment: ReviewAssignment, username: str | None = None) -> None:
    """The checked assignment's stage, blank sheets for every member, the audit entry."""
    group = assignment.group or db.session.get(ReviewGroup, assignment.group_id)
    app = assignment.application or db.session.get(Application, assignment.application_id)
    stage = ReviewStage(group.stage)
    assignment.stage = stage.value
    members = list(group.members)
    db.session.add(assignment)  # checked: the audit entry's flush may write it
    blank_sheets(group, app.id, [m.reviewer_id for m in members])
    audit.record(
        "assign_review_group",
        app,
        f"申报 {app.number} 分配至{stage.label}评审组 {group.name}",
        cycle_id=app.cycle_id,
        application_id=app.id,
        username=username,
    )


@quiet
def remove_assignment(assignment: ReviewAssignment, username: str | None = None) -> None:
    group, app = assignment.group, assignment.application
    _ensure_open(group)
    sheets = list(
        db.session.scalars(
            select(Scoresheet).where(
                Scoresheet.group_id == group.id, Scoresheet.application_id == app.id
            )
        )
    )
    if _has_entries(sheets):
        raise RuleViolation(
            f"申报 {app.number} 已有评审员录入评分，不能撤销分配（评分记录须保留）", rule="M-3"
        )
    _drop_blank(sheets)
    audit.record(
        "unassign_review_group",
        app,
        f"撤销申报 {app.number} 在评审组 {group.name} 的分配",
        cycle_id=app.cycle_id,
        application_id=app.id,
        username=username,
    )


@quiet
def check_report(report, adding: bool, reviewer_id: int | None) -> None:
    """The group's leader writes the material or on-site review report (M-19.2, M-19.4);
    once signed off it is final (app.services.report_signoff)."""
    if not adding and report.finalized_at is not None:
        raise RuleViolation(
            f"评审报告已于 {report.finalized_at:%Y-%m-%d %H:%M} 由组长签发定稿，不能再修改",
            rule="M-19.4" if report.stage == "onsite" else "M-19.2",
        )
    group = report.group or db.session.get(ReviewGroup, report.group_id)
    app = report.application or db.session.get(Application, report.application_id)
    if group is None or app is None:
        raise InvalidInput("请选择评审组和申报")
    if not any(m.is_leader and m.reviewer_id == reviewer_id for m in group.members):
        raise RuleViolation("评审报告由评审组组长撰写（组长负责制）", rule="M-10")
    held = db.session.scalar(
        select(
            exists().where(
                ReviewAssignment.group_id == group.id, ReviewAssignment.application_id == app.id
            )
        )
    )
    if not held:
        raise InvalidInput(f"申报 {app.number} 不由评审组 {group.name} 评审")
    report.stage = group.stage
    if adding:
        report.author_id = reviewer_id
