"""Who signs a review report off and when the reports, feedback and certificates exist
(M-10, M-19.2, M-19.4, M-19.5, M-19.8), and the score band of a category (feedback)."""

from datetime import datetime
from decimal import Decimal

import pytest

from app.domain.enums import ReviewStage, Stage
from app.domain.report_rules import (
    EVALUATION_FROM,
    RESULT_PUBLIC_FROM,
    DocumentStageNotReached,
    ReportNotSignedOff,
    SignOffFacts,
    SignOffRefused,
    ensure_can_sign_off,
    ensure_reached,
    ensure_signed_off,
)
from app.domain.scoring import share_band

CLOSED = datetime(2025, 7, 20, 18, 0)


def facts(**kw) -> SignOffFacts:
    base = dict(
        stage=ReviewStage.MATERIAL,
        group_name="材料评审第一组",
        application_number="2025-ZLJ-001",
        signer_is_leader=True,
        group_closed=True,
    )
    return SignOffFacts(**(base | kw))


def test_the_leader_of_a_closed_group_may_sign_off_its_report_M_10_M_19_2():
    ensure_can_sign_off(facts())


def test_a_member_who_is_not_the_leader_cannot_sign_off_the_report_M_10():
    with pytest.raises(SignOffRefused) as exc:
        ensure_can_sign_off(facts(signer_is_leader=False))
    assert exc.value.rule == "M-10" and "组长" in str(exc.value)


@pytest.mark.parametrize(
    ("stage", "rule"), [(ReviewStage.MATERIAL, "M-19.2"), (ReviewStage.ONSITE, "M-19.4")]
)
def test_a_report_of_an_open_group_cannot_be_signed_off_M_19_2_M_19_4(stage, rule):
    with pytest.raises(SignOffRefused) as exc:
        ensure_can_sign_off(facts(stage=stage, group_closed=False))
    assert exc.value.rule == rule and "尚未结束评审" in str(exc.value)


def test_a_report_is_signed_off_once_for_the_score_it_states_M_19_2():
    with pytest.raises(SignOffRefused, match="不能重复签发"):
        ensure_can_sign_off(facts(signed_off_at=CLOSED, score_computed_at=CLOSED))
    # the score computed again after the sign-off (a late conflict, M-25.2): sign again
    ensure_can_sign_off(facts(signed_off_at=CLOSED, score_computed_at=datetime(2025, 8, 1)))


def test_a_report_is_not_issued_before_its_sign_off_naming_the_rule_M_19_4():
    with pytest.raises(ReportNotSignedOff) as exc:
        ensure_signed_off(ReviewStage.ONSITE, "2025-ZLJ-001", None)
    assert exc.value.rule == "M-19.4" and "现场评审报告尚未经评审组组长签发" in str(exc.value)
    ensure_signed_off(ReviewStage.ONSITE, "2025-ZLJ-001", CLOSED, CLOSED)


def test_a_sign_off_older_than_the_score_does_not_let_the_report_out_M_19_2_M_25_2():
    with pytest.raises(ReportNotSignedOff, match="重新签发"):
        ensure_signed_off(ReviewStage.MATERIAL, "2025-ZLJ-001", CLOSED, datetime(2025, 8, 1))


def test_the_evaluation_report_waits_for_the_comprehensive_evaluation_naming_the_stage_M_19_5():
    with pytest.raises(DocumentStageNotReached) as exc:
        ensure_reached(Stage.ONSITE_REVIEW, EVALUATION_FROM, "综合评价报告")
    assert exc.value.rule == "M-19.5"
    assert "「现场评审」" in str(exc.value) and "「综合评价」" in str(exc.value)
    ensure_reached(Stage.COMPREHENSIVE, EVALUATION_FROM, "综合评价报告")
    ensure_reached(Stage.CLOSED, EVALUATION_FROM, "综合评价报告")


@pytest.mark.parametrize("stage", [Stage.COMPREHENSIVE, Stage.PUBLIC_NOTICE, Stage.APPROVAL])
def test_feedback_and_certificates_wait_until_the_result_is_announced_M_19_8(stage):
    with pytest.raises(DocumentStageNotReached) as exc:
        ensure_reached(stage, RESULT_PUBLIC_FROM, "评审反馈报告")
    assert exc.value.rule == "M-19.8" and "「公布表彰」" in str(exc.value)


@pytest.mark.parametrize(
    ("points", "max_points", "band"),
    [
        ("0", "110", 1),
        ("5.4", "110", 1),  # 4.9 % rounds to 5 %
        ("8.25", "110", 2),  # 7.5 % rounds half up to 10 %
        ("71.5", "110", 4),  # 65 %
        ("74.25", "110", 5),  # 67.5 % rounds to 70 %
        ("94.875", "110", 5),  # 86.25 % rounds to 85 %
        ("110", "110", 6),
        ("783.4", "1000", 5),
    ],
)
def test_a_category_score_falls_in_the_band_of_its_share_rounded_to_5_percent(
    points, max_points, band
):
    assert share_band(Decimal(points), Decimal(max_points)) == band
