"""Scoresheet arithmetic of the material and on-site reviews (M-19.2 decisions)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.criteria import load_criteria
from app.domain.errors import InvalidInput
from app.domain.scoring import (
    IncompleteScoresheet,
    ScoreOutOfRange,
    SheetLine,
    UnknownCriteriaItem,
    band,
    item_points,
    round_display,
    sheet_scores,
    validate_percent,
    validate_sheet_for_submit,
)

# GB/T 19580-2012 item points by category (gbt19580-2012.json).
POINTS = {
    "4.1": {"4.1.2": 50, "4.1.3": 30, "4.1.4": 30},
    "4.2": {"4.2.2": 40, "4.2.3": 50},
    "4.3": {"4.3.2": 40, "4.3.3": 50},
    "4.4": {"4.4.2": 40, "4.4.3": 15, "4.4.4": 20, "4.4.5": 20, "4.4.6": 20, "4.4.7": 15},
    "4.5": {"4.5.2": 50, "4.5.3": 50},
    "4.6": {"4.6.2": 40, "4.6.3": 40},
    "4.7": {"4.7.2": 80, "4.7.3": 80, "4.7.4": 80, "4.7.5": 60, "4.7.6": 50, "4.7.7": 50},
}
CRITERIA = load_criteria(
    {
        "standard": "GB/T 19580-2012",
        "total_points": 1000,
        "categories": [
            {
                "code": cat,
                "name_zh": cat,
                "points": sum(items.values()),
                "type": "results" if cat == "4.7" else "process",
                "items": [{"code": c, "name_zh": c, "points": p} for c, p in items.items()],
            }
            for cat, items in POINTS.items()
        ],
    }
)
CODES = [item.code for item in CRITERIA.items]


def sheet(percent: int | None = 50, **overrides: int | None) -> list[SheetLine]:
    """A line per item at ``percent``; keyword ``i4_4_3=35`` overrides item 4.4.3."""
    by_code = {k[1:].replace("_", "."): v for k, v in overrides.items()}
    return [SheetLine(code, by_code.get(code, percent), "优势", "改进") for code in CODES]


@pytest.mark.parametrize("percent", [0, 5, 35, 50, 95, 100])
def test_whole_percentages_in_steps_of_five_are_accepted_m19_2(percent):
    assert validate_percent(percent) == percent


@pytest.mark.parametrize("percent", [7, -5, 105, 2.5, 50.0, Decimal("50"), "50", True, False, None])
def test_any_other_percentage_is_refused_m19_2(percent):
    with pytest.raises(ScoreOutOfRange) as caught:
        validate_percent(percent)
    assert caught.value.rule == "M-19.2"


def test_an_out_of_range_score_names_the_item():
    with pytest.raises(ScoreOutOfRange, match="4.4.3"):
        sheet_scores(CRITERIA, sheet(i4_4_3=7))


def test_an_item_worth_15_at_35_percent_is_worth_exactly_5_25_points():
    assert item_points(Decimal(15), 35) == Decimal("5.25")
    assert sheet_scores(CRITERIA, sheet(i4_4_3=35)).items["4.4.3"] == Decimal("5.25")


def test_every_item_at_50_percent_makes_500_points():
    assert sheet_scores(CRITERIA, sheet(50)).total == Decimal(500)


def test_every_item_at_100_percent_makes_1000_points():
    scores = sheet_scores(CRITERIA, sheet(100))
    assert scores.total == Decimal(1000)
    assert scores.categories["4.7"] == Decimal(400)


def test_category_scores_are_the_sums_of_their_items():
    scores = sheet_scores(CRITERIA, sheet(0, i4_4_3=35, i4_4_2=50, i4_1_2=100))
    assert scores.categories["4.4"] == Decimal("25.25")
    assert scores.categories["4.1"] == Decimal(50)
    assert scores.total == Decimal("75.25")


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        (0, 1),
        (5, 1),
        (10, 2),
        (25, 2),
        (30, 3),
        (45, 3),
        (50, 4),
        (65, 4),
        (70, 5),
        (85, 5),
        (90, 6),
        (100, 6),
    ],
)
def test_each_percentage_falls_in_one_of_the_six_bands(percent, expected):
    assert band(percent) == expected


def test_a_draft_lists_its_unscored_items_and_counts_them_as_zero():
    lines = sheet(50, i4_1_2=None)[:-1]  # 4.1.2 blank, 4.7.7 absent
    scores = sheet_scores(CRITERIA, lines)
    assert scores.missing == ["4.1.2", "4.7.7"]
    assert scores.items["4.1.2"] is None
    assert scores.total == Decimal(500 - 25 - 25)
    assert not scores.complete


def test_a_scoresheet_cannot_be_submitted_with_items_unscored_m19_2():
    with pytest.raises(IncompleteScoresheet, match="4.1.2、4.7.7") as caught:
        validate_sheet_for_submit(CRITERIA, sheet(50, i4_1_2=None)[:-1])
    assert caught.value.missing == ["4.1.2", "4.7.7"]
    assert "2 个" in caught.value.message


def test_a_scoresheet_with_an_item_of_another_version_cannot_be_submitted():
    lines = [*sheet(50), SheetLine("4.8.2", 50, "", "")]
    assert sheet_scores(CRITERIA, lines).unknown == ["4.8.2"]
    with pytest.raises(UnknownCriteriaItem, match="4.8.2"):
        validate_sheet_for_submit(CRITERIA, lines)


def test_a_complete_scoresheet_is_accepted_for_submission():
    assert validate_sheet_for_submit(CRITERIA, sheet(65)).total == Decimal(650)


def test_an_item_scored_twice_on_one_sheet_is_refused():
    with pytest.raises(InvalidInput, match="4.2.2"):
        sheet_scores(CRITERIA, [*sheet(50), SheetLine("4.2.2", 60, "", "")])


@pytest.mark.parametrize(
    ("value", "shown"),
    [("612.25", "612.3"), ("612.24", "612.2"), ("612.35", "612.4"), ("1000", "1000.0")],
)
def test_totals_are_rounded_half_up_to_one_decimal_for_display(value, shown):
    assert str(round_display(Decimal(value))) == shown


@given(st.lists(st.integers(0, 20).map(lambda n: n * 5), min_size=23, max_size=23))
def test_any_valid_scoresheet_totals_between_0_and_1000(percents):
    lines = [SheetLine(code, p, "", "") for code, p in zip(CODES, percents, strict=True)]
    scores = sheet_scores(CRITERIA, lines)
    assert Decimal(0) <= scores.total <= Decimal(1000)
    assert scores.total == sum(scores.categories.values())
    assert scores.total == sum(v for v in scores.items.values() if v is not None)
