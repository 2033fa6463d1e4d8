"""The applicant's feedback report as a Word document (Baldrige/EFQM style): the score band and
the strengths and opportunities for improvement per GB/T 19580 category, never a reviewer's
name or any points (M-24, M-25). Given once the result is public (M-19.8)."""

from datetime import date

from app.domain.scoring import BAND_GUIDE, BANDS
from app.services.feedback_content import FeedbackContent, feedback_content
from app.services.official_docs import layout as L
from app.services.official_docs.common import OFFICE, record_of
from app.services.official_docs.findings import category_findings, group_opinion, table
from app.services.official_docs.registry import Spec, register
from models import Application


def build_feedback(
    content: FeedbackContent, number: str | None = None, dated: date | None = None
) -> bytes:
    c = content
    doc = L.new_document(f"{c.year}年度伊宁市政府质量奖评审反馈报告")
    L.add_addressee(doc, c.applicant)
    L.add_paragraph(
        doc,
        f"感谢你方参加{c.cycle_name}（申报编号 {c.number}，申报{c.prize}）。你方的申报经过了"
        f"{c.stage_text}，评定结果为：{c.outcome}。评审组依据{c.criteria_name}逐条评审，现将"
        "评审发现反馈如下，供你方持续改进参考。本报告只反映评审组的总体意见，不列评审员"
        "姓名及个人评分（M-25）。",
    )
    L.add_heading(doc, "一、总体评分段")
    L.add_paragraph(
        doc,
        f"你方的总体成熟度处于第 {c.overall_band} 段（得分率 {c.overall_text}）。"
        "评分段依据 GB/T 19580 的六个评分段：",
    )
    table(
        doc,
        ["评分段", "得分率", "过程类目（方法-展开-学习-整合）", "结果类目（水平-趋势-对比-整合）"],
        [[f"第 {n} 段", f"{low}%–{high}%", *BAND_GUIDE[n]] for n, low, high in BANDS],
        widths_mm=[18, 24, 57, 57],
    )
    L.add_heading(doc, "二、各类目的评分段、优势和改进机会")
    for i, x in enumerate(c.categories, 1):
        band = f"第 {x.band} 段（{x.band_range}）" if x.band else "未评分"
        note = f"评分段特征：{x.band_text}。" if x.band_text else ""
        heading = f"{x.code} {x.name}：{band}"
        category_findings(doc, i, heading, x.strengths, x.improvements, empty="无。", note=note)
    if c.strengths or c.improvements:
        L.add_heading(doc, "三、评审组综合意见")
        group_opinion(doc, c.strengths, c.improvements)
    L.add_signature(doc, OFFICE, dated or c.today)
    return L.to_bytes(doc)


FEEDBACK = register(
    Spec(
        kind="feedback",
        label_zh="评审反馈报告",
        target="application",
        builder=lambda app, number=None, dated=None: build_feedback(
            feedback_content(app.id), number, dated
        ),
        load=lambda pk: record_of(Application, pk, "申报"),
        stage_check=lambda app: feedback_content(app.id),  # refused before 公布表彰 (M-19.8)
        rule="M-19.8",
        year_of=lambda app: app.cycle.year,
    )
)
