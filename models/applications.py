"""Applications (M-18), their documents, eligibility reviews (M-19.1) and disqualifications."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.enums import ApplicantKind, ApplicationStatus, CheckStatus, Prize

from .applicants import ONE_APPLICANT
from .base import Model, Timestamps, Versioned, enum_check, enum_col, utcnow


class Application(Versioned, Timestamps, Model):
    """One applicant's application in one cycle (at most one per cycle)."""

    __tablename__ = "application"
    __table_args__ = (
        ONE_APPLICANT,
        enum_check(Prize, "prize"),
        enum_check(ApplicantKind, "applicant_kind"),
        enum_check(ApplicationStatus, "status"),
        # M-2: the award is for organizations only.
        CheckConstraint(
            "prize = 'nomination' OR applicant_kind = 'organization'", name="award_for_orgs"
        ),
        CheckConstraint(
            "(applicant_kind = 'organization') = (organization_id IS NOT NULL)", name="kind"
        ),
        UniqueConstraint("cycle_id", "organization_id", name="uq_application_cycle_org"),
        UniqueConstraint("cycle_id", "individual_id", name="uq_application_cycle_individual"),
        CheckConstraint("paper_copies >= 0", name="paper_copies"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("award_cycle.id"), nullable=False, index=True)
    number: Mapped[str] = mapped_column(String(30), unique=True, nullable=False)
    prize: Mapped[str] = enum_col(Prize)
    applicant_kind: Mapped[str] = enum_col(ApplicantKind)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    individual_id: Mapped[int | None] = mapped_column(ForeignKey("individual.id"), index=True)
    status: Mapped[str] = enum_col(ApplicationStatus, ApplicationStatus.DRAFT)
    submitted_on: Mapped[date | None] = mapped_column(Date, index=True)
    paper_copies: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    paper_received_on: Mapped[date | None] = mapped_column(Date)
    paper_received_by: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[str | None] = mapped_column(Text)
    supplement_deadline: Mapped[date | None] = mapped_column(Date)
    office_note: Mapped[str | None] = mapped_column(Text)
    # Filled online by the applicant (issue 18): the recommending body it asks, the
    # self-assessment per GB/T 19580 part or an individual's deeds (M-18), its declarations
    # (M-11.5, truthfulness), and the sections the Office returned for supplement (M-19.1).
    recommender_id: Mapped[int | None] = mapped_column(ForeignKey("recommender.id"), index=True)
    self_assessment: Mapped[dict | None] = mapped_column(JSON)
    declarations: Mapped[dict | None] = mapped_column(JSON)
    supplement_sections: Mapped[list | None] = mapped_column(JSON)
    cycle = relationship("AwardCycle")
    organization = relationship("Organization")
    individual = relationship("Individual")
    recommendation = relationship("Recommendation", back_populates="application", uselist=False)
    chosen_recommender = relationship("Recommender")
    documents: Mapped[list["ApplicationDocument"]] = relationship(back_populates="application")

    @property
    def applicant_name(self) -> str:
        return str(self.organization or self.individual)

    @property
    def recommendation_state(self) -> str:
        """The recommending body's answer as the Office reads it (M-18)."""
        rec = self.recommendation
        if rec is None:
            return "尚未选择推荐单位"
        if rec.declined_at is not None:
            return f"{rec.recommender}不予推荐，理由：{rec.decline_reason or ''}"
        if rec.is_signed:
            return (
                f"{rec.recommender}已签署（签署人 {rec.signatory}，{rec.signed_on.isoformat()}）："
                f"{rec.opinion}"
            )
        return f"待{rec.recommender}签署推荐意见"

    @property
    def industry_code(self) -> str | None:
        if self.organization is not None:
            return self.organization.industry_code
        employer = self.individual.employer if self.individual else None
        return employer.industry_code if employer else None

    def __str__(self) -> str:
        return f"{self.number} {self.applicant_name}"


class ApplicationDocument(Timestamps, Model):
    """An uploaded file: self-assessment report, statement of achievements, evidence (M-18)."""

    __tablename__ = "application_document"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(40), nullable=False, default="evidence")
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    filename: Mapped[str] = mapped_column(String(200), nullable=False)
    stored_name: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    uploaded_by: Mapped[str | None] = mapped_column(String(64))
    application = relationship("Application", back_populates="documents")

    def __str__(self) -> str:
        return self.title


class EligibilityReview(Timestamps, Model):
    """One run of the eligibility review with its full checklist and outcome (M-19.1)."""

    __tablename__ = "eligibility_review"
    __table_args__ = (enum_check(ApplicationStatus, "outcome"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id"), nullable=False, index=True
    )
    outcome: Mapped[str | None] = enum_col(ApplicationStatus, nullable=True)
    checklist: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    reasons: Mapped[str | None] = mapped_column(Text)
    missing_items: Mapped[str | None] = mapped_column(Text)
    supplement_deadline: Mapped[date | None] = mapped_column(Date)
    reviewed_at: Mapped[datetime] = mapped_column(
        DateTime, nullable=False, default=utcnow, index=True
    )
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    application = relationship("Application")


class EligibilityJudgement(Timestamps, Model):
    """The Office's ruling on a condition that needs judgement (M-11.3, M-11.6, M-13.1 ...)."""

    __tablename__ = "eligibility_judgement"
    __table_args__ = (
        UniqueConstraint("application_id", "rule"),
        enum_check(CheckStatus, "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id"), nullable=False, index=True
    )
    rule: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = enum_col(CheckStatus)
    note: Mapped[str] = mapped_column(Text, nullable=False)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    application = relationship("Application")


class Disqualification(Timestamps, Model):
    """Removal of an application at any stage before announcement, and its reinstatement."""

    __tablename__ = "disqualification"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id"), nullable=False, index=True
    )
    ground: Mapped[str] = mapped_column(String(40), nullable=False)
    evidence: Mapped[str] = mapped_column(Text, nullable=False)
    previous_status: Mapped[str] = mapped_column(String(32), nullable=False)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    reinstated_at: Mapped[datetime | None] = mapped_column(DateTime)
    reinstated_by: Mapped[str | None] = mapped_column(String(64))
    reinstate_reason: Mapped[str | None] = mapped_column(Text)
    application = relationship("Application")
