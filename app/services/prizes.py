"""Awards with certificate numbers (M-19.8), prize payments (M-20) and the cycle's budget (M-5)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from app.domain import money
from app.domain import quotas as quota_rules
from app.domain.enums import ApplicationStatus as S
from app.domain.enums import Prize, Stage
from app.domain.errors import InvalidInput, RuleViolation
from app.domain.stages import ensure_stage
from app.extensions import db
from app.services import audit
from app.services.ranking import quotas_of
from app.services.transactions import atomic
from app.services.workflow import lock_cycle, set_status, values
from models import (
    Application,
    Award,
    AwardCycle,
    GovernmentApproval,
    PrizePayment,
    Recovery,
    RevocationCase,
)

AWARD_STAGES = {Stage.APPROVAL, Stage.ANNOUNCED}
CERTIFICATE_WORD = {Prize.AWARD: "奖", Prize.NOMINATION: "提"}


class AwardRefused(RuleViolation):
    rule = "M-19.8"
    default_message = "不能颁发该奖项"


def prize_amount(cycle: AwardCycle, prize: Prize) -> Decimal:
    """M-20: the cycle's amounts (200,000 and 30,000 yuan by default)."""
    return money.PrizeAmounts(cycle.award_amount, cycle.nomination_amount).for_prize(prize)


def certificate_no(year: int, prize: Prize, n: int) -> str:
    return f"伊政质{CERTIFICATE_WORD[prize]}〔{year}〕{n:03d}号"


@atomic
def create_awards(cycle_id, awarded_on: date | None = None) -> list[Award]:
    """M-19.8: after the city's approval, one award per approved candidate, within the quotas."""
    cycle = lock_cycle(cycle_id)
    ensure_stage(Stage(cycle.stage), AWARD_STAGES, "颁发奖项")
    approval = db.session.scalar(
        select(GovernmentApproval).where(GovernmentApproval.cycle_id == cycle.id)
    )
    if approval is None:
        raise AwardRefused("市政府尚未批准表彰名单，不能颁发奖项", rule="M-19.7")
    awarded_on = awarded_on or date.today()
    if awarded_on < approval.approved_on:
        raise AwardRefused(f"颁奖日期不能早于市政府批准日期（{approval.approved_on}）")
    winners = list(
        db.session.scalars(
            select(Application)
            .where(Application.cycle_id == cycle.id, Application.status == S.PROPOSED.value)
            .order_by(Application.prize, Application.number)
        )
    )
    if not winners:
        raise AwardRefused("没有待颁发的拟表彰对象")
    existing = dict(
        db.session.execute(
            select(Award.prize, func.count(Award.id))
            .where(Award.cycle_id == cycle.id)
            .group_by(Award.prize)
        ).all()
    )
    quotas = quotas_of(cycle)
    for prize in Prize:
        new = sum(1 for w in winners if w.prize == prize.value)
        quota_rules.ensure_within_quota(prize, quotas[prize], existing.get(prize.value, 0) + new)
    awards, issued = [], {p: existing.get(p.value, 0) for p in Prize}
    for app in winners:
        prize = Prize(app.prize)
        issued[prize] += 1
        award = Award(
            application_id=app.id,
            cycle_id=cycle.id,
            prize=prize.value,
            certificate_no=certificate_no(cycle.year, prize, issued[prize]),
            awarded_on=awarded_on,
            amount=prize_amount(cycle, prize),
        )
        db.session.add(award)
        db.session.flush()
        set_status(app, S.AWARDED, "award", f"{approval.document_no} 批准表彰")
        audit.record(
            "create_award",
            award,
            f"{award.certificate_no} {app.applicant_name} {prize.label}，奖金 {money.yuan(award.amount)}",
            cycle_id=cycle.id,
            application_id=app.id,
        )
        awards.append(award)
    left = select(Application).where(
        Application.cycle_id == cycle.id,
        Application.status.in_(values({S.FINALIST, S.PROPOSED})),
    )
    for app in db.session.scalars(left):
        set_status(app, S.NOT_AWARDED, "not_awarded", "表彰名单已批准，未列入")
    return awards


def _paid(award_id, excluding=None) -> Decimal:
    stmt = select(func.coalesce(func.sum(PrizePayment.amount), 0)).where(
        PrizePayment.award_id == award_id
    )
    if excluding:
        stmt = stmt.where(PrizePayment.id != excluding)
    return money.to_money(db.session.scalar(stmt) or 0)


def _cycle_payments(cycle_id, excluding=None) -> list[Decimal]:
    stmt = (
        select(PrizePayment.amount)
        .join(Award, Award.id == PrizePayment.award_id)
        .where(Award.cycle_id == cycle_id)
    )
    if excluding:
        stmt = stmt.where(PrizePayment.id != excluding)
    return list(db.session.scalars(stmt))


def _recoveries(cycle_id) -> list[Decimal]:
    return list(
        db.session.scalars(
            select(Recovery.amount)
            .join(RevocationCase, RevocationCase.id == Recovery.revocation_case_id)
            .join(Award, Award.id == RevocationCase.award_id)
            .where(Award.cycle_id == cycle_id, Recovery.recovered.is_(True))
        )
    )


def budget_of(cycle: AwardCycle, excluding_payment=None) -> money.BudgetSummary:
    """M-5: budget, agency fee, prizes paid, money recovered and what remains."""
    return money.budget_summary(
        cycle.budget,
        cycle.agency_fee,
        _cycle_payments(cycle.id, excluding_payment),
        _recoveries(cycle.id),
    )


def validate_payment(item: PrizePayment, adding: bool) -> None:
    """M-20: at most the prize over all payments; M-5: within the cycle's budget."""
    award = item.award or (db.session.get(Award, item.award_id) if item.award_id else None)
    if award is None:
        raise InvalidInput("请选择获奖记录")
    if award.revoked:
        raise AwardRefused(f"{award.certificate_no} 已撤销，不能发放奖金", rule="M-26")
    cycle = award.cycle
    ensure_stage(Stage(cycle.stage), Stage.ANNOUNCED, "发放奖金")
    if item.amount is None:
        raise InvalidInput("请填写发放金额")
    own = item.id if not adding else None
    amount = money.ensure_payment_within_prize(item.amount, award.amount, _paid(award.id, own))
    money.ensure_within_budget(budget_of(cycle, own), amount)


def apply_payment(item: PrizePayment, adding: bool) -> None:
    """The checked payment's amount as counted, then its audit entry."""
    award = item.award or db.session.get(Award, item.award_id)
    cycle = award.cycle
    own = item.id if not adding else None
    item.amount = money.ensure_payment_within_prize(item.amount, award.amount, _paid(award.id, own))
    db.session.add(item)
    db.session.flush()
    audit.record(
        "prize_payment",
        item,
        f"{award.certificate_no} 发放奖金 {money.yuan(item.amount)}",
        cycle_id=cycle.id,
        application_id=award.application_id,
    )


@dataclass(frozen=True)
class AwardMoney:
    award: Award
    paid: Decimal
    outstanding: Decimal


def award_money(cycle_id) -> list[AwardMoney]:
    awards = db.session.scalars(
        select(Award).where(Award.cycle_id == cycle_id).order_by(Award.prize, Award.certificate_no)
    )
    lines = []
    for award in awards:
        paid = _paid(award.id)
        outstanding = Decimal("0.00") if award.revoked else max(award.amount - paid, Decimal(0))
        lines.append(AwardMoney(award, paid, money.to_money(outstanding)))
    return lines
