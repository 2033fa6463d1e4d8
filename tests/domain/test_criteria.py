"""Criteria versions: GB/T 19580-2012 loads, inconsistent versions are refused, staleness (M-16)."""

import copy
from datetime import date
from decimal import Decimal

import pytest

from app.domain.criteria import (
    CriteriaInconsistent,
    UnknownCriteriaItem,
    load_criteria,
    version_is_stale,
)

# GB/T 19580-2012 as in gbt19580-2012.json: (category, name, kind, [(item, points)]).
GBT_2012 = [
    ("4.1", "领导", "process", [("4.1.2", 50), ("4.1.3", 30), ("4.1.4", 30)]),
    ("4.2", "战略", "process", [("4.2.2", 40), ("4.2.3", 50)]),
    ("4.3", "顾客与市场", "process", [("4.3.2", 40), ("4.3.3", 50)]),
    (
        "4.4",
        "资源",
        "process",
        [("4.4.2", 40), ("4.4.3", 15), ("4.4.4", 20), ("4.4.5", 20), ("4.4.6", 20), ("4.4.7", 15)],
    ),
    ("4.5", "过程管理", "process", [("4.5.2", 50), ("4.5.3", 50)]),
    ("4.6", "测量、分析与改进", "process", [("4.6.2", 40), ("4.6.3", 40)]),
    (
        "4.7",
        "结果",
        "results",
        [("4.7.2", 80), ("4.7.3", 80), ("4.7.4", 80), ("4.7.5", 60), ("4.7.6", 50), ("4.7.7", 50)],
    ),
]


def gbt_2012_data() -> dict:
    """The JSON structure of gbt19580-2012.json (kind under the key ``type``, as there)."""
    return {
        "standard": "GB/T 19580-2012",
        "total_points": 1000,
        "categories": [
            {
                "code": code,
                "name_zh": name,
                "name_en": "",
                "points": sum(p for _, p in items),
                "type": kind,
                "items": [
                    {"code": c, "name_zh": f"条款{c}", "name_en": "", "points": p} for c, p in items
                ],
            }
            for code, name, kind, items in GBT_2012
        ],
    }


def test_the_2012_standard_has_23_items_worth_1000_points():
    version = load_criteria(gbt_2012_data())
    assert version.code == "GB/T 19580-2012"
    assert len(version.items) == 23
    assert version.total_points == Decimal(1000)
    assert [c.code for c in version.categories] == [f"4.{n}" for n in range(1, 8)]


def test_process_categories_make_600_and_results_400_points():
    version = load_criteria(gbt_2012_data())
    process = sum(c.points for c in version.categories if c.kind == "process")
    results = sum(c.points for c in version.categories if c.kind == "results")
    assert (process, results) == (Decimal(600), Decimal(400))


def test_items_are_flat_in_the_order_of_the_standard_and_know_their_category():
    version = load_criteria(gbt_2012_data())
    assert version.items[0].code == "4.1.2"
    assert version.items[-1].code == "4.7.7"
    item = version.item("4.4.3")
    assert item.points == Decimal(15)
    assert item.category_code == "4.4"


def test_asking_for_an_item_outside_the_version_names_it():
    version = load_criteria(gbt_2012_data())
    with pytest.raises(UnknownCriteriaItem, match="4.8.1"):
        version.item("4.8.1")


def test_items_that_do_not_add_up_to_their_category_are_refused_m16():
    data = gbt_2012_data()
    data["categories"][3]["items"][1]["points"] = 16  # 4.4.3
    with pytest.raises(CriteriaInconsistent, match="4.4") as caught:
        load_criteria(data)
    assert caught.value.rule == "M-16"
    assert "131" in caught.value.message


def test_categories_that_do_not_add_up_to_the_total_are_refused_m16():
    data = gbt_2012_data()
    data["total_points"] = 900
    with pytest.raises(CriteriaInconsistent, match="900"):
        load_criteria(data)


def test_a_duplicated_item_code_is_refused():
    data = gbt_2012_data()
    data["categories"][0]["items"][1]["code"] = "4.1.2"
    with pytest.raises(CriteriaInconsistent, match="4.1.2"):
        load_criteria(data)


@pytest.mark.parametrize("points", [0, -5, "abc", True])
def test_an_item_without_positive_points_is_refused(points):
    data = gbt_2012_data()
    data["categories"][0]["items"][0]["points"] = points
    with pytest.raises(CriteriaInconsistent):
        load_criteria(data)


def test_a_category_of_unknown_kind_is_refused():
    data = gbt_2012_data()
    data["categories"][0]["type"] = "other"
    with pytest.raises(CriteriaInconsistent, match="other"):
        load_criteria(data)


def test_a_missing_field_is_reported_as_inconsistent_data():
    data = gbt_2012_data()
    del data["categories"][0]["items"][0]["name_zh"]
    with pytest.raises(CriteriaInconsistent, match="name_zh"):
        load_criteria(data)


def test_an_explicit_code_name_and_kind_key_are_used_when_given():
    data = copy.deepcopy(gbt_2012_data())
    data.update(code="gbt19580-2012", name="卓越绩效评价准则（2012）")
    for category in data["categories"]:
        category["kind"] = category.pop("type")
    version = load_criteria(data)
    assert (version.code, version.name) == ("gbt19580-2012", "卓越绩效评价准则（2012）")


def test_fractional_points_are_read_exactly():
    data = {
        "code": "x",
        "total_points": 10,
        "categories": [
            {
                "code": "1",
                "name_zh": "甲",
                "points": 10,
                "type": "process",
                "items": [
                    {"code": "1.1", "name_zh": "子", "points": 2.5},
                    {"code": "1.2", "name_zh": "丑", "points": "7.5"},
                ],
            }
        ],
    }
    assert load_criteria(data).item("1.1").points == Decimal("2.5")


def test_a_version_is_not_stale_on_its_fifth_anniversary_m16():
    assert not version_is_stale(date(2012, 8, 1), date(2017, 8, 1))


def test_a_version_is_stale_the_day_after_its_fifth_anniversary_m16():
    assert version_is_stale(date(2012, 8, 1), date(2017, 8, 2))


def test_a_version_published_on_29_february_turns_five_on_28_february():
    assert not version_is_stale(date(2016, 2, 29), date(2021, 2, 28))
    assert version_is_stale(date(2016, 2, 29), date(2021, 3, 1))
