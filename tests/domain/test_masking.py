"""Personal information shown masked (PIPL, GB/T 35273-2020 §3.14 去标识化 display)."""

from app.domain.masking import mask_address, mask_id_number, mask_phone


def test_an_id_number_keeps_its_division_and_last_four_characters():
    assert mask_id_number("11010519491231002X") == "110105********002X"


def test_a_mobile_number_keeps_its_first_three_and_last_four_digits():
    assert mask_phone("13812345678") == "138****5678"


def test_a_landline_keeps_its_area_code_and_last_four_digits():
    assert mask_phone("0999-8023561") == "0999-***3561"


def test_a_short_or_odd_value_reveals_no_more_than_two_characters():
    assert mask_phone("12345") == "***45"
    assert mask_id_number("ABC") == "***"


def test_an_address_keeps_only_its_district():
    assert mask_address("新疆伊宁市解放路 12 号 3 单元 401 室") == "新疆伊宁市解********"


def test_empty_values_stay_empty():
    assert mask_id_number(None) is None
    assert mask_phone("") == ""
    assert mask_address(None) is None
