"""The audit entries of the demo's decisions, worded as the services word them (M-3)."""

from datetime import datetime

from app.domain.enums import ApplicationStatus
from app.domain.stages import zh_date

from .context import DemoContext, at

S = ApplicationStatus


def set_status(ctx: DemoContext, app, new: S, action: str, why: str, when: datetime, **details):
    """As app.services.workflow.set_status: an application's new standing and its entry."""
    old = S(app.status)
    if old is new:
        return
    app.status = new.value
    ctx.log(
        action,
        app,
        f"{app.number} {app.applicant_name}：{old.label} → {new.label}",
        when,
        reason=why,
        details={"from": old.value, "to": new.value, **details},
        cycle_id=app.cycle_id,
        application_id=app.id,
    )


def vote(ctx: DemoContext, row, app, cycle) -> None:
    """As app.services.evaluation.validate_vote."""
    ctx.log(
        "committee_vote",
        row,
        f"{app.number} {app.applicant_name}：委员 {row.members} 人，出席 {row.present} 人，"
        f"赞成 {row.votes_for}、反对 {row.votes_against}、弃权 {row.abstentions}，"
        f"{'通过' if row.passed else '未通过'}",
        at(row.held_on, 16),
        username=row.recorded_by,
        details={"threshold": str(cycle.vote_threshold)},
        cycle_id=cycle.id,
        application_id=app.id,
    )


def notice(ctx: DemoContext, row, cycle, names: str, drafted: datetime) -> None:
    """As app.services.announcement: the notice drafted, then published."""
    period = f"{zh_date(row.starts_on)} 至 {zh_date(row.ends_on)}"
    ctx.log("notice", row, f"{cycle.name}公示期 {period}", drafted, cycle_id=cycle.id)
    ctx.log(
        "publish_notice",
        row,
        f"发布{cycle.name}拟表彰对象公示（{period}）：{names or '无'}",
        row.published_at,
        cycle_id=cycle.id,
    )


def objection(ctx: DemoContext, row, cycle) -> None:
    who = "匿名异议（仅登记）" if row.anonymous else f"实名异议（{row.objector_name}）"
    ctx.log(
        "objection",
        row,
        f"{who}：{row.content[:100]}",
        at(row.received_on, 14),
        cycle_id=cycle.id,
        application_id=row.application_id,
    )


def resolution(ctx: DemoContext, row, cycle) -> None:
    ctx.log(
        "resolve_objection",
        row,
        f"处理异议 #{row.id}（{row.objector_name}）",
        at(row.resolved_on, 16),
        username=row.resolved_by,
        reason=row.resolution,
        cycle_id=cycle.id,
        application_id=row.application_id,
    )


def approval(ctx: DemoContext, row, cycle) -> None:
    ctx.log(
        "approval",
        row,
        f"市政府审批{cycle.name}表彰名单：{row.document_no}（{row.approved_on}）",
        at(row.approved_on, 17),
        username=row.recorded_by,
        reason=row.note,
        cycle_id=cycle.id,
    )
