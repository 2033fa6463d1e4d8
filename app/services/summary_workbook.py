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
from .xlsx import SheetSpec

__all__ = ["POINTS", "CycleFacts", "build_sheets", "load_facts"]


def build_sheets(facts: CycleFacts, *, reviewer_names: bool, today: date) -> list[SheetSpec]:
    """The workbook's sheets in order; every row list is materialized (counted for progress)."""
    return [
        SheetSpec("汇总", "评定工作汇总", SUMMARY_COLUMNS, summary_rows(facts)),
        SheetSpec(
            "排名",
            "综合评价排名（按现场评审得分，M-19.5）",
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
        SheetSpec("资格审查", "资格审查结果（M-19.1）", ELIGIBILITY_COLUMNS, eligibility_rows(facts)),
        SheetSpec("获奖及奖金", "获奖及奖金发放（M-20、M-26）", AWARD_COLUMNS, award_rows(facts)),
        SheetSpec("年度报告", f"获奖者年度报告（M-27，截至 {today:%Y-%m-%d}）", REPORT_COLUMNS,
                  report_rows(facts, today)),
        category_sheet(facts),
    ]  # fmt: skip
