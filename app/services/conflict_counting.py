"""Whose sheets count, per application of a review group (M-25.2, M-25.3, M-10): the facts the
pure rule (app.domain.counting) reads, gathered in three queries per group; the stage scores
that still count a sheet of a reviewer tied to the applicant; the Office's notices that a
group needs a replacement reviewer."""

from dataclasses import dataclass, field

from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased

from app.domain.counting import (
    Counting,
    Exclusion,
    TooFewCountingReviewers,
    counting_for,
    scores_still_open,
    settled_on,
)
from app.domain.enums import (
    Aggregation,
    ReviewStage,
    SanctionLevel,
    SheetStatus,
    Stage,
)
from app.domain.groups import AssignedApplication
from app.domain.reviewers import ReviewerFacts, Sanction, is_disqualified
from app.extensions import db
from app.services import selectors
from app.services.reminders import Item, screen
from app.services.reviewing import facts_from, interests_of
from models import (
    Application,
    Individual,
    Organization,
    ReviewAssignment,
    Reviewer,
    ReviewerSanction,
    ReviewGroup,
    ReviewGroupMember,
    Scoresheet,
    StageScore,
)


@dataclass(frozen=True)
class ServingMember:
    """A member whose sheets may count (not disqualified, M-25), as plain values."""

    reviewer_id: int
    label: str  # str(Reviewer): code and name
    is_leader: bool


@dataclass
class GroupCounting:
    """Per application of the group (by id): who counts and who is left out, and why; the
    serving members in the group's order and each application's number."""

    group: ReviewGroup
    by_application: dict[int, Counting]
    ids_by_key: dict[str, int]
    serving: list[ServingMember] = field(default_factory=list)
    numbers: dict[int, str] = field(default_factory=dict)  # application id -> number

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


# The group's members with their reviewer record and sanctions, and its applications with their
# applicant: the group bound on each execution (built once, not per call).
_MEMBERS = (
    select(
        ReviewGroupMember.reviewer_id,
        ReviewGroupMember.is_leader,
        Reviewer.code,
        Reviewer.name,
        Reviewer.degree,
        Reviewer.quality_work_since,
        Reviewer.excellence_reviews_done,
        Reviewer.law_training_on,
        Reviewer.integrity_pledge_on,
        Reviewer.industries,
        Reviewer.employer_id,
        ReviewerSanction.level,
        ReviewerSanction.decided_on,
        ReviewerSanction.reason,
    )
    .join(Reviewer, Reviewer.id == ReviewGroupMember.reviewer_id)
    .outerjoin(ReviewerSanction, ReviewerSanction.reviewer_id == Reviewer.id)
    .where(ReviewGroupMember.group_id == bindparam("group_id"))
    .order_by(ReviewGroupMember.id, ReviewerSanction.id)
)
_EMPLOYER = aliased(Organization)
_APPLICATIONS = (
    select(
        Application.id,
        Application.number,
        Application.organization_id,
        Application.individual_id,
        Organization.name,
        Organization.industry_code,
        Individual.name,
        _EMPLOYER.industry_code,
    )
    .select_from(ReviewAssignment)
    .join(Application, Application.id == ReviewAssignment.application_id)
    .outerjoin(Organization, Organization.id == Application.organization_id)
    .outerjoin(Individual, Individual.id == Application.individual_id)
    .outerjoin(_EMPLOYER, _EMPLOYER.id == Individual.employer_id)
    .where(ReviewAssignment.group_id == bindparam("group_id"))
    .order_by(ReviewAssignment.id)
)


def _members(group_id: int) -> list[tuple[int, bool, ReviewerFacts]]:
    """The group's members in its order, each as the rules read them, in one query (the
    members joined to their reviewer record and sanctions). The counting rules read the
    reviewer's key, name, employer and sanctions; certificates are not read here."""
    rows = db.session.execute(_MEMBERS, {"group_id": group_id})
    members: dict[int, tuple] = {}
    sanctions: dict[int, list[Sanction]] = {}
    for row in rows:
        rid = row.reviewer_id
        if rid not in members:
            members[rid] = row
            sanctions[rid] = []
        if row.level is not None:
            sanctions[rid].append(Sanction(SanctionLevel(row.level), row.decided_on, row.reason))
    return [
        (
            rid,
            bool(row.is_leader),
            facts_from(row, certificates=[], sanctions=sanctions[rid]),
        )
        for rid, row in members.items()
    ]


def _applications(group_id: int) -> list[tuple[int, AssignedApplication]]:
    """The group's applications in its order with their applicant, in one query."""
    rows = db.session.execute(_APPLICATIONS, {"group_id": group_id})
    found = []
    for app_id, number, org_id, ind_id, org_name, org_industry, ind_name, emp_industry in rows:
        key = f"org:{org_id}" if org_id else f"ind:{ind_id}"
        name = org_name if org_id else ind_name
        industry = (org_industry if org_id else emp_industry) or ""
        found.append((app_id, AssignedApplication(number, key, str(name), industry)))
    return found


def group_counting(group: ReviewGroup) -> GroupCounting:
    """Serving members (a disqualified reviewer never counts, M-25) split per application by
    the ties recorded at any time, before or after their sheet was submitted: the members, the
    applications and the members' recorded ties in three queries, whatever the group's size,
    then the pure rule (app.domain.counting)."""
    members = _members(group.id)
    serving = [(rid, leader, f) for rid, leader, f in members if not is_disqualified(f)]
    facts = [f for _rid, _leader, f in serving]
    ids_by_key = {f.key: rid for rid, _leader, f in serving}
    interests = interests_of({rid: f.key for rid, _leader, f in serving})
    settled = settled_on(
        group.closed_at.date() if group.closed_at else None, Stage(group.cycle.stage)
    )
    applications = _applications(group.id)
    by_application = {
        app_id: counting_for(facts, assigned, interests, settled_on=settled)
        for app_id, assigned in applications
    }
    return GroupCounting(
        group,
        by_application,
        ids_by_key,
        serving=[ServingMember(rid, f"{f.key} {f.name}", leader) for rid, leader, f in serving],
        numbers={app_id: assigned.key for app_id, assigned in applications},
    )


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
