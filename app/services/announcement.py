"""The public notice and its objections (M-8.5, M-19.6) and the city's approval (M-19.7)."""

from datetime import date

from sqlalchemy import inspect, select

from app.domain import notice as notice_rules
from app.domain.enums import ApplicationStatus as S
from app.domain.enums import ObjectionStatus, Stage
from app.domain.errors import InvalidInput, RuleViolation
from app.domain.stages import ensure_stage, zh_date
from app.extensions import db
from app.services import audit
from app.services.audit import current_username
from app.services.ranking import ensure_quotas
from app.services.transactions import atomic
from app.services.workflow import notice_of, open_objections
from models import (
    Application,
    AwardCycle,
    GovernmentApproval,
    NoticeHoliday,
    Objection,
    PublicNotice,
)
from models.base import utcnow


class NoticeRefused(RuleViolation):
    rule = "M-19.6"
    default_message = "公示不符合要求"


class ObjectionRefused(RuleViolation):
    rule = "M-19.6"
    default_message = "不能登记或处理该异议"


class ApprovalRefused(RuleViolation):
    rule = "M-19.7"
    default_message = "尚不能报送市政府审批"


def holidays() -> set[date]:
    return set(db.session.scalars(select(NoticeHoliday.day)))


def _cycle(item) -> AwardCycle:
    cycle = item.cycle or (db.session.get(AwardCycle, item.cycle_id) if item.cycle_id else None)
    if cycle is None:
        raise InvalidInput("请选择评定年度")
    return cycle


def candidates(cycle_id) -> list[Application]:
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.cycle_id == cycle_id, Application.status == S.PROPOSED.value)
            .order_by(Application.prize, Application.number)
        )
    )


def _notice_end(item: PublicNotice, cycle: AwardCycle) -> tuple[bool, date | None, set[date]]:
    working_days = bool(item.working_days) or cycle.notice_working_days
    days_off = holidays() if working_days else set()
    ends_on = item.ends_on
    if ends_on is None and item.starts_on is not None:
        ends_on = notice_rules.notice_end(item.starts_on, cycle.notice_days, working_days, days_off)
    return working_days, ends_on, days_off


def validate_notice(item: PublicNotice, adding: bool) -> None:
    """M-19.6: a period of at least the cycle's minimum (calendar or working days). Only
    reads; `apply_notice` fills the derived end date and writes the audit entry."""
    cycle = _cycle(item)
    if adding:
        ensure_stage(Stage(cycle.stage), {Stage.COMMITTEE_VOTE, Stage.PUBLIC_NOTICE}, "拟定公示")
    elif item.published_at is not None:
        state = inspect(item)
        if any(state.attrs[a].history.has_changes() for a in ("starts_on", "ends_on", "cycle_id")):
            raise NoticeRefused("公示已发布，不能再修改公示期")
    if item.starts_on is None:
        raise InvalidInput("请填写公示开始日期")
    working_days, ends_on, days_off = _notice_end(item, cycle)
    notice_rules.ensure_notice_length(
        item.starts_on, ends_on, cycle.notice_days, working_days, days_off
    )


def apply_notice(item: PublicNotice, adding: bool) -> None:
    """The checked notice's derived fields, then its audit entry (same transaction)."""
    cycle = _cycle(item)
    item.working_days, item.ends_on, _off = _notice_end(item, cycle)
    db.session.add(item)
    db.session.flush()
    audit.record(
        "notice",
        item,
        f"{cycle.name}公示期 {zh_date(item.starts_on)} 至 {zh_date(item.ends_on)}",
        cycle_id=cycle.id,
    )


@atomic
def publish_notice(notice_id, today: date | None = None) -> PublicNotice:
    """Publish the candidate list (M-8.5): the public page shows it from now on."""
    today = today or date.today()
    notice = db.session.get(PublicNotice, notice_id)
    if notice is None:
        raise InvalidInput("公示不存在")
    cycle = notice.cycle
    ensure_stage(Stage(cycle.stage), Stage.PUBLIC_NOTICE, "发布公示")
    if notice.published_at is not None:
        raise NoticeRefused(f"该公示已于 {notice.published_at:%Y-%m-%d %H:%M} 发布")
    if notice.starts_on < today:
        raise NoticeRefused(
            f"公示开始日期{zh_date(notice.starts_on)}已过，发布后公示期将不足，请重新确定公示期"
        )
    names = "、".join(a.applicant_name for a in candidates(cycle.id))
    if not (notice.body or "").strip():
        notice.body = f"拟表彰对象：{names or '无'}。现予公示。"
    notice.published_at = utcnow()
    audit.record(
        "publish_notice",
        notice,
        f"发布{cycle.name}拟表彰对象公示（{zh_date(notice.starts_on)} 至 {zh_date(notice.ends_on)}）："
        f"{names or '无'}",
        cycle_id=cycle.id,
    )
    return notice


def _notice_of(item: Objection) -> PublicNotice:
    notice = item.notice or (
        db.session.get(PublicNotice, item.notice_id) if item.notice_id else None
    )
    if notice is None:
        raise InvalidInput("请选择公示")
    return notice


def validate_objection(item: Objection, adding: bool) -> None:
    """Named objections are investigated; anonymous ones only logged (M-19.6 decision). Only
    reads; `apply_objection` sets the status and writes the audit entry."""
    notice = _notice_of(item)
    if not adding:
        if (
            item.status == ObjectionStatus.LOGGED_ANONYMOUS.value
            and (item.resolution or "").strip()
        ):
            raise ObjectionRefused("匿名异议仅作登记，不予调查处理")
        return
    if notice.published_at is None:
        raise ObjectionRefused("公示尚未发布，不能登记异议")
    received = item.received_on
    if received is None:
        raise InvalidInput("请填写收到异议的日期")
    if not notice.starts_on <= received <= notice.ends_on:
        raise ObjectionRefused(
            f"公示期为{zh_date(notice.starts_on)}至{zh_date(notice.ends_on)}，"
            f"{zh_date(received)}收到的异议不在公示期内"
        )
    app = item.application or (
        db.session.get(Application, item.application_id) if item.application_id else None
    )
    if app is not None and app.cycle_id != notice.cycle_id:
        raise ObjectionRefused(f"{app.number} 不是该公示所属年度的申报")
    if not (item.content or "").strip():
        raise InvalidInput("请填写异议内容")


def apply_objection(item: Objection, adding: bool) -> None:
    """The checked objection's status (named or anonymous), then its audit entry."""
    notice = _notice_of(item)
    if not adding:
        audit.record(
            "objection_note",
            item,
            f"异议 #{item.id} 处理意见：{item.resolution or ''}",
            cycle_id=notice.cycle_id,
            application_id=item.application_id,
        )
        return
    status = notice_rules.ensure_objection_identity(item.objector_name, item.objector_contact)
    item.status = status.value
    item.anonymous = status is ObjectionStatus.LOGGED_ANONYMOUS
    db.session.add(item)
    db.session.flush()
    audit.record(
        "objection",
        item,
        ("匿名异议（仅登记）" if item.anonymous else f"实名异议（{item.objector_name}）")
        + f"：{item.content[:100]}",
        cycle_id=notice.cycle_id,
        application_id=item.application_id,
    )


@atomic
def resolve_objection(
    objection_id, resolution: str | None = None, today: date | None = None
) -> Objection:
    """M-19.6: a named objection is resolved with a note before the list goes for approval."""
    obj = db.session.get(Objection, objection_id)
    if obj is None:
        raise InvalidInput("异议不存在")
    status = ObjectionStatus(obj.status)
    if status is ObjectionStatus.LOGGED_ANONYMOUS:
        raise ObjectionRefused("匿名异议仅作登记，不予调查处理")
    if status is ObjectionStatus.RESOLVED:
        raise ObjectionRefused(f"该异议已于{zh_date(obj.resolved_on)}处理完毕")
    note = (resolution or "").strip() or (obj.resolution or "").strip()
    if not note:
        raise ObjectionRefused("处理异议须填写调查核实情况和处理结果（请先在编辑页填写）")
    obj.resolution = note
    obj.status = ObjectionStatus.RESOLVED.value
    obj.resolved_by = current_username()
    obj.resolved_on = obj.resolved_on or today or date.today()
    audit.record(
        "resolve_objection",
        obj,
        f"处理异议 #{obj.id}（{obj.objector_name}）",
        reason=note,
        cycle_id=obj.notice.cycle_id,
        application_id=obj.application_id,
    )
    return obj


def validate_approval(item: GovernmentApproval, adding: bool, today: date | None = None) -> None:
    """M-19.7: only the list that passed the notice, with no open objection, within the quotas."""
    today = today or date.today()
    cycle = _cycle(item)
    if not (item.document_no or "").strip():
        raise InvalidInput("请填写市政府审批文号")
    if adding:
        ensure_stage(Stage(cycle.stage), Stage.APPROVAL, "录入市政府审批结果")
        notice = notice_of(cycle.id)
        if notice is None or notice.published_at is None:
            raise ApprovalRefused("拟表彰对象尚未公示，不能报送审批（M-19.6）")
        if not notice_rules.notice_ended(notice.ends_on, today):
            raise ApprovalRefused(
                f"公示期至{zh_date(notice.ends_on)}结束，公示期结束前不能报送审批", rule="M-19.6"
            )
        if item.approved_on and item.approved_on <= notice.ends_on:
            raise ApprovalRefused(
                f"审批日期{zh_date(item.approved_on)}不能早于公示期结束（{zh_date(notice.ends_on)}）"
            )
        notice_rules.ensure_no_open_objections(open_objections(cycle.id))
        ensure_quotas(cycle)


def apply_approval(item: GovernmentApproval, adding: bool) -> None:
    """Who recorded the checked approval, then its audit entry (with the note as reason)."""
    cycle = _cycle(item)
    item.recorded_by = current_username()
    db.session.add(item)
    db.session.flush()
    audit.record(
        "approval",
        item,
        f"市政府审批{cycle.name}表彰名单：{item.document_no}（{item.approved_on}）",
        reason=item.note,
        cycle_id=cycle.id,
    )
