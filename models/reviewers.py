"""Reviewers (M-10), their certificates, sanctions (M-25), interests and review groups."""

from datetime import date, datetime

from sqlalchemy import (
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

from app.domain.enums import Degree, InterestKind, ReviewStage, SanctionLevel

from .applicants import ONE_APPLICANT
from .base import Model, Timestamps, Versioned, enum_check, enum_col
from .encrypted import HASH_LENGTH, EncryptedString, blind_indexed


@blind_indexed("id_number", "id_number_hash")
class Reviewer(Versioned, Timestamps, Model):
    """An expert reviewer linked to a login, with the evidence of M-10.1 to M-10.4."""

    __tablename__ = "reviewer"
    __table_args__ = (
        enum_check(Degree, "degree"),
        CheckConstraint("excellence_reviews_done >= 0", name="reviews_done"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"), unique=True)
    # Encrypted at rest; unique and searchable through its keyed hash (issue 17).
    id_number: Mapped[str | None] = mapped_column(EncryptedString())
    id_number_hash: Mapped[str | None] = mapped_column(
        String(HASH_LENGTH), info={"blind_index": True}, unique=True
    )
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    employer_name: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(100))
    degree: Mapped[str] = enum_col(Degree, Degree.BACHELOR)
    quality_work_since: Mapped[date | None] = mapped_column(Date)
    excellence_reviews_done: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    law_training_on: Mapped[date | None] = mapped_column(Date)
    law_training_certificate: Mapped[str | None] = mapped_column(String(100))
    integrity_pledge_on: Mapped[date | None] = mapped_column(Date)
    # Comma-separated GB/T 4754 section codes of expertise (industry expert, M-10).
    industries: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    user = relationship("User")
    employer = relationship("Organization")
    certificates: Mapped[list["ReviewerCertificate"]] = relationship(back_populates="reviewer")
    sanctions: Mapped[list["ReviewerSanction"]] = relationship(back_populates="reviewer")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def industry_set(self) -> frozenset[str]:
        return frozenset(s.strip() for s in self.industries.split(",") if s.strip())


class ReviewerCertificate(Timestamps, Model):
    __tablename__ = "reviewer_certificate"
    id: Mapped[int] = mapped_column(primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewer.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    number: Mapped[str] = mapped_column(String(100), nullable=False)
    issuer: Mapped[str | None] = mapped_column(String(200))
    valid_to: Mapped[date | None] = mapped_column(Date)
    reviewer: Mapped[Reviewer] = relationship(back_populates="certificates")

    def __str__(self) -> str:
        return f"{self.name} {self.number}"


class ReviewerSanction(Timestamps, Model):
    """Criticism, warning or disqualification for a breach of M-25; the record stays."""

    __tablename__ = "reviewer_sanction"
    __table_args__ = (enum_check(SanctionLevel, "level"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewer.id"), nullable=False, index=True)
    level: Mapped[str] = enum_col(SanctionLevel)
    breach: Mapped[str] = mapped_column(String(100), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    decided_on: Mapped[date] = mapped_column(Date, nullable=False)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    reviewer: Mapped[Reviewer] = relationship(back_populates="sanctions")


class InterestDeclaration(Timestamps, Model):
    """An interest of a reviewer in an applicant, declared or added by the Office (M-25)."""

    __tablename__ = "interest_declaration"
    __table_args__ = (ONE_APPLICANT, enum_check(InterestKind, "kind"))
    id: Mapped[int] = mapped_column(primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewer.id"), nullable=False, index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    individual_id: Mapped[int | None] = mapped_column(ForeignKey("individual.id"), index=True)
    kind: Mapped[str] = enum_col(InterestKind)
    source: Mapped[str] = mapped_column(String(10), nullable=False, default="declared")
    note: Mapped[str | None] = mapped_column(Text)
    declared_on: Mapped[date | None] = mapped_column(Date)
    reviewer = relationship("Reviewer")
    organization = relationship("Organization")
    individual = relationship("Individual")


class ConsultingEngagement(Timestamps, Model):
    """Consulting a reviewer did for an organization; a derived conflict (M-25(3))."""

    __tablename__ = "consulting_engagement"
    id: Mapped[int] = mapped_column(primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewer.id"), nullable=False, index=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id"), nullable=False, index=True
    )
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    reviewer = relationship("Reviewer")
    organization = relationship("Organization")


class ReviewGroup(Versioned, Timestamps, Model):
    """An expert group of a cycle for one scored stage (M-10, M-19.2, M-19.4)."""

    __tablename__ = "review_group"
    __table_args__ = (enum_check(ReviewStage, "stage"), UniqueConstraint("cycle_id", "name"))
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("award_cycle.id"), nullable=False, index=True)
    stage: Mapped[str] = enum_col(ReviewStage)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    due_on: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_by: Mapped[str | None] = mapped_column(String(64))
    cycle = relationship("AwardCycle")
    members: Mapped[list["ReviewGroupMember"]] = relationship(back_populates="group")
    assignments: Mapped[list["ReviewAssignment"]] = relationship(back_populates="group")

    def __str__(self) -> str:
        return self.name

    @property
    def deadline(self):
        """Where the group stands against its due date today; a closed group is done."""
        from app.domain.deadlines import deadline_state

        return deadline_state(self.due_on, date.today(), done=self.closed_at is not None)


class ReviewGroupMember(Timestamps, Model):
    __tablename__ = "review_group_member"
    __table_args__ = (UniqueConstraint("group_id", "reviewer_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("review_group.id"), nullable=False, index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewer.id"), nullable=False, index=True)
    is_leader: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    group: Mapped[ReviewGroup] = relationship(back_populates="members")
    reviewer = relationship("Reviewer")

    def __str__(self) -> str:
        return f"{self.group} / {self.reviewer}"


class ReviewAssignment(Timestamps, Model):
    """An application assigned to a group; one group per application and stage."""

    __tablename__ = "review_assignment"
    __table_args__ = (
        UniqueConstraint("application_id", "stage"),
        enum_check(ReviewStage, "stage"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("review_group.id"), nullable=False, index=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id"), nullable=False, index=True
    )
    stage: Mapped[str] = enum_col(ReviewStage)
    group: Mapped[ReviewGroup] = relationship(back_populates="assignments")
    application = relationship("Application")

    def __str__(self) -> str:
        return f"{self.group} / {self.application}"
