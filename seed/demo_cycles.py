"""Demo cycles at every stage (M-17) and their applications with recommendations (M-18)."""

from datetime import date, timedelta
from decimal import Decimal

from app.domain.enums import ApplicantKind, ApplicationStatus, Prize, Stage
from models import Application, AwardCycle, Recommendation, StageMove

from . import demo_progress_data as progress
from .context import DemoContext, at
from .demo_eligibility import review_eligibility

S = ApplicationStatus
AGENCIES = {
    2021: ("伊犁恒正质量技术服务有限公司", "YNSJ-CG-2021-017", Decimal("80000.00")),
    2024: ("新疆卓越质量管理咨询有限公司", "YNSJ-CG-2024-009", Decimal("85000.00")),
    2025: ("新疆卓越质量管理咨询有限公司", "YNSJ-CG-2025-011", Decimal("85000.00")),
    2026: ("伊犁恒正质量技术服务有限公司", "YNSJ-CG-2026-006", Decimal("88000.00")),
    2027: (None, None, Decimal("0.00")),
    **{y: (a, c, Decimal(fee)) for y, (a, c, fee) in progress.AGENCIES.items()},
}
STAGE_OF = {
    **progress.STAGE_OF,
    2021: Stage.CLOSED,
    2024: Stage.ANNOUNCED,
    2025: Stage.MATERIAL_REVIEW,
    2026: Stage.ELIGIBILITY,
    2027: Stage.APPLICATIONS_OPEN,
}
# year: (applications open, deadline, material review); the open 2027 cycle follows `today`.
DATES = {
    2021: ("2021-03-15", "2021-05-31", "2021-07-05"),
    2024: ("2024-03-15", "2024-05-31", "2024-07-08"),
    2025: ("2025-03-17", "2025-05-30", "2025-07-14"),
    2026: ("2026-03-16", "2026-05-29", "2026-07-13"),
    **progress.DATES,
}
# The day each stage was entered, for the cycles that went far (StageMove history).
TIMELINES = {
    2021: [
        "2021-02-20",
        "2021-03-15",
        "2021-06-01",
        "2021-07-05",
        "2021-07-26",
        "2021-08-16",
        "2021-09-13",
        "2021-10-20",
        "2021-10-25",
        "2021-11-01",
        "2021-11-26",
        "2022-12-30",
    ],
    2024: [
        "2024-02-20",
        "2024-03-15",
        "2024-06-03",
        "2024-07-08",
        "2024-07-29",
        "2024-08-19",
        "2024-09-16",
        "2024-10-22",
        "2024-10-28",
        "2024-11-04",
        "2024-11-28",
    ],
    2025: ["2025-02-24", "2025-03-17", "2025-06-03", "2025-07-14"],
    2026: ["2026-02-23", "2026-03-16", "2026-06-01"],
    **progress.TIMELINES,
}

# year: [(prize, applicant, recommender, signed, status, eligibility reviewed on, extras)]
APPLICATIONS = {
    2021: [
        (Prize.AWARD, "tianshan", "miit", True, S.AWARDED, "2021-06-15", {}),
        (Prize.AWARD, "hengxin", "housing", True, S.AWARDED, "2021-06-15", {}),
        (Prize.AWARD, "jinggong", "miit", True, S.NOT_AWARDED, "2021-06-15", {}),
        (Prize.NOMINATION, "li_jianhua", "association", True, S.AWARDED, "2021-06-16", {}),
        (Prize.NOMINATION, "guoxiang", "association", True, S.NOT_SHORTLISTED, "2021-06-16", {}),
    ],
    2024: [
        (Prize.AWARD, "silu", "association", True, S.AWARDED, "2024-06-13", {}),
        (Prize.AWARD, "jinggong", "miit", True, S.NOT_AWARDED, "2024-06-13", {}),
        (Prize.NOMINATION, "lab_team", "health", True, S.AWARDED, "2024-06-14", {}),
    ],
    2025: [
        (Prize.AWARD, "xuelian", "miit", True, S.ELIGIBLE, "2025-06-12", {}),
        (Prize.AWARD, "tianhe", "housing", True, S.ELIGIBLE, "2025-06-12", {}),
        (Prize.AWARD, "jinggong", "miit", True, S.ELIGIBLE, "2025-06-12", {}),
        (Prize.AWARD, "kangyuan", "miit", True, S.RETURNED_INELIGIBLE, "2025-06-13", {}),
        (Prize.NOMINATION, "ayigul", "health", True, S.ELIGIBLE, "2025-06-13", {}),
    ],
    2026: [
        (Prize.AWARD, "heating", "miit", True, S.ELIGIBLE, "2026-06-10", {}),
        (
            Prize.AWARD,
            "xinda",
            "housing",
            True,
            S.RETURNED_INCOMPLETE,
            "2026-06-10",
            {
                "missing": "1. 自评报告缺少第4.7部分（结果）；\n2. ISO 9001认证证书复印件未加盖单位公章；\n"
                "3. 纸质申报材料仅报送1份（应为2份）。",
                "paper_copies": 1,
            },
        ),
        (
            Prize.AWARD,
            "yixiang",
            "samr",
            True,
            S.RETURNED_FALSIFIED,
            "2026-06-12",
            {
                "reasons": "申报材料所附ISO 9001认证证书（编号00124Q31287R0M）经认证机构和国家认证认可"
                "监督管理委员会网站核实，该证书不存在，系伪造。依据《办法》第十九条（一），"
                "退回申报，当年不得补报。",
            },
        ),
        (Prize.AWARD, "jindun", "miit", True, S.RETURNED_INELIGIBLE, "2026-06-11", {}),
        (Prize.AWARD, "hengxin", "housing", True, S.RETURNED_INELIGIBLE, "2026-06-11", {}),
        (Prize.NOMINATION, "wang_zhigang", "housing", True, S.ELIGIBLE, "2026-06-11", {}),
        (Prize.NOMINATION, "ma_xiaoyan", "association", False, S.SUBMITTED, None, {}),
    ],
    2027: [
        (Prize.AWARD, "guoxiang", "association", True, S.SUBMITTED, None, {}),
        (Prize.AWARD, "kangyuan", None, False, S.DRAFT, None, {}),
    ],
    **progress.APPLICATIONS,
}
SUMMARIES = {
    "tianshan": "以“从牧场到餐桌”全链条质量管控为特色，导入卓越绩效模式十余年，主导产品巴氏杀菌乳市场占有率居全州前列。",
    "hengxin": "房屋建筑工程施工总承包一级企业，推行精细化工程质量管理，近年承建项目获“天山杯”优质工程奖。",
    "jinggong": "专业生产农牧业机械齿轮箱及零部件，建立数字化质量追溯系统，产品远销中亚五国。",
    "li_jianhua": "从事乳制品质量管理二十余年，主持建立企业食品安全与质量管理体系，推动六西格玛改进项目30余项。",
    "guoxiang": "以伊犁特色林果种植、分选和冷链销售为主业，推行标准化种植和良好农业规范。",
    "silu": "为州、市政务和企业提供云计算与数据服务，获信息安全与服务管理体系认证，客户满意度持续提升。",
    "lab_team": "检验科质量控制班组推行ISO 15189实验室管理，室间质评合格率连续五年100%。",
    "xuelian": "伊犁特色肉制品和乳制品生产企业，以标准化生产和冷链配送保障产品质量。",
    "tianhe": "市政和房屋建筑施工企业，推行工程质量标准化管理，多项工程获自治区优质工程。",
    "kangyuan": "中药饮片和民族药生产企业，实施药品生产质量管理规范。",
    "ayigul": "带领检验科质量控制班组推行实验室认可，主持QC小组活动获全国优秀质量管理小组。",
    "heating": "承担伊宁市主城区集中供热，推行供热服务质量承诺制和智慧热网，用户满意度逐年提升。",
    "xinda": "机电安装和建筑装饰工程企业。",
    "yixiang": "连锁餐饮企业，经营伊犁特色餐饮。",
    "jindun": "新型墙体材料和预拌砂浆生产企业。",
    "wang_zhigang": "主管企业工程质量与安全生产十余年，主持推行QC小组活动，多项成果获自治区奖励。",
    "ma_xiaoyan": "负责企业ISO 9001与ISO/IEC 27001体系运行和持续改进。",
    "zhao_wenbo": "主持齿轮箱关键工序统计过程控制和质量追溯系统建设，一次交验合格率提升至99.6%。",
    "nurgul": "建立供热服务质量标准和客户回访制度，推动投诉“接诉即办”，用户满意度逐年提升。",
}
OPINIONS = {
    True: "该单位（个人）质量管理成效显著，申报材料经我单位审核属实，同意推荐申报。",
    False: "拟同意推荐，待单位负责人签字盖章。",
}


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _cycle_dates(year: int, today: date) -> dict:
    if year == progress.DRAFT_YEAR:  # being prepared: the period is not announced yet
        return {}
    if year == 2027:  # the open cycle: its deadline always lies ahead of `today`
        opens = today - timedelta(days=30)
        deadline = today + timedelta(days=90)
        return dict(
            announced_on=opens - timedelta(days=7),
            opens_on=opens,
            deadline=deadline,
            material_review_on=deadline + timedelta(days=45),
            onsite_review_on=deadline + timedelta(days=90),
        )
    opens, deadline, material = (date.fromisoformat(d) for d in DATES[year])
    return dict(
        announced_on=opens - timedelta(days=14),
        opens_on=opens,
        deadline=deadline,
        material_review_on=material,
        onsite_review_on=material + timedelta(days=42),
    )


def cycle_name(year: int) -> str:
    """A demonstration cycle's name says so, and at which stage it stands."""
    name = f"{year}年度伊宁市政府质量奖"
    if year in progress.DEMO_STAGES:
        name += f"（演示：{progress.DEMO_STAGES[year].label}阶段）"
    return name


def _arrangements(dates: dict) -> str:
    if not dates:
        return "筹备中：申报受理期、评审标准和评审安排待市质评办公布后通知。"
    return (
        f"申报材料一式两份报送市质评办（设在伊宁市市场监督管理局）；材料评审定于"
        f"{dates['material_review_on']:%Y年%m月}，现场评审定于{dates['onsite_review_on']:%Y年%m月}。"
    )


def _cycle(ctx: DemoContext, year: int) -> AwardCycle:
    agency, contract, fee = AGENCIES[year]
    dates = _cycle_dates(year, ctx.today)
    cycle = ctx.add(
        AwardCycle(
            year=year,
            name=cycle_name(year),
            stage=STAGE_OF[year].value,
            supplement_days=10,
            arrangements=_arrangements(dates),
            award_quota=2,
            nomination_quota=2,
            award_amount=Decimal("200000.00"),
            nomination_amount=Decimal("30000.00"),
            budget=Decimal("600000.00"),
            agency_name=agency,
            agency_contract_no=contract,
            agency_fee=fee,
            criteria_version_id=ctx.version.id,
            # 2024 shows a vacancy under M-4: no award below this on-site score.
            min_onsite_score=Decimal("750.00") if year == 2024 else None,
            shortlist_size=3 if year >= 2025 else None,
            **dates,
        )
    )
    if STAGE_OF[year].order > Stage.ELIGIBILITY.order:  # M-19.1: confirmed before moving on
        cycle.eligibility_confirmed_at = at(date(year, 6, 25), 15)
        cycle.eligibility_confirmed_by = "committee1"
        cycle.eligibility_confirmation_note = "委员会会议确认资格审查结果"
    _stage_moves(ctx, cycle)
    return cycle


def timeline_day(today: date, text: str) -> date:
    """A day of TIMELINES; the running public notice began a few days before `today`."""
    if text == progress.TODAY:
        return today - timedelta(days=progress.NOTICE_BEFORE_TODAY)
    return _d(text)


def _stage_moves(ctx: DemoContext, cycle: AwardCycle) -> None:
    """The history of the stages the cycle went through, each move logged as the workflow does."""
    stages = list(Stage)[: Stage(cycle.stage).order + 1]
    days = [timeline_day(ctx.today, t) for t in TIMELINES.get(cycle.year, [])] or [
        cycle.announced_on,
        cycle.opens_on,
    ]
    for before, after, day in zip(stages, stages[1:], days[1:], strict=False):
        move = ctx.add(
            StageMove(
                cycle_id=cycle.id,
                from_stage=before.value,
                to_stage=after.value,
                moved_at=at(day, 9),
                moved_by="office",
            )
        )
        ctx.log(
            "advance_stage",
            cycle,
            f"{cycle.name}由「{before.label}」推进到「{after.label}」",
            move.moved_at,
            details={"from": before.value, "to": after.value},
            cycle_id=cycle.id,
        )


def _application(ctx: DemoContext, cycle: AwardCycle, number: str, spec: tuple) -> Application:
    prize, key, recommender, signed, status, _reviewed, extras = spec
    applicant = ctx.applicant(key)
    is_org = key in ctx.orgs
    submitted = None if status is S.DRAFT else min(cycle.deadline - timedelta(days=9), ctx.today)
    app = ctx.add(
        Application(
            cycle_id=cycle.id,
            number=number,
            prize=prize.value,
            applicant_kind=(
                ApplicantKind.ORGANIZATION if is_org else ApplicantKind.INDIVIDUAL
            ).value,
            organization_id=applicant.id if is_org else None,
            individual_id=None if is_org else applicant.id,
            status=S.SUBMITTED.value if submitted else S.DRAFT.value,
            submitted_on=submitted,
            paper_copies=extras.get("paper_copies", 2) if submitted else 0,
            paper_received_on=submitted + timedelta(days=2) if submitted else None,
            summary=SUMMARIES.get(key),
        )
    )
    if recommender is not None:
        ctx.add(
            Recommendation(
                application_id=app.id,
                recommender_id=ctx.recommenders[recommender].id,
                opinion=OPINIONS[signed],
                signatory=ctx.recommenders[recommender].contact_name if signed else None,
                signed_on=(submitted - timedelta(days=3)) if signed and submitted else None,
                pages=2,
            )
        )
    return app


def load_cycle(ctx: DemoContext, year: int) -> AwardCycle:
    """The cycle of `year` with its applications, each taken through eligibility as specified."""
    cycle = _cycle(ctx, year)
    ctx.cycles[year] = cycle
    counters = {Prize.AWARD: 0, Prize.NOMINATION: 0}
    for spec in APPLICATIONS[year]:
        prize, key, _rec, _signed, status, reviewed, extras = spec
        counters[prize] += 1
        number = f"{year}-{'ZLJ' if prize is Prize.AWARD else 'TMJ'}-{counters[prize]:03d}"
        app = _application(ctx, cycle, number, spec)
        ctx.apps[f"{year}:{key}"] = app
        if reviewed:
            review_eligibility(ctx, app, _d(reviewed), status, extras)
        if status not in (S.SUBMITTED, S.DRAFT):
            app.status = status.value
    ctx.session.flush()
    return cycle
