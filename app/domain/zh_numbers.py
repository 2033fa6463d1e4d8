"""Amounts in capital figures (人民币壹拾万元整) and dates in Chinese numerals, as documents write them."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.domain.errors import InvalidInput

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ["", "拾", "佰", "仟"]
_BIG_UNITS = ["", "万", "亿", "万亿"]
_DATE_DIGITS = "〇一二三四五六七八九"


def _four(n: int) -> str:
    """0 < n < 10000 in capital figures, zeros between digits collapsed to one 零."""
    out, zero = [], False
    for pos in range(3, -1, -1):
        d = (n // 10**pos) % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(_DIGITS[d] + _SMALL_UNITS[pos])
    return "".join(out)


def _integer(n: int) -> str:
    if n == 0:
        return "零"
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    if len(groups) > len(_BIG_UNITS):
        raise InvalidInput("金额过大，无法写成大写")
    out, zero = [], False
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            zero = bool(out)
            continue
        if out and (zero or g < 1000):
            out.append("零")
        zero = False
        out.append(_four(g) + _BIG_UNITS[i])
    return "".join(out)


def rmb_upper(amount: Decimal | int | str) -> str:
    """200000 -> 人民币贰拾万元整; 30000.5 -> 人民币叁万元伍角整; 100000 -> 人民币壹拾万元整.

    Written the way a finance office writes a sum on a voucher (the leading 拾 keeps its 壹)."""
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < 0:
        raise InvalidInput(f"金额不能为负数（{value}）")
    yuan = int(value)
    cents = int((value - yuan) * 100)
    jiao, fen = divmod(cents, 10)
    text = _integer(yuan)
    if text.startswith("拾"):
        text = "壹" + text
    out = "人民币"
    if yuan:
        out += text + "元"
    if jiao == 0 and fen == 0:
        return out + ("整" if yuan else "零元整")
    if jiao:
        out += _DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    if fen:
        out += _DIGITS[fen] + "分"
    else:
        out += "整"
    return out


def _small_number(n: int) -> str:
    """1..31 as in a date: 十, 十九, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DATE_DIGITS[ones]
    return ("" if tens == 1 else _DATE_DIGITS[tens]) + "十" + (_DATE_DIGITS[ones] if ones else "")


def chinese_date(d: date) -> str:
    """2025-10-09 -> 二〇二五年十月九日 (certificates and seals write dates this way)."""
    year = "".join(_DATE_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{_small_number(d.month)}月{_small_number(d.day)}日"


def arabic_date(d: date) -> str:
    """2025-10-09 -> 2025年10月9日: GB/T 9704-2012 7.3.5.1 writes the 成文日期 in Arabic
    numerals, the year in full, month and day without a leading zero."""
    return f"{d.year}年{d.month}月{d.day}日"
