"""M-5, M-20: prize amounts, prize payments and the cycle's ring-fenced budget, in yuan."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.domain.enums import Prize
from app.domain.errors import InvalidInput, RuleViolation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class PaymentExceedsPrize(RuleViolation):
    rule = "M-20"
    default_message = "发放金额超过奖金标准"


class BudgetExceeded(RuleViolation):
    rule = "M-5"
    default_message = "超出本届评定经费预算"


def to_money(amount: Decimal | int | str) -> Decimal:
    """Yuan with 2 decimal places, half up."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def yuan(amount: Decimal) -> str:
    """200000 -> "200,000.00 元"."""
    return f"{to_money(amount):,.2f} 元"


def ensure_not_negative(amount: Decimal, label: str) -> Decimal:
    """The amount as money, refusing a negative one."""
    value = to_money(amount)
    if value < 0:
        raise InvalidInput(f"{label}不能为负数（{yuan(value)}）")
    return value


@dataclass(frozen=True)
class PrizeAmounts:
    """M-20 defaults; a cycle may set its own."""

    award: Decimal = Decimal("200000.00")
    nomination: Decimal = Decimal("30000.00")

    def for_prize(self, prize: Prize) -> Decimal:
        return self.award if prize is Prize.AWARD else self.nomination


def ensure_payment_within_prize(
    amount: Decimal, prize_amount: Decimal, already_paid: Decimal = ZERO
) -> Decimal:
    """A winner is paid at most its prize, over all payments together (M-20)."""
    amount = ensure_not_negative(amount, "发放金额")
    if amount == 0:
        raise InvalidInput("发放金额应大于 0")
    prize_amount = ensure_not_negative(prize_amount, "奖金标准")
    already_paid = ensure_not_negative(already_paid, "已发放金额")
    excess = already_paid + amount - prize_amount
    if excess > 0:
        raise PaymentExceedsPrize(
            f"奖金为 {yuan(prize_amount)}，已发放 {yuan(already_paid)}，"
            f"本次 {yuan(amount)}，超出 {yuan(excess)}"
        )
    return amount


@dataclass(frozen=True)
class BudgetSummary:
    budget: Decimal
    agency_fee: Decimal
    prizes_paid: Decimal
    recovered: Decimal
    committed: Decimal
    remaining: Decimal


def budget_summary(
    budget: Decimal,
    agency_fee: Decimal,
    payments: Iterable[Decimal] = (),
    recoveries: Iterable[Decimal] = (),
) -> BudgetSummary:
    """Totals of the cycle's funds (M-5).

    Prize money recovered after a revocation (M-26) returns to the fund, so it is taken off
    what is committed.
    """
    budget = ensure_not_negative(budget, "经费预算")
    agency_fee = ensure_not_negative(agency_fee, "第三方机构费用")
    paid = sum((ensure_not_negative(p, "奖金发放金额") for p in payments), ZERO)
    recovered = sum((ensure_not_negative(r, "追回奖金") for r in recoveries), ZERO)
    committed = agency_fee + paid - recovered
    return BudgetSummary(
        budget=budget,
        agency_fee=agency_fee,
        prizes_paid=paid,
        recovered=recovered,
        committed=committed,
        remaining=budget - committed,
    )


def ensure_within_budget(summary: BudgetSummary, additional: Decimal = ZERO) -> None:
    """Refuse a fee or payment that would take the cycle past its budget (M-5)."""
    additional = ensure_not_negative(additional, "本次支出")
    excess = summary.committed + additional - summary.budget
    if excess > 0:
        raise BudgetExceeded(
            f"经费预算 {yuan(summary.budget)}，已支出 {yuan(summary.committed)}，"
            f"本次 {yuan(additional)}，超出 {yuan(excess)}"
        )
