"""What an applicant's own feedback report says, as the Baldrige and EFQM programmes give it:
per GB/T 19580 category the score band and the strengths and opportunities for improvement the
reviewers wrote; never a reviewer's name nor any sheet's or the group's points (M-24, M-25).
Given once the result is public (M-19.8)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.domain.enums import ApplicationStatus, Prize, ReviewStage, Stage
from app.domain.errors import RecordNotFound, RuleViolation
from app.domain.report_rules import RESULT_PUBLIC_FROM, ensure_reached
from app.domain.scoring import BAND_GUIDE, BANDS, share_band
from app.extensions import db
from app.services.review_report_content import review_report_content
from models import Application, CriteriaCategory, ReviewReport, StageScore

BAND_RANGE = {n: f"{low}%–{high}%" for n, low, high in BANDS}


@dataclass(frozen=True)
class CategoryFeedback:
    code: str
    name: str
    band: int | None
    band_range: str
    band_text: str
    strengths: tuple[str, ...]
    improvements: tuple[str, ...]


@dataclass(frozen=True)
class FeedbackContent:
    year: int
    cycle_name: str
    number: str
    applicant: str
    prize: str
    outcome: str
    stage: ReviewStage
    stage_text: str
    criteria_name: str
    overall_band: int
    overall_text: str
    categories: tuple[CategoryFeedback, ...]
    strengths: str
    improvements: str
    today: date


def _stage_reviewed(application: Application) -> ReviewStage:
    """The last review stage the application went through: on-site when it was scored there."""
    stages = set(
        db.session.scalars(
            select(StageScore.stage).where(StageScore.application_id == application.id)
        )
    )
    for stage in (ReviewStage.ONSITE, ReviewStage.MATERIAL):
        if stage.value in stages:
            return stage
    raise RuleViolation(
        f"申报 {application.number} 未经材料评审，没有评审反馈报告（资格审查结论见退回通知）",
        rule="M-19.2",
    )


def _kinds(version_id: int) -> dict[str, str]:
    return dict(
        db.session.execute(
            select(CriteriaCategory.code, CriteriaCategory.kind).where(
                CriteriaCategory.version_id == version_id
            )
        ).all()
    )


def feedback_content(application_id: int, today: date | None = None) -> FeedbackContent:
    """The applicant's feedback, from the last review stage it went through; refused before
    the cycle's result is public (公布表彰, M-19.8), naming the stage."""
    application = db.session.get(Application, application_id)
    if application is None:
        raise RecordNotFound(f"申报（编号 {application_id}）不存在")
    cycle = application.cycle
    ensure_reached(Stage(cycle.stage), RESULT_PUBLIC_FROM, "申报单位评审反馈报告")
    stage = _stage_reviewed(application)
    report = review_report_content(application_id, stage, require_signed=False)
    kinds = _kinds(cycle.criteria_version_id)
    categories = []
    for c in report.categories:
        n = share_band(c.score, c.max_points) if c.score is not None else None
        guide = BAND_GUIDE.get(n, ("", ""))
        categories.append(
            CategoryFeedback(
                code=c.code,
                name=c.name,
                band=n,
                band_range=BAND_RANGE.get(n, "—"),
                band_text=guide[1] if kinds.get(c.code) == "results" else guide[0],
                strengths=c.strengths,
                improvements=c.improvements,
            )
        )
    overall = share_band(report.total, sum((c.max_points for c in report.categories), 0))
    leader = db.session.scalar(
        select(ReviewReport).where(
            ReviewReport.application_id == application_id, ReviewReport.stage == stage.value
        )
    )
    return FeedbackContent(
        year=cycle.year,
        cycle_name=cycle.name,
        number=application.number,
        applicant=application.applicant_name,
        prize=Prize(application.prize).label,
        outcome=ApplicationStatus(application.status).label,
        stage=stage,
        stage_text=(
            "材料评审和现场评审" if stage is ReviewStage.ONSITE else "材料评审（未入围现场评审）"
        ),
        criteria_name=report.criteria_name,
        overall_band=overall,
        overall_text=BAND_RANGE[overall],
        categories=tuple(categories),
        strengths=(leader.strengths or "") if leader else "",
        improvements=(leader.improvements or "") if leader else "",
        today=today or date.today(),
    )
