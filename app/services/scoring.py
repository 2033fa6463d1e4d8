"""Scoresheets (M-19.2, M-19.4): blank sheets, save and submit with history, reopen, and the
stage score of each application when the Office closes a group (M-19.2 decisions, M-25)."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError

from app.domain import aggregation as agg
from app.domain.criteria import CriteriaCategory as SpecCategory
from app.domain.criteria import CriteriaItem as SpecItem
from app.domain.criteria import CriteriaVersion as Spec
from app.domain.criteria import UnknownCriteriaItem
from app.domain.enums import Aggregation, ReviewStage, SheetStatus, Stage
from app.domain.errors import InvalidInput, RuleViolation
from app.domain.reviewers import ensure_may_score
from app.domain.scoring import (
    IncompleteScoresheet,
    ScoreOutOfRange,
    SheetLine,
    SheetScores,
    round_display,
    sheet_scores,
    validate_percent,
    validate_sheet_for_submit,
)
from app.domain.stages import ensure_stage
from app.extensions import db
from app.services import audit
from app.services.stage_totals import group_sheet_sums
from models import (
    CriteriaVersion,
    ReviewGroup,
    ScoreChange,
    ScoreLine,
    Scoresheet,
    StageScore,
)
from models.base import utcnow

__all__ = [
    "Actor",
    "IncompleteScoresheet",
    "ScoreOutOfRange",
    "SheetLocked",
    "StaleScoresheet",
    "NotYourSheet",
    "blank_sheets",
    "criteria_of",
    "save",
    "submit",
    "reopen",
    "close_group",
    "scores_of",
]

# The review stage of the cycle in which each kind of sheet is entered (M-17).
SCORING_STAGE = {
    ReviewStage.MATERIAL: Stage.MATERIAL_REVIEW,
    ReviewStage.ONSITE: Stage.ONSITE_REVIEW,
}
TEXT_FIELDS = ("strengths", "improvements")


class SheetLocked(RuleViolation):
    rule = "M-19.2"
    default_message = "评分表已提交并锁定；如需修改，须由市质评办说明理由后退回"


class StaleScoresheet(RuleViolation):
    rule = "并发保护"
    default_message = (
        "该评分表已在您打开之后被保存过（可能在另一窗口或由他人保存），本次保存未生效；"
        "页面已显示最新内容，您刚才填写的内容列在各条款下方，请核对后重新保存"
    )


class NotYourSheet(RuleViolation):
    rule = "M-25"
    default_message = "只能录入本人的评分表"


class GroupAlreadyClosed(RuleViolation):
    rule = "M-19.2"
    default_message = "评审组已结束评审，评分表不能再修改"


class ConsensusNotOpen(RuleViolation):
    rule = "M-19.2"
    default_message = "组长合议评分表须在全体成员提交、评审组结束评审后由组长录入"


@dataclass(frozen=True)
class Actor:
    """Who acts: the login name for the history, and their reviewer record if they have one."""

    username: str
    reviewer_id: int | None = None


# --- criteria ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Criteria:
    spec: Spec
    item_ids: dict[str, int]  # item code -> criteria_item.id
    codes: dict[int, str]  # criteria_item.id -> item code


def criteria_of(version_id: int) -> Criteria:
    """The cycle's bound criteria version (M-16) as the pure rules read it."""
    version = db.session.get(CriteriaVersion, version_id)
    categories = []
    item_ids = {}
    for cat in version.categories:
        items = tuple(
            SpecItem(i.code, i.name_zh, i.name_en, Decimal(i.points), cat.code) for i in cat.items
        )
        item_ids.update({i.code: i.id for i in cat.items})
        categories.append(
            SpecCategory(cat.code, cat.name_zh, cat.name_en, Decimal(cat.points), cat.kind, items)
        )
    spec = Spec(version.code, version.name, tuple(categories))
    return Criteria(spec, item_ids, {v: k for k, v in item_ids.items()})


def _criteria_for_sheet(sheet: Scoresheet) -> Criteria:
    return criteria_of(sheet.application.cycle.criteria_version_id)


def sheet_lines(sheet: Scoresheet, criteria: Criteria) -> list[SheetLine]:
    return [
        SheetLine(
            criteria.codes.get(line.item_id, f"#{line.item_id}"),
            line.percent,
            line.strengths or "",
            line.improvements or "",
        )
        for line in sheet.lines
    ]


def scores_of(sheet: Scoresheet, criteria: Criteria | None = None) -> SheetScores:
    criteria = criteria or _criteria_for_sheet(sheet)
    return sheet_scores(criteria.spec, sheet_lines(sheet, criteria))


def blank_sheets(group: ReviewGroup, application_id: int, reviewer_ids, *, consensus=False):
    """Draft sheets with one empty line per item of the cycle's criteria version (M-19.2)."""
    from models import AwardCycle

    cycle = group.cycle or db.session.get(AwardCycle, group.cycle_id)
    criteria = criteria_of(cycle.criteria_version_id)
    made = []
    for reviewer_id in reviewer_ids:
        exists = db.session.scalar(
            select(Scoresheet.id).where(
                Scoresheet.application_id == application_id,
                Scoresheet.stage == group.stage,
                Scoresheet.reviewer_id == reviewer_id,
                Scoresheet.is_consensus.is_(consensus),
            )
        )
        if exists:
            continue
        sheet = Scoresheet(
            application_id=application_id,
            group_id=group.id,
            reviewer_id=reviewer_id,
            stage=group.stage,
            is_consensus=consensus,
            status=SheetStatus.DRAFT.value,
            total=Decimal(0),
        )
        sheet.lines = [
            ScoreLine(item_id=criteria.item_ids[code]) for code in criteria.spec.item_codes
        ]
        db.session.add(sheet)
        made.append(sheet)
    return made


# --- who may write ------------------------------------------------------------------------


def ensure_writable(sheet: Scoresheet, actor: Actor) -> None:
    """M-25, M-17, M-19.2: the owner, not disqualified nor conflicted, in the sheet's stage."""
    from app.services.reviewing import ensure_unconflicted, reviewer_facts

    if actor.reviewer_id is None or sheet.reviewer_id != actor.reviewer_id:
        raise NotYourSheet()
    reviewer = sheet.reviewer
    ensure_may_score(reviewer_facts(reviewer))
    if not reviewer.active:
        raise RuleViolation(f"评审员 {reviewer.name} 已停用，不能录入评分", rule="M-10")
    ensure_unconflicted(reviewer, sheet.application)
    cycle = sheet.application.cycle
    ensure_stage(Stage(cycle.stage), SCORING_STAGE[ReviewStage(sheet.stage)], "录入评分")
    group = sheet.group
    if sheet.is_consensus:
        if group.closed_at is None:
            raise ConsensusNotOpen()
        if not _is_leader(group, actor.reviewer_id):
            raise ConsensusNotOpen("合议评分表只能由评审组组长录入（M-19.2 组长负责制）")
    elif group.closed_at is not None:
        raise GroupAlreadyClosed()
    if sheet.status == SheetStatus.SUBMITTED.value:
        raise SheetLocked()


def _is_leader(group: ReviewGroup, reviewer_id: int | None) -> bool:
    return any(m.is_leader and m.reviewer_id == reviewer_id for m in group.members)


def _claim(sheet_id: int, version: int) -> None:
    """The version check in the database: UPDATE ... WHERE version = :v takes the row lock, so
    of two saves that started from the same version only the first can pass (no lost update)."""
    result = db.session.execute(
        update(Scoresheet)
        .where(Scoresheet.id == sheet_id, Scoresheet.version == version)
        .values(version=Scoresheet.version)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise StaleScoresheet()


def _version(value) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidInput("缺少评分表版本号（version），请刷新页面后重新保存") from None


# --- entries ------------------------------------------------------------------------------

_INT = re.compile(r"[+-]?\d+")


def parse_percent(value, code: str) -> int | None:
    """'' or None clears the item; anything else must be 0, 5, ..., 100 (M-19.2)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        text = value.strip().rstrip("%").strip()
        if not _INT.fullmatch(text):
            raise ScoreOutOfRange(f"条款 {code} 的评分“{value}”不是整数百分比，应为 0、5、10……100")
        value = int(text)
    return validate_percent(value, code)


def _clean(entries: Mapping[str, Mapping], criteria: Criteria) -> dict[str, dict]:
    """Validate every entry before anything changes: known items, valid percentages."""
    unknown = [code for code in entries if code not in criteria.item_ids]
    if unknown:
        raise UnknownCriteriaItem(
            f"条款 {'、'.join(unknown)} 不属于本届绑定的评价准则 {criteria.spec.name}"
        )
    cleaned = {}
    for code, fields in entries.items():
        out = {}
        if "percent" in fields:
            out["percent"] = parse_percent(fields["percent"], code)
        for name in TEXT_FIELDS:
            if name in fields:
                out[name] = (str(fields[name]) if fields[name] is not None else "").strip() or None
        cleaned[code] = out
    return cleaned


def _change(sheet, actor, item_code, field, old, new, reason=None) -> None:
    db.session.add(
        ScoreChange(
            scoresheet_id=sheet.id,
            item_code=item_code,
            field=field,
            old_value=None if old is None else str(old),
            new_value=None if new is None else str(new),
            changed_by=actor.username,
            changed_at=utcnow(),
            reason=reason,
        )
    )


def _apply(sheet, actor, criteria, entries, overall_comment) -> bool:
    lines = {criteria.codes.get(line.item_id): line for line in sheet.lines}
    changed = False
    for code, fields in entries.items():
        line = lines.get(code)
        if line is None:  # an older sheet missing a line: add it
            line = ScoreLine(item_id=criteria.item_ids[code])
            sheet.lines.append(line)
        for name, new in fields.items():
            old = getattr(line, name)
            if old != new:
                _change(sheet, actor, code, name, old, new)
                setattr(line, name, new)
                changed = True
    if overall_comment is not None:
        new = overall_comment.strip() or None
        if new != sheet.overall_comment:
            _change(sheet, actor, None, "overall_comment", sheet.overall_comment, new)
            sheet.overall_comment = new
            changed = True
    scores = sheet_scores(criteria.spec, sheet_lines(sheet, criteria))
    for line in sheet.lines:
        line.points = scores.items.get(criteria.codes.get(line.item_id))
    sheet.total = scores.total
    return changed


def _load(sheet_id: int) -> Scoresheet:
    sheet = db.session.get(Scoresheet, sheet_id)
    if sheet is None:
        raise InvalidInput("评分表不存在")
    return sheet


def _write(sheet_id, actor, version, entries, overall_comment, submitting: bool) -> Scoresheet:
    sheet = _load(sheet_id)
    ensure_writable(sheet, actor)
    version = _version(version)
    if version != sheet.version:
        raise StaleScoresheet()
    criteria = _criteria_for_sheet(sheet)
    cleaned = _clean(entries or {}, criteria)
    _claim(sheet.id, version)
    changed = _apply(sheet, actor, criteria, cleaned, overall_comment)
    if submitting:
        validate_sheet_for_submit(criteria.spec, sheet_lines(sheet, criteria))
        _change(sheet, actor, None, "status", sheet.status, SheetStatus.SUBMITTED.value)
        sheet.status = SheetStatus.SUBMITTED.value
        sheet.submitted_at = utcnow()
        changed = True
    if changed:
        sheet.updated_at = utcnow()  # always UPDATE the sheet row: the ORM checks its version
    if submitting and sheet.is_consensus:
        _stage_score_from_consensus(sheet, criteria, actor)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleScoresheet() from None
    return sheet


def save(sheet_id: int, actor: Actor, version, entries: Mapping, overall_comment=None):
    """Save a draft: every entry validated first, then applied with a history row per change."""
    try:
        return _write(sheet_id, actor, version, entries, overall_comment, submitting=False)
    except RuleViolation:
        db.session.rollback()
        raise


def submit(sheet_id: int, actor: Actor, version, entries=None, overall_comment=None):
    """Save what the form carries and submit: all 23 items scored, then the sheet is locked."""
    try:
        return _write(sheet_id, actor, version, entries, overall_comment, submitting=True)
    except RuleViolation:
        db.session.rollback()
        raise


def reopen(sheet_id: int, actor: Actor, reason: str) -> Scoresheet:
    """The Office sends a submitted sheet back to its reviewer, with the reason they will see."""
    sheet = _load(sheet_id)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("退回评分表须填写理由（M-3）")
    if sheet.status != SheetStatus.SUBMITTED.value:
        raise RuleViolation("评分表尚未提交，无需退回", rule="M-19.2")
    if sheet.group.closed_at is not None and not sheet.is_consensus:
        raise GroupAlreadyClosed("评审组已结束评审并已计算阶段得分，不能再退回成员评分表")
    _change(sheet, actor, None, "status", sheet.status, SheetStatus.DRAFT.value, reason)
    sheet.status = SheetStatus.DRAFT.value
    sheet.submitted_at = None
    sheet.reopened_reason = reason
    if sheet.is_consensus:
        db.session.execute(
            StageScore.__table__.delete().where(
                StageScore.application_id == sheet.application_id,
                StageScore.stage == sheet.stage,
            )
        )
    audit.record(
        "reopen_scoresheet",
        sheet,
        f"退回评分表：{sheet.application.number} / {sheet.reviewer}",
        reason=reason,
        cycle_id=sheet.application.cycle_id,
        application_id=sheet.application_id,
        username=actor.username,
    )
    db.session.commit()
    return sheet


# --- closing a group: stage scores --------------------------------------------------------


@dataclass
class SheetResult:
    sheet: Scoresheet
    scores: SheetScores
    counted: bool = True
    outlier: bool = False


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


def counting_members(group: ReviewGroup):
    """Members whose sheets count: a reviewer disqualified under M-25 no longer counts."""
    from app.domain.reviewers import is_disqualified
    from app.services.reviewing import reviewer_facts

    return [m for m in group.members if not is_disqualified(reviewer_facts(m.reviewer))]


def application_results(group: ReviewGroup, application_id: int, criteria=None) -> list:
    """Each member's sheet with its scores and whether it is an outlier (leader's aid)."""
    criteria = criteria or criteria_of(group.cycle.criteria_version_id)
    counted = {m.reviewer_id for m in counting_members(group)}
    results = [
        SheetResult(s, scores_of(s, criteria), s.reviewer_id in counted)
        for s in _member_sheets(group, application_id)
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


def ensure_can_close(group: ReviewGroup) -> None:
    """M-19.2: no member may still have an unsubmitted sheet; names who, per application."""
    if group.closed_at is not None:
        raise RuleViolation(
            f"评审组 {group.name} 已于 {group.closed_at:%Y-%m-%d} 结束评审", rule="M-19.2"
        )
    cycle = group.cycle
    ensure_stage(Stage(cycle.stage), SCORING_STAGE[ReviewStage(group.stage)], "结束评审组评审")
    if not group.assignments:
        raise RuleViolation(f"评审组 {group.name} 尚未分配任何申报", rule="M-19.2")
    members = counting_members(group)
    problems, missing_all = [], []
    for assignment in sorted(group.assignments, key=lambda a: a.application.number):
        sheets = {s.reviewer_id: s for s in _member_sheets(group, assignment.application_id)}
        try:
            agg.ensure_all_submitted(
                [str(m.reviewer) for m in members],
                [
                    str(m.reviewer)
                    for m in members
                    if m.reviewer_id in sheets
                    and sheets[m.reviewer_id].status == SheetStatus.SUBMITTED.value
                ],
            )
        except agg.StageCloseBlocked as exc:
            problems.append(f"{assignment.application.number}：{'、'.join(exc.missing)}")
            missing_all += [k for k in exc.missing if k not in missing_all]
    if problems:
        raise agg.StageCloseBlocked(
            f"评审组 {group.name} 尚有成员未提交评分表，不能结束评审（{'；'.join(problems)}）",
            missing=missing_all,
        )


def close_group(group_id: int, actor: Actor) -> list[StageScore]:
    # Sheet and category sums come from one aggregate query (app.services.stage_totals).
    """Close the group's stage: stage scores by the cycle's method (mean / trimmed mean), or,
    under consensus, the leader's blank consensus sheets; outliers flagged for the leader."""
    group = db.session.get(ReviewGroup, group_id)
    try:
        ensure_can_close(group)
        cycle = group.cycle
        method = Aggregation(cycle.aggregation)
        stored, details = [], {}
        members = {m.reviewer_id: str(m.reviewer) for m in counting_members(group)}
        sums_by_application = group_sheet_sums(group.id, members)
        threshold = Decimal(cycle.outlier_threshold)
        for assignment in group.assignments:
            app_id = assignment.application_id
            sheets = sums_by_application.get(app_id, [])
            totals = [s.total for s in sheets]
            by_reviewer = {members[s.reviewer_id]: s.total for s in sheets}
            details[assignment.application.number] = {
                "totals": {name: str(total) for name, total in by_reviewer.items()},
                "outliers": sorted(agg.outliers(by_reviewer, threshold)),
            }
            if method is Aggregation.CONSENSUS:
                leader = next((m for m in group.members if m.is_leader), None)
                if leader is None:
                    raise RuleViolation(
                        f"评审组 {group.name} 未指定组长，无法录入合议评分", rule="M-10"
                    )
                blank_sheets(group, app_id, [leader.reviewer_id], consensus=True)
                continue
            total = agg.aggregate(totals, method)
            categories = agg.aggregate_categories([s.categories for s in sheets], method)
            row = _store_stage_score(app_id, group.stage, method, total, categories, len(totals))
            stored.append(row)
            audit.record(
                "stage_score",
                assignment.application,
                f"{ReviewStage(group.stage).label}得分 {round_display(total)}（{method.label}，"
                f"{len(totals)} 份评分表）",
                details=details[assignment.application.number],
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


def _stage_score_from_consensus(sheet: Scoresheet, criteria: Criteria, actor: Actor) -> None:
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


def close_groups(cycle_id: int, actor: Actor) -> tuple[list[str], list[str]]:
    """Close every open group of the cycle's current review stage; a group not ready stays
    open and its reason is returned (M-19.2)."""
    from models import AwardCycle

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
