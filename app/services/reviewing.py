"""Reviewers and review groups: qualification (M-10), sanctions and conflicts (M-25), group
membership and assignments, the automatic proposal of groups for a stage (M-10, M-19.2, M-19.4)."""

import functools
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, inspect, select

from app.domain.assignment import Proposal, propose_assignment
from app.domain.conflicts import SOURCE_LABELS, Interest, conflicts_between, ensure_no_conflict
from app.domain.enums import (
    ApplicationStatus,
    Degree,
    InterestKind,
    ReviewStage,
    SanctionLevel,
    SheetStatus,
    Stage,
)
from app.domain.errors import InvalidInput, RuleViolation
from app.domain.groups import (
    INDUSTRY_SECTIONS,
    AssignedApplication,
    GroupMember,
    GroupSpec,
    LeaderMissing,
    ensure_can_add_member,
    ensure_composition,
)
from app.domain.reviewers import (
    ReviewerCertificate as CertFacts,
)
from app.domain.reviewers import (
    ReviewerFacts,
    ReviewerNotQualified,
    Sanction,
    ensure_qualified,
    is_disqualified,
    qualification,
    years_of_quality_work,
)
from app.domain.stages import ensure_stage
from app.extensions import db
from app.services import audit
from app.services.scoring import blank_sheets
from models import (
    Application,
    AwardCycle,
    ConsultingEngagement,
    InterestDeclaration,
    ReviewAssignment,
    Reviewer,
    ReviewGroup,
    ReviewGroupMember,
    ScoreChange,
    ScoreLine,
    Scoresheet,
)

# Applications a stage reviews, and the cycle stages in which its groups may be formed.
STAGE_STATUS = {
    ReviewStage.MATERIAL: ApplicationStatus.ELIGIBLE,
    ReviewStage.ONSITE: ApplicationStatus.SHORTLISTED,
}
FORMING_STAGES = {
    ReviewStage.MATERIAL: {Stage.ELIGIBILITY, Stage.MATERIAL_REVIEW},
    ReviewStage.ONSITE: {Stage.MATERIAL_REVIEW, Stage.USER_EVALUATION, Stage.ONSITE_REVIEW},
}


def today() -> date:
    return date.today()


def _quiet(check):
    """Checks run on a form's unsaved row: no autoflush may write it half-validated."""

    @functools.wraps(check)
    def run(*args, **kwargs):
        with db.session.no_autoflush:
            return check(*args, **kwargs)

    return run


# --- records as the pure rules read them ---------------------------------------------------


def applicant_key(app: Application) -> str:
    return f"org:{app.organization_id}" if app.organization_id else f"ind:{app.individual_id}"


def reviewer_facts(r: Reviewer) -> ReviewerFacts:
    return ReviewerFacts(
        key=r.code,
        name=r.name,
        degree=Degree(r.degree),
        quality_work_since=r.quality_work_since,
        excellence_reviews_done=r.excellence_reviews_done or 0,
        law_training_on=r.law_training_on,
        integrity_pledge_on=r.integrity_pledge_on,
        industries=r.industry_set,
        certificates=[CertFacts(c.name, c.number, c.valid_to) for c in r.certificates],
        sanctions=[Sanction(SanctionLevel(s.level), s.decided_on, s.reason) for s in r.sanctions],
        employer_key=f"org:{r.employer_id}" if r.employer_id else None,
    )


def assigned(app: Application) -> AssignedApplication:
    return AssignedApplication(
        app.number, applicant_key(app), app.applicant_name, app.industry_code or ""
    )


def recorded_interests(reviewers) -> list[Interest]:
    """Declared and Office-recorded interests, and consulting found in the records (M-25)."""
    codes = {r.id: r.code for r in reviewers}
    if not codes:
        return []
    found = [
        Interest(
            codes[d.reviewer_id],
            f"org:{d.organization_id}" if d.organization_id else f"ind:{d.individual_id}",
            InterestKind(d.kind),
            d.source if d.source in SOURCE_LABELS else "declared",
            d.note or "",
        )
        for d in db.session.scalars(
            select(InterestDeclaration).where(InterestDeclaration.reviewer_id.in_(codes))
        )
    ]
    found += [
        Interest(
            codes[c.reviewer_id],
            f"org:{c.organization_id}",
            InterestKind.CONSULTING,
            "derived",
            c.note or "咨询服务记录",
        )
        for c in db.session.scalars(
            select(ConsultingEngagement).where(ConsultingEngagement.reviewer_id.in_(codes))
        )
    ]
    return found


def conflicts_of(reviewer: Reviewer, app: Application) -> list[Interest]:
    return conflicts_between(
        reviewer_facts(reviewer), applicant_key(app), recorded_interests([reviewer])
    )


def ensure_unconflicted(reviewer: Reviewer, app: Application) -> None:
    """M-25: refuse a reviewer tied to the applicant, naming the tie."""
    ensure_no_conflict(
        reviewer_facts(reviewer),
        applicant_key(app),
        app.applicant_name,
        recorded_interests([reviewer]),
    )


def group_spec(group: ReviewGroup, members=None) -> GroupSpec:
    members = group.members if members is None else members
    return GroupSpec(
        group.name,
        ReviewStage(group.stage),
        [GroupMember(reviewer_facts(m.reviewer), bool(m.is_leader)) for m in members],
    )


# --- reviewer pool ------------------------------------------------------------------------


@dataclass
class QualificationReport:
    reviewer: Reviewer
    on: date
    items: list
    years: int
    interests: list[tuple[str, str, str, str]]  # (applicant, kind, source, note)
    open_conflicts: list[str] = field(default_factory=list)

    @property
    def qualified(self) -> bool:
        return self.reviewer.active and all(i.status.value == "pass" for i in self.items)


def _applicant_name(key: str) -> str:
    from models import Individual, Organization

    kind, _, pk = key.partition(":")
    row = db.session.get(Organization if kind == "org" else Individual, int(pk))
    return str(row) if row else key


def qualification_report(reviewer: Reviewer, on: date | None = None) -> QualificationReport:
    """Every condition of M-10.1 to M-10.4 and M-25 with pass or fail and the evidence."""
    on = on or today()
    facts = reviewer_facts(reviewer)
    interests = recorded_interests([reviewer])
    if facts.employer_key:
        interests.append(
            Interest(
                facts.key, facts.employer_key, InterestKind.EMPLOYMENT, "derived", "评审员任职单位"
            )
        )
    rows = [
        (_applicant_name(i.applicant_key), i.kind.label, SOURCE_LABELS[i.source], i.note)
        for i in interests
    ]
    report = QualificationReport(
        reviewer, on, qualification(facts, on), years_of_quality_work(facts, on), rows
    )
    report.open_conflicts = [
        f"{group.name}：{app}" for group, app in conflicted_assignments(reviewer)
    ]
    return report


def conflicted_assignments(reviewer: Reviewer) -> list[tuple[ReviewGroup, Application]]:
    """Open groups of the reviewer holding an application they are now tied to (M-25)."""
    rows = db.session.execute(
        select(ReviewGroup, Application)
        .join(ReviewGroupMember, ReviewGroupMember.group_id == ReviewGroup.id)
        .join(ReviewAssignment, ReviewAssignment.group_id == ReviewGroup.id)
        .join(Application, Application.id == ReviewAssignment.application_id)
        .where(ReviewGroupMember.reviewer_id == reviewer.id, ReviewGroup.closed_at.is_(None))
    ).all()
    return [(g, a) for g, a in rows if conflicts_of(reviewer, a)]


@_quiet
def check_reviewer(reviewer: Reviewer, adding: bool) -> None:
    codes = [c.strip().upper() for c in (reviewer.industries or "").split(",") if c.strip()]
    bad = [c for c in codes if c[:1] not in INDUSTRY_SECTIONS]
    if bad:
        raise InvalidInput(f"行业门类代码 {'、'.join(bad)} 不属于 GB/T 4754-2017")
    reviewer.industries = ",".join(codes)
    if not adding and reviewer.active and is_disqualified(reviewer_facts(reviewer)):
        raise RuleViolation(f"评审员 {reviewer.name} 已被撤销评审员资格，不能重新启用", rule="M-25")


@_quiet
def record_sanction(sanction, adding: bool, username: str | None) -> None:
    """M-25: criticism, warning or disqualification; disqualification ends the reviewer's login."""
    reviewer = sanction.reviewer or db.session.get(Reviewer, sanction.reviewer_id)
    if reviewer is None:
        raise InvalidInput("请选择评审员")
    if not (sanction.reason or "").strip() or not (sanction.breach or "").strip():
        raise InvalidInput("须填写违反的规定和处理理由（M-25）")
    if sanction.decided_on and sanction.decided_on > today():
        raise InvalidInput("处理决定日期不能晚于今天")
    level = SanctionLevel(sanction.level)
    old_levels = inspect(sanction).attrs.level.history.deleted
    if not adding and SanctionLevel.DISQUALIFICATION.value in old_levels:
        raise RuleViolation("撤销评审员资格的处理决定不能改为较轻的处理", rule="M-25")
    sanction.decided_by = sanction.decided_by or username
    if level is SanctionLevel.DISQUALIFICATION:
        reviewer.active = False
        if reviewer.user is not None:
            reviewer.user.active = False  # can no longer log in to score
    db.session.add(sanction)  # checked: the audit entry's flush may write it
    audit.record(
        "sanction_reviewer",
        reviewer,
        f"评审员 {reviewer.name}：{level.label}（{sanction.breach}）",
        reason=sanction.reason,
        details={"level": level.value, "decided_on": str(sanction.decided_on)},
        username=username,
    )


@_quiet
def check_declaration(
    decl: InterestDeclaration, adding: bool, reviewer_id: int | None, office: bool
) -> None:
    """A reviewer declares for themselves ('declared'); the Office may add one ('office')."""
    if adding:
        if office:
            decl.source = "office"
        else:
            if reviewer_id is None:
                raise InvalidInput("当前用户没有对应的评审员档案，不能申报利害关系")
            decl.reviewer = db.session.get(Reviewer, reviewer_id)
            decl.reviewer_id = reviewer_id
            decl.source = "declared"
        decl.declared_on = decl.declared_on or today()
    org = decl.organization_id or (decl.organization.id if decl.organization else None)
    ind = decl.individual_id or (decl.individual.id if decl.individual else None)
    if bool(org) == bool(ind):
        raise InvalidInput("须且只能选择一个有利害关系的组织或个人")
    if decl.reviewer is None and decl.reviewer_id is None:
        raise InvalidInput("请选择评审员")


# --- groups, members, assignments --------------------------------------------------------


def _ensure_open(group: ReviewGroup) -> None:
    if group.closed_at is not None:
        raise RuleViolation(f"评审组 {group.name} 已结束评审，不能再变更", rule="M-19.2")


def _ensure_serving(reviewer: Reviewer, on: date) -> None:
    ensure_qualified(reviewer_facts(reviewer), on)
    if not reviewer.active:
        raise ReviewerNotQualified(f"评审员 {reviewer.name} 已停用，不能编入评审组")


@_quiet
def check_group(group: ReviewGroup, adding: bool) -> None:
    if adding:
        return
    state = inspect(group).attrs
    if state.closed_at.history.deleted and state.closed_at.history.deleted[0] is not None:
        raise RuleViolation(f"评审组 {group.name} 已结束评审，不能再变更", rule="M-19.2")
    changed = state.stage.history.deleted or state.cycle.history.deleted
    if changed and group.assignments:
        raise InvalidInput(f"评审组 {group.name} 已分配申报，不能更改所属年度或评审阶段")


@_quiet
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
    if member.is_leader:
        for m in others:
            m.is_leader = False
    elif apps and not any(m.is_leader for m in others):
        raise LeaderMissing(
            f"评审组 {group.name} 已分配申报，须有且只有 1 名组长；请改为指定新组长"
        )
    if adding:
        for app in apps:
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


@_quiet
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


@_quiet
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
    assignment.stage = stage.value
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


@_quiet
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


@_quiet
def check_report(report, adding: bool, reviewer_id: int | None) -> None:
    """The group's leader writes the material or on-site review report (M-19.2, M-19.4)."""
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


# --- proposal for a whole stage -----------------------------------------------------------


@dataclass
class Plan:
    cycle: AwardCycle
    stage: ReviewStage
    group_size: int
    max_apps: int | None
    proposal: Proposal
    reviewers: dict[str, Reviewer]
    apps: dict[str, Application]
    inactive: list[Reviewer]

    @property
    def fingerprint(self) -> str:
        body = [
            self.stage.value,
            [[g.member_keys, g.leader_key, g.application_keys] for g in self.proposal.groups],
            self.proposal.unassigned,
        ]
        return hashlib.sha256(json.dumps(body, ensure_ascii=False).encode()).hexdigest()[:16]


def default_stage(cycle: AwardCycle) -> ReviewStage:
    onsite = Stage(cycle.stage) in {Stage.USER_EVALUATION, Stage.ONSITE_REVIEW}
    return ReviewStage.ONSITE if onsite else ReviewStage.MATERIAL


def pending_applications(cycle: AwardCycle, stage: ReviewStage) -> list[Application]:
    done = select(ReviewAssignment.application_id).where(ReviewAssignment.stage == stage.value)
    return list(
        db.session.scalars(
            select(Application)
            .where(
                Application.cycle_id == cycle.id,
                Application.status == STAGE_STATUS[stage].value,
                Application.id.not_in(done),
            )
            .order_by(Application.number)
        )
    )


def propose(
    cycle: AwardCycle, stage: ReviewStage, group_size: int = 3, max_apps: int | None = None
) -> Plan:
    """Groups and assignments for every application of the stage still without a group."""
    ensure_stage(Stage(cycle.stage), FORMING_STAGES[stage], f"组建{stage.label}评审组")
    apps = pending_applications(cycle, stage)
    if not apps:
        raise RuleViolation(
            f"{cycle.name}没有待分配的{stage.label}申报（须为「{STAGE_STATUS[stage].label}」且尚未分组）",
            rule="M-19",
        )
    everyone = list(db.session.scalars(select(Reviewer).order_by(Reviewer.code)))
    pool = [r for r in everyone if r.active]
    proposal = propose_assignment(
        [reviewer_facts(r) for r in pool],
        [assigned(a) for a in apps],
        recorded_interests(pool),
        stage,
        today(),
        group_size,
        max_apps,
    )
    return Plan(
        cycle,
        stage,
        group_size,
        max_apps,
        proposal,
        {r.code: r for r in pool},
        {a.number: a for a in apps},
        [r for r in everyone if not r.active],
    )


def _group_name(cycle: AwardCycle, stage: ReviewStage, taken: set[str]) -> str:
    n = 1
    while f"{cycle.year}年{stage.label}第{n}组" in taken:
        n += 1
    name = f"{cycle.year}年{stage.label}第{n}组"
    taken.add(name)
    return name


def accept(
    cycle: AwardCycle,
    stage: ReviewStage,
    group_size: int,
    max_apps,
    fingerprint: str,
    username=None,
):
    """Create the proposed groups, members, assignments and blank sheets, if nothing changed."""
    try:
        plan = propose(cycle, stage, group_size, max_apps)
        if plan.fingerprint != fingerprint:
            raise RuleViolation(
                "方案生成后评审员、利害关系或申报已有变化，请重新生成方案并核对后再接受",
                rule="M-10",
            )
        if not plan.proposal.groups:
            raise RuleViolation("方案中没有可组建的评审组", rule="M-10")
        taken = set(
            db.session.scalars(select(ReviewGroup.name).where(ReviewGroup.cycle_id == cycle.id))
        )
        due = cycle.material_review_on if stage is ReviewStage.MATERIAL else cycle.onsite_review_on
        created, details = [], {}
        for proposed in plan.proposal.groups:
            group = ReviewGroup(
                cycle_id=cycle.id,
                stage=stage.value,
                name=_group_name(cycle, stage, taken),
                due_on=due,
            )
            group.cycle = cycle
            db.session.add(group)
            db.session.flush()
            for key in proposed.member_keys:
                db.session.add(
                    ReviewGroupMember(
                        group=group,
                        reviewer=plan.reviewers[key],
                        is_leader=key == proposed.leader_key,
                    )
                )
            for number in proposed.application_keys:
                db.session.add(
                    ReviewAssignment(group=group, application=plan.apps[number], stage=stage.value)
                )
            db.session.flush()
            db.session.refresh(group)
            ensure_composition(
                group_spec(group),
                [assigned(plan.apps[n]) for n in proposed.application_keys],
                recorded_interests([plan.reviewers[k] for k in proposed.member_keys]),
                today(),
            )
            for number in proposed.application_keys:
                blank_sheets(
                    group,
                    plan.apps[number].id,
                    [plan.reviewers[k].id for k in proposed.member_keys],
                )
            details[group.name] = {
                "members": proposed.member_keys,
                "leader": proposed.leader_key,
                "applications": proposed.application_keys,
            }
            created.append(group)
        audit.record(
            "accept_group_proposal",
            cycle,
            f"接受{stage.label}评审组方案：{len(created)} 个评审组",
            details={"groups": details, "unassigned": plan.proposal.unassigned},
            cycle_id=cycle.id,
            username=username,
        )
        db.session.commit()
        return created
    except RuleViolation:
        db.session.rollback()
        raise
