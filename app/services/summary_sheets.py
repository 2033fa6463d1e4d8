"""Summary workbook sheets 1 and 2 (issue 7): the cycle's summary, the ranking with its charts."""

from __future__ import annotations

from app.domain.enums import ApplicationStatus, Prize, ReviewStage, Stage
from app.domain.money import budget_summary
from app.domain.quotas import quota_usage
from app.domain.ranking import Candidate

from .summary_facts import EXCLUDED, CycleFacts, industry_of, label_of, shown
from .xlsx import ChartSpec, Column, SheetSpec

# --- 1 汇总 ----------------------------------------------------------------------------
SUMMARY_COLUMNS = [
    Column("类别"),
    Column("项目"),
    Column("数量", "int"),
    Column("金额（元）", "money"),
    Column("日期", "date"),
    Column("说明"),
]


def _winners(facts: CycleFacts) -> tuple[str, dict[Prize, list[str]]]:
    """Approved winners once awards exist, else the winners the ranking proposes (M-19.5)."""
    names: dict[Prize, list[str]] = {p: [] for p in Prize}
    if facts.awards:
        for award in facts.awards:
            suffix = "（已撤销）" if award.revoked else ""
            names[Prize(award.prize)].append(award.application.applicant_name + suffix)
        return "获奖（市政府批准）", names
    for prize, ranking in facts.rankings.items():
        names[prize] = [line.candidate.applicant_name for line in ranking.proposed]
    return "拟表彰（综合评价排名）", names


def summary_rows(facts: CycleFacts) -> list[tuple]:
    c = facts.cycle
    rows: list[tuple] = [
        ("基本信息", "评定年度", c.year, None, None, None),
        ("基本信息", "名称", None, None, None, c.name),
        ("基本信息", "当前阶段", None, None, None, label_of(Stage, c.stage)),
        ("基本信息", "评价准则", None, None, None, str(c.criteria_version or "")),
        ("基本信息", "管理办法", None, None, c.regulation_effective_on, c.regulation_version),
        ("基本信息", "第三方机构", None, None, None,
         "，".join(x for x in (c.agency_name, c.agency_contract_no) if x) or "未委托"),
    ]  # fmt: skip
    for label, day in (
        ("发布日期", c.announced_on),
        ("申报开始", c.opens_on),
        ("申报截止", c.deadline),
        ("材料评审", c.material_review_on),
        ("现场评审", c.onsite_review_on),
    ):
        rows.append(("时间安排", label, None, None, day, None))
    vote_days = sorted({v.held_on for v in facts.votes.values()})
    if vote_days:
        rows.append(("时间安排", "委员会表决", None, None, vote_days[0], None))
    if facts.notice:
        n = facts.notice
        rows.append(("时间安排", "公示", None, None, n.starts_on, f"至 {n.ends_on:%Y-%m-%d}"))
    if facts.approval:
        a = facts.approval
        rows.append(("时间安排", "市政府批准", None, None, a.approved_on, a.document_no))
    if facts.awards:
        first = min(a.awarded_on for a in facts.awards)
        rows.append(("时间安排", "公布表彰", None, None, first, None))
    statuses = [a.status for a in facts.applications]
    onsite = sum(
        1 for app in facts.applications if (app.id, ReviewStage.ONSITE.value) in facts.scores
    )
    rows += [
        ("申报情况", "申报总数", len(facts.applications), None, None, None),
        ("申报情况", "组织申报", sum(a.organization_id is not None for a in facts.applications),
         None, None, None),
        ("申报情况", "个人申报", sum(a.individual_id is not None for a in facts.applications),
         None, None, None),
        ("申报情况", "进入现场评审", onsite, None, None, None),
        ("申报情况", "取消资格或撤回", sum(s in EXCLUDED for s in statuses), None, None, None),
    ]  # fmt: skip
    source, names = _winners(facts)
    quotas = {Prize.AWARD: c.award_quota, Prize.NOMINATION: c.nomination_quota}
    usage = quota_usage(quotas, {p: len(n) for p, n in names.items()})
    for use in usage:
        group = use.prize.label
        tie = facts.rankings.get(use.prize)
        note = (
            "并列跨越名额，待委员会决定"
            if tie and tie.unresolved_tie and not facts.awards
            else None
        )
        rows += [
            (group, "名额", use.quota, None, None, None),
            (group, source, use.used, None, None, "、".join(names[use.prize]) or "无"),
            (group, "空缺", use.vacant, None, None, note),
        ]
        if use.excess:
            rows.append((group, "超出名额", use.excess, None, None, "超出本届名额，须核查"))
    rows += [
        ("奖金标准", Prize.AWARD.label, None, c.award_amount, None, "每个组织"),
        ("奖金标准", Prize.NOMINATION.label, None, c.nomination_amount, None,
         "每个组织或个人"),
    ]  # fmt: skip
    money = budget_summary(
        c.budget,
        c.agency_fee,
        [p.amount for a in facts.awards for p in a.payments],
        [r.amount for rs in facts.recoveries.values() for r in rs if r.recovered],
    )
    for label, amount in (
        ("经费预算", money.budget),
        ("第三方机构费用", money.agency_fee),
        ("已发放奖金", money.prizes_paid),
        ("已追回奖金", money.recovered),
        ("已支出合计", money.committed),
        ("预算结余", money.remaining),
    ):
        rows.append(("经费", label, None, amount, None, None))
    return rows


# --- 2 排名 and the radar charts ------------------------------------------------------
def ranking_columns(facts: CycleFacts) -> list[Column]:
    return [
        Column("奖项"),
        Column("名次", "int"),
        Column("申报编号"),
        Column("申报主体"),
        Column("行业"),
        Column("材料评审得分", "score"),
        Column("用户满意度指数", "percent"),
        Column("现场评审得分", "score"),
        *(Column(f"{cat.code} {cat.name_zh}", "score") for cat in facts.categories),
        Column("拟表彰", "bool"),
        Column("并列及区分说明"),
        Column("表决日期", "date"),
        Column("赞成", "int"),
        Column("反对", "int"),
        Column("弃权", "int"),
        Column("表决通过", "bool"),
        Column("当前状态"),
    ]


def ranking_rows(facts: CycleFacts) -> list[tuple]:
    by_id = {app.id: app for app in facts.applications}
    rows = []
    for prize, ranking in facts.rankings.items():
        entries = [(line.candidate, line, "") for line in ranking.lines]
        # Not ranked but reviewed on site (disqualified or withdrawn since): listed, no rank.
        entries += [
            (cand, None, reason) for cand, reason in ranking.not_ranked if cand.onsite is not None
        ]
        for cand, line, reason in entries:
            app = by_id[cand.application_id]
            notes = [reason] if reason else []
            if line is not None:
                notes += [n for n in (line.tie_note, line.tie_break) if n]
                if line.below_minimum:
                    notes.append("低于最低现场评审得分，不予推荐")
            vote = facts.votes.get(app.id)
            rows.append(
                (
                    prize.label,
                    line.rank if line else None,
                    app.number,
                    app.applicant_name,
                    industry_of(facts, app),
                    shown(cand.material),
                    cand.satisfaction,
                    shown(cand.onsite),
                    *(shown(facts.category_score(app.id, cat.code)) for cat in facts.categories),
                    bool(line and line.proposed),
                    "；".join(notes),
                    vote.held_on if vote else None,
                    vote.votes_for if vote else None,
                    vote.votes_against if vote else None,
                    vote.abstentions if vote else None,
                    vote.passed if vote else None,
                    label_of(ApplicationStatus, app.status),
                )
            )
    return rows


def ranking_chart(facts: CycleFacts) -> ChartSpec:
    onsite = 7  # 现场评审得分
    return ChartSpec("bar", "现场评审得分排名", categories_col=3, value_cols=[onsite])


def finalists(facts: CycleFacts) -> list[Candidate]:
    return [line.candidate for r in facts.rankings.values() for line in r.lines]


def category_sheet(facts: CycleFacts) -> SheetSpec:
    """One row per category: its maximum and each finalist's on-site score, for the radars."""
    people = finalists(facts)
    columns = [
        Column("类别"),
        Column("满分", "score"),
        *(Column(f"{c.applicant_name}", "score") for c in people),
    ]
    rows = [
        (
            f"{cat.code} {cat.name_zh}",
            cat.points,
            *(shown(facts.category_score(c.application_id, cat.code)) for c in people),
        )
        for cat in facts.categories
    ]
    charts = [
        ChartSpec("radar", f"{c.applicant_name}：各类别现场评审得分与满分", 0, [2 + n], max_col=1)
        for n, c in enumerate(people)
    ]
    return SheetSpec("类别得分", "入围现场评审者各类别得分与满分", columns, rows, charts)
