"""Closing a review group (M-19.2): each member's sheet with its outliers for the leader, the
stage score of each application by the cycle's method (mean, trimmed mean) or from the
leader's consensus sheet, and closing every open group of a stage at once. A reviewer
disqualified under M-25 no longer counts, nor, for that application, one tied to the applicant
by a conflict recorded at any time (M-25.2, M-25.3; app.services.conflict_counting)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.domain import aggregation as agg
from app.domain.counting import ensure_enough_counting, scores_still_open
from app.domain.enums import Aggregation, ReviewStage, SheetStatus, Stage
from app.domain.errors import InvalidInput, RuleViolation
from app.domain.scoring import SheetScores, round_display
from app.domain.stages import ensure_stage
from app.extensions import db
from app.services import audit
from app.services.conflict_counting import (
    GroupCounting,
    Tainted,
    group_counting,
    recountable,
    tainted_scores,
)
from app.services.scoresheets import SCORING_STAGE, Criteria, blank_sheets, criteria_of, scores_of
from app.services.stage_totals import SheetSums, group_sheet_sums
from app.services.transactions import atomic
from models import (
    Application,
    AwardCycle,
    ReviewGroup,
    ReviewGroupMember,
    Scoresheet,
    StageScore,
)
from models.base import utcnow

if TYPE_CHECKING:
    from app.services.scoring import Actor


@dataclass
class SheetResult:
    sheet: Scoresheet
    scores: SheetScores
    counted: bool = True
    outlier: bool = False
    reason: str = ""  # why it does not count (M-25.2, M-25.3)


def _member_sheets(group: ReviewGroup, application_id: int) -> list[Scoresheet]:
    return list(
        db.session.scalars(
            select(Scoresheet)
            .where(
                Scoresheet.group_id == group.id,
                Scoresheet.application_id == application_id,
                Scoresheet.is_consensus.is_(False),
            )
            .order_by(Scoresheet.reviewer_id)
        )
    )


def application_results(
    group: ReviewGroup,
    application_id: int,
    criteria=None,
    counting: GroupCounting | None = None,
    sheets: list[Scoresheet] | None = None,
) -> list:
    """Each member's sheet with its scores, whether it counts for this application (and why
    not), and whether it is an outlier (leader's aid). `sheets`, the members' sheets of the
    application by reviewer, when the caller has read the whole group's at once."""
    criteria = criteria or criteria_of(group.cycle.criteria_version_id)
    counting = counting or group_counting(group)
    if sheets is None:
        sheets = _member_sheets(group, application_id)
    counted = counting.counted_ids(application_id)
    excluded = counting.excluded(application_id)
    results = [
        SheetResult(
            s,
            scores_of(s, criteria),
            s.reviewer_id in counted,
            reason=excluded[s.reviewer_id].reason() if s.reviewer_id in excluded else "",
        )
        for s in sheets
    ]
    submitted = {
        r.sheet.reviewer_id: r.scores.total
        for r in results
        if r.counted and r.sheet.status == SheetStatus.SUBMITTED.value
    }
    flagged = agg.outliers(submitted, Decimal(group.cycle.outlier_threshold))
    for r in results:
        r.outlier = r.sheet.reviewer_id in flagged
    return results


def _store_stage_score(application_id, stage, method, total, categories, sheets) -> StageScore:
    row = db.session.scalar(
        select(StageScore).where(
            StageScore.application_id == application_id, StageScore.stage == stage
        )
    ) or StageScore(application_id=application_id, stage=stage)
    row.method = method.value
    row.total = total
    row.categories = {code: str(value) for code, value in categories.items()}
    row.sheets = sheets
    row.computed_at = utcnow()
    db.session.add(row)
    return row


def _sheet_states(group_id: int) -> dict[int, dict[int, str]]:
    """Per application of the group: each member's sheet status, in one query."""
    found: dict[int, dict[int, str]] = {}
    for app_id, reviewer_id, status in db.session.execute(
        select(Scoresheet.application_id, Scoresheet.reviewer_id, Scoresheet.status).where(
            Scoresheet.group_id == group_id, Scoresheet.is_consensus.is_(False)
        )
    ):
        found.setdefault(app_id, {})[reviewer_id] = status
    return found


def ensure_can_close(group: ReviewGroup, counting: GroupCounting | None = None) -> None:
    """M-19.2: no counting member may still have an unsubmitted sheet; names who, per
    application. M-25.2, M-10: a conflict may not leave an application short of counting
    reviewers; the refusal names the application and the rule."""
    if group.closed_at is not None:
        raise RuleViolation(
            f"评审组 {group.name} 已于 {group.closed_at:%Y-%m-%d} 结束评审", rule="M-19.2"
        )
    cycle = group.cycle
    ensure_stage(Stage(cycle.stage), SCORING_STAGE[ReviewStage(group.stage)], "结束评审组评审")
    counting = counting or group_counting(group)
    if not counting.numbers:
        raise RuleViolation(f"评审组 {group.name} 尚未分配任何申报", rule="M-19.2")
    ordered = sorted(counting.numbers, key=counting.numbers.get)
    for app_id in ordered:
        ensure_enough_counting(group.name, counting.by_application[app_id])
    states = _sheet_states(group.id)
    problems, missing_all = [], []
    for app_id in ordered:
        counted = counting.counted_ids(app_id)
        members = [m for m in counting.serving if m.reviewer_id in counted]
        sheets = states.get(app_id, {})
        try:
            agg.ensure_all_submitted(
                [m.label for m in members],
                [
                    m.label
                    for m in members
                    if sheets.get(m.reviewer_id) == SheetStatus.SUBMITTED.value
                ],
            )
        except agg.StageCloseBlocked as exc:
            problems.append(f"{counting.numbers[app_id]}：{'、'.join(exc.missing)}")
            missing_all += [k for k in exc.missing if k not in missing_all]
    if problems:
        raise agg.StageCloseBlocked(
            f"评审组 {group.name} 尚有成员未提交评分表，不能结束评审（{'；'.join(problems)}）",
            missing=missing_all,
        )


@dataclass
class ComputedScore:
    """An application's stage score as closing its group computes it (nothing stored)."""

    application_id: int
    number: str
    sheets: list[SheetSums]  # the counted members' submitted sheets
    totals: dict[str, Decimal]  # by member (code and name)
    outliers: list[str]
    total: Decimal | None = None  # None under consensus: the leader enters it
    categories: dict[str, Decimal] | None = None


def compute_stage_scores(
    group: ReviewGroup, counting: GroupCounting, method: Aggregation
) -> list[ComputedScore]:
    """Each application's stage score from the counted sheets (M-19.2, M-25.2, M-25.3): each
    submitted sheet's category sums as submitted, one row per sheet for the whole group
    (app.services.stage_totals), then the domain's mean or trimmed mean and outliers."""
    labels = {m.reviewer_id: m.label for m in counting.serving}
    sums_by_application = group_sheet_sums(group.id, labels)
    threshold = Decimal(group.cycle.outlier_threshold)
    computed = []
    for app_id, number in counting.numbers.items():
        counted = counting.counted_ids(app_id)
        sheets = [s for s in sums_by_application.get(app_id, []) if s.reviewer_id in counted]
        by_reviewer = {labels[s.reviewer_id]: s.total for s in sheets}
        result = ComputedScore(
            app_id, number, sheets, by_reviewer, sorted(agg.outliers(by_reviewer, threshold))
        )
        if method is not Aggregation.CONSENSUS:
            result.total = agg.aggregate([s.total for s in sheets], method)
            result.categories = agg.aggregate_categories([s.categories for s in sheets], method)
        computed.append(result)
    return computed


def close_group(group_id: int, actor: "Actor") -> list[StageScore]:
    """Close the group's stage: stage scores by the cycle's method (mean / trimmed mean), or,
    under consensus, the leader's blank consensus sheets; outliers flagged for the leader."""
    group = db.session.get(ReviewGroup, group_id)
    try:
        counting = group_counting(group)
        ensure_can_close(group, counting)
        cycle = group.cycle
        method = Aggregation(cycle.aggregation)
        # The applications, loaded once for their audit entries (held while in use).
        applications = {
            a.id: a
            for a in db.session.scalars(
                select(Application).where(Application.id.in_(list(counting.numbers)))
            )
        }
        stored, details = [], {}
        for result in compute_stage_scores(group, counting, method):
            app_id = result.application_id
            details[result.number] = {
                "totals": {name: str(total) for name, total in result.totals.items()},
                "outliers": result.outliers,
            }
            excluded = counting.by_application[app_id].excluded
            if excluded:
                details[result.number]["excluded"] = [e.reason() for e in excluded]
            if method is Aggregation.CONSENSUS:
                leader = next((m for m in group.members if m.is_leader), None)
                if leader is None:
                    raise RuleViolation(
                        f"评审组 {group.name} 未指定组长，无法录入合议评分", rule="M-10"
                    )
                blank_sheets(group, app_id, [leader.reviewer_id], consensus=True)
                continue
            total, sheets = result.total, len(result.sheets)
            row = _store_stage_score(app_id, group.stage, method, total, result.categories, sheets)
            stored.append(row)
            audit.record(
                "stage_score",
                applications[app_id],
                f"{ReviewStage(group.stage).label}得分 {round_display(total)}（{method.label}，"
                f"{sheets} 份评分表）",
                details=details[result.number],
                cycle_id=cycle.id,
                application_id=app_id,
                username=actor.username,
            )
        group.closed_at = utcnow()
        group.closed_by = actor.username
        audit.record(
            "close_review_group",
            group,
            f"结束评审组 {group.name} 的{ReviewStage(group.stage).label}",
            details=details,
            cycle_id=cycle.id,
            username=actor.username,
        )
        db.session.commit()
    except RuleViolation:
        db.session.rollback()
        raise
    return stored


def stage_score_from_consensus(sheet: Scoresheet, criteria: Criteria, actor: "Actor") -> None:
    """The stage score under consensus, once the leader submits the consensus sheet (M-19.2)."""
    group = sheet.group
    members = [
        r
        for r in application_results(group, sheet.application_id, criteria)
        if r.counted and r.sheet.status == SheetStatus.SUBMITTED.value
    ]
    scores = scores_of(sheet, criteria)
    totals = [r.scores.total for r in members]
    total = agg.aggregate(totals, Aggregation.CONSENSUS, consensus=scores.total)
    categories = agg.aggregate_categories(
        [r.scores.categories for r in members], Aggregation.CONSENSUS, scores.categories
    )
    _store_stage_score(
        sheet.application_id, sheet.stage, Aggregation.CONSENSUS, total, categories, len(totals)
    )
    audit.record(
        "stage_score",
        sheet.application,
        f"{ReviewStage(sheet.stage).label}组长合议得分 {round_display(total)}",
        cycle_id=sheet.application.cycle_id,
        application_id=sheet.application_id,
        username=actor.username,
    )


def _recount(t: Tainted, counting: GroupCounting, username: str | None) -> StageScore:
    """Recompute a closed group's stage score without the sheets that no longer count."""
    group, app_id = t.group, t.application_id
    counted = counting.counted_ids(app_id)
    sheets = group_sheet_sums(group.id, counted).get(app_id, [])
    method = Aggregation(t.score.method)
    total = agg.aggregate([s.total for s in sheets], method)
    categories = agg.aggregate_categories([s.categories for s in sheets], method)
    before = t.score.total
    row = _store_stage_score(app_id, group.stage, method, total, categories, len(sheets))
    application = next(a.application for a in group.assignments if a.application_id == app_id)
    audit.record(
        "stage_score",
        application,
        f"{ReviewStage(group.stage).label}得分按利益冲突重新计算：{round_display(before)} → "
        f"{round_display(total)}（{method.label}，{len(sheets)} 份评分表）",
        reason="；".join(e.reason() for e in t.counting.excluded),
        details={"excluded": [e.reason() for e in t.counting.excluded]},
        cycle_id=group.cycle_id,
        application_id=app_id,
        username=username,
    )
    return row


@atomic
def _recount_groups(groups: list[ReviewGroup], username: str | None) -> list[StageScore]:
    recounted = []
    for group in groups:
        counting = group_counting(group)
        for t in tainted_scores(group, counting):
            if recountable(t):
                recounted.append(_recount(t, counting, username))
    return recounted


def conflict_recorded(reviewer_id: int, username: str | None = None) -> list[StageScore]:
    """After a tie is recorded (M-25.2, M-25.3): a closed group's stage score that counted the
    reviewer's sheet is recomputed without it when enough sheets still count (M-10); the Office
    is told of every group the tie leaves needing a replacement or a new score."""
    from app.security.roles import OFFICE
    from app.services import notifications
    from app.services.conflict_counting import replacement_items
    from app.services.reminders import to_each

    groups = db.session.scalars(
        select(ReviewGroup)
        .join(ReviewGroupMember, ReviewGroupMember.group_id == ReviewGroup.id)
        .where(ReviewGroupMember.reviewer_id == reviewer_id, ReviewGroup.closed_at.is_not(None))
        .order_by(ReviewGroup.id)
    ).all()
    recounted = _recount_groups(groups, username)
    notifications.create_missing(to_each(OFFICE, replacement_items(reviewer_id)))
    return recounted


class GroupNotClosed(RuleViolation):
    rule = "M-19.2"


def ensure_can_reopen(group: ReviewGroup, reason: str) -> None:
    """Pure check of a reopening: a reason (M-3); the group closed; the cycle still in the
    group's scoring stage, so a replacement can score and the group close again (M-19.2); from
    the Committee's vote on, a tie found later is a revocation matter (M-26), as for a recount."""
    if not (reason or "").strip():
        raise InvalidInput("重新开启评审组须填写理由", rule="M-3")
    if group.closed_at is None:
        raise GroupNotClosed(f"评审组 {group.name} 尚未结束评审，无需重新开启")
    current = Stage(group.cycle.stage)
    if not scores_still_open(current):
        raise RuleViolation(
            f"{group.cycle.name}已进入「{current.label}」，评审组不能再重新开启；"
            "此后发现的利益冲突按撤销程序处理",
            rule="M-26",
        )
    ensure_stage(current, SCORING_STAGE[ReviewStage(group.stage)], "重新开启评审组")


@atomic
def reopen_group(group_id: int, actor: "Actor", reason: str) -> ReviewGroup:
    """The Office reopens a closed group (M-19.2, M-25.2, M-25.3): its stage scores are removed
    (nothing ranks on them), a submitted consensus sheet goes back to draft, so a replacement
    can be added and score and the group close again without the sheets that no longer count."""
    group = db.session.get(ReviewGroup, group_id)
    ensure_can_reopen(group, reason)
    reason = reason.strip()
    app_ids = [a.application_id for a in group.assignments]
    removed = {}
    for score in db.session.scalars(
        select(StageScore).where(
            StageScore.application_id.in_(app_ids), StageScore.stage == group.stage
        )
    ):
        removed[score.application_id] = str(score.total)
        db.session.delete(score)
    for sheet in db.session.scalars(
        select(Scoresheet).where(
            Scoresheet.group_id == group.id,
            Scoresheet.is_consensus.is_(True),
            Scoresheet.status == SheetStatus.SUBMITTED.value,
        )
    ):
        sheet.status = SheetStatus.DRAFT.value
        sheet.submitted_at = None
        sheet.category_sums = None  # a draft has no sums as submitted (M-19.2)
        sheet.reopened_reason = reason
    closed_at, closed_by = group.closed_at, group.closed_by
    group.closed_at = None
    group.closed_by = None
    numbers = {a.application_id: a.application.number for a in group.assignments}
    audit.record(
        "reopen_review_group",
        group,
        f"重新开启评审组 {group.name} 的{ReviewStage(group.stage).label}，"
        f"撤销 {len(removed)} 份阶段得分",
        reason=reason,
        details={
            "closed_at": f"{closed_at:%Y-%m-%d %H:%M}",
            "closed_by": closed_by,
            "removed_stage_scores": {numbers[k]: v for k, v in removed.items()},
        },
        cycle_id=group.cycle_id,
        username=actor.username,
    )
    return group


def close_groups(cycle_id: int, actor: "Actor") -> tuple[list[str], list[str]]:
    """Close every open group of the cycle's current review stage; a group not ready stays
    open and its reason is returned (M-19.2)."""
    cycle = db.session.get(AwardCycle, cycle_id)
    current = Stage(cycle.stage)
    ensure_stage(current, set(SCORING_STAGE.values()), "结束评审组评审")
    stage = next(s for s, st in SCORING_STAGE.items() if st is current)
    ids = list(
        db.session.scalars(
            select(ReviewGroup.id)
            .where(
                ReviewGroup.cycle_id == cycle.id,
                ReviewGroup.stage == stage.value,
                ReviewGroup.closed_at.is_(None),
            )
            .order_by(ReviewGroup.name)
        )
    )
    if not ids:
        raise RuleViolation(f"{cycle.name}没有进行中的{stage.label}评审组", rule="M-19.2")
    closed, refused = [], []
    for group_id in ids:
        name = db.session.get(ReviewGroup, group_id).name
        try:
            close_group(group_id, actor)
            closed.append(name)
        except RuleViolation as exc:
            refused.append(str(exc))
    return closed, refused
