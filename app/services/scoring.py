"""Entering scoresheets (M-19.2, M-19.4): who may write a sheet (M-25, M-17), save and submit
with a history row per change and a version check against lost updates, and the Office's
reopening of a submitted sheet. Criteria and blank sheets are app.services.scoresheets; closing
a group and its stage scores is app.services.scoring_close."""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.domain.criteria import UnknownCriteriaItem
from app.domain.enums import ReviewStage, SheetStatus, Stage
from app.domain.errors import InvalidInput, RuleViolation, StaleRecord
from app.domain.reviewers import ensure_may_score
from app.domain.scoring import (
    IncompleteScoresheet,
    ScoreOutOfRange,
    sheet_scores,
    validate_percent,
    validate_sheet_for_submit,
)
from app.domain.stages import ensure_stage
from app.extensions import db
from app.services import audit, audit_capture
from app.services.reviewing import ensure_unconflicted, reviewer_facts
from app.services.scoresheets import SCORING_STAGE, Criteria, criteria_for_sheet, sheet_lines
from app.services.scoring_close import stage_score_from_consensus
from models import (
    Application,
    Reviewer,
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
    "save",
    "submit",
    "reopen",
]

TEXT_FIELDS = ("strengths", "improvements")


class SheetLocked(RuleViolation):
    rule = "M-19.2"
    default_message = "评分表已提交并锁定；如需修改，须由市质评办说明理由后退回"


class StaleScoresheet(StaleRecord):
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


def actor_of(user) -> Actor:
    """The signed-in user as the actor of a scoring use case."""
    from app.security.scopes import reviewer_id_of

    return Actor(user.username, reviewer_id_of(user))


# --- who may write ------------------------------------------------------------------------


def ensure_writable(sheet: Scoresheet, actor: Actor) -> None:
    """M-25, M-17, M-19.2: the owner, not disqualified nor conflicted, in the sheet's stage."""
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
    of two saves that started from the same version only the first can pass (no lost update).
    It changes no audited column (version = version), so audit capture does not read the row
    before and after it."""
    result = db.session.execute(
        update(Scoresheet)
        .where(Scoresheet.id == sheet_id, Scoresheet.version == version)
        .values(version=Scoresheet.version)
        .execution_options(synchronize_session=False, **{audit_capture.UNCHANGED: True})
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


def _change(sheet, actor, item_code, field, old, new, reason=None) -> dict:
    """One row of the sheet's history (who changed which field from what to what)."""
    return {
        "scoresheet_id": sheet.id,
        "item_code": item_code,
        "field": field,
        "old_value": None if old is None else str(old),
        "new_value": None if new is None else str(new),
        "changed_by": actor.username,
        "changed_at": utcnow(),
        "reason": reason,
    }


def _record_changes(rows: list[dict]) -> None:
    """The history rows in one INSERT (executemany), not one ORM object and statement each;
    their inserts are not audited entry by entry (audit_capture.HISTORY_INSERTS): each change
    is in the audit entry of the line it changed."""
    if rows:
        db.session.execute(ScoreChange.__table__.insert(), rows)


def _apply(sheet, actor, criteria, entries, overall_comment, changes: list[dict]) -> bool:
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
                changes.append(_change(sheet, actor, code, name, old, new))
                setattr(line, name, new)
                changed = True
    if overall_comment is not None:
        new = overall_comment.strip() or None
        if new != sheet.overall_comment:
            changes.append(
                _change(sheet, actor, None, "overall_comment", sheet.overall_comment, new)
            )
            sheet.overall_comment = new
            changed = True
    scores = sheet_scores(criteria.spec, sheet_lines(sheet, criteria))
    for line in sheet.lines:
        line.points = scores.items.get(criteria.codes.get(line.item_id))
    sheet.total = scores.total
    return changed


def for_writing() -> tuple:
    """Loader options for a sheet about to be written: the reviewer with the certificates and
    sanctions the rules read (M-10, M-25), the application with its applicant and cycle, the
    group and the lines, in four queries instead of one per relation. The score-entry API
    loads the sheet with them for its row scope; the use case then finds it loaded."""
    reviewer = joinedload(Scoresheet.reviewer)
    application = joinedload(Scoresheet.application)
    return (
        reviewer.selectinload(Reviewer.certificates),
        reviewer.selectinload(Reviewer.sanctions),
        application.joinedload(Application.cycle),
        application.joinedload(Application.organization),
        application.joinedload(Application.individual),
        joinedload(Scoresheet.group),
        selectinload(Scoresheet.lines),
    )


def _load(sheet_id: int) -> Scoresheet:
    sheet = db.session.get(Scoresheet, sheet_id, options=for_writing())
    if sheet is None:
        raise InvalidInput("评分表不存在")
    return sheet


def _write(sheet_id, actor, version, entries, overall_comment, submitting: bool) -> Scoresheet:
    sheet = _load(sheet_id)
    ensure_writable(sheet, actor)
    version = _version(version)
    if version != sheet.version:
        raise StaleScoresheet()
    criteria = criteria_for_sheet(sheet)
    cleaned = _clean(entries or {}, criteria)
    _claim(sheet.id, version)
    changes: list[dict] = []
    changed = _apply(sheet, actor, criteria, cleaned, overall_comment, changes)
    if submitting:
        scores = validate_sheet_for_submit(criteria.spec, sheet_lines(sheet, criteria))
        # M-19.2: its lines are locked from now on; the sums closing the group reads, as submitted.
        sheet.category_sums = scores.as_submitted()
        changes.append(
            _change(sheet, actor, None, "status", sheet.status, SheetStatus.SUBMITTED.value)
        )
        sheet.status = SheetStatus.SUBMITTED.value
        sheet.submitted_at = utcnow()
        changed = True
    if changed:
        sheet.updated_at = utcnow()  # always UPDATE the sheet row: the ORM checks its version
    if submitting and sheet.is_consensus:
        stage_score_from_consensus(sheet, criteria, actor)
    try:
        db.session.flush()
        _record_changes(changes)
        # What an answer can say without reading the sheet again after the commit.
        sheet.known_after_commit = {
            "id": sheet.id,
            "version": sheet.version,
            "status": sheet.status,
            "total": None if sheet.total is None else str(sheet.total),
        }
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
    _record_changes(
        [_change(sheet, actor, None, "status", sheet.status, SheetStatus.DRAFT.value, reason)]
    )
    sheet.status = SheetStatus.DRAFT.value
    sheet.submitted_at = None
    sheet.category_sums = None  # a draft has no sums as submitted (M-19.2)
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
