"""M-17, M-19: stage order, actions per stage, what each stage needs before it ends."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.enums import Stage
from app.domain.errors import InvalidInput
from app.domain.stages import (
    ActionNotAllowedInStage,
    ApplicationsClosed,
    DatesOutOfOrder,
    StageFacts,
    StageOrderViolation,
    StagePreconditionsUnmet,
    application_window_check,
    ensure_advance,
    ensure_can_leave,
    ensure_dates_in_order,
    ensure_stage,
    next_stage,
    preconditions,
)

STAGES = list(Stage)


@pytest.mark.parametrize("current,target", list(zip(STAGES, STAGES[1:], strict=False)))
def test_every_stage_may_move_to_the_next_one_m17(current, target):
    assert next_stage(current) is target
    assert ensure_advance(current, target) is target


def test_a_closed_cycle_has_no_next_stage():
    assert next_stage(Stage.CLOSED) is None
    with pytest.raises(StageOrderViolation, match="已结束"):
        ensure_advance(Stage.CLOSED, Stage.DRAFT)


def test_going_back_a_stage_is_refused_and_names_both_stages_m17():
    with pytest.raises(StageOrderViolation) as e:
        ensure_advance(Stage.ONSITE_REVIEW, Stage.MATERIAL_REVIEW)
    assert "现场评审" in e.value.message and "材料评审" in e.value.message
    assert e.value.rule == "M-17"


def test_staying_in_the_same_stage_is_not_a_move():
    with pytest.raises(StageOrderViolation):
        ensure_advance(Stage.ELIGIBILITY, Stage.ELIGIBILITY)


def test_skipping_a_stage_is_refused_and_names_what_was_skipped_m17():
    with pytest.raises(StageOrderViolation) as e:
        ensure_advance(Stage.MATERIAL_REVIEW, Stage.ONSITE_REVIEW)
    assert "「材料评审」" in e.value.message
    assert "「现场评审」" in e.value.message
    assert "用户评价" in e.value.message


@given(st.lists(st.sampled_from(STAGES), max_size=40))
def test_any_succeeding_sequence_of_moves_visits_stages_in_strictly_increasing_order(targets):
    current = Stage.DRAFT
    visited = [current]
    for target in targets:
        try:
            current = ensure_advance(current, target)
        except StageOrderViolation:
            continue
        visited.append(current)
    orders = [s.order for s in visited]
    assert orders == list(range(len(orders)))


def test_scoring_during_eligibility_is_refused_with_the_stage_named_m17():
    with pytest.raises(ActionNotAllowedInStage) as e:
        ensure_stage(Stage.ELIGIBILITY, {Stage.MATERIAL_REVIEW, Stage.ONSITE_REVIEW}, "录入评分")
    assert e.value.message.startswith("当前阶段为「资格审查」，不能录入评分")
    assert "「材料评审」「现场评审」" in e.value.message


def test_an_action_in_its_own_stage_is_allowed():
    ensure_stage(Stage.PUBLIC_NOTICE, Stage.PUBLIC_NOTICE, "登记异议")
    ensure_stage(Stage.ONSITE_REVIEW, {Stage.MATERIAL_REVIEW, Stage.ONSITE_REVIEW}, "录入评分")


# What each stage needs before it ends (M-17, M-19).

READY = {
    Stage.DRAFT: StageFacts(application_period_set=True, criteria_bound=True),
    Stage.APPLICATIONS_OPEN: StageFacts(application_deadline_passed=True),
    Stage.ELIGIBILITY: StageFacts(),
    Stage.MATERIAL_REVIEW: StageFacts(eligible_count=5, shortlisted_count=3),
    Stage.USER_EVALUATION: StageFacts(),
    Stage.ONSITE_REVIEW: StageFacts(),
    Stage.COMPREHENSIVE: StageFacts(candidate_list_proposed=True),
    Stage.COMMITTEE_VOTE: StageFacts(candidates_count=3, votes_recorded=3),
    Stage.PUBLIC_NOTICE: StageFacts(notice_ended=True),
    Stage.APPROVAL: StageFacts(approval_recorded=True),
    Stage.ANNOUNCED: StageFacts(),
}


@pytest.mark.parametrize("stage", list(READY))
def test_a_stage_whose_work_is_done_may_be_left(stage):
    assert preconditions(stage, READY[stage]) == []
    ensure_can_leave(stage, READY[stage])


def test_the_draft_needs_the_application_period_and_the_criteria_version_m17():
    missing = preconditions(Stage.DRAFT, StageFacts())
    assert missing == ["尚未公布申报受理期（开始日期和截止日期）", "尚未确定本届采用的评审标准版本"]


def test_applications_cannot_be_closed_before_the_deadline_m17():
    assert preconditions(Stage.APPLICATIONS_OPEN, StageFacts()) == ["申报截止日期尚未过"]


def test_eligibility_needs_every_application_decided_and_the_committee_confirmation_m19_1():
    facts = StageFacts(
        ungraded_applications=2, pending_supplements=1, unconfirmed_eligible_list=True
    )
    assert preconditions(Stage.ELIGIBILITY, facts) == [
        "尚有 2 份已提交的申报未作资格审查结论",
        "尚有 1 份退回补正的申报仍在补正期限内",
        "资格审查合格名单尚未经委员会确认（M-19.1）",
    ]


def test_material_review_needs_sheets_submitted_groups_closed_and_a_shortlist_m19_2():
    facts = StageFacts(
        open_scoresheets=4, open_groups=1, unassigned_applications=2, eligible_count=6
    )
    assert preconditions(Stage.MATERIAL_REVIEW, facts) == [
        "材料评审尚有 4 份评分表未提交",
        "材料评审尚有 1 个评审组未结束评审",
        "尚有 2 份申报未分配评审组",
        "尚未确定现场评审名单（M-19.2）",
    ]


def test_material_review_with_no_eligible_application_needs_no_shortlist_m4_vacancy():
    assert preconditions(Stage.MATERIAL_REVIEW, StageFacts(eligible_count=0)) == []


def test_user_evaluation_needs_a_satisfaction_record_per_shortlisted_organization_m19_3():
    assert preconditions(Stage.USER_EVALUATION, StageFacts(missing_satisfaction=2)) == [
        "尚有 2 家入围组织未录入用户满意度测评（M-19.3）"
    ]


def test_onsite_review_needs_every_onsite_sheet_submitted_m19_4():
    assert preconditions(Stage.ONSITE_REVIEW, StageFacts(open_scoresheets=1)) == [
        "现场评审尚有 1 份评分表未提交"
    ]


def test_comprehensive_evaluation_needs_the_proposed_list_m19_5():
    assert preconditions(Stage.COMPREHENSIVE, StageFacts()) == [
        "市质评办尚未提出拟表彰名单（M-19.5）"
    ]


def test_the_committee_vote_needs_a_vote_per_candidate_m19_6():
    facts = StageFacts(candidates_count=4, votes_recorded=3)
    assert preconditions(Stage.COMMITTEE_VOTE, facts) == [
        "尚有 1 名候选对象未经委员会表决（M-19.6）"
    ]


def test_the_public_notice_needs_the_period_ended_and_no_open_objection_m19_6():
    facts = StageFacts(notice_ended=False, unresolved_objections=2)
    assert preconditions(Stage.PUBLIC_NOTICE, facts) == [
        "公示期尚未结束",
        "尚有 2 件公示异议未处理（M-19.6）",
    ]


def test_approval_needs_the_city_decision_recorded_m19_7():
    assert preconditions(Stage.APPROVAL, StageFacts()) == ["尚未录入市政府的审批结果（M-19.7）"]


def test_announcement_needs_the_prizes_paid_m19_8():
    assert preconditions(Stage.ANNOUNCED, StageFacts(unpaid_prizes=1)) == [
        "尚有 1 项奖金未发放（M-19.8）"
    ]


def test_leaving_an_unfinished_stage_lists_everything_missing():
    facts = StageFacts(notice_ended=False, unresolved_objections=1)
    with pytest.raises(StagePreconditionsUnmet) as e:
        ensure_can_leave(Stage.PUBLIC_NOTICE, facts)
    assert e.value.missing == ["公示期尚未结束", "尚有 1 件公示异议未处理（M-19.6）"]
    assert e.value.message.startswith("「公示」阶段不能结束：公示期尚未结束；")


def test_a_closed_cycle_cannot_be_left():
    with pytest.raises(StagePreconditionsUnmet):
        ensure_can_leave(Stage.CLOSED, StageFacts())


# Application window (M-17).

OPENS, DEADLINE = date(2025, 3, 1), date(2025, 4, 30)


def test_an_application_on_the_opening_day_and_on_the_deadline_day_is_accepted_m17():
    application_window_check(OPENS, DEADLINE, OPENS)
    application_window_check(OPENS, DEADLINE, DEADLINE)


def test_an_application_the_day_after_the_deadline_is_refused_m17():
    with pytest.raises(ApplicationsClosed) as e:
        application_window_check(OPENS, DEADLINE, date(2025, 5, 1))
    assert e.value.message == "申报截止日期为2025年4月30日，2025年5月1日已截止"


def test_an_application_the_day_before_opening_is_refused_m17():
    with pytest.raises(ApplicationsClosed, match="2025年3月1日开始"):
        application_window_check(OPENS, DEADLINE, date(2025, 2, 28))


def test_no_application_is_accepted_before_the_period_is_announced_m17():
    with pytest.raises(ApplicationsClosed, match="尚未公布"):
        application_window_check(None, DEADLINE, date(2025, 3, 5))


# Dates of the cycle in order.


def test_dates_in_order_with_some_unset_pass():
    ensure_dates_in_order(
        [
            ("申报开始日期", OPENS),
            ("申报截止日期", DEADLINE),
            ("现场评审日期", None),
            ("公示开始日期", DEADLINE),
        ]
    )


def test_a_deadline_before_the_opening_is_refused_naming_both_dates():
    with pytest.raises(DatesOutOfOrder) as e:
        ensure_dates_in_order([("申报开始日期", DEADLINE), ("申报截止日期", OPENS)])
    assert isinstance(e.value, InvalidInput)
    assert (
        e.value.message == "「申报截止日期」（2025年3月1日）早于「申报开始日期」（2025年4月30日）"
    )


def test_a_date_out_of_order_is_caught_across_an_unset_date():
    with pytest.raises(DatesOutOfOrder, match="「申报截止日期」"):
        ensure_dates_in_order(
            [("申报截止日期", DEADLINE), ("材料评审日期", None), ("现场评审日期", OPENS)]
        )
