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

from . import demo_progress_data as progress
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
    **{
        year: [
            (name, stage, members, date.fromisoformat(closed) if closed else None, bases)
            for name, stage, members, closed, bases in groups
        ]
        for year, groups in progress.GROUPS.items()
    },
}
BIAS = {"R001": 0, "R002": 5, "R003": -5, "R004": 0, "R005": 5, "R008": -5}
# The open reviews: year -> (applicant, reviewer) -> (submitted?, items scored, bias)
OPEN_SHEETS = {
    2025: {
        ("tianhe", "R004"): (True, 23, -20),  # far below the group mean: flagged for calibration
        ("jinggong", "R003"): (False, 12, None),
        ("ayigul", "R002"): (False, 23, None),
        ("ayigul", "R004"): (False, 5, None),
    },
    2018: progress.OPEN_SHEETS,
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


def _sheet(ctx: DemoContext, app, group, code: str, stage, base: int, state: tuple, day, seed):
    submitted, scored, bias = state
    rng = random.Random(f"{seed}/{stage.value}/{code}")
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
            category_sums=scores.as_submitted() if submitted else None,
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


def _seed(ctx: DemoContext, year: int, key: str) -> str:
    """Twins are scored from the same random draws, so their scores tie exactly."""
    twin = progress.TWINS.get(f"{year}:{key}")
    return (ctx.apps[twin] if twin else ctx.apps[f"{year}:{key}"]).number


def _due_on(ctx: DemoContext, cycle, stage, closed_on) -> date:
    if closed_on is None and cycle.year in progress.DEMO_STAGES:
        # The review under way in a demonstration cycle is due shortly after the demo's today.
        return ctx.today + timedelta(days=progress.OPEN_GROUP_DUE_DAYS)
    start = cycle.material_review_on if stage is MATERIAL else cycle.onsite_review_on
    return start + timedelta(days=14)


def _group(ctx: DemoContext, cycle, name, stage, members, closed_on):
    group = ctx.add(
        ReviewGroup(
            cycle_id=cycle.id,
            stage=stage.value,
            name=name,
            due_on=_due_on(ctx, cycle, stage, closed_on),
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


def _recommendation(app, stage, key: str) -> str:
    if stage is ONSITE:
        return "建议提交综合评价"
    chosen = progress.SHORTLISTS.get(app.cycle.year)
    if app.status == ApplicationStatus.NOT_SHORTLISTED or (chosen and key not in chosen):
        return "材料评审得分靠后，不建议列入现场评审名单"
    return "建议列入现场评审名单"


def _stage_score(ctx, app, stage, group, all_scores, members, day, key) -> None:
    leader = ctx.reviewers[members[0]]
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
            recommendation=_recommendation(app, stage, key),
            finalized_at=at(day, 18),
        ),
    )
    ctx.log(
        "stage_score",
        app,
        f"{stage.label}得分 {round_display(total)}（{Aggregation.MEAN.label}，{len(totals)} 份评分表）",
        at(day, 18),
        details={
            "totals": {ctx.reviewers[c].name: str(t) for c, t in zip(members, totals, strict=True)}
        },
        cycle_id=app.cycle_id,
        application_id=app.id,
    )


def _sheet_day(ctx: DemoContext, cycle, stage, closed_on) -> date:
    """When the sheets were submitted: before the group closed, or lately in an open review."""
    if closed_on:
        return closed_on - timedelta(days=2)
    if cycle.year in progress.DEMO_STAGES:
        return ctx.today - timedelta(days=2)
    return cycle.material_review_on + timedelta(days=4)


def load_review(ctx: DemoContext, year: int, only: ReviewStage | None = None) -> None:
    """The groups of `year` (of one review stage if `only`); closed groups also get stage scores
    and reports, and in the real editions the user evaluations beside them."""
    cycle = ctx.cycles[year]
    for name, stage, members, closed_on, bases in GROUPS.get(year, []):
        if only is not None and stage is not only:
            continue
        group = _group(ctx, cycle, name, stage, members, closed_on)
        day = _sheet_day(ctx, cycle, stage, closed_on)
        for key, base in bases.items():
            app = ctx.apps[f"{year}:{key}"]
            ctx.add(ReviewAssignment(group_id=group.id, application_id=app.id, stage=stage.value))
            submitted = []
            for code in members:
                # Only an open review has drafts; a closed stage had every sheet submitted.
                state = (
                    (True, 23, None)
                    if closed_on
                    else OPEN_SHEETS.get(year, {}).get((key, code), (True, 23, None))
                )
                sheet, scores = _sheet(
                    ctx, app, group, code, stage, base, state, day, _seed(ctx, year, key)
                )
                if sheet.status == SheetStatus.SUBMITTED.value:
                    submitted.append(scores)
            if closed_on:
                _stage_score(ctx, app, stage, group, submitted, members, closed_on, key)
                if stage is ONSITE and year not in progress.DEMO_STAGES:
                    satisfaction(ctx, app, cycle, closed_on - timedelta(days=30))
        if closed_on:
            ctx.log(
                "close_review_group",
                group,
                f"结束评审组 {group.name} 的{stage.label}",
                at(closed_on, 18),
                cycle_id=cycle.id,
            )
    ctx.session.flush()


def satisfaction(ctx: DemoContext, app, cycle, day: date, own: bool = False) -> None:
    """M-19.3: user evaluation of shortlisted organizations; beside the scores, not in them."""
    if app.organization_id is None:
        return
    rng = random.Random(f"satisfaction/{app.number}")
    sample = rng.choice((150, 200, 300))
    method = SatisfactionMethod.OWN_EVIDENCE if own else SatisfactionMethod.THIRD_PARTY
    row = ctx.add(
        SatisfactionEvaluation(
            application_id=app.id,
            method=method.value,
            agency=None if own else cycle.agency_name,
            sample_size=sample,
            valid_responses=sample - rng.randint(3, 15),
            satisfaction_index=Decimal(rng.randint(820, 940)) / 10,
            surveyed_on=day,
            note="本单位开展的顾客满意度测评及其证明材料"
            if own
            else "对主导产品和服务的用户进行电话和问卷调查",
        )
    )
    ctx.log(
        "satisfaction",
        row,
        f"{app.number} {app.applicant_name}用户满意度指数 {row.satisfaction_index}"
        f"（{method.label}，样本 {row.sample_size}，有效 {row.valid_responses}）",
        at(day + timedelta(days=3), 11),
        cycle_id=cycle.id,
        application_id=app.id,
    )
