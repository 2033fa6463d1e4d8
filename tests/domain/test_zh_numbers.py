"""Amounts in capital figures and dates in Chinese numerals, as the official documents write
them (issue 19: the decision's prize money M-20 and the revocation's recovered money M-26)."""

from datetime import date
from decimal import Decimal

import pytest

from app.domain.errors import InvalidInput
from app.domain.zh_numbers import arabic_date, chinese_date, rmb_upper


@pytest.mark.parametrize(
    "amount, words",
    [
        ("200000", "人民币贰拾万元整"),
        ("30000", "人民币叁万元整"),
        ("100000", "人民币壹拾万元整"),
        ("230000", "人民币贰拾叁万元整"),
        ("101000", "人民币壹拾万壹仟元整"),
        ("10010", "人民币壹万零壹拾元整"),
        ("1005.07", "人民币壹仟零伍元零柒分"),
        ("100000.50", "人民币壹拾万元伍角整"),
        ("0.5", "人民币伍角整"),
        ("0", "人民币零元整"),
        ("12345678.9", "人民币壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角整"),
        ("100000000", "人民币壹亿元整"),
    ],
)
def test_prize_money_is_written_in_capital_figures_m20(amount, words):
    assert rmb_upper(Decimal(amount)) == words


def test_a_negative_amount_has_no_capital_figures():
    with pytest.raises(InvalidInput):
        rmb_upper(Decimal("-1"))


def test_dates_in_chinese_numerals_and_the_standards_arabic_date():
    assert chinese_date(date(2025, 10, 9)) == "二〇二五年十月九日"
    assert chinese_date(date(2020, 12, 31)) == "二〇二〇年十二月三十一日"
    assert chinese_date(date(2024, 11, 20)) == "二〇二四年十一月二十日"
    # GB/T 9704-2012 7.3.5.1: the 成文日期 in Arabic numerals, no leading zeros
    assert arabic_date(date(2025, 1, 5)) == "2025年1月5日"
