"""A group's scoresheets make an application's stage score (M-19.2 decisions)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.aggregation import (
    ConsensusMissing,
    NoSubmittedSheets,
    StageCloseBlocked,
    aggregate,
    aggregate_categories,
    ensure_all_submitted,
    kept_sheets,
    outliers,
)
from app.domain.enums import Aggregation


def d(*values: str | int) -> list[Decimal]:
    return [Decimal(str(v)) for v in values]


def test_the_mean_of_the_submitted_totals_is_the_stage_score():
    assert aggregate(d(600, "612.5", 580), Aggregation.MEAN) == Decimal("597.5")


def test_the_mean_keeps_an_unrounded_quotient():
    score = aggregate(d(600, 601, 601), Aggregation.MEAN)
    assert score == Decimal("600.6666666666666666666666667")


def test_trimmed_mean_with_4_sheets_is_the_plain_mean():
    assert aggregate(d(400, 500, 600, 900), Aggregation.TRIMMED_MEAN) == Decimal(600)


def test_trimmed_mean_with_5_sheets_drops_one_highest_and_one_lowest():
    assert aggregate(d(100, 500, 600, 700, 900), Aggregation.TRIMMED_MEAN) == Decimal(600)


def test_trimmed_mean_drops_only_one_of_equal_highest_totals():
    assert aggregate(d(500, 600, 700, 700, 700), Aggregation.TRIMMED_MEAN) == Decimal(
        "666.6666666666666666666666667"
    )


def test_trimmed_mean_of_equal_totals_is_that_total():
    assert aggregate(d(*[650] * 6), Aggregation.TRIMMED_MEAN) == Decimal(650)
    assert len(kept_sheets(d(*[650] * 6), Aggregation.TRIMMED_MEAN)) == 4


def test_consensus_is_the_leaders_consensus_total():
    assert aggregate(d(500, 700), Aggregation.CONSENSUS, Decimal("640.25")) == Decimal("640.25")


def test_consensus_cannot_be_computed_before_the_leader_enters_it_m19_2():
    with pytest.raises(ConsensusMissing) as caught:
        aggregate(d(500, 700), Aggregation.CONSENSUS)
    assert caught.value.rule == "M-19.2"


@pytest.mark.parametrize("method", list(Aggregation))
def test_no_stage_score_without_a_submitted_scoresheet(method):
    with pytest.raises(NoSubmittedSheets):
        aggregate([], method, Decimal(600))


def test_the_method_may_be_given_as_its_stored_value():
    assert aggregate(d(500, 700), "mean") == Decimal(600)


def test_category_means_add_up_to_the_mean_total():
    sheets = [
        {"4.1": Decimal(60), "4.7": Decimal(240)},
        {"4.1": Decimal(70), "4.7": Decimal(260)},
    ]
    assert aggregate_categories(sheets, Aggregation.MEAN) == {
        "4.1": Decimal(65),
        "4.7": Decimal(250),
    }


def test_trimmed_category_scores_drop_the_sheets_dropped_by_total():
    # Sheet 0 has the lowest total but the highest 4.1: it is dropped whole, not per category.
    sheets = [
        {"4.1": Decimal(100), "4.7": Decimal(100)},  # 200, lowest total
        {"4.1": Decimal(50), "4.7": Decimal(250)},  # 300
        {"4.1": Decimal(60), "4.7": Decimal(260)},  # 320
        {"4.1": Decimal(70), "4.7": Decimal(270)},  # 340
        {"4.1": Decimal(80), "4.7": Decimal(320)},  # 400, highest total
    ]
    totals = [sum(s.values()) for s in sheets]
    categories = aggregate_categories(sheets, Aggregation.TRIMMED_MEAN)
    assert categories == {"4.1": Decimal(60), "4.7": Decimal(260)}
    assert sum(categories.values()) == aggregate(totals, Aggregation.TRIMMED_MEAN)


def test_consensus_categories_are_the_leaders():
    sheets = [{"4.1": Decimal(60)}]
    assert aggregate_categories(sheets, Aggregation.CONSENSUS, {"4.1": Decimal(66)}) == {
        "4.1": Decimal(66)
    }
    with pytest.raises(ConsensusMissing):
        aggregate_categories(sheets, Aggregation.CONSENSUS)


def test_categories_need_a_submitted_sheet():
    with pytest.raises(NoSubmittedSheets):
        aggregate_categories([], Aggregation.MEAN)


def test_a_reviewer_exactly_15_percent_from_the_mean_is_not_flagged():
    totals = {"甲": Decimal(575), "乙": Decimal(500), "丙": Decimal(425), "丁": Decimal(500)}
    assert outliers(totals) == set()


def test_a_reviewer_just_over_15_percent_from_the_mean_is_flagged():
    # mean 500.05, 15% of it 75.0075: 575.1 deviates 75.05 (flagged), 425.1 deviates 74.95
    totals = {
        "甲": Decimal("575.1"),
        "乙": Decimal(500),
        "丙": Decimal("425.1"),
        "丁": Decimal(500),
    }
    assert outliers(totals) == {"甲"}


def test_the_outlier_boundary_is_exact_with_a_repeating_mean():
    # mean 1000/3; 15% of it is 50; 383.333... is exactly on the boundary only in fractions.
    totals = {"a": Decimal(300), "b": Decimal(300), "c": Decimal(400)}
    assert outliers(totals) == {"c"}  # 66.67 > 50
    assert outliers(totals, Decimal("0.2")) == set()  # exactly 66.67 = 0.2 x 333.33


def test_no_outliers_in_an_empty_group():
    assert outliers({}) == set()


def test_a_stage_cannot_close_while_members_have_not_submitted_m19_2():
    with pytest.raises(StageCloseBlocked, match="2 人.*张三、王五") as caught:
        ensure_all_submitted(["张三", "李四", "王五"], ["李四"])
    assert caught.value.missing == ["张三", "王五"]
    assert caught.value.rule == "M-19.2"


def test_a_stage_may_close_when_every_member_submitted():
    ensure_all_submitted([1, 2], [2, 1, 3])


@given(
    st.lists(st.integers(0, 20000).map(lambda n: Decimal(n) / 20), min_size=1, max_size=12),
    st.sampled_from([Aggregation.MEAN, Aggregation.TRIMMED_MEAN]),
)
def test_a_stage_score_lies_between_the_lowest_and_highest_totals(totals, method):
    assert min(totals) <= aggregate(totals, method) <= max(totals)
