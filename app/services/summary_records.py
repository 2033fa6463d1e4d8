"""Summary workbook sheets 3 to 6 (issue 7): score detail, eligibility, awards and prizes, reports."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain.enums import (
    ApplicantKind,
    ApplicationStatus,
    FollowUpStatus,
    Prize,
    ReviewStage,
    SheetStatus,
)
from app.domain.followups import due_date, is_overdue, reports_due
from app.domain.reviewers import is_disqualified
from app.extensions import db
from app.services.people import name_of
from models import (
    Application,
    EligibilityReview,
    ScoreLine,
    Scoresheet,
)

from .conflict_counting import group_counting
from .reviewing import reviewer_facts
from .summary_facts import POINTS, CycleFacts, label_of, points_text
from .xlsx import Column


# --- 3 评分明细 ---------------------------------------------------------------------------
def detail_columns(facts: CycleFacts) -> list[Column]:
    return [
        Column("评审阶段"),
        Column("申报编号"),
        Column("申报主体"),
        Column("评审员"),
        Column("组长合议", "bool"),
        Column("提交时间", "datetime"),
        *(
            Column(f"{i.code} {i.name_zh}（{points_text(i.points)}分）", POINTS, width=11)
            for i in facts.items
        ),
        Column("合计", POINTS),
        Column("计入阶段得分", width=28),
    ]


def _counted_text(sheet: Scoresheet, counting: dict) -> str:
    """Whether the sheet counts for its application's stage score, and if not why (M-25)."""
    if sheet.is_consensus:
        return "是"
    group = counting.get(sheet.group_id)
    if group is None:
        group = counting[sheet.group_id] = group_counting(sheet.group)
    excluded = group.excluded(sheet.application_id)
    if sheet.reviewer_id in excluded:
        return f"否：利益冲突（{excluded[sheet.reviewer_id].rule}）"
    if is_disqualified(reviewer_facts(sheet.reviewer)):
        return "否：已撤销评审员资格（M-25）"
    return "是"


def detail_rows(facts: CycleFacts, reviewer_names: bool) -> list[tuple]:
    """Submitted scoresheets; reviewers by code unless the reader may see names (M-25)."""
    s = db.session
    sheets = list(
        s.scalars(
            select(Scoresheet)
            .join(Application, Scoresheet.application_id == Application.id)
            .where(
                Application.cycle_id == facts.cycle.id,
                Scoresheet.status == SheetStatus.SUBMITTED.value,
            )
            .options(
                selectinload(Scoresheet.reviewer),
                selectinload(Scoresheet.application),
                selectinload(Scoresheet.group),
            )
            .order_by(Scoresheet.stage, Application.number, Scoresheet.is_consensus, Scoresheet.id)
        )
    )
    points: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for sheet_id, item_id, value in s.execute(
        select(ScoreLine.scoresheet_id, ScoreLine.item_id, ScoreLine.points).where(
            ScoreLine.scoresheet_id.in_([sheet.id for sheet in sheets])
        )
    ):
        points[sheet_id][item_id] = value
    stage_order = {ReviewStage.MATERIAL.value: 0, ReviewStage.ONSITE.value: 1}
    sheets.sort(key=lambda x: (stage_order.get(x.stage, 9), x.application.number, x.is_consensus))
    rows, counting = [], {}
    for sheet in sheets:
        r = sheet.reviewer
        who = f"{r.code} {r.name}" if reviewer_names else r.code
        rows.append(
            (
                label_of(ReviewStage, sheet.stage),
                sheet.application.number,
                sheet.application.applicant_name,
                who,
                sheet.is_consensus,
                sheet.submitted_at,
                *(points[sheet.id].get(item.id) for item in facts.items),
                sheet.total,
                _counted_text(sheet, counting),
            )
        )
    return rows


# --- 4 资格审查 ---------------------------------------------------------------------------
ELIGIBILITY_COLUMNS = [
    Column("申报编号"),
    Column("申报主体"),
    Column("主体类型"),
    Column("奖项"),
    Column("推荐单位"),
    Column("提交日期", "date"),
    Column("审查结论"),
    Column("审查时间", "datetime"),
    Column("审查人"),
    Column("不符合的条件"),
    Column("需人工判定的条件"),
    Column("理由"),
    Column("缺少的材料"),
    Column("补正期限", "date"),
    Column("当前状态"),
]


def _checklist(review: EligibilityReview | None, status: str) -> str:
    items = (review.checklist or []) if review is not None else []
    return "；".join(
        f"{i.get('title', '')}（{i.get('rule', '')}）" for i in items if i.get("status") == status
    )


def eligibility_rows(facts: CycleFacts) -> list[tuple]:
    rows = []
    for app in facts.applications:
        review = facts.reviews.get(app.id)
        rows.append(
            (
                app.number,
                app.applicant_name,
                label_of(ApplicantKind, app.applicant_kind),
                label_of(Prize, app.prize),
                facts.recommenders.get(app.id),
                app.submitted_on,
                label_of(ApplicationStatus, review.outcome) if review else "未审查",
                review.reviewed_at if review else None,
                name_of(review.reviewed_by) if review else None,
                _checklist(review, "fail"),
                _checklist(review, "judgement"),
                review.reasons if review else None,
                review.missing_items if review else None,
                (review.supplement_deadline if review else None) or app.supplement_deadline,
                label_of(ApplicationStatus, app.status),
            )
        )
    return rows


# --- 5 获奖及奖金 -------------------------------------------------------------------------
AWARD_COLUMNS = [
    Column("证书编号"),
    Column("奖项"),
    Column("获奖单位或个人"),
    Column("表彰日期", "date"),
    Column("奖金（元）", "money"),
    Column("已发放（元）", "money"),
    Column("最近发放日期", "date"),
    Column("发放明细"),
    Column("已撤销", "bool"),
    Column("撤销日期", "date"),
    Column("应追回奖金（元）", "money"),
    Column("已追回（元）", "money"),
    Column("追回情况"),
]


def award_rows(facts: CycleFacts) -> list[tuple]:
    rows = []
    totals = [Decimal("0")] * 4
    for award in facts.awards:
        payments = sorted(award.payments, key=lambda p: (p.paid_on, p.id))
        paid = sum((p.amount for p in payments), Decimal("0"))
        recoveries = facts.recoveries.get(award.id, [])
        due_back = sum((r.amount for r in recoveries), Decimal("0"))
        back = sum((r.amount for r in recoveries if r.recovered), Decimal("0"))
        for n, value in enumerate((award.amount, paid, due_back, back)):
            totals[n] += value
        rows.append(
            (
                award.certificate_no,
                label_of(Prize, award.prize),
                award.application.applicant_name,
                award.awarded_on,
                award.amount,
                paid,
                payments[-1].paid_on if payments else None,
                "；".join(
                    f"{p.paid_on:%Y-%m-%d} {p.amount:,.2f} 元"
                    + (f"（凭证 {p.voucher_no}）" if p.voucher_no else "")
                    for p in payments
                ),
                award.revoked,
                award.revoked_on,
                due_back if recoveries else None,
                back if recoveries else None,
                "；".join(
                    f"{r.item}："
                    + (
                        f"{r.recovered_on:%Y-%m-%d} 已追回"
                        if r.recovered and r.recovered_on
                        else "已追回"
                        if r.recovered
                        else "待追回"
                    )
                    for r in recoveries
                ),
            )  # fmt: skip
        )
    if rows:
        award_total, paid_total, due_total, back_total = totals
        rows.append(
            ("合计", None, f"{len(rows)} 项", None, award_total, paid_total, None, None, None,
             None, due_total, back_total, None)
        )  # fmt: skip
    return rows


# --- 6 年度报告 ---------------------------------------------------------------------------
REPORT_COLUMNS = [
    Column("获奖单位或个人"),
    Column("证书编号"),
    Column("奖项"),
    Column("报告年度", "int"),
    Column("截止日期", "date"),
    Column("状态"),
    Column("收到日期", "date"),
    Column("逾期", "bool"),
    Column("逾期天数", "int"),
    Column("营业收入（元）", "money"),
    Column("利润（元）", "money"),
    Column("审核意见"),
]


def report_rows(facts: CycleFacts, today: date) -> list[tuple]:
    """Each report due so far (M-27), whether or not the office has registered it."""
    rows = []
    for award in facts.awards:
        existing = {r.report_year: r for r in facts.reports.get(award.id, [])}
        until = award.revoked_on if award.revoked else None
        years = sorted(set(reports_due(award.awarded_on, today, until)) | set(existing))
        for year in years:
            report = existing.get(year)
            due = report.due_on if report else due_date(year)
            received = report.received_on if report else None
            late = is_overdue(due, received, today)
            rows.append(
                (
                    award.application.applicant_name,
                    award.certificate_no,
                    label_of(Prize, award.prize),
                    year,
                    due,
                    label_of(FollowUpStatus, report.status) if report else "未登记（应提交）",
                    received,
                    late,
                    ((received or today) - due).days if late else None,
                    report.revenue if report else None,
                    report.profit if report else None,
                    report.review_note if report else None,
                )
            )
    return rows
