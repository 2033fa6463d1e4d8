"""The material and on-site review reports (M-19.2, M-19.4) on the demo data: compiled from the
group's counting sheets, stating the score per category and in total with the method, the
sheets a late conflict leaves out (M-25.2), signed off by the group's leader only (M-10)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from docx import Document
from sqlalchemy import select

from app.domain.counting import TooFewCountingReviewers
from app.domain.enums import ReviewStage
from app.domain.errors import RecordNotFound, RuleViolation
from app.domain.report_rules import ReportNotSignedOff, SignOffRefused
from app.domain.scoring import round_display
from app.services import scoring_close
from app.services.report_signoff import sign_off_report
from app.services.review_report_content import review_report_content
from app.services.scoring import Actor
from models import (
    AuditEntry,
    InterestDeclaration,
    Reviewer,
    ReviewReport,
    StageScore,
)
from tests.app.document_helpers import application, build, text_of


def reviewer(db, code: str) -> Reviewer:
    return db.session.scalar(select(Reviewer).where(Reviewer.code == code))


def actor(db, code: str) -> Actor:
    r = reviewer(db, code)
    return Actor(r.user.username if r.user else code, r.id)


def stage_score(db, app_id: int, stage: ReviewStage) -> StageScore:
    return db.session.scalar(
        select(StageScore).where(
            StageScore.application_id == app_id, StageScore.stage == stage.value
        )
    )


def report(db, app_id: int, stage: ReviewStage) -> ReviewReport:
    return db.session.scalar(
        select(ReviewReport).where(
            ReviewReport.application_id == app_id, ReviewReport.stage == stage.value
        )
    )


def test_the_onsite_report_states_the_group_score_per_category_and_in_total_M_19_4(ctx):
    app = application(ctx, "2024-ZLJ-001")
    content = review_report_content(app.id, ReviewStage.ONSITE)
    score = stage_score(ctx, app.id, ReviewStage.ONSITE)
    assert content.total == score.total and content.counted == score.sheets == 3
    assert {c.code: c.score for c in content.categories} == {
        code: Decimal(value) for code, value in score.categories.items()
    }
    assert [c.name for c in content.categories][:2] == ["领导", "战略"]
    assert content.method_text.startswith("算术平均") and "3 份" in content.method_text
    assert all(s.counted for s in content.sheets) and len(content.sheets) == 3
    assert any(c.strengths for c in content.categories)
    assert content.signed_off_by == "张卫国" and content.leader == "张卫国"


def test_the_material_report_document_says_scores_method_findings_and_sign_off_M_19_2(ctx):
    app = application(ctx, "2024-ZLJ-002")
    content = review_report_content(app.id, ReviewStage.MATERIAL)
    text = text_of(build("material-report", app.id))
    assert "2024年度伊宁市政府质量奖材料评审报告" in text
    assert app.number in text and app.applicant_name in text
    assert f"评审组得分 {round_display(content.total)} 分" in text
    assert "算术平均" in text and "本报告计入 3 份评分表" in text
    for category in content.categories:
        assert f"{category.code} {category.name}" in text and category.score_display in text
    strength = next(s for c in content.categories for s in c.strengths)
    assert strength in text and "改进机会" in text
    assert "评审组组长 张卫国" in text and "签发" in text


def test_a_sheet_left_out_by_a_late_conflict_is_not_counted_and_the_report_says_so_M_25_2(ctx):
    """A tie recorded after the 2019 on-site group closed: the score is recounted without the
    sheet (3 of 4 count), the report states 3 and names why, and the leader signs anew."""
    app = application(ctx, "2019-ZLJ-001")
    member = reviewer(ctx, "R008")
    ctx.session.add(
        InterestDeclaration(
            reviewer_id=member.id,
            organization_id=app.organization_id,
            kind="shareholding",
            source="office",
            declared_on=date(2026, 11, 20),
        )
    )
    ctx.session.commit()
    scoring_close.conflict_recorded(member.id, "office")
    score = stage_score(ctx, app.id, ReviewStage.ONSITE)
    assert score.sheets == 3

    with pytest.raises(ReportNotSignedOff, match="重新签发") as exc:
        review_report_content(app.id, ReviewStage.ONSITE)  # the score changed after sign-off
    assert exc.value.rule == "M-19.4"
    sign_off_report(app.id, ReviewStage.ONSITE, actor(ctx, "R001"))

    content = review_report_content(app.id, ReviewStage.ONSITE)
    assert content.total == score.total and content.counted == 3
    left_out = [s for s in content.sheets if not s.counted]
    assert [s.reviewer for s in left_out] == [member.name]
    assert "M-25.2" in left_out[0].reason and member.name in content.exclusions[0]
    text = text_of(build("onsite-report", app.id))
    assert "本报告计入 3 份评分表" in text and "不计入" in text and "M-25.2" in text


def test_a_stored_score_still_counting_a_tied_sheet_is_not_reported_M_25_2(ctx):
    """Under consensus no recount happens: the report is refused until the group is reopened."""
    app = application(ctx, "2019-ZLJ-002")
    score = stage_score(ctx, app.id, ReviewStage.ONSITE)
    score.method = "consensus"
    ctx.session.add(
        InterestDeclaration(
            reviewer_id=reviewer(ctx, "R008").id,
            organization_id=app.organization_id,
            kind="shareholding",
            source="office",
        )
    )
    ctx.session.commit()
    with pytest.raises(TooFewCountingReviewers) as exc:
        review_report_content(app.id, ReviewStage.ONSITE)
    assert exc.value.rule == "M-25.2" and app.number in str(exc.value)


def test_a_report_is_not_issued_before_the_leader_signs_it_off_then_is_M_19_4(ctx):
    app = application(ctx, "2024-TMJ-001")
    row = report(ctx, app.id, ReviewStage.ONSITE)
    row.finalized_at = None
    ctx.session.commit()
    with pytest.raises(ReportNotSignedOff) as exc:
        build("onsite-report", app.id)
    assert exc.value.rule == "M-19.4" and "尚未经评审组组长签发" in str(exc.value)

    sign_off_report(app.id, "onsite", actor(ctx, "R001"))
    ctx.session.expire_all()
    row = report(ctx, app.id, ReviewStage.ONSITE)
    assert row.finalized_at is not None and row.author_id == reviewer(ctx, "R001").id
    entry = ctx.session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "sign_off_review_report", AuditEntry.application_id == app.id
        )
    )
    assert entry is not None and entry.username == "leader1" and "现场评审报告" in entry.summary
    assert "签发" in text_of(build("onsite-report", app.id))


def test_a_member_who_is_not_the_leader_cannot_sign_off_M_10(ctx):
    app = application(ctx, "2024-TMJ-001")
    row = report(ctx, app.id, ReviewStage.ONSITE)
    row.finalized_at = None
    ctx.session.commit()
    with pytest.raises(SignOffRefused) as exc:
        sign_off_report(app.id, ReviewStage.ONSITE, actor(ctx, "R003"))
    assert exc.value.rule == "M-10"
    ctx.session.expire_all()
    assert report(ctx, app.id, ReviewStage.ONSITE).finalized_at is None
    assert not ctx.session.scalar(
        select(AuditEntry.id).where(AuditEntry.action == "sign_off_review_report")
    )


def test_the_report_of_an_open_group_can_be_neither_signed_off_nor_issued_M_19_4(ctx):
    app = application(ctx, "2018-ZLJ-001")  # the 2018 on-site group is still scoring
    with pytest.raises(SignOffRefused) as exc:
        sign_off_report(app.id, ReviewStage.ONSITE, actor(ctx, "R001"))
    assert exc.value.rule == "M-19.4" and "尚未结束评审" in str(exc.value)
    with pytest.raises(RuleViolation) as exc:
        build("onsite-report", app.id)
    assert exc.value.rule == "M-19.4" and "尚未结束评审" in str(exc.value)


def test_signing_off_a_report_nobody_wrote_creates_it_with_a_compiled_summary_M_19_2(ctx):
    app = application(ctx, "2024-ZLJ-002")
    ctx.session.delete(report(ctx, app.id, ReviewStage.MATERIAL))
    ctx.session.commit()
    sign_off_report(app.id, ReviewStage.MATERIAL, actor(ctx, "R001"))
    ctx.session.expire_all()
    row = report(ctx, app.id, ReviewStage.MATERIAL)
    assert row.finalized_at and "材料评审得分" in row.summary and "计入 3 份评分表" in row.summary
    with pytest.raises(SignOffRefused, match="不能重复签发"):
        sign_off_report(app.id, ReviewStage.MATERIAL, actor(ctx, "R001"))


def test_a_report_for_an_application_never_reviewed_at_that_stage_is_refused_M_19_4(ctx):
    app = application(ctx, "2021-TMJ-002")  # not shortlisted: no on-site review
    with pytest.raises(RuleViolation) as exc:
        build("onsite-report", app.id)
    assert exc.value.rule == "M-19.4" and "未经现场评审" in str(exc.value)
    with pytest.raises(RecordNotFound):
        build("material-report", "abc")
    with pytest.raises(RecordNotFound):
        build("material-report", 999999)


def test_the_report_document_is_a4_portrait(ctx):
    app = application(ctx, "2024-ZLJ-001")
    section = Document(io.BytesIO(build("onsite-report", app.id))).sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.5)
