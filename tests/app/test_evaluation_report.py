"""The comprehensive evaluation report of a cycle (M-19.5): the ranking by on-site score with
the tie-breaks, each prize's quota, the proposal and the vacancies (M-4), the ties left to the
Committee; refused before the comprehensive evaluation, naming the stage."""

import pytest
from sqlalchemy import select

from app.domain.enums import Prize
from app.domain.report_rules import DocumentStageNotReached
from app.services import ranking
from app.services.evaluation_content import evaluation_content
from models import AwardCycle, StageScore
from tests.app.document_helpers import application, build, text_of


def prize(content, which: Prize):
    return next(p for p in content.prizes if p.prize is which)


def test_a_tie_across_the_quota_is_reported_for_the_committee_with_the_vacancy_M_19_5(ctx):
    content = evaluation_content(2019)
    award = prize(content, Prize.AWARD)
    assert [(x.rank, x.number) for x in award.lines] == [
        (1, "2019-ZLJ-001"),
        (2, "2019-ZLJ-002"),
        (2, "2019-ZLJ-003"),
    ]
    assert award.unresolved_tie and award.vacancies == 1
    assert [x.outcome for x in award.lines][1:] == ["并列，待评定委员会决定"] * 2
    text = text_of(build("evaluation-report", 2019))
    assert "2019年度伊宁市政府质量奖综合评价报告" in text
    assert "依次按现场评审“结果”类别得分、材料评审得分区分" in text
    assert "伊宁市天山乳业有限公司与伊宁市城市供热有限公司并列，需委员会决定" in text
    assert "名额 2 个，拟表彰 1 个，空缺 1 个：并列名次待评定委员会决定" in text
    assert "提请评定委员会决定" in text
    assert "822.2" in text and "774.9" in text  # on-site scores shown to one decimal


def test_a_tie_broken_by_the_results_category_says_how_M_19_5(ctx):
    app = application(ctx, "2019-ZLJ-003")
    score = ctx.session.scalar(
        select(StageScore).where(StageScore.application_id == app.id, StageScore.stage == "onsite")
    )
    score.categories = {**score.categories, "4.7": str(float(score.categories["4.7"]) + 1)}
    ctx.session.commit()
    award = prize(evaluation_content(2019), Prize.AWARD)
    assert [x.number for x in award.lines] == ["2019-ZLJ-001", "2019-ZLJ-003", "2019-ZLJ-002"]
    assert not award.unresolved_tie and award.vacancies == 0
    assert "按现场评审结果类别得分区分" in award.lines[1].tie_break
    text = text_of(build("evaluation-report", 2019))
    assert "按现场评审结果类别得分区分" in text and "无空缺" in text


def test_the_committees_tie_decision_fills_the_seat_in_the_report_M_19_5(ctx):
    cycle = ctx.session.scalar(select(AwardCycle).where(AwardCycle.year == 2019))
    chosen = application(ctx, "2019-ZLJ-003")
    ranking.decide_tie(cycle.id, [chosen.id], "委员会表决决定")
    award = prize(evaluation_content(2019), Prize.AWARD)
    outcomes = {x.number: x.outcome for x in award.lines}
    assert outcomes["2019-ZLJ-003"] == "拟表彰（评定委员会决定并列名次）"
    assert outcomes["2019-ZLJ-002"] == "未列入拟表彰名单（评定委员会决定并列名次）"
    assert award.vacancies == 0 and not award.unresolved_tie


def test_a_prize_left_vacant_under_the_minimum_score_is_reported_with_its_reason_M_4(ctx):
    content = evaluation_content(2024)
    award = prize(content, Prize.AWARD)
    assert content.minimum == "750.0 分"
    assert [x.outcome for x in award.lines] == ["拟表彰", "现场评审得分低于最低分，不予推荐"]
    text = text_of(build("evaluation-report", 2024))
    assert (
        "名额 2 个，拟表彰 1 个，空缺 1 个：现场评审得分低于最低分 750.0 分的不予推荐（M-4）"
        in text
    )
    assert "现场评审最低分：750.0 分" in text
    assert "伊宁市食品安全暨质量强市委员会办公室" in text


@pytest.mark.parametrize("year", [2017, 2018, 2025])
def test_the_evaluation_report_is_refused_before_the_comprehensive_evaluation_M_19_5(ctx, year):
    with pytest.raises(DocumentStageNotReached) as exc:
        build("evaluation-report", year)
    assert exc.value.rule == "M-19.5" and "「综合评价」阶段开始后" in str(exc.value)
