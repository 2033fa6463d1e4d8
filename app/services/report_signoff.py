"""The group leader signs off the material or on-site review report of an application in the
system (M-10 组长负责制, M-19.2, M-19.4): only the leader, only once the group closed, audited;
the report is issued only after it (app.services.review_report_content)."""

from sqlalchemy import select

from app.domain.enums import ReviewStage
from app.domain.report_rules import SignOffFacts, ensure_can_sign_off
from app.extensions import db
from app.services import audit
from app.services.review_report_content import (
    group_of,
    report_row,
    review_report_content,
)
from app.services.scoring import Actor
from app.services.transactions import atomic
from models import Application, ReviewGroupMember, ReviewReport, StageScore
from models.base import utcnow


def _is_leader(group_id: int, reviewer_id: int | None) -> bool:
    if reviewer_id is None:
        return False
    return bool(
        db.session.scalar(
            select(ReviewGroupMember.id).where(
                ReviewGroupMember.group_id == group_id,
                ReviewGroupMember.reviewer_id == reviewer_id,
                ReviewGroupMember.is_leader.is_(True),
            )
        )
    )


def _summary(content) -> str:
    """The report's summary when the leader signs off one nobody wrote (compiled, M-19.2)."""
    return (
        f"{content.applicant}{content.stage.label}得分 {content.total_display} 分"
        f"（{content.method.label}，计入 {content.counted} 份评分表）。"
        f"评审组依据 {content.criteria_name} 逐条评审，各类目的优势和改进机会见下。"
    )


@atomic
def sign_off_report(application_id: int, stage, leader: Actor) -> ReviewReport:
    """M-10, M-19.2, M-19.4: the group's leader signs the report off once the group closed.

    The report row is created with a compiled summary when the leader wrote none; a score
    computed again after an earlier sign-off (late conflict, reopened group) is signed anew."""
    stage = ReviewStage(stage)
    group = group_of(application_id, stage)
    application = db.session.get(Application, application_id)
    report = report_row(application_id, stage)
    score = db.session.scalar(
        select(StageScore).where(
            StageScore.application_id == application_id, StageScore.stage == stage.value
        )
    )
    ensure_can_sign_off(
        SignOffFacts(
            stage=stage,
            group_name=group.name,
            application_number=application.number,
            signer_is_leader=_is_leader(group.id, leader.reviewer_id),
            group_closed=group.closed_at is not None,
            signed_off_at=report.finalized_at if report else None,
            score_computed_at=score.computed_at if score else None,
        )
    )
    # Compiles (and so checks) what the report will state: a score, no tainted sheet (M-25.2).
    content = review_report_content(application_id, stage, require_signed=False)
    if report is None:
        report = ReviewReport(
            application_id=application_id,
            group_id=group.id,
            stage=stage.value,
            summary=_summary(content),
        )
        db.session.add(report)
    report.author_id = leader.reviewer_id
    report.finalized_at = utcnow()
    db.session.flush()
    audit.record(
        "sign_off_review_report",
        report,
        f"评审组组长签发申报 {application.number} 的{content.title}"
        f"（{stage.label}得分 {content.total_display}，{content.method.label}，"
        f"计入 {content.counted} 份评分表）",
        details={"group": group.name, "excluded": list(content.exclusions)},
        cycle_id=application.cycle_id,
        application_id=application.id,
        username=leader.username,
    )
    return report
