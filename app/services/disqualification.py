"""Disqualifying an application at any stage before the announcement, and reinstating it
(M-3, M-13.3, M-13.4, M-19.1): it leaves every ranking, its reviewers' sheets stay on record."""

from datetime import date

from sqlalchemy import select

from app.domain import bans as ban_rules
from app.domain.enums import ApplicationStatus as S
from app.domain.enums import BanReason, Stage
from app.domain.errors import InvalidInput, RuleViolation
from app.extensions import db
from app.services import audit
from app.services.audit import current_username
from app.services.ranking import RANK_STAGES, apply_ranking
from app.services.transactions import atomic
from app.services.workflow import OUT, ids_of, lock_cycle, proposal_stored, set_status
from models import Application, Ban, Disqualification
from models.base import utcnow

FALSIFICATION = "falsification"
WITHDRAWAL = "withdrawal"
# The fixed list of grounds a clerk may choose from, in the order shown on the form.
GROUNDS = {
    FALSIFICATION: "评审中查实申报材料弄虚作假（M-19.1，当年不得补报）",
    "major_accident": "评审期间发生重大质量、设备、安全或环境事故（M-13.3）",
    "failed_sampling": "评审期间监督抽查不合格（M-13.3）",
    "penalty": "评审期间受到行政处罚（M-13.4）",
    "banned": "处于禁止申报期（M-19.1、M-28）",
    WITHDRAWAL: "申报单位（人）主动撤回申报（M-3 自愿参与）",
}
# An awarded application is revoked (M-26), not disqualified; a draft was never in the review;
# one returned as ineligible or falsified at the eligibility review is already out (M-19.1).
RETURNED_OUT = {S.RETURNED_INELIGIBLE, S.RETURNED_FALSIFIED}
NOT_DISQUALIFIABLE = {S.DRAFT, S.AWARDED, *OUT, *RETURNED_OUT}


def why_not_disqualifiable(status: str) -> tuple[str, str] | None:
    """Why an application in `status` cannot be disqualified, and the rule (None when it can)."""
    status = S(status)
    if status in RETURNED_OUT:
        return f"已在资格审查中退回（{status.label}），不在评审中，无需取消资格", "M-19.1"
    if status in NOT_DISQUALIFIABLE:
        return f"状态为「{status.label}」，不能取消资格", "M-3"
    return None


def unavailable_actions(status: str) -> dict[str, str]:
    """The application's disqualification buttons that its status does not allow, each with
    the reason and rule shown on the disabled button: 取消资格 only while it can be (M-3,
    M-19.1), 恢复资格 only for a disqualified one (M-3)."""
    out = {}
    why = why_not_disqualifiable(status)
    if why is not None:
        out["disqualify"] = f"{why[0]}（{why[1]}）"
    if S(status) is not S.DISQUALIFIED:
        out["reinstate"] = "只有已取消资格的申报才能恢复资格（M-3）"
    return out


class DisqualificationRefused(RuleViolation):
    rule = "M-3"
    default_message = "不能取消该申报的资格"


def ground_label(code: str | None) -> str:
    return GROUNDS.get(code or "", code or "")


def _load(application_ids) -> list[Application]:
    ids = ids_of(application_ids)
    if not ids:
        raise InvalidInput("请选择申报")
    apps = list(
        db.session.scalars(
            select(Application).where(Application.id.in_(sorted(ids))).order_by(Application.number)
        )
    )
    if len(apps) != len(ids):
        raise InvalidInput("所选申报不存在")
    return apps


def _ensure_before_announcement(app: Application) -> None:
    stage = Stage(app.cycle.stage)
    if stage.order >= Stage.ANNOUNCED.order:
        raise DisqualificationRefused(
            f"{app.cycle.name}已处于「{stage.label}」阶段，公布表彰后不能再取消或恢复资格"
            "（获奖后按 M-26 撤销）",
            rule="M-17",
        )


def _rerank(cycle_ids: set[int], why: str) -> None:
    """The next in rank moves up while the proposal can still change (M-19.5)."""
    for cycle_id in sorted(cycle_ids):
        cycle = lock_cycle(cycle_id)
        if Stage(cycle.stage) in RANK_STAGES and proposal_stored(cycle.id):
            apply_ranking(cycle, why)


def _active(app: Application) -> Disqualification | None:
    return db.session.scalar(
        select(Disqualification).where(
            Disqualification.application_id == app.id, Disqualification.active.is_(True)
        )
    )


@atomic
def disqualify(application_ids, ground: str, evidence: str, today: date | None = None):
    """Take applications out of the review with a ground from GROUNDS and its evidence."""
    today = today or date.today()
    evidence = (evidence or "").strip()
    if ground not in GROUNDS:
        message = "请从列表中选择取消资格的理由类别"
        raise InvalidInput(message, fields={"ground": message})
    if not evidence:
        message = "取消资格须填写事实依据和证据（M-3）"
        raise DisqualificationRefused(message, fields={"evidence": message})
    apps, rows = _load(application_ids), []
    for app in apps:
        _ensure_before_announcement(app)
        status = S(app.status)
        why = why_not_disqualifiable(status)
        if why is not None:
            raise DisqualificationRefused(f"{app.number} {app.applicant_name}{why[0]}", rule=why[1])
        row = Disqualification(
            application_id=app.id,
            ground=ground,
            evidence=evidence,
            previous_status=status.value,
            decided_by=current_username(),
            decided_at=utcnow(),
            active=True,
        )
        db.session.add(row)
        db.session.flush()
        new = S.WITHDRAWN if ground == WITHDRAWAL else S.DISQUALIFIED
        set_status(app, new, "disqualify", f"{ground_label(ground)}：{evidence}", ground=ground)
        if ground == FALSIFICATION:
            _ban(app, today, evidence)
        rows.append(row)
    _rerank({a.cycle_id for a in apps}, "取消资格后重新排名，后续名次依次递补")
    return rows


def _ban(app: Application, today: date, evidence: str) -> None:
    ban = ban_rules.ban_for_falsification(today, app.cycle.year)  # M-19.1: that cycle only
    row = Ban(
        organization_id=app.organization_id,
        individual_id=app.individual_id,
        reason=BanReason.FALSIFIED.value,
        starts_on=ban.starts_on,
        ends_on=ban.ends_on,
        application_id=app.id,
        note=f"{app.number} 评审中查实弄虚作假：{evidence}",
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        "ban",
        row,
        f"{app.applicant_name}{ban.describe()}",
        reason=evidence,
        cycle_id=app.cycle_id,
        application_id=app.id,
    )


@atomic
def reinstate(application_ids, reason: str) -> list[Application]:
    """Undo a disqualification with a reason; the application returns to its former standing."""
    reason = (reason or "").strip()
    if not reason:
        message = "恢复资格须填写理由（M-3）"
        raise DisqualificationRefused(message, fields={"reason": message})
    apps = _load(application_ids)
    for app in apps:
        _ensure_before_announcement(app)
        row = _active(app)
        if row is None:
            raise DisqualificationRefused(
                f"{app.number} {app.applicant_name}未被取消资格，无需恢复"
            )
        row.active = False
        row.reinstated_at = utcnow()
        row.reinstated_by = current_username()
        row.reinstate_reason = reason
        if row.ground == FALSIFICATION:
            for ban in db.session.scalars(
                select(Ban).where(
                    Ban.application_id == app.id, Ban.reason == BanReason.FALSIFIED.value
                )
            ):
                audit.record(
                    "lift_ban",
                    ban,
                    f"撤销对{app.applicant_name}的禁止申报（{ban.starts_on} 至 {ban.ends_on}）",
                    reason=reason,
                    cycle_id=app.cycle_id,
                    application_id=app.id,
                )
                db.session.delete(ban)
        set_status(app, S(row.previous_status), "reinstate", reason, ground=row.ground)
    db.session.flush()
    _rerank({a.cycle_id for a in apps}, "恢复资格后重新排名")
    return apps
