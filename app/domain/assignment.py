"""Proposes review groups and assigns every application to one (M-10, M-25), load balanced."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from app.domain.conflicts import Interest, conflicts_between
from app.domain.enums import ReviewStage
from app.domain.errors import InvalidInput
from app.domain.groups import (
    MIN_GROUP_SIZE,
    AssignedApplication,
    GroupMember,
    GroupSpec,
    industry_label,
)
from app.domain.reviewers import ReviewerFacts, failed_items


@dataclass
class ProposedGroup:
    members: list[ReviewerFacts]
    leader_key: str
    application_keys: list[str] = field(default_factory=list)

    @property
    def member_keys(self) -> list[str]:
        return [r.key for r in self.members]

    def spec(self, key: str, stage: ReviewStage) -> GroupSpec:
        members = [GroupMember(r, is_leader=r.key == self.leader_key) for r in self.members]
        return GroupSpec(key, stage, members)


@dataclass
class Proposal:
    groups: list[ProposedGroup]
    unassigned: list[tuple[str, str]]
    load: dict[str, int]
    stage: ReviewStage
    excluded: list[tuple[str, str]] = field(default_factory=list)


def _experience_rank(r: ReviewerFacts) -> tuple:
    # The longest in quality work leads; more excellence reviews, then the key, break ties.
    return (r.quality_work_since or date.max, -r.excellence_reviews_done, r.key)


@dataclass
class _Planner:
    pool: list[ReviewerFacts]
    blocked: dict[str, set[str]]
    group_size: int
    cap: int | None
    max_groups: int | None
    groups: list[ProposedGroup] = field(default_factory=list)
    load: dict[str, int] = field(default_factory=dict)
    pending: list[AssignedApplication] = field(default_factory=list)

    def usable(self, app: AssignedApplication) -> list[ReviewerFacts]:
        return [r for r in self.pool if r.key not in self.blocked[app.key]]

    def may_open_group(self) -> bool:
        return self.max_groups is None or len(self.groups) < self.max_groups

    def _pick(self, candidates: list[ReviewerFacts], chosen: list[ReviewerFacts]):
        # Least loaded first; among equals, whoever adds expertise the waiting applications
        # lack, so that later applications of other industries can join this group.
        uncovered = [
            a.industry for a in self.pending if not any(r.is_expert_for(a.industry) for r in chosen)
        ]

        def rank(r: ReviewerFacts) -> tuple:
            gain = sum(1 for industry in uncovered if r.is_expert_for(industry))
            return (self.load[r.key], -gain, r.key)

        return min(candidates, key=rank)

    def new_group(self, app: AssignedApplication, candidates: list[ReviewerFacts]):
        experts = [r for r in candidates if r.is_expert_for(app.industry)]
        if not experts or len(candidates) < self.group_size:
            return None
        chosen = [self._pick(experts, [])]
        while len(chosen) < self.group_size:
            taken = {r.key for r in chosen}
            chosen.append(self._pick([r for r in candidates if r.key not in taken], chosen))
        members = sorted(chosen, key=lambda r: r.key)
        leader = min(members, key=_experience_rank)
        group = ProposedGroup(members, leader.key)
        self.groups.append(group)
        return group

    def existing_group(self, app: AssignedApplication):
        fits = [
            (len(g.application_keys), i, g)
            for i, g in enumerate(self.groups)
            if (self.cap is None or len(g.application_keys) < self.cap)
            and any(r.is_expert_for(app.industry) for r in g.members)
            and not any(r.key in self.blocked[app.key] for r in g.members)
        ]
        return min(fits, key=lambda t: t[:2])[2] if fits else None

    def place(self, app: AssignedApplication, share_reviewers: bool):
        usable = self.usable(app)
        seated = {k for g in self.groups for k in g.member_keys}
        group = None
        if self.may_open_group():
            # A fresh group of unseated reviewers has no load yet: it spreads work widest.
            group = self.new_group(app, [r for r in usable if r.key not in seated])
        group = group or self.existing_group(app)
        if group is None and share_reviewers and self.may_open_group():
            group = self.new_group(app, usable)
        if group is not None:
            group.application_keys.append(app.key)
            for key in group.member_keys:
                self.load[key] += 1
        return group

    def why_not(self, app: AssignedApplication, share_reviewers: bool) -> str:
        label = industry_label(app.industry)
        who = f"申报单位 {app.applicant_name}"
        if not any(r.is_expert_for(app.industry) for r in self.pool):
            return f"没有具备资格的 {label} 行业专家"
        usable = self.usable(app)
        if not any(r.is_expert_for(app.industry) for r in usable):
            return f"{label} 行业专家均与 {who} 存在利害关系"
        if len(usable) < self.group_size:
            return f"排除与 {who} 存在利害关系的评审员后，可用评审员不足 {self.group_size} 名"
        limits = []
        if self.cap is not None:
            limits.append(f"每组至多 {self.cap} 件")
        if not self.may_open_group():
            limits.append(f"评审组至多 {self.max_groups} 个")
        if not share_reviewers:
            limits.append("评审员不得兼任多个评审组")
        extra = f"（{'，'.join(limits)}）" if limits else ""
        return f"现有评审组均无法承担且不能再组建新评审组{extra}"


def _unique(keys: list[str], what: str) -> None:
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise InvalidInput(f"{what}编号重复：{'、'.join(dupes)}")


def propose_assignment(
    reviewers: Iterable[ReviewerFacts],
    applications: Iterable[AssignedApplication],
    interests: Iterable[Interest],
    stage: ReviewStage,
    on: date,
    group_size: int = MIN_GROUP_SIZE,
    max_apps_per_group: int | None = None,
    *,
    max_groups: int | None = None,
    share_reviewers: bool = True,
    min_reviews: int = 1,
) -> Proposal:
    """Form groups of qualified reviewers and give each application to one of them.

    Greedy and deterministic: the applications with the fewest usable experts go first; each
    goes to a new group of unseated reviewers while the pool allows, else to the least busy
    group that has an expert for its industry and no member tied to it (M-10, M-25), else,
    when `share_reviewers`, to a new group drawn from the least loaded reviewers. What
    cannot be placed is listed in `unassigned` with the reason. `interests` must include
    consulting ties (see `conflicts.derive_conflicts`); employment ties are derived here.
    """
    if group_size < MIN_GROUP_SIZE:
        raise InvalidInput(f"评审组至少应有 {MIN_GROUP_SIZE} 名评审员，设定为 {group_size} 名")
    if max_apps_per_group is not None and max_apps_per_group < 1:
        raise InvalidInput(f"每组评审件数上限应为正数，设定为 {max_apps_per_group}")
    if max_groups is not None and max_groups < 1:
        raise InvalidInput(f"评审组数上限应为正数，设定为 {max_groups}")
    reviewers = sorted(reviewers, key=lambda r: r.key)
    applications = sorted(applications, key=lambda a: a.key)
    _unique([r.key for r in reviewers], "评审员")
    _unique([a.key for a in applications], "申报")
    interests = list(interests)

    pool, excluded = [], []
    for r in reviewers:
        failed = failed_items(r, on, min_reviews=min_reviews)
        if failed:
            excluded.append((r.key, "；".join(f"{i.title}（{i.rule}）" for i in failed)))
        else:
            pool.append(r)
    blocked = {
        a.key: {r.key for r in pool if conflicts_between(r, a.applicant_key, interests)}
        for a in applications
    }
    planner = _Planner(pool, blocked, group_size, max_apps_per_group, max_groups)
    planner.load = {r.key: 0 for r in pool}

    def scarcity(a: AssignedApplication) -> tuple:
        experts = [r for r in planner.usable(a) if r.is_expert_for(a.industry)]
        return (len(experts), a.industry, a.key)

    unassigned = []
    planner.pending = sorted(applications, key=scarcity)
    for app in list(planner.pending):
        planner.pending.remove(app)
        if planner.place(app, share_reviewers) is None:
            unassigned.append((app.key, planner.why_not(app, share_reviewers)))
    for g in planner.groups:
        g.application_keys.sort()
    return Proposal(planner.groups, sorted(unassigned), planner.load, stage, excluded)
