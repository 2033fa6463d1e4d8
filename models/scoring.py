"""Scoresheets with one line per criteria item, their history, stage scores and reports."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.enums import Aggregation, ReviewStage, SheetStatus

from .base import ItemPoints, Model, Score, Timestamps, Versioned, enum_check, enum_col, utcnow

SUMS_AS_SUBMITTED = (
    "(status = 'submitted' AND category_sums IS NOT NULL)"
    " OR (status <> 'submitted' AND category_sums IS NULL)"
)


class Scoresheet(Versioned, Timestamps, Model):
    """One reviewer's scores for one application at one stage (M-19.2, M-19.4)."""

    __tablename__ = "scoresheet"
    __table_args__ = (
        UniqueConstraint("application_id", "stage", "reviewer_id", "is_consensus"),
        enum_check(ReviewStage, "stage"),
        enum_check(SheetStatus, "status"),
        # M-19.2: a submitted sheet keeps its category sums as submitted, a draft has none.
        CheckConstraint(SUMS_AS_SUBMITTED, name="sums_as_submitted"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id"), nullable=False, index=True
    )
    group_id: Mapped[int] = mapped_column(ForeignKey("review_group.id"), nullable=False, index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewer.id"), nullable=False, index=True)
    stage: Mapped[str] = enum_col(ReviewStage)
    is_consensus: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    status: Mapped[str] = enum_col(SheetStatus, SheetStatus.DRAFT)
    total: Mapped[Decimal] = mapped_column(ItemPoints, nullable=False, default=Decimal("0"))
    # The category sums as submitted ({category code: "points"}, app.domain.scoring
    # SheetScores.as_submitted), set by the submit use case, cleared when the sheet goes back
    # to draft; closing the group reads them instead of the lines (issue 20).
    category_sums: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    reopened_reason: Mapped[str | None] = mapped_column(Text)
    overall_comment: Mapped[str | None] = mapped_column(Text)
    application = relationship("Application")
    group = relationship("ReviewGroup")
    reviewer = relationship("Reviewer")
    lines: Mapped[list["ScoreLine"]] = relationship(
        back_populates="scoresheet", order_by="ScoreLine.item_id"
    )

    def __str__(self) -> str:
        return f"{self.application} / {self.reviewer}"


class ScoreLine(Model):
    """A percentage in steps of 5 for one criteria item, with the exact points (M-19.2)."""

    __tablename__ = "score_line"
    __table_args__ = (
        UniqueConstraint("scoresheet_id", "item_id"),
        CheckConstraint(
            "percent IS NULL OR (percent >= 0 AND percent <= 100 AND percent % 5 = 0)",
            name="percent_step",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    scoresheet_id: Mapped[int] = mapped_column(
        ForeignKey("scoresheet.id", ondelete="CASCADE"), nullable=False, index=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("criteria_item.id"), nullable=False, index=True)
    percent: Mapped[int | None] = mapped_column(Integer)
    points: Mapped[Decimal | None] = mapped_column(ItemPoints)
    strengths: Mapped[str | None] = mapped_column(Text)
    improvements: Mapped[str | None] = mapped_column(Text)
    scoresheet: Mapped[Scoresheet] = relationship(back_populates="lines")
    item = relationship("CriteriaItem")


class ScoreChange(Model):
    """History of every change to a scoresheet: who, when, old and new value."""

    __tablename__ = "score_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    scoresheet_id: Mapped[int] = mapped_column(
        ForeignKey("scoresheet.id"), nullable=False, index=True
    )
    item_code: Mapped[str | None] = mapped_column(String(10))
    field: Mapped[str] = mapped_column(String(30), nullable=False)
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[str | None] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(
        DateTime, nullable=False, default=utcnow, index=True
    )
    reason: Mapped[str | None] = mapped_column(Text)
    scoresheet = relationship("Scoresheet")


class StageScore(Model):
    """An application's score at a stage, computed when the group's stage is closed."""

    __tablename__ = "stage_score"
    __table_args__ = (
        UniqueConstraint("application_id", "stage"),
        enum_check(ReviewStage, "stage"),
        enum_check(Aggregation, "method"),
        CheckConstraint("total >= 0 AND total <= 1000", name="total_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id"), nullable=False, index=True
    )
    stage: Mapped[str] = enum_col(ReviewStage)
    method: Mapped[str] = enum_col(Aggregation)
    total: Mapped[Decimal] = mapped_column(Score, nullable=False)
    categories: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    sheets: Mapped[int] = mapped_column(Integer, nullable=False)
    computed_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    application = relationship("Application")


class ReviewReport(Versioned, Timestamps, Model):
    """The group's material or on-site review report per application (M-19.2, M-19.4)."""

    __tablename__ = "review_report"
    __table_args__ = (UniqueConstraint("application_id", "stage"), enum_check(ReviewStage, "stage"))
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id"), nullable=False, index=True
    )
    group_id: Mapped[int] = mapped_column(ForeignKey("review_group.id"), nullable=False, index=True)
    stage: Mapped[str] = enum_col(ReviewStage)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("reviewer.id"), index=True)
    summary: Mapped[str] = mapped_column(Text, nullable=False)
    strengths: Mapped[str | None] = mapped_column(Text)
    improvements: Mapped[str | None] = mapped_column(Text)
    recommendation: Mapped[str | None] = mapped_column(Text)
    finalized_at: Mapped[datetime | None] = mapped_column(DateTime)
    application = relationship("Application")
    group = relationship("ReviewGroup")
    author = relationship("Reviewer")
