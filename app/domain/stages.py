"""M-17, M-19: a cycle's stages are taken one at a time, in order, and actions fit the stage."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.domain.enums import Stage
from app.domain.errors import InvalidInput, RuleViolation


class StageOrderViolation(RuleViolation):
    rule = "M-17"
    default_message = "评定阶段只能按顺序逐一推进"


class ActionNotAllowedInStage(RuleViolation):
    rule = "M-17"
    default_message = "当前阶段不能进行此操作"


class StagePreconditionsUnmet(RuleViolation):
    rule = "M-17/M-19"
    default_message = "当前阶段的工作尚未完成，不能进入下一阶段"

    def __init__(self, message: str | None = None, *, missing: list[str] | None = None, rule=None):
        self.missing = list(missing or [])
        super().__init__(message, rule=rule)


class ApplicationsClosed(RuleViolation):
    rule = "M-17"
    default_message = "不在申报受理期内"


class DatesOutOfOrder(InvalidInput):
    default_message = "日期先后顺序不正确"


def zh_date(d: date | None) -> str:
    """A date as a clerk writes it: 2025年3月1日 (a missing date says so, never a 500)."""
    if d is None:
        return "（日期未记录）"
    return f"{d.year}年{d.month}月{d.day}日"


_STAGES = list(Stage)


def next_stage(current: Stage) -> Stage | None:
    """The stage after `current`, or None once the cycle is closed."""
    i = current.order + 1
    return _STAGES[i] if i < len(_STAGES) else None


def ensure_advance(current: Stage, target: Stage) -> Stage:
    """Refuse any move but the one to the very next stage (no going back, no skipping)."""
    expected = next_stage(current)
    if target == expected:
        return target
    if expected is None:
        msg = f"本届评定已处于「{current.label}」阶段，不能再转到「{target.label}」"
    elif target.order <= current.order:
        msg = (
            f"当前阶段为「{current.label}」，不能退回到「{target.label}」；"
            f"下一阶段只能是「{expected.label}」"
        )
    else:
        skipped = "」「".join(s.label for s in _STAGES[expected.order : target.order])
        msg = (
            f"当前阶段为「{current.label}」，不能直接进入「{target.label}」，须先经过「{skipped}」"
        )
    raise StageOrderViolation(msg)


def ensure_stage(current: Stage, allowed: set[Stage] | Stage, action_zh: str) -> None:
    """Refuse an action (e.g. 录入评分) outside the stages where it belongs."""
    allowed_set = {allowed} if isinstance(allowed, Stage) else set(allowed)
    if current in allowed_set:
        return
    allowed_zh = "」「".join(s.label for s in sorted(allowed_set, key=lambda s: s.order))
    raise ActionNotAllowedInStage(
        f"当前阶段为「{current.label}」，不能{action_zh}（仅限「{allowed_zh}」阶段）"
    )


@dataclass(frozen=True)
class StageFacts:
    """What the service counted about a cycle; only the fields of the stage being left matter.

    Counts default to 0 (nothing outstanding); the flags a stage needs set default to False,
    so a forgotten flag blocks the move rather than letting it through.
    """

    # DRAFT (M-17: the Office announces the period and the standard first)
    application_period_set: bool = False
    criteria_bound: bool = False
    # APPLICATIONS_OPEN
    application_deadline_passed: bool = False
    # ELIGIBILITY (M-19.1)
    ungraded_applications: int = 0
    pending_supplements: int = 0
    unconfirmed_eligible_list: bool = False
    # MATERIAL_REVIEW / ONSITE_REVIEW: counts for the review stage being left (M-19.2, M-19.4)
    open_scoresheets: int = 0
    open_groups: int = 0
    unassigned_applications: int = 0
    eligible_count: int = 0
    shortlisted_count: int = 0
    # USER_EVALUATION (M-19.3)
    missing_satisfaction: int = 0
    # COMPREHENSIVE (M-19.5)
    candidate_list_proposed: bool = False
    # COMMITTEE_VOTE (M-19.6)
    candidates_count: int = 0
    votes_recorded: int = 0
    # PUBLIC_NOTICE (M-19.6)
    notice_ended: bool = False
    unresolved_objections: int = 0
    # APPROVAL (M-19.7)
    approval_recorded: bool = False
    # ANNOUNCED (M-19.8)
    unpaid_prizes: int = 0


def _review_stage_missing(stage_zh: str, facts: StageFacts) -> list[str]:
    missing = []
    if facts.open_scoresheets:
        missing.append(f"{stage_zh}尚有 {facts.open_scoresheets} 份评分表未提交")
    if facts.open_groups:
        missing.append(f"{stage_zh}尚有 {facts.open_groups} 个评审组未结束评审")
    if facts.unassigned_applications:
        missing.append(f"尚有 {facts.unassigned_applications} 份申报未分配评审组")
    return missing


def preconditions(current: Stage, facts: StageFacts) -> list[str]:
    """What is still missing before the cycle may leave `current`, in Chinese; empty when ready."""
    missing: list[str] = []
    match current:
        case Stage.DRAFT:
            if not facts.application_period_set:
                missing.append("尚未公布申报受理期（开始日期和截止日期）")
            if not facts.criteria_bound:
                missing.append("尚未确定本届采用的评审标准版本")
        case Stage.APPLICATIONS_OPEN:
            # Closing before the announced deadline would shut out applicants still in time.
            if not facts.application_deadline_passed:
                missing.append("申报截止日期尚未过")
        case Stage.ELIGIBILITY:
            if facts.ungraded_applications:
                missing.append(f"尚有 {facts.ungraded_applications} 份已提交的申报未作资格审查结论")
            if facts.pending_supplements:
                missing.append(f"尚有 {facts.pending_supplements} 份退回补正的申报仍在补正期限内")
            if facts.unconfirmed_eligible_list:
                missing.append("资格审查合格名单尚未经委员会确认（M-19.1）")
        case Stage.MATERIAL_REVIEW:
            missing += _review_stage_missing("材料评审", facts)
            # With no eligible application every prize stays vacant (M-4); nothing to shortlist.
            if facts.eligible_count and not facts.shortlisted_count:
                missing.append("尚未确定现场评审名单（M-19.2）")
        case Stage.USER_EVALUATION:
            if facts.missing_satisfaction:
                missing.append(
                    f"尚有 {facts.missing_satisfaction} 家入围组织未录入用户满意度测评（M-19.3）"
                )
        case Stage.ONSITE_REVIEW:
            missing += _review_stage_missing("现场评审", facts)
        case Stage.COMPREHENSIVE:
            if not facts.candidate_list_proposed:
                missing.append("市质评办尚未提出拟表彰名单（M-19.5）")
        case Stage.COMMITTEE_VOTE:
            unvoted = facts.candidates_count - facts.votes_recorded
            if unvoted > 0:
                missing.append(f"尚有 {unvoted} 名候选对象未经委员会表决（M-19.6）")
        case Stage.PUBLIC_NOTICE:
            if not facts.notice_ended:
                missing.append("公示期尚未结束")
            if facts.unresolved_objections:
                missing.append(f"尚有 {facts.unresolved_objections} 件公示异议未处理（M-19.6）")
        case Stage.APPROVAL:
            if not facts.approval_recorded:
                missing.append("尚未录入市政府的审批结果（M-19.7）")
        case Stage.ANNOUNCED:
            if facts.unpaid_prizes:
                missing.append(f"尚有 {facts.unpaid_prizes} 项奖金未发放（M-19.8）")
        case Stage.CLOSED:
            missing.append("本届评定已结束，没有下一阶段")
    return missing


def ensure_can_leave(current: Stage, facts: StageFacts) -> None:
    """Refuse to leave `current` while its work is unfinished, listing everything missing."""
    missing = preconditions(current, facts)
    if missing:
        raise StagePreconditionsUnmet(
            f"「{current.label}」阶段不能结束：" + "；".join(missing), missing=missing
        )


def application_window_check(opens_on: date | None, deadline: date | None, on: date) -> None:
    """Applications are accepted from `opens_on` to `deadline`, both days included (M-17)."""
    if opens_on is None or deadline is None:
        raise ApplicationsClosed("本届尚未公布申报受理期，不能受理申报")
    if on < opens_on:
        raise ApplicationsClosed(f"申报受理自{zh_date(opens_on)}开始，{zh_date(on)}尚未开始受理")
    if on > deadline:
        raise ApplicationsClosed(f"申报截止日期为{zh_date(deadline)}，{zh_date(on)}已截止")


def ensure_dates_in_order(pairs: Iterable[tuple[str, date | None]]) -> None:
    """Each given date is on or after the one before it; dates not yet set are skipped."""
    previous: tuple[str, date] | None = None
    for label, d in pairs:
        if d is None:
            continue
        if previous is not None and d < previous[1]:
            raise DatesOutOfOrder(
                f"「{label}」（{zh_date(d)}）早于「{previous[0]}」（{zh_date(previous[1])}）"
            )
        previous = (label, d)
