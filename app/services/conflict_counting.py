"""Whose sheets count, per application of a review group (M-25.2, M-25.3, M-10): the facts the
pure rule (app.domain.counting) reads, gathered in two queries per group; the stage scores
that still count a sheet of a reviewer tied to the applicant; the Office's notices that a
group needs a replacement reviewer."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain.counting import (
    Counting,
    Exclusion,
    TooFewCountingReviewers,
    counting_for,
    scores_still_open,
    settled_on,
)
from app.domain.enums import Aggregation, ReviewStage, SheetStatus, Stage
from app.domain.reviewers import is_disqualified
from app.extensions import db
from app.services import selectors
from app.services.reminders import Item, screen
from app.services.reviewing import assigned, recorded_interests, reviewer_facts
from models import (
    Application,
    ReviewAssignment,
    Reviewer,
    ReviewGroup,
    ReviewGroupMember,
    Scoresheet,
    StageScore,
)


@dataclass
class GroupCounting:
    """Per application of the group (by id): who counts and who is left out, and why."""

    group: ReviewGroup
    by_application: dict[int, Counting]
    ids_by_key: dict[str, int]

    def counted_ids(self, application_id: int) -> set[int]:
        counting = self.by_application.get(application_id)
        if counting is None:
            return set()
        return {self.ids_by_key[k] for k in counting.counting}

    def excluded(self, application_id: int) -> dict[int, Exclusion]:
        counting = self.by_application.get(application_id)
        if counting is None:
            return {}
        return {self.ids_by_key[e.reviewer_key]: e for e in counting.excluded}

    def exclusions(self) -> list[Exclusion]:
        return [
            e
            for _app, c in sorted(self.by_application.items(), key=lambda kv: kv[1].application.key)
            for e in c.excluded
        ]


def _load_for_counting(group: ReviewGroup) -> None:
    """The group's members (with their certificates and sanctions) and its applications (with
    the applicant) in four queries, not one per member and per application."""
    reviewer = selectinload(ReviewGroup.members).joinedload(ReviewGroupMember.reviewer)
    application = selectinload(ReviewGroup.assignments).joinedload(ReviewAssignment.application)
    db.session.execute(
        select(ReviewGroup)
        .where(ReviewGroup.id == group.id)
        .options(
            reviewer.selectinload(Reviewer.certificates),
            reviewer.selectinload(Reviewer.sanctions),
            application.joinedload(Application.organization),
            application.joinedload(Application.individual),
        )
    ).unique().all()


def group_counting(group: ReviewGroup) -> GroupCounting:
    """Serving members (a disqualified reviewer never counts, M-25) split per application by
    the ties recorded at any time, before or after their sheet was submitted."""
    _load_for_counting(group)
    serving = [m for m in group.members if not is_disqualified(reviewer_facts(m.reviewer))]
    facts = [reviewer_facts(m.reviewer) for m in serving]
    interests = recorded_interests([m.reviewer for m in serving])
    ids_by_key = {m.reviewer.code: m.reviewer_id for m in serving}
    settled = settled_on(
        group.closed_at.date() if group.closed_at else None, Stage(group.cycle.stage)
    )
    by_application = {
        a.application_id: counting_for(
            facts, assigned(a.application), interests, settled_on=settled
        )
        for a in group.assignments
    }
    return GroupCounting(group, by_application, ids_by_key)


def _submitted_by(group_id: int, application_ids: list[int]) -> dict[int, set[int]]:
    """Who submitted a member's sheet, per application of the group: one statement."""
    found: dict[int, set[int]] = {}
    for app_id, reviewer_id in db.session.execute(
        select(Scoresheet.application_id, Scoresheet.reviewer_id).where(
            Scoresheet.group_id == group_id,
            Scoresheet.application_id.in_(application_ids),
            Scoresheet.is_consensus.is_(False),
            Scoresheet.status == SheetStatus.SUBMITTED.value,
        )
    ):
        found.setdefault(app_id, set()).add(reviewer_id)
    return found


@dataclass(frozen=True)
class Tainted:
    """A stored stage score that counted more sheets than now count (a tie recorded after it)."""

    group: ReviewGroup
    application_id: int
    counting: Counting
    score: StageScore
    counted_now: int


def tainted_scores(group: ReviewGroup, counting: GroupCounting | None = None) -> list[Tainted]:
    if group.closed_at is None or not scores_still_open(Stage(group.cycle.stage)):
        return []
    counting = counting or group_counting(group)
    ids = [app_id for app_id, c in counting.by_application.items() if c.excluded]
    if not ids:
        return []
    scores = selectors.stage_scores(ids, group.stage)
    submitted = _submitted_by(group.id, ids) if scores else {}
    found = []
    for app_id in ids:
        c, score = counting.by_application[app_id], scores.get(app_id)
        if score is None:
            continue
        now = len(submitted.get(app_id, set()) & counting.counted_ids(app_id))
        if (score.sheets or 0) > now:
            found.append(Tainted(group, app_id, c, score, now))
    return found


def _groups_with_conflicts(cycle_id: int | None = None, stage: ReviewStage | None = None):
    """Groups that hold an application one of their members is tied to (any date)."""
    query = (
        select(ReviewGroup)
        .where(
            ReviewGroup.id.in_(select(ReviewAssignment.group_id)),
            ReviewGroup.id.in_(select(ReviewGroupMember.group_id)),
        )
        .order_by(ReviewGroup.id)
    )
    if cycle_id is not None:
        query = query.where(ReviewGroup.cycle_id == cycle_id)
    if stage is not None:
        query = query.where(ReviewGroup.stage == stage.value)
    for group in db.session.scalars(query):
        counting = group_counting(group)
        if any(c.excluded for c in counting.by_application.values()):
            yield group, counting


def ensure_scores_untainted(cycle_id: int, stage: ReviewStage | None = None) -> None:
    """Refuse ranking or a shortlist on a stage score that still counts a sheet of a reviewer
    tied to the applicant (the tie recorded after the group closed, M-25.2/M-25.3)."""
    for group, counting in _groups_with_conflicts(cycle_id, stage):
        for t in tainted_scores(group, counting):
            why = "；".join(e.reason() for e in t.counting.excluded)
            raise TooFewCountingReviewers(
                f"申报 {t.counting.application.key} 在评审组 {group.name} 的"
                f"{ReviewStage(group.stage).label}得分计入了 {t.score.sheets} 份评分表，"
                f"现只有 {t.counted_now} 份计分：{why}；"
                "须由市质评办补充评审员重新评分后方可使用该得分",
                rule=t.counting.excluded[0].rule.split("、")[0],
                application_key=t.counting.application.key,
            )


# --- the Office's notices -----------------------------------------------------------------
def _item(group: ReviewGroup, counting: Counting, *, closed: bool) -> Item:
    why = "；".join(e.reason() for e in counting.excluded)
    who = "-".join(sorted(e.reviewer_key for e in counting.excluded))
    number = counting.application.key
    stage = ReviewStage(group.stage).label
    if closed:
        need = "该组已结束评审，阶段得分须由市质评办补充评审员重新评分后方可用于排名。"
        title = "评审组需补充评审员（利益冲突）"
    elif counting.short_by:
        need = (
            f"该申报的计分评审员只有 {len(counting.counting)} 名，须补充 {counting.short_by} 名"
            "评审员并提交评分表后，评审组方可结束评审（M-10）。"
        )
        title = "评审组需补充评审员（利益冲突）"
    else:
        need = f"该申报仍有 {len(counting.counting)} 名计分评审员，可照常结束评审。"
        title = "评审组成员存在利益冲突"
    return Item(
        "conflict_replacement",
        f"conflict:{group.id}:{number}:{who}",
        title,
        f"{group.cycle.name}「{group.name}」（{stage}）：{why}。{need}",
        screen(("ReviewGroupView.composition", {"pk": group.id})),
    )


def replacement_items(reviewer_id: int | None = None) -> list[Item]:
    """One item per group and application a recorded tie takes a reviewer out of: the group
    is still open, or it closed with a stage score that counted the sheet."""
    out = []
    for group, counting in _groups_with_conflicts():
        if reviewer_id is not None and reviewer_id not in {m.reviewer_id for m in group.members}:
            continue
        if group.closed_at is None:
            out += [
                _item(group, c, closed=False)
                for c in counting.by_application.values()
                if c.excluded
            ]
        else:
            out += [_item(group, t.counting, closed=True) for t in tainted_scores(group, counting)]
    return out


def recountable(t: Tainted) -> bool:
    """A closed group's score can be recomputed when enough sheets still count (M-10)."""
    return not t.counting.short_by and t.score.method != Aggregation.CONSENSUS.value
