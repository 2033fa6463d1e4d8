"""Award cycles (届) with their dates (M-17), quotas (M-4), money (M-5, M-20) and settings."""

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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.enums import Aggregation, Stage
from app.domain.quotas import MAX_QUOTA

from .base import (
    Model,
    Money,
    Timestamps,
    Versioned,
    enum_check,
    enum_col,
    non_negative,
    utcnow,
)


class AwardCycle(Versioned, Timestamps, Model):
    """One edition of the award; its stage moves forward only (M-17)."""

    __tablename__ = "award_cycle"
    __table_args__ = (
        enum_check(Stage, "stage"),
        enum_check(Aggregation, "aggregation"),
        # M-4: 0 to MAX_QUOTA winners of each prize (app/domain/quotas.py is the rule's home).
        CheckConstraint(
            f"award_quota BETWEEN 0 AND {MAX_QUOTA} AND nomination_quota BETWEEN 0 AND {MAX_QUOTA}",
            name="quotas",
        ),
        non_negative("award_amount"),
        non_negative("nomination_amount"),
        non_negative("budget"),
        non_negative("agency_fee"),
        CheckConstraint(
            "deadline IS NULL OR opens_on IS NULL OR deadline >= opens_on", name="dates"
        ),
        CheckConstraint("notice_days >= 1", name="notice_days"),
        # M-6: the agency's contract period runs forward.
        CheckConstraint(
            "agency_contract_end IS NULL OR agency_contract_start IS NULL"
            " OR agency_contract_end >= agency_contract_start",
            name="agency_contract",
        ),
        CheckConstraint("vote_threshold > 0 AND vote_threshold < 1", name="vote_threshold"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    stage: Mapped[str] = enum_col(Stage, Stage.DRAFT)
    announced_on: Mapped[date | None] = mapped_column(Date)
    opens_on: Mapped[date | None] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date)
    supplement_days: Mapped[int] = mapped_column(Integer, nullable=False, default=10)
    material_review_on: Mapped[date | None] = mapped_column(Date)
    onsite_review_on: Mapped[date | None] = mapped_column(Date)
    arrangements: Mapped[str | None] = mapped_column(Text)
    award_quota: Mapped[int] = mapped_column(Integer, nullable=False, default=MAX_QUOTA)
    nomination_quota: Mapped[int] = mapped_column(Integer, nullable=False, default=MAX_QUOTA)
    award_amount: Mapped[Decimal] = mapped_column(
        Money, nullable=False, default=Decimal("200000.00")
    )
    nomination_amount: Mapped[Decimal] = mapped_column(
        Money, nullable=False, default=Decimal("30000.00")
    )
    budget: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal("0.00"))
    agency_name: Mapped[str | None] = mapped_column(String(200))
    agency_contract_no: Mapped[str | None] = mapped_column(String(100))
    agency_fee: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal("0.00"))
    # M-6: the agency (a row, so its staff can be scoped to the cycles it runs) and the
    # contract period within which its staff form groups and assignments.
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True)
    agency_contract_start: Mapped[date | None] = mapped_column(Date)
    agency_contract_end: Mapped[date | None] = mapped_column(Date)
    # M-7: the Committee approved this cycle's procedure (who, when, with what reference).
    procedure_approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    procedure_approved_by: Mapped[str | None] = mapped_column(String(64))
    procedure_approval_ref: Mapped[str | None] = mapped_column(String(200))
    aggregation: Mapped[str] = enum_col(Aggregation, Aggregation.MEAN)
    outlier_threshold: Mapped[Decimal] = mapped_column(
        Numeric(4, 3), nullable=False, default=Decimal("0.150")
    )
    criteria_version_id: Mapped[int] = mapped_column(
        ForeignKey("criteria_version.id"), nullable=False, index=True
    )
    regulation_version: Mapped[str] = mapped_column(
        String(200), nullable=False, default="伊宁市人民政府质量奖评定管理办法（征求意见稿）"
    )
    regulation_effective_on: Mapped[date | None] = mapped_column(Date)
    min_onsite_score: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    shortlist_size: Mapped[int | None] = mapped_column(Integer)
    min_material_score: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    notice_days: Mapped[int] = mapped_column(Integer, nullable=False, default=7)
    notice_working_days: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    vote_threshold: Mapped[Decimal] = mapped_column(
        Numeric(4, 3), nullable=False, default=Decimal("0.500")
    )
    eligibility_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    eligibility_confirmed_by: Mapped[str | None] = mapped_column(String(64))
    eligibility_confirmation_note: Mapped[str | None] = mapped_column(Text)
    criteria_version = relationship("CriteriaVersion")
    agency = relationship("Agency")

    def __str__(self) -> str:
        return self.name

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label


class GovernmentApproval(Timestamps, Model):
    """The city government's approval of the winners list (M-19.7)."""

    __tablename__ = "government_approval"
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("award_cycle.id"), unique=True, nullable=False)
    approved_on: Mapped[date] = mapped_column(Date, nullable=False)
    document_no: Mapped[str] = mapped_column(String(100), nullable=False)
    meeting: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    cycle = relationship("AwardCycle")

    def __str__(self) -> str:
        return self.document_no


class CycleAmendment(Model):
    """A frozen setting changed by the Committee's decision, with the old and new value (M-3)."""

    __tablename__ = "cycle_amendment"
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("award_cycle.id"), nullable=False, index=True)
    field: Mapped[str] = mapped_column(String(40), nullable=False)
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    decision_ref: Mapped[str] = mapped_column(String(200), nullable=False)
    amended_at: Mapped[datetime] = mapped_column(
        DateTime, nullable=False, default=utcnow, index=True
    )
    amended_by: Mapped[str | None] = mapped_column(String(64))
    cycle = relationship("AwardCycle")

    def __str__(self) -> str:
        return f"{self.decision_ref}：{self.field}"
