"""The automatic proposal of review groups for a whole stage (M-10, M-19.2, M-19.4): a plan
for every application still without a group, and its acceptance as groups, members,
assignments and blank sheets if nothing changed since it was shown."""

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select

from app.domain.assignment import Proposal, propose_assignment
from app.domain.enums import ReviewStage, Stage
from app.domain.errors import RuleViolation
from app.domain.groups import ensure_composition
from app.domain.stages import ensure_stage
from app.extensions import db
from app.services import audit
from app.services.review_groups import STAGE_STATUS
from app.services.reviewing import assigned, group_spec, recorded_interests, reviewer_facts, today
from app.services.scoresheets import blank_sheets
from models import (
    Application,
    AwardCycle,
    ReviewAssignment,
    Reviewer,
    ReviewGroup,
    ReviewGroupMember,
)

# The cycle stages in which a stage's groups may be formed.
FORMING_STAGES = {
    ReviewStage.MATERIAL: {Stage.ELIGIBILITY, Stage.MATERIAL_REVIEW},
    ReviewStage.ONSITE: {Stage.MATERIAL_REVIEW, Stage.USER_EVALUATION, Stage.ONSITE_REVIEW},
}


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
