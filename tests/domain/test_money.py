"""M-5, M-20: prize amounts, payments within the prize, the cycle's budget."""

from decimal import Decimal

import pytest

from app.domain.enums import Prize
from app.domain.errors import InvalidInput
from app.domain.money import (
    BudgetExceeded,
    PaymentExceedsPrize,
    PrizeAmounts,
    budget_summary,
    ensure_not_negative,
    ensure_payment_within_prize,
    ensure_within_budget,
    to_money,
)

D = Decimal


def test_the_prizes_default_to_200000_and_30000_yuan_m20():
    amounts = PrizeAmounts()
    assert amounts.for_prize(Prize.AWARD) == D("200000.00")
    assert amounts.for_prize(Prize.NOMINATION) == D("30000.00")


def test_money_is_kept_to_the_cent_rounding_half_up():
    assert to_money(D("1.005")) == D("1.01")
    assert to_money(3) == D("3.00")
    assert str(to_money("12.3")) == "12.30"


def test_a_negative_amount_is_refused_naming_the_field():
    with pytest.raises(InvalidInput, match="经费预算不能为负数"):
        ensure_not_negative(D("-1"), "经费预算")
    assert ensure_not_negative(D("0"), "经费预算") == D("0.00")


def test_paying_the_whole_prize_in_instalments_is_allowed_m20():
    assert ensure_payment_within_prize(D("50000"), D("200000"), D("150000")) == D("50000.00")


def test_a_payment_above_the_prize_is_refused_m20():
    with pytest.raises(PaymentExceedsPrize) as e:
        ensure_payment_within_prize(D("60000"), D("200000"), D("150000"))
    assert e.value.message == (
        "奖金为 200,000.00 元，已发放 150,000.00 元，本次 60,000.00 元，超出 10,000.00 元"
    )
    assert e.value.rule == "M-20"


def test_a_zero_or_negative_payment_is_refused():
    with pytest.raises(InvalidInput):
        ensure_payment_within_prize(D("0"), D("30000"))
    with pytest.raises(InvalidInput):
        ensure_payment_within_prize(D("-5"), D("30000"))


def test_the_budget_summary_nets_recovered_prize_money_m5():
    s = budget_summary(
        D("500000"),
        D("80000"),
        payments=[D("200000"), D("30000"), D("30000")],
        recoveries=[D("30000")],
    )
    assert s.prizes_paid == D("260000.00")
    assert s.recovered == D("30000.00")
    assert s.committed == D("310000.00")
    assert s.remaining == D("190000.00")


def test_a_budget_with_nothing_spent_remains_whole():
    s = budget_summary(D("100000"), D("0"))
    assert s.remaining == D("100000.00") and s.committed == D("0.00")


def test_spending_up_to_the_budget_is_allowed_and_beyond_it_is_refused_m5():
    s = budget_summary(D("300000"), D("70000"), payments=[D("200000")])
    ensure_within_budget(s, D("30000"))
    with pytest.raises(BudgetExceeded) as e:
        ensure_within_budget(s, D("30000.01"))
    assert e.value.message.endswith("超出 0.01 元")
    assert e.value.rule == "M-5"


def test_a_budget_already_overspent_is_reported():
    with pytest.raises(BudgetExceeded):
        ensure_within_budget(budget_summary(D("100000"), D("120000")))
