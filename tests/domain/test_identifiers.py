"""Credit codes (GB 32100-2015), the M-11.1 domicile decision, and ID numbers (GB 11643-1999)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.enums import CheckStatus
from app.domain.errors import RuleViolation
from app.domain.identifiers import (
    CREDIT_CODE_CHARSET,
    InvalidCreditCode,
    InvalidIdNumber,
    credit_code_check_char,
    credit_code_division,
    domicile_status,
    make_credit_code,
    make_id_number,
    validate_credit_code,
    validate_id_number,
)

TODAY = date(2025, 6, 1)
YINING = make_credit_code("91654002MA78X2K1P")
KUITUN = make_credit_code("91654003MA78X2K1P")
URUMQI = make_credit_code("91650100MA78X2K1P")


def test_the_published_example_credit_code_is_valid():
    assert credit_code_check_char("91350100M000100Y4") == "3"
    assert validate_credit_code("91350100M000100Y43") == "91350100M000100Y43"


def test_a_credit_code_is_stripped_and_upper_cased():
    assert validate_credit_code(f"  {YINING.lower()} ") == YINING


def test_a_credit_code_typed_in_full_width_characters_is_accepted():
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in YINING)
    assert validate_credit_code(full_width) == YINING


def test_a_credit_code_of_the_wrong_length_names_the_length():
    with pytest.raises(InvalidCreditCode, match="应为 18 位，实际为 17 位") as raised:
        validate_credit_code(YINING[:17])
    assert raised.value.rule == "GB 32100-2015"
    assert isinstance(raised.value, RuleViolation)


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V", "-"])
def test_a_credit_code_with_a_forbidden_letter_names_the_position(letter):
    with pytest.raises(InvalidCreditCode, match=f"第 10 位“{letter}”为非法字符"):
        validate_credit_code(YINING[:9] + letter + YINING[10:])


def test_a_wrong_check_character_is_reported_without_revealing_the_right_one():
    wrong = "0" if YINING[17] != "0" else "1"
    with pytest.raises(InvalidCreditCode) as raised:
        validate_credit_code(YINING[:17] + wrong)
    assert raised.value.message == "统一社会信用代码校验位错误，请核对代码"


def test_the_division_code_is_characters_three_to_eight():
    assert credit_code_division(YINING) == "654002"
    assert credit_code_division(URUMQI) == "650100"


def test_a_code_registered_in_yining_city_passes_the_domicile_condition_m_11_1():
    assert domicile_status(YINING) == (CheckStatus.PASS, "登记机关行政区划代码 654002（伊宁市）")


def test_another_ili_prefecture_code_needs_judgement_on_the_registered_address_m_11_1():
    status, evidence = domicile_status(KUITUN)
    assert status is CheckStatus.JUDGEMENT
    assert "654003" in evidence and "需按注册地址判定" in evidence


def test_a_code_from_outside_the_prefecture_fails_without_evidence_m_11_1():
    status, evidence = domicile_status(URUMQI)
    assert status is CheckStatus.FAIL
    assert "650100" in evidence


@pytest.mark.parametrize("code", [URUMQI, KUITUN])
def test_domicile_evidence_recorded_by_the_office_passes_m_11_1(code):
    status, evidence = domicile_status(code, "营业执照住所：伊宁市解放路 1 号")
    assert status is CheckStatus.PASS
    assert "伊宁市解放路 1 号" in evidence


def test_blank_domicile_evidence_counts_as_none():
    assert domicile_status(URUMQI, "   ")[0] is CheckStatus.FAIL


def test_the_published_example_id_number_is_valid():
    info = validate_id_number("11010519491231002x", today=TODAY)
    assert info.number == "11010519491231002X"
    assert info.birth_date == date(1949, 12, 31)
    assert info.sex == "F"
    assert info.division == "110105"


def test_an_odd_seventeenth_digit_is_a_man():
    assert validate_id_number(make_id_number("65400219800101001"), today=TODAY).sex == "M"


def test_an_id_number_of_the_wrong_length_names_the_length():
    with pytest.raises(InvalidIdNumber, match="长度应为 18 位") as raised:
        validate_id_number("110105194912310", today=TODAY)
    assert raised.value.rule == "GB 11643-1999"


def test_an_id_number_with_a_letter_in_the_body_is_rejected():
    with pytest.raises(InvalidIdNumber, match="前 17 位应全部为数字"):
        validate_id_number("1101051949123100AX", today=TODAY)


@pytest.mark.parametrize("birth", ["19490230", "19491301", "18991231", "20250602"], ids=str)
def test_an_impossible_birth_date_is_rejected(birth):
    number = make_id_number(f"110105{birth}002")
    with pytest.raises(InvalidIdNumber, match="出生日期无效"):
        validate_id_number(number, today=TODAY)


def test_a_birth_date_of_today_is_accepted():
    number = make_id_number("11010520250601002")
    assert validate_id_number(number, today=TODAY).birth_date == TODAY


def test_a_wrong_check_digit_is_rejected():
    with pytest.raises(InvalidIdNumber, match="校验码错误"):
        validate_id_number("110105194912310021", today=TODAY)


credit_bodies = st.text(alphabet=CREDIT_CODE_CHARSET, min_size=17, max_size=17)


@given(body=credit_bodies)
def test_every_generated_credit_code_validates(body):
    code = make_credit_code(body)
    assert validate_credit_code(code) == code


@given(body=credit_bodies, position=st.integers(0, 17), data=st.data())
def test_any_single_character_change_to_a_credit_code_is_rejected(body, position, data):
    code = make_credit_code(body)
    replacement = data.draw(
        st.sampled_from(CREDIT_CODE_CHARSET + "IOZSV-").filter(lambda ch: ch != code[position])
    )
    with pytest.raises(InvalidCreditCode):
        validate_credit_code(code[:position] + replacement + code[position + 1 :])


id_bodies = st.builds(
    lambda division, born, serial: f"{division}{born:%Y%m%d}{serial:03d}",
    st.from_regex(r"[1-6][0-9]{5}", fullmatch=True),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.integers(0, 999),
)


@given(body=id_bodies)
def test_every_generated_id_number_validates(body):
    number = make_id_number(body)
    assert validate_id_number(number, today=TODAY).number == number


@given(body=id_bodies, position=st.integers(0, 17), data=st.data())
def test_any_single_character_change_to_an_id_number_is_rejected(body, position, data):
    number = make_id_number(body)
    replacement = data.draw(
        st.sampled_from("0123456789XA").filter(lambda ch: ch != number[position])
    )
    with pytest.raises(InvalidIdNumber):
        validate_id_number(number[:position] + replacement + number[position + 1 :], today=TODAY)
