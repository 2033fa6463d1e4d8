"""The applicant's own feedback report (Baldrige/EFQM style) after the result is public (M-19.8):
per GB/T 19580 category its score band and the strengths and opportunities the reviewers
wrote, never a reviewer's name nor an individual sheet's score (M-24, M-25)."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.enums import Stage
from app.domain.report_rules import DocumentStageNotReached
from app.domain.scoring import round_display, share_band
from app.services.feedback_content import feedback_content
from app.services.scoresheets import criteria_of, scores_of
from models import Reviewer, Scoresheet, StageScore
from tests.app.document_helpers import application, build, text_of, xml_of


def _decimal_forms(value: Decimal) -> set[str]:
    """How a sheet's score could be written: as stored, normalised, rounded for display."""
    forms = {str(value), str(round_display(value)), format(value.normalize(), "f")}
    return {f for f in forms if "." in f}


def test_feedback_shows_each_categorys_band_from_the_groups_last_stage_score_M_19_8(ctx):
    app = application(ctx, "2024-ZLJ-002")
    content = feedback_content(app.id)
    score = ctx.session.scalar(
        select(StageScore).where(StageScore.application_id == app.id, StageScore.stage == "onsite")
    )
    points = {c.code: c.points for c in criteria_of(app.cycle.criteria_version_id).spec.categories}
    assert content.stage.value == "onsite" and content.outcome == "未获奖"
    assert {c.code: c.band for c in content.categories} == {
        code: share_band(Decimal(v), points[code]) for code, v in score.categories.items()
    }
    assert any(c.strengths for c in content.categories)
    assert any(c.improvements for c in content.categories)


def test_the_feedback_document_names_no_reviewer_and_no_individual_score_M_25(ctx):
    app = application(ctx, "2024-ZLJ-002")
    data = build("feedback", app.id)
    text, xml = text_of(data), xml_of(data)
    assert app.applicant_name in text and "评审反馈报告" in text
    assert "第 4 段" in text or "第 5 段" in text
    content = feedback_content(app.id)
    assert next(s for c in content.categories for s in c.strengths) in text

    names = [r.name for r in ctx.session.scalars(select(Reviewer))]
    assert names and not [n for n in names if n in xml]
    sheets = ctx.session.scalars(select(Scoresheet).where(Scoresheet.application_id == app.id))
    criteria = criteria_of(app.cycle.criteria_version_id)
    tokens = set(re.findall(r"\d+(?:\.\d+)?", text))
    seen = 0
    for sheet in sheets:
        scores = scores_of(sheet, criteria)
        for value in [scores.total, *scores.categories.values()]:
            leaked = [f for f in _decimal_forms(value) if f in xml]
            assert not leaked, f"个人评分 {leaked} 出现在反馈报告中"
        # a total (3 digits or more) appears nowhere in the text, whatever its form
        assert not {str(scores.total.normalize()), str(round_display(scores.total))} & tokens
        seen += 1
    assert seen >= 6  # the material and on-site sheets of the application


def test_feedback_after_the_material_review_only_says_so_M_19_2(ctx):
    app = application(ctx, "2021-TMJ-002")  # not shortlisted for the on-site review
    content = feedback_content(app.id)
    assert content.stage.value == "material" and "未入围现场评审" in content.stage_text
    assert "未入围现场评审" in text_of(build("feedback", app.id))


@pytest.mark.parametrize("number", ["2019-ZLJ-001", "2022-ZLJ-001", "2023-ZLJ-001"])
def test_feedback_is_refused_before_the_result_is_public_naming_the_stage_M_19_8(ctx, number):
    app = application(ctx, number)
    with pytest.raises(DocumentStageNotReached) as exc:
        build("feedback", app.id)
    assert exc.value.rule == "M-19.8"
    assert f"「{Stage(app.cycle.stage).label}」" in str(exc.value)
    assert "「公布表彰」阶段开始后" in str(exc.value)
