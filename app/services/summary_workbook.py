"""The summary workbook of a cycle for the city government (issue 7): its sheets, in order."""

from __future__ import annotations

from datetime import date

from .summary_facts import POINTS, CycleFacts, load_facts
from .summary_records import (
    AWARD_COLUMNS,
    ELIGIBILITY_COLUMNS,
    REPORT_COLUMNS,
    award_rows,
    detail_columns,
    detail_rows,
    eligibility_rows,
    report_rows,
)
from .summary_sheets import (
    SUMMARY_COLUMNS,
    category_sheet,
    ranking_chart,
    ranking_columns,
    ranking_rows,
    summary_rows,
)
from .xlsx import Column, SheetSpec

__all__ = ["POINTS", "CycleFacts", "build_sheets", "load_facts"]


def build_sheets(facts: CycleFacts, *, reviewer_names: bool, today: date) -> list[SheetSpec]:
    """The workbook's sheets in order; every row list is materialized (counted for progress)."""
    return [
        SheetSpec("汇总", "评定工作汇总", SUMMARY_COLUMNS, summary_rows(facts)),
        SheetSpec(
            "排名",
            "综合评价排名（按现场评审得分）",
            ranking_columns(facts),
            ranking_rows(facts),
            [ranking_chart(facts)],
        ),
        SheetSpec(
            "评分明细",
            "评分明细（已提交评分表，23 个评分条款）",
            detail_columns(facts),
            detail_rows(facts, reviewer_names),
        ),
        SheetSpec("资格审查", "资格审查结果", ELIGIBILITY_COLUMNS, eligibility_rows(facts)),
        SheetSpec("获奖及奖金", "获奖及奖金发放", AWARD_COLUMNS, award_rows(facts)),
        SheetSpec("年度报告", f"获奖者年度报告（截至 {today:%Y-%m-%d}）", REPORT_COLUMNS,
                  report_rows(facts, today)),
        category_sheet(facts),
        notes_sheet(),
    ]  # fmt: skip


# Each part of the workbook and the article of the Measures it follows: the rule codes live
# here, not in the sheets' titles, which a city-government reader reads in plain words.
NOTES = (
    ("汇总", "第三方机构", "第三方评价机构的委托", "M-6"),
    ("汇总", "时间安排", "评定工作的时间安排", "M-17"),
    ("汇总", "政府质量奖、政府质量提名奖", "各奖项名额、拟表彰对象和空缺", "M-4"),
    ("汇总", "奖金标准", "奖金标准", "M-20"),
    ("汇总", "经费", "评定工作经费", "M-5"),
    ("排名", "综合评价排名", "按现场评审得分排名，委员会表决", "M-19.5、M-19.6"),
    ("评分明细", "评分明细", "各评审员的评分；利益冲突的评分不计入", "M-19.2、M-25"),
    ("资格审查", "资格审查结果", "资格条件审查", "M-19.1"),
    ("获奖及奖金", "获奖及奖金发放", "奖金发放与撤销后追回", "M-20、M-26"),
    ("年度报告", "获奖者年度报告", "获奖后五年内每年报送", "M-27"),
)


def notes_sheet() -> SheetSpec:
    return SheetSpec(
        "说明",
        "各工作表的依据（《伊宁市政府质量奖管理办法》条款）",
        [Column("工作表"), Column("内容"), Column("说明"), Column("条款")],
        list(NOTES),
    )
