"""M-19.6, M-8.5: the public-notice period and objections."""

from datetime import date

import pytest

from app.domain.enums import ObjectionStatus
from app.domain.errors import InvalidInput
from app.domain.notice import (
    NoticeTooShort,
    ObjectionFacts,
    ObjectionsOpen,
    ensure_no_open_objections,
    ensure_notice_length,
    ensure_objection_identity,
    notice_end,
    notice_ended,
    objection_is_open,
    objection_requires_investigation,
)

FRIDAY = date(2025, 5, 2)


def test_a_7_calendar_day_notice_includes_its_start_day_m19_6():
    assert notice_end(date(2025, 5, 1)) == date(2025, 5, 7)


def test_a_calendar_notice_counts_weekends_and_holidays():
    assert notice_end(FRIDAY, 3, holidays={date(2025, 5, 3)}) == date(2025, 5, 4)


def test_a_5_working_day_notice_from_a_friday_skips_the_weekend():
    # Fri 2, Mon 5, Tue 6, Wed 7, Thu 8
    assert notice_end(FRIDAY, 5, working_days=True) == date(2025, 5, 8)


def test_a_7_working_day_notice_across_a_weekend_and_a_holiday():
    # Fri 2, (Mon 5 holiday), Tue 6 .. Fri 9, Mon 12, Tue 13
    assert notice_end(FRIDAY, 7, working_days=True, holidays={date(2025, 5, 5)}) == date(
        2025, 5, 13
    )


def test_a_working_day_notice_starting_on_a_saturday_starts_counting_on_monday():
    assert notice_end(date(2025, 5, 3), 1, working_days=True) == date(2025, 5, 5)


def test_a_notice_of_no_days_is_refused():
    with pytest.raises(InvalidInput):
        notice_end(FRIDAY, 0)


def test_a_notice_shorter_than_7_days_is_refused_m19_6():
    with pytest.raises(NoticeTooShort) as e:
        ensure_notice_length(date(2025, 5, 1), date(2025, 5, 6), 7)
    assert e.value.message == (
        "公示期至少 7 个自然日，自2025年5月1日起应至2025年5月7日，所定结束日期为2025年5月6日"
    )
    assert e.value.rule == "M-19.6"


def test_a_notice_of_exactly_7_days_is_long_enough():
    ensure_notice_length(date(2025, 5, 1), date(2025, 5, 7), 7)


def test_a_working_day_notice_length_counts_working_days():
    ensure_notice_length(FRIDAY, date(2025, 5, 12), 7, working_days=True)
    with pytest.raises(NoticeTooShort, match="个工作日"):
        ensure_notice_length(FRIDAY, date(2025, 5, 9), 7, working_days=True)


def test_the_notice_is_still_running_on_its_last_day():
    assert not notice_ended(date(2025, 5, 7), date(2025, 5, 7))
    assert notice_ended(date(2025, 5, 7), date(2025, 5, 8))


def test_an_objection_with_name_and_contact_is_open_for_investigation_m19_6():
    assert ensure_objection_identity("张三", "13800000000") is ObjectionStatus.OPEN


def test_an_objection_without_a_contact_or_a_name_is_logged_as_anonymous_m19_6():
    assert ensure_objection_identity("张三", " ") is ObjectionStatus.LOGGED_ANONYMOUS
    assert ensure_objection_identity(None, "13800000000") is ObjectionStatus.LOGGED_ANONYMOUS


def test_an_anonymous_objection_is_not_investigated_m19_6():
    o = ObjectionFacts(anonymous=True, status=ObjectionStatus.LOGGED_ANONYMOUS)
    assert not objection_requires_investigation(o)
    assert not objection_is_open(o)


def test_a_named_objection_is_investigated_and_open_until_resolved_m8_5():
    o = ObjectionFacts(anonymous=False, status=ObjectionStatus.OPEN)
    assert objection_requires_investigation(o)
    assert objection_is_open(o)
    assert not objection_is_open(ObjectionFacts(anonymous=False, status=ObjectionStatus.RESOLVED))


def test_open_objections_block_approval_m19_6():
    ensure_no_open_objections(0)
    with pytest.raises(ObjectionsOpen, match="尚有 2 件实名异议未处理"):
        ensure_no_open_objections(2)
