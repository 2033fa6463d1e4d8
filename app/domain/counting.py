"""Whose sheets count for an application (M-25, M-10): a reviewer tied to the applicant by a
conflict of interest or consulting (M-25.2, M-25.3, M-25.4) no longer counts for it, whenever
the tie was recorded, even after the sheet was submitted; a stage score rests on at least
`MIN_GROUP_SIZE` counting sheets, so a group short of them waits for a replacement."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from app.domain.conflicts import Interest, conflicts_between, kinds_of, rule_of
from app.domain.enums import Stage
from app.domain.errors import RuleViolation
from app.domain.groups import MIN_GROUP_SIZE, AssignedApplication
from app.domain.reviewers import ReviewerFacts

# Stage scores feed the ranking up to the comprehensive evaluation; from the Committee's vote
# on, a tie found later is a matter for revocation (M-26), not for recounting a closed group.
LAST_RECOUNT_STAGE = Stage.COMPREHENSIVE


def scores_still_open(cycle_stage: Stage) -> bool:
    """Whether a closed group's stage scores may still be recounted for a late tie."""
    stages = list(Stage)
    return stages.index(cycle_stage) <= stages.index(LAST_RECOUNT_STAGE)


def settled_on(closed_on: date | None, cycle_stage: Stage) -> date | None:
    """The day a group's scores became final for counting, or None while they may change."""
    if closed_on is None or scores_still_open(cycle_stage):
        return None
    return closed_on


@dataclass(frozen=True)
class Exclusion:
    """A reviewer whose sheet for an application does not count, and why."""

    reviewer_key: str
    reviewer_name: str
    application_key: str
    interests: tuple[Interest, ...]

    @property
    def rule(self) -> str:
        return "、".join(dict.fromkeys(rule_of(k) for k in kinds_of(self.interests)))

    @property
    def recorded_on(self):
        dates = [i.recorded_on for i in self.interests if i.recorded_on is not None]
        return min(dates) if dates else None

    def reason(self) -> str:
        when = f"，于 {self.recorded_on:%Y-%m-%d} 登记" if self.recorded_on else ""
        return (
            f"评审员 {self.reviewer_name} 对 申报 {self.application_key} 存在利益冲突"
            f"（{self.rule}{when}），其评分不计入"
        )


@dataclass(frozen=True)
class Counting:
    """An application's counting reviewers (keys) and the excluded ones with their reason."""

    application: AssignedApplication
    counting: tuple[str, ...]
    excluded: tuple[Exclusion, ...]

    @property
    def short_by(self) -> int:
        return max(0, MIN_GROUP_SIZE - len(self.counting))


class TooFewCountingReviewers(RuleViolation):
    rule = "M-25.2"
    default_message = "存在利益冲突的评审员评分不计入，计分评审员不足，须补充评审员"

    def __init__(self, message: str | None = None, *, rule: str | None = None, application_key=""):
        self.application_key = application_key
        super().__init__(message, rule=rule)


def counting_for(
    members: Sequence[ReviewerFacts],
    application: AssignedApplication,
    interests: Iterable[Interest],
    *,
    settled_on: date | None = None,
) -> Counting:
    """Split the members into those who count for the application and those tied to it.

    `members` are the group's members still serving (a disqualified reviewer is left out by
    the caller, M-25); `interests` are the recorded ties (declared, Office, consulting) of any
    date; ties to a member's employer are derived here. `settled_on`: the day the group's
    scores became final (closed, and the cycle past `LAST_RECOUNT_STAGE`); a tie recorded
    after it leaves the score as it was (a matter for M-26)."""
    interests = [
        i
        for i in interests
        if settled_on is None or i.recorded_on is None or i.recorded_on <= settled_on
    ]
    counting, excluded = [], []
    for r in members:
        found = conflicts_between(r, application.applicant_key, interests)
        if found:
            excluded.append(Exclusion(r.key, r.name, application.key, tuple(found)))
        else:
            counting.append(r.key)
    return Counting(application, tuple(counting), tuple(excluded))


def ensure_enough_counting(group_key: str, counting: Counting) -> None:
    """Refuse closing while a conflict leaves an application fewer counting reviewers than a
    group needs (M-10), naming the application, the excluded reviewers and the sub-rule."""
    if not counting.excluded or not counting.short_by:
        return
    why = "；".join(e.reason() for e in counting.excluded)
    raise TooFewCountingReviewers(
        f"评审组 {group_key} 对 申报 {counting.application.key} 只有 {len(counting.counting)} "
        f"名计分评审员，至少应有 {MIN_GROUP_SIZE} 名（M-10）：{why}；"
        f"须由市质评办补充 {counting.short_by} 名评审员并提交评分表后方可结束评审",
        rule=counting.excluded[0].rule.split("、")[0],
        application_key=counting.application.key,
    )
