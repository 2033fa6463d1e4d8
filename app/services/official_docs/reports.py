"""The review reports as Word documents: the material and on-site review report of an
application (M-19.2, M-19.4), signed off by the group's leader, and the comprehensive
evaluation report of a cycle (M-19.5). Content from app.services.review_report_content and
app.services.evaluation_content; page set-up from layout (GB/T 9704)."""

from datetime import date

from app.domain.enums import ReviewStage
from app.domain.stages import zh_date
from app.services.evaluation_content import EvaluationContent, evaluation_content
from app.services.official_docs import layout as L
from app.services.official_docs.common import OFFICE, cycle_of_year, record_of
from app.services.official_docs.findings import category_findings, group_opinion, ordinal, table
from app.services.official_docs.registry import Spec, register
from app.services.review_report_content import ReviewReportContent, review_report_content
from models import Application

SMALL_PT = 10.5  # 5号: tables with many columns


def points(value) -> str:
    """A criteria point value as the standard prints it: 110, 12.5 (never 1.1E+2)."""
    return format(value.normalize(), "f")


def _when(moment) -> str:
    return f"{zh_date(moment.date())} {moment:%H:%M}" if moment else "—"


def build_review_report(
    content: ReviewReportContent, number: str | None = None, dated: date | None = None
) -> bytes:
    """M-19.2 / M-19.4: the group's report on one application, compiled from its sheets."""
    c = content
    doc = L.new_document(f"{c.cycle_year}年度伊宁市政府质量奖{c.title}")
    table(
        doc,
        ["项目", "内容"],
        [
            ["申报编号", c.number],
            ["申报单位（个人）", c.applicant],
            ["申报奖项", c.prize],
            ["评审组", c.group_name],
            ["组长", c.leader],
            ["成员", "、".join(c.members)],
            ["评审依据", c.criteria_name],
            ["评审结束时间", _when(c.closed_at)],
        ],
        widths_mm=[40, 116],
    )
    L.add_heading(doc, "一、评审得分")
    L.add_paragraph(
        doc,
        f"评审组得分 {c.total_display} 分（满分 1000 分）。计分方法：{c.method_text}。"
        f"本报告计入 {c.counted} 份评分表。",
    )
    table(
        doc,
        ["类目", "名称", "满分", "评审组得分"],
        [[x.code, x.name, points(x.max_points), x.score_display] for x in c.categories]
        + [["", "合计", "1000", c.total_display]],
        widths_mm=[22, 70, 30, 34],
    )
    L.add_paragraph(doc)
    table(
        doc,
        ["评审员", "评分表总分", "是否计入", "说明"],
        [
            [
                s.reviewer + ("（组长）" if s.leader else ""),
                points(s.total),
                "计入" if s.counted and not s.trimmed else "不计入",
                s.reason or ("去掉最高分或最低分" if s.trimmed else ""),
            ]
            for s in c.sheets
        ],
        widths_mm=[34, 30, 22, 70],
    )
    if c.exclusions:
        L.add_paragraph(doc, "不计入的评分表（M-25.2）：" + "；".join(c.exclusions) + "。")
    L.add_heading(doc, "二、各类目的优势和改进机会")
    for i, x in enumerate(c.categories, 1):
        category_findings(
            doc, i, f"{x.code} {x.name}", x.strengths, x.improvements, empty="评审员未填写。"
        )
    L.add_heading(doc, "三、评审组意见")
    L.add_paragraph(doc, c.summary or "（评审组未另写综述）")
    group_opinion(doc, c.strengths, c.improvements)
    if c.recommendation:
        L.add_paragraph(doc, "评审组建议：" + c.recommendation)
    L.add_heading(doc, "四、签发")
    L.add_paragraph(
        doc,
        f"本报告由评审组组长 {c.signed_off_by or c.leader} 于 {_when(c.signed_off_at)} "
        f"在系统中签发（组长负责制，M-10；{c.rule}）。",
    )
    return L.to_bytes(doc)


def build_evaluation_report(
    content: EvaluationContent, number: str | None = None, dated: date | None = None
) -> bytes:
    """M-19.5: the ranking of each prize with the tie-breaks, quotas and vacancies (M-4)."""
    c = content
    doc = L.new_document(f"{c.year}年度伊宁市政府质量奖综合评价报告")
    L.add_paragraph(
        doc,
        f"根据材料评审、用户评价和现场评审的结果，市质评办对{c.cycle_name}的现场评审名单进行"
        "综合评价，按政府质量奖和政府质量提名奖分别排名，在名额内提出拟表彰名单，报告如下。",
    )
    L.add_heading(doc, "一、评价方法")
    L.add_paragraph(doc, c.ranking_rule)
    L.add_paragraph(
        doc,
        f"评审组得分的计算方法：{c.method}。现场评审最低分：{c.minimum}；"
        "低于最低分的不予推荐，名额可以空缺（M-4）。用户满意度测评结果列示备查，不计入总分。",
    )
    for i, prize in enumerate(c.prizes, 2):
        L.add_heading(doc, f"{ordinal(i)}、{prize.prize.label}（名额 {prize.quota} 个）")
        if prize.lines:
            table(
                doc,
                [
                    "名次",
                    "申报编号",
                    "申报单位（个人）",
                    "现场评审",
                    "结果类别",
                    "材料评审",
                    "满意度",
                    "结论",
                ],
                [
                    [
                        str(x.rank),
                        x.number,
                        x.applicant,
                        x.onsite,
                        x.results,
                        x.material,
                        x.satisfaction,
                        x.outcome,
                    ]
                    for x in prize.lines
                ],
                widths_mm=[10, 26, 38, 15, 15, 15, 13, 24],
                font_pt=SMALL_PT,
            )
        else:
            L.add_paragraph(doc, "本奖项没有进入综合评价的申报。")
        notes = [f"{x.applicant}：{x.tie_break}" for x in prize.lines if x.tie_break]
        notes += [f"{x.applicant}{x.tie_note}" for x in prize.lines if x.tie_note]
        for note in dict.fromkeys(notes):
            L.add_paragraph(doc, f"并列与区分：{note}。")
        for number_, applicant, why in prize.not_ranked:
            L.add_paragraph(doc, f"不参与排名：{number_} {applicant}，{why}。")
        L.add_paragraph(doc, f"名额与空缺：{prize.vacancy_text}。")
        if prize.unresolved_tie:
            L.add_paragraph(doc, "跨越名额的并列名次提请评定委员会决定（M-19.5）。")
    L.add_signature(doc, OFFICE, dated or c.today)
    return L.to_bytes(doc)


def _application(pk) -> Application:
    return record_of(Application, pk, "申报")


def _review_spec(kind: str, stage: ReviewStage, label: str, rule: str) -> Spec:
    """The record is the application; compiling its report checks the group closed, no sheet
    still counted that a conflict leaves out (M-25.2) and the leader's sign-off."""
    return register(
        Spec(
            kind=kind,
            label_zh=label,
            target="application",
            builder=lambda app, number=None, dated=None: build_review_report(
                review_report_content(app.id, stage), number, dated
            ),
            load=_application,
            stage_check=lambda app: review_report_content(app.id, stage),
            rule=rule,
            year_of=lambda app: app.cycle.year,
        )
    )


MATERIAL = _review_spec("material-report", ReviewStage.MATERIAL, "材料评审报告", "M-19.2")
ONSITE = _review_spec("onsite-report", ReviewStage.ONSITE, "现场评审报告", "M-19.4")
EVALUATION = register(
    Spec(
        kind="evaluation-report",
        label_zh="综合评价报告",
        target="year",
        builder=lambda cycle, number=None, dated=None: build_evaluation_report(
            evaluation_content(cycle.year), number, dated
        ),
        load=cycle_of_year,
        stage_check=lambda cycle: evaluation_content(cycle.year),
        rule="M-19.5",
        year_of=lambda cycle: cycle.year,
    )
)
