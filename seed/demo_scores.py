"""Demo review groups, scoresheets of 23 items and stage scores (M-10, M-19.2 to M-19.4)."""

import random
from datetime import date, timedelta
from decimal import Decimal

from app.domain.aggregation import aggregate, aggregate_categories
from app.domain.enums import (
    Aggregation,
    ApplicationStatus,
    ReviewStage,
    SatisfactionMethod,
    SheetStatus,
)
from app.domain.scoring import SheetLine, band, round_display, sheet_scores
from models import (
    ReviewAssignment,
    ReviewGroup,
    ReviewGroupMember,
    ReviewReport,
    SatisfactionEvaluation,
    ScoreLine,
    Scoresheet,
    StageScore,
)

from .context import DemoContext, at

MATERIAL, ONSITE = ReviewStage.MATERIAL, ReviewStage.ONSITE
# year: [(name, stage, members (leader first), closed on, {applicant: base percent})]
GROUPS = {
    2021: [
        (
            "2021年材料评审组",
            MATERIAL,
            ["R001", "R002", "R005", "R008"],
            date(2021, 7, 23),
            {"tianshan": 80, "hengxin": 76, "jinggong": 72, "li_jianhua": 78, "guoxiang": 58},
        ),
        (
            "2021年现场评审组",
            ONSITE,
            ["R001", "R002", "R005"],
            date(2021, 9, 3),
            {"tianshan": 82, "hengxin": 77, "jinggong": 71, "li_jianhua": 79},
        ),
    ],
    2024: [
        (
            "2024年材料评审组",
            MATERIAL,
            ["R001", "R003", "R004"],
            date(2024, 7, 26),
            {"silu": 79, "jinggong": 70, "lab_team": 78},
        ),
        (
            "2024年现场评审组",
            ONSITE,
            ["R001", "R003", "R004"],
            date(2024, 9, 6),
            {"silu": 82, "jinggong": 68, "lab_team": 81},
        ),
    ],
    2025: [
        (
            "2025年材料评审第一组",
            MATERIAL,
            ["R001", "R002", "R003", "R004"],
            None,
            {"xuelian": 74, "tianhe": 77, "jinggong": 71, "ayigul": 75},
        ),
        # Formed for the on-site review; applications are assigned once the shortlist is set.
        ("2025年现场评审组", ONSITE, ["R001", "R002", "R005", "R008"], None, {}),
    ],
}
BIAS = {"R001": 0, "R002": 5, "R003": -5, "R004": 0, "R005": 5, "R008": -5}
# 2025's open material review: (applicant, reviewer) -> (submitted?, items scored, bias)
OPEN_SHEETS = {
    ("tianhe", "R004"): (True, 23, -20),  # far below the group mean: flagged for calibration
    ("jinggong", "R003"): (False, 12, None),
    ("ayigul", "R002"): (False, 23, None),
    ("ayigul", "R004"): (False, 5, None),
}
STRENGTHS = {
    1: "尚未建立系统的方法",
    2: "开始建立方法，但展开有限",
    3: "方法基本建立并在主要部门展开",
    4: "方法系统有效，在大多数部门展开，有改进实例",
    5: "方法系统、展开充分，持续改进并与组织需求整合",
    6: "方法卓越，全面展开并有创新，可作为标杆",
}


def _percent(rng: random.Random, base: int, bias: int) -> int:
    raw = base + bias + rng.choice((-10, -5, 0, 0, 5, 10))
    return max(0, min(100, 5 * round(raw / 5)))


def _sheet(ctx: DemoContext, app, group, code: str, stage, base: int, state: tuple, day: date):
    submitted, scored, bias = state
    rng = random.Random(f"{app.number}/{stage.value}/{code}")
    bias = BIAS[code] if bias is None else bias
    percents = {
        item.code: _percent(rng, base - (3 if item.code.startswith("4.7") else 0), bias)
        if n < scored
        else None
        for n, item in enumerate(ctx.items)
    }
    scores = sheet_scores(ctx.spec, [SheetLine(c, p) for c, p in percents.items()])
    sheet = ctx.add(
        Scoresheet(
            application_id=app.id,
            group_id=group.id,
            reviewer_id=ctx.reviewers[code].id,
            stage=stage.value,
            status=(SheetStatus.SUBMITTED if submitted else SheetStatus.DRAFT).value,
            total=scores.total,
            submitted_at=at(day, 17) if submitted else None,
            overall_comment="总体符合卓越绩效评价准则要求，结果类条款的对比数据有待充实。"
            if submitted
            else None,
        )
    )
    ctx.session.add_all(
        ScoreLine(
            scoresheet_id=sheet.id,
            item_id=item.id,
            percent=percents[item.code],
            points=scores.items[item.code],
            strengths=f"{item.name_zh}：{STRENGTHS[band(percents[item.code])]}"
            if percents[item.code] is not None
            else None,
            improvements=f"{item.name_zh}的测量分析和改进循环有待加强"
            if percents[item.code] is not None and percents[item.code] < 80
            else None,
        )
        for item in ctx.items
    )
    return sheet, scores


def _group(ctx: DemoContext, cycle, name, stage, members, closed_on):
    group = ctx.add(
        ReviewGroup(
            cycle_id=cycle.id,
            stage=stage.value,
            name=name,
            due_on=(cycle.material_review_on if stage is MATERIAL else cycle.onsite_review_on)
            + timedelta(days=14),
            closed_at=at(closed_on, 18) if closed_on else None,
            closed_by="office" if closed_on else None,
        )
    )
    for n, code in enumerate(members):
        ctx.add(
            ReviewGroupMember(
                group_id=group.id, reviewer_id=ctx.reviewers[code].id, is_leader=n == 0
            )
        )
    return group


def _recommendation(app, stage) -> str:
    if stage is ONSITE:
        return "建议提交综合评价"
    if app.status == ApplicationStatus.NOT_SHORTLISTED:
        return "材料评审得分靠后，不建议列入现场评审名单"
    return "建议列入现场评审名单"


def _stage_score(ctx, app, stage, group, all_scores, leader, day) -> None:
    totals = [s.total for s in all_scores]
    categories = aggregate_categories([s.categories for s in all_scores], Aggregation.MEAN)
    total = aggregate(totals, Aggregation.MEAN)
    ctx.add(
        StageScore(
            application_id=app.id,
            stage=stage.value,
            method=Aggregation.MEAN.value,
            total=total,
            categories={k: str(v) for k, v in categories.items()},
            sheets=len(totals),
            computed_at=at(day, 18),
        ),
        ReviewReport(
            application_id=app.id,
            group_id=group.id,
            stage=stage.value,
            author_id=leader.id,
            summary=f"{app.applicant_name}{stage.label}平均得分 {round_display(total)} 分。"
            "评审组依据 GB/T 19580-2012 逐条评审，认为其领导作用和过程管理基础扎实。",
            strengths="高层领导重视质量，战略目标清晰；顾客满意度测量系统完善。",
            improvements="结果类指标缺少与标杆的对比；创新管理的系统性有待提高。",
            recommendation=_recommendation(app, stage),
            finalized_at=at(day, 18),
        ),
    )


def load_review(ctx: DemoContext, year: int) -> None:
    """The groups of `year`; closed groups also get stage scores, reports and user evaluations."""
    cycle = ctx.cycles[year]
    for name, stage, members, closed_on, bases in GROUPS.get(year, []):
        group = _group(ctx, cycle, name, stage, members, closed_on)
        day = closed_on or (cycle.material_review_on + timedelta(days=6))
        for key, base in bases.items():
            app = ctx.apps[f"{year}:{key}"]
            ctx.add(ReviewAssignment(group_id=group.id, application_id=app.id, stage=stage.value))
            submitted = []
            for code in members:
                # Only the open review has drafts; a closed stage had every sheet submitted.
                state = (
                    (True, 23, None)
                    if closed_on
                    else OPEN_SHEETS.get((key, code), (True, 23, None))
                )
                sheet, scores = _sheet(
                    ctx, app, group, code, stage, base, state, day - timedelta(days=2)
                )
                if sheet.status == SheetStatus.SUBMITTED.value:
                    submitted.append(scores)
            if closed_on:
                leader = ctx.reviewers[members[0]]
                _stage_score(ctx, app, stage, group, submitted, leader, closed_on)
                if stage is ONSITE:
                    _satisfaction(ctx, app, cycle, closed_on)
    ctx.session.flush()


def _satisfaction(ctx: DemoContext, app, cycle, day: date) -> None:
    """M-19.3: user evaluation of shortlisted organizations; beside the scores, not in them."""
    if app.organization_id is None:
        return
    rng = random.Random(f"satisfaction/{app.number}")
    sample = rng.choice((150, 200, 300))
    ctx.add(
        SatisfactionEvaluation(
            application_id=app.id,
            method=SatisfactionMethod.THIRD_PARTY.value,
            agency=cycle.agency_name,
            sample_size=sample,
            valid_responses=sample - rng.randint(3, 15),
            satisfaction_index=Decimal(rng.randint(820, 940)) / 10,
            surveyed_on=day - timedelta(days=30),
            note="对主导产品和服务的用户进行电话和问卷调查",
        )
    )
