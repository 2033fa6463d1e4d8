"""Review groups: at least 3 qualified reviewers, one leader, an expert for each industry (M-10)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from app.domain.conflicts import (
    ConflictOfInterest,
    Interest,
    conflict_message,
    conflicts_between,
    kinds_of,
)
from app.domain.enums import ReviewStage
from app.domain.errors import InvalidInput, RuleViolation
from app.domain.reviewers import ReviewerFacts, ensure_qualified, failed_items

MIN_GROUP_SIZE = 3

INDUSTRY_SECTIONS: dict[str, str] = {
    "A": "农、林、牧、渔业",
    "B": "采矿业",
    "C": "制造业",
    "D": "电力、热力、燃气及水生产和供应业",
    "E": "建筑业",
    "F": "批发和零售业",
    "G": "交通运输、仓储和邮政业",
    "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业",
    "J": "金融业",
    "K": "房地产业",
    "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业",
    "O": "居民服务、修理和其他服务业",
    "P": "教育",
    "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业",
    "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}


class GroupTooSmall(RuleViolation):
    rule = "M-10"
    default_message = f"评审组应当由 {MIN_GROUP_SIZE} 名以上评审员组成"


class LeaderMissing(RuleViolation):
    rule = "M-10"
    default_message = "评审组应当有且只有 1 名组长"


class NoIndustryExpert(RuleViolation):
    rule = "M-10"
    default_message = "评审组中没有与申报单位行业相符的行业专家"

    def __init__(
        self, message: str | None = None, *, application_key: str = "", industry: str = ""
    ):
        self.application_key = application_key
        self.industry = industry
        super().__init__(message)


def industry_label(code: str) -> str:
    """A code with its section name, e.g. C（制造业）; a division is labelled by its section."""
    name = INDUSTRY_SECTIONS.get(code.strip().upper()[:1])
    return f"{code}（{name}）" if name else code


@dataclass(frozen=True)
class GroupMember:
    reviewer: ReviewerFacts
    is_leader: bool = False


@dataclass
class GroupSpec:
    key: str
    stage: ReviewStage
    members: list[GroupMember] = field(default_factory=list)

    @property
    def leaders(self) -> list[ReviewerFacts]:
        return [m.reviewer for m in self.members if m.is_leader]

    @property
    def reviewers(self) -> list[ReviewerFacts]:
        return [m.reviewer for m in self.members]


@dataclass(frozen=True)
class AssignedApplication:
    key: str
    applicant_key: str
    applicant_name: str
    industry: str


def _duplicates(group: GroupSpec) -> list[str]:
    seen: set[str] = set()
    dupes = []
    for r in group.reviewers:
        if r.key in seen and r.name not in dupes:
            dupes.append(r.name)
        seen.add(r.key)
    return dupes


def _size_problem(group: GroupSpec) -> str | None:
    size = len({r.key for r in group.reviewers})
    if size < MIN_GROUP_SIZE:
        return f"评审组 {group.key} 只有 {size} 名评审员，至少应有 {MIN_GROUP_SIZE} 名"
    return None


def _leader_problem(group: GroupSpec) -> str | None:
    leaders = group.leaders
    if not leaders:
        return f"评审组 {group.key} 未指定组长"
    if len(leaders) > 1:
        names = "、".join(r.name for r in leaders)
        return f"评审组 {group.key} 有 {len(leaders)} 名组长（{names}），只能有 1 名"
    return None


def check_composition(group: GroupSpec, on: date, *, min_reviews: int = 1) -> list[str]:
    """Every problem with the group's membership on `on` (empty when it may review)."""
    problems = [p for p in (_size_problem(group), _leader_problem(group)) if p]
    problems += [f"评审员 {name} 在评审组 {group.key} 中重复出现" for name in _duplicates(group)]
    for r in group.reviewers:
        failed = failed_items(r, on, min_reviews=min_reviews)
        if failed:
            what = "、".join(f"{i.title}（{i.rule}）" for i in failed)
            problems.append(f"评审员 {r.name} 不具备评审员条件：{what}")
    return problems


def _ensure_expert(group: GroupSpec, application: AssignedApplication) -> None:
    if not any(r.is_expert_for(application.industry) for r in group.reviewers):
        raise NoIndustryExpert(
            f"评审组 {group.key} 中没有 {industry_label(application.industry)} 行业专家，"
            f"不能评审 申报单位 {application.applicant_name} 的申报（{application.key}）",
            application_key=application.key,
            industry=application.industry,
        )


def _ensure_unconflicted(
    reviewer: ReviewerFacts, application: AssignedApplication, interests: Sequence[Interest]
) -> None:
    found = conflicts_between(reviewer, application.applicant_key, interests)
    if found:
        raise ConflictOfInterest(
            conflict_message(reviewer.name, application.applicant_name, found),
            reviewer_key=reviewer.key,
            applicant_key=application.applicant_key,
            kinds=kinds_of(found),
        )


def ensure_composition(
    group: GroupSpec,
    applications: Iterable[AssignedApplication],
    interests: Iterable[Interest],
    on: date,
    *,
    min_reviews: int = 1,
) -> None:
    """M-10 and M-25: refuse the group (with its applications) at the first broken rule.

    `interests` are the declared and Office-recorded ones plus any derived consulting ties;
    ties to a member's own employer are derived here from the reviewer record.
    """
    interests = list(interests)
    problem = _size_problem(group)
    if problem:
        raise GroupTooSmall(problem)
    problem = _leader_problem(group)
    if problem:
        raise LeaderMissing(problem)
    dupes = _duplicates(group)
    if dupes:
        raise InvalidInput(f"评审员 {'、'.join(dupes)} 在评审组 {group.key} 中重复出现")
    for r in group.reviewers:
        ensure_qualified(r, on, min_reviews=min_reviews)
    for application in applications:
        ensure_can_assign(group, application, interests)


def ensure_can_add_member(
    group: GroupSpec,
    reviewer: ReviewerFacts,
    applications: Iterable[AssignedApplication],
    interests: Iterable[Interest],
    on: date,
    *,
    min_reviews: int = 1,
) -> None:
    """Refuse adding a reviewer who is unqualified, already a member, or tied to an applicant."""
    if any(r.key == reviewer.key for r in group.reviewers):
        raise InvalidInput(f"评审员 {reviewer.name} 已在评审组 {group.key} 中")
    ensure_qualified(reviewer, on, min_reviews=min_reviews)
    interests = list(interests)
    for application in applications:
        _ensure_unconflicted(reviewer, application, interests)


def ensure_can_assign(
    group: GroupSpec, application: AssignedApplication, interests: Iterable[Interest]
) -> None:
    """Refuse giving the group an application no member is expert for, or one a member is tied to."""
    _ensure_expert(group, application)
    interests = list(interests)
    for r in group.reviewers:
        _ensure_unconflicted(r, application, interests)
