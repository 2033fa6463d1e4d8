"""Unified social credit codes (GB 32100-2015) and resident ID numbers (GB 11643-1999)."""

import unicodedata
from dataclasses import dataclass
from datetime import date

from app.domain.enums import CheckStatus
from app.domain.errors import RuleViolation

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ID_NUMBER_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_NUMBER_CHECK_CHARS = "10X98765432"

YINING_CITY_DIVISION = "654002"
ILI_PREFECTURE_PREFIX = "6540"
EARLIEST_BIRTH_DATE = date(1900, 1, 1)


class InvalidCreditCode(RuleViolation):
    rule = "GB 32100-2015"
    default_message = "统一社会信用代码无效"


class InvalidIdNumber(RuleViolation):
    rule = "GB 11643-1999"
    default_message = "公民身份号码无效"


def _normalize(value: str) -> str:
    # NFKC folds full-width digits and letters typed with a Chinese input method.
    return unicodedata.normalize("NFKC", value or "").strip().upper()


def _credit_code_sum(first17: str) -> int:
    return sum(
        CREDIT_CODE_CHARSET.index(ch) * w
        for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )


def credit_code_check_char(first17: str) -> str:
    """The 18th (check) character for the first 17 characters of a credit code."""
    body = _normalize(first17)
    if len(body) != 17:
        raise InvalidCreditCode(f"计算校验位需要前 17 位，实际为 {len(body)} 位")
    _ensure_credit_charset(body)
    return CREDIT_CODE_CHARSET[(31 - _credit_code_sum(body) % 31) % 31]


def make_credit_code(first17: str) -> str:
    """A valid 18-character credit code made from its first 17 characters (seeding, tests)."""
    body = _normalize(first17)
    return body + credit_code_check_char(body)


def _ensure_credit_charset(code: str) -> None:
    for position, ch in enumerate(code, start=1):
        if ch not in CREDIT_CODE_CHARSET:
            raise InvalidCreditCode(
                f"统一社会信用代码第 {position} 位“{ch}”为非法字符"
                "（只允许数字和除 I、O、Z、S、V 外的大写字母）"
            )


def validate_credit_code(code: str) -> str:
    """The normalized code (stripped, upper-case), or `InvalidCreditCode` naming the problem."""
    normalized = _normalize(code)
    if len(normalized) != 18:
        raise InvalidCreditCode(f"统一社会信用代码应为 18 位，实际为 {len(normalized)} 位")
    _ensure_credit_charset(normalized)
    if credit_code_check_char(normalized[:17]) != normalized[17]:
        # The expected character is not revealed: it would let a typo be "fixed" blindly.
        raise InvalidCreditCode("统一社会信用代码校验位错误，请核对代码")
    return normalized


def credit_code_division(code: str) -> str:
    """Characters 3 to 8: the administrative-division code of the registration authority."""
    return validate_credit_code(code)[2:8]


def domicile_status(code: str, domicile_evidence: str | None = None) -> tuple[CheckStatus, str]:
    """M-11.1 domicile, per the RULES.md decision on the credit code's division code."""
    division = credit_code_division(code)
    if division == YINING_CITY_DIVISION:
        return CheckStatus.PASS, f"登记机关行政区划代码 {division}（伊宁市）"
    evidence = (domicile_evidence or "").strip()
    if evidence:
        return (
            CheckStatus.PASS,
            f"登记机关行政区划代码 {division}，市质评办已记录住所证明：{evidence}",
        )
    if division.startswith(ILI_PREFECTURE_PREFIX):
        return (
            CheckStatus.JUDGEMENT,
            f"登记机关行政区划代码 {division}（伊犁哈萨克自治州），"
            "州级登记机关登记，需按注册地址判定",
        )
    return (
        CheckStatus.FAIL,
        f"登记机关行政区划代码 {division} 不属伊宁市，且市质评办未记录住所在伊宁市的证明",
    )


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: date
    sex: str  # 'M' or 'F', from the parity of the 17th digit
    division: str


def id_number_check_char(first17: str) -> str:
    """The 18th (check) character for the first 17 digits of a resident ID number."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise InvalidIdNumber("计算校验码需要前 17 位数字")
    total = sum(int(ch) * w for ch, w in zip(first17, ID_NUMBER_WEIGHTS, strict=True))
    return ID_NUMBER_CHECK_CHARS[total % 11]


def make_id_number(first17: str) -> str:
    """A valid 18-character ID number made from its first 17 digits (seeding, tests)."""
    body = _normalize(first17)
    return body + id_number_check_char(body)


def validate_id_number(number: str, today: date | None = None) -> IdInfo:
    """The parsed ID number, or `InvalidIdNumber` naming the problem."""
    normalized = _normalize(number)
    if len(normalized) != 18:
        raise InvalidIdNumber(f"公民身份号码长度应为 18 位，实际为 {len(normalized)} 位")
    body, check = normalized[:17], normalized[17]
    if not (body.isascii() and body.isdigit()):
        raise InvalidIdNumber("公民身份号码前 17 位应全部为数字")
    if check not in "0123456789X":
        raise InvalidIdNumber("公民身份号码第 18 位应为数字或 X")
    birth_date = _birth_date(body[6:14], today or date.today())
    if id_number_check_char(body) != check:
        raise InvalidIdNumber("公民身份号码校验码错误，请核对号码")
    sex = "M" if int(body[16]) % 2 == 1 else "F"
    return IdInfo(number=normalized, birth_date=birth_date, sex=sex, division=body[:6])


def _birth_date(digits: str, today: date) -> date:
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise InvalidIdNumber(f"公民身份号码中的出生日期无效：{digits} 不是有效日期") from None
    if born > today:
        raise InvalidIdNumber(f"公民身份号码中的出生日期无效：{born.isoformat()} 晚于今天")
    if born < EARLIEST_BIRTH_DATE:
        raise InvalidIdNumber(f"公民身份号码中的出生日期无效：{born.isoformat()} 早于 1900 年")
    return born
