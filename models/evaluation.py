"""User evaluation (M-19.3), committee votes (M-19.6), public notices and objections."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.enums import ObjectionStatus, SatisfactionMethod

from .base import Model, Timestamps, Versioned, enum_check, enum_col


class SatisfactionEvaluation(Versioned, Timestamps, Model):
    """User-satisfaction evidence of a shortlisted organization; not part of the 1000 points."""

    __tablename__ = "satisfaction_evaluation"
    __table_args__ = (
        enum_check(SatisfactionMethod, "method"),
        CheckConstraint("satisfaction_index >= 0 AND satisfaction_index <= 100", name="index"),
        CheckConstraint("valid_responses <= sample_size", name="responses"),
        CheckConstraint("sample_size >= 0 AND valid_responses >= 0", name="counts"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id"), unique=True, nullable=False
    )
    method: Mapped[str] = enum_col(SatisfactionMethod)
    agency: Mapped[str | None] = mapped_column(String(200))
    sample_size: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    valid_responses: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    satisfaction_index: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)
    surveyed_on: Mapped[date | None] = mapped_column(Date)
    report_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("application_document.id"), index=True
    )
    note: Mapped[str | None] = mapped_column(Text)
    application = relationship("Application")
    report_document = relationship("ApplicationDocument")


class CommitteeVote(Versioned, Timestamps, Model):
    """The Committee's tally for one candidate (M-19.6)."""

    __tablename__ = "committee_vote"
    __table_args__ = (
        CheckConstraint(
            "votes_for >= 0 AND votes_against >= 0 AND abstentions >= 0", name="nonneg"
        ),
        CheckConstraint("votes_for + votes_against + abstentions <= present", name="tally"),
        CheckConstraint("present <= members AND present >= 0", name="present"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id"), unique=True, nullable=False
    )
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    members: Mapped[int] = mapped_column(Integer, nullable=False)
    present: Mapped[int] = mapped_column(Integer, nullable=False)
    votes_for: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    votes_against: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    abstentions: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    passed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    application = relationship("Application")


class PublicNotice(Versioned, Timestamps, Model):
    """The public notice of proposed winners (M-8.5, M-19.6)."""

    __tablename__ = "public_notice"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("award_cycle.id"), unique=True, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    working_days: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    body: Mapped[str | None] = mapped_column(Text)
    how_to_object: Mapped[str] = mapped_column(Text, nullable=False)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    cycle = relationship("AwardCycle")

    def __str__(self) -> str:
        return self.title


class Objection(Versioned, Timestamps, Model):
    """An objection received during the notice; named ones must be resolved before approval."""

    __tablename__ = "objection"
    __table_args__ = (enum_check(ObjectionStatus, "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(
        ForeignKey("public_notice.id"), nullable=False, index=True
    )
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), index=True)
    objector_name: Mapped[str | None] = mapped_column(String(50))
    objector_contact: Mapped[str | None] = mapped_column(String(100))
    anonymous: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    received_on: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = enum_col(ObjectionStatus, ObjectionStatus.OPEN)
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolved_on: Mapped[date | None] = mapped_column(Date)
    notice = relationship("PublicNotice")
    application = relationship("Application")


class NoticeHoliday(Model):
    """Public holidays skipped when a notice period counts working days."""

    __tablename__ = "notice_holiday"
    __table_args__ = (UniqueConstraint("day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, nullable=False)
    name: Mapped[str] = mapped_column(String(50), nullable=False)


class StageMove(Model):
    """A cycle's move from one stage to the next (M-17)."""

    __tablename__ = "stage_move"
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("award_cycle.id"), nullable=False, index=True)
    from_stage: Mapped[str] = mapped_column(String(32), nullable=False)
    to_stage: Mapped[str] = mapped_column(String(32), nullable=False)
    moved_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)
    moved_by: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    cycle = relationship("AwardCycle")
