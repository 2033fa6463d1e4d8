"""Which cycle setting is frozen from which stage, and what an amendment may change (M-17)."""

from datetime import date

import pytest

from app.domain.cycle_settings import (
    AMENDABLE,
    FREEZES,
    SettingFrozen,
    SettingNotAmendable,
    ensure_amendable,
    ensure_deadline_not_past,
    ensure_settings_open,
    is_frozen,
    parse_amended_value,
)
from app.domain.enums import Stage
from app.domain.errors import InvalidInput


def test_a_draft_cycle_has_no_frozen_setting():
    ensure_settings_open(list(FREEZES), Stage.DRAFT)


def test_the_announced_conditions_freeze_when_applications_open_m_17():
    for field in ("year", "deadline", "award_quota", "award_amount", "criteria_version"):
        assert is_frozen(field, Stage.APPLICATIONS_OPEN), field
    assert not is_frozen("min_onsite_score", Stage.APPLICATIONS_OPEN)


def test_the_scoring_rules_freeze_before_the_first_score_m_19():
    for field in ("aggregation", "min_onsite_score", "min_material_score", "shortlist_size"):
        assert not is_frozen(field, Stage.ELIGIBILITY)
        assert is_frozen(field, Stage.MATERIAL_REVIEW)


def test_the_refusal_names_the_field_the_stage_and_the_rule():
    with pytest.raises(SettingFrozen) as refused:
        ensure_settings_open(["award_amount"], Stage.ANNOUNCED)
    assert refused.value.rule == "M-20"
    message = str(refused.value)
    assert "质量奖奖金" in message and "公布表彰" in message and "申报受理" in message
    assert "不能再修改" in message


def test_a_frozen_deadline_points_to_the_amendment_while_it_may_still_be_amended():
    with pytest.raises(SettingFrozen) as refused:
        ensure_settings_open(["deadline"], Stage.APPLICATIONS_OPEN)
    assert "变更设置" in str(refused.value) and refused.value.rule == "M-17"


def test_settings_not_in_the_table_are_never_frozen():
    ensure_settings_open(["stage", "eligibility_confirmation_note"], Stage.CLOSED)


def test_a_closed_cycle_is_a_record():
    assert all(is_frozen(field, Stage.CLOSED) for field in FREEZES)


def test_only_dates_days_quotas_and_arrangements_are_amendable():
    assert set(AMENDABLE) == {
        "deadline",
        "supplement_days",
        "material_review_on",
        "onsite_review_on",
        "arrangements",
        "award_quota",
        "nomination_quota",
    }


def test_the_committee_may_extend_the_deadline_while_applications_are_taken():
    freeze = ensure_amendable("deadline", Stage.APPLICATIONS_OPEN, "延期", "质评委〔2027〕1号")
    assert freeze.label == "申报截止日期"


def test_the_deadline_cannot_be_amended_once_eligibility_review_began():
    with pytest.raises(SettingNotAmendable, match="资格审查"):
        ensure_amendable("deadline", Stage.ELIGIBILITY, "延期", "质评委〔2027〕1号")


def test_a_prize_amount_is_never_amendable_m_20():
    with pytest.raises(SettingNotAmendable) as refused:
        ensure_amendable("award_amount", Stage.APPLICATIONS_OPEN, "调整", "文号")
    assert refused.value.rule == "M-20" and "申报截止日期" in str(refused.value)


def test_quotas_are_amendable_until_the_ranking_m_4():
    ensure_amendable("award_quota", Stage.ONSITE_REVIEW, "空缺", "文号")
    with pytest.raises(SettingNotAmendable):
        ensure_amendable("award_quota", Stage.COMPREHENSIVE, "空缺", "文号")


@pytest.mark.parametrize(("reason", "ref"), [("", "文号"), ("延期", " ")])
def test_an_amendment_needs_a_reason_and_the_committee_decision_m_3(reason, ref):
    with pytest.raises(InvalidInput, match="M-3"):
        ensure_amendable("deadline", Stage.APPLICATIONS_OPEN, reason, ref)


def test_amended_values_are_read_as_the_field_type():
    assert parse_amended_value("deadline", "2027-03-31") == date(2027, 3, 31)
    assert parse_amended_value("award_quota", " 1 ") == 1
    with pytest.raises(InvalidInput, match="申报截止日期"):
        parse_amended_value("deadline", "明年")
    with pytest.raises(InvalidInput):
        parse_amended_value("award_quota", "-1")
    with pytest.raises(InvalidInput):
        parse_amended_value("deadline", "")


def test_the_deadline_cannot_be_moved_before_today_m_17():
    ensure_deadline_not_past(date(2027, 3, 1), date(2027, 3, 1))
    with pytest.raises(SettingNotAmendable):
        ensure_deadline_not_past(date(2027, 2, 28), date(2027, 3, 1))
