"""Awards with certificates and prize payments (M-19.8, M-20), follow-up reports (M-27),
revocation cases and recoveries (M-26)."""

from datetime import date, datetime
from decimal import Decimal

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

from app.domain.enums import FollowUpStatus, Prize, RevocationGround, RevocationStatus

from .base import Model, Money, Timestamps, Versioned, enum_check, enum_col, non_negative


class Award(Versioned, Timestamps, Model):
    """A prize awarded to one application (M-19.8); revoked awards keep their record."""

    __tablename__ = "award"
    __table_args__ = (enum_check(Prize, "prize"), non_negative("amount"))
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id"), unique=True, nullable=False
    )
    cycle_id: Mapped[int] = mapped_column(ForeignKey("award_cycle.id"), nullable=False, index=True)
    prize: Mapped[str] = enum_col(Prize)
    certificate_no: Mapped[str] = mapped_column(String(50), unique=True, nullable=False)
    awarded_on: Mapped[date] = mapped_column(Date, nullable=False)
    amount: Mapped[Decimal] = mapped_column(Money, nullable=False)
    plaque_delivered_on: Mapped[date | None] = mapped_column(Date)
    certificate_delivered_on: Mapped[date | None] = mapped_column(Date)
    revoked: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    revoked_on: Mapped[date | None] = mapped_column(Date)
    application = relationship("Application")
    cycle = relationship("AwardCycle")
    payments: Mapped[list["PrizePayment"]] = relationship(back_populates="award")

    def __str__(self) -> str:
        return (
            f"{self.certificate_no} {self.application.applicant_name if self.application else ''}"
        )


class PrizePayment(Timestamps, Model):
    """A payment of prize money against the cycle's budget (M-5, M-20)."""

    __tablename__ = "prize_payment"
    __table_args__ = (CheckConstraint("amount > 0", name="positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id"), nullable=False, index=True)
    amount: Mapped[Decimal] = mapped_column(Money, nullable=False)
    paid_on: Mapped[date] = mapped_column(Date, nullable=False)
    voucher_no: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    award: Mapped[Award] = relationship(back_populates="payments")

    def __str__(self) -> str:
        return f"{self.paid_on} 支付 {self.amount} 元"


class FollowUpReport(Versioned, Timestamps, Model):
    """A winner's annual report on the previous year, due by the end of February (M-27)."""

    __tablename__ = "follow_up_report"
    __table_args__ = (
        UniqueConstraint("award_id", "report_year"),
        enum_check(FollowUpStatus, "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id"), nullable=False, index=True)
    report_year: Mapped[int] = mapped_column(Integer, nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    status: Mapped[str] = enum_col(FollowUpStatus, FollowUpStatus.DUE)
    received_on: Mapped[date | None] = mapped_column(Date)
    revenue: Mapped[Decimal | None] = mapped_column(Money)
    profit: Mapped[Decimal | None] = mapped_column(Money)
    quality_results: Mapped[str | None] = mapped_column(Text)
    accidents_declared: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    failed_sampling_declared: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    penalties_declared: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    improvement_goals: Mapped[str | None] = mapped_column(Text)
    experience_shared: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("application_document.id"), index=True
    )
    review_note: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    award = relationship("Award")
    document = relationship("ApplicationDocument")

    def __str__(self) -> str:
        return f"{self.award} {self.report_year}年度报告"


class RevocationCase(Versioned, Timestamps, Model):
    """A case to revoke an award: verified, reviewed, approved by the city (M-26)."""

    __tablename__ = "revocation_case"
    __table_args__ = (
        enum_check(RevocationGround, "ground"),
        enum_check(RevocationStatus, "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id"), nullable=False, index=True)
    ground: Mapped[str] = enum_col(RevocationGround)
    evidence: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = enum_col(RevocationStatus, RevocationStatus.OPEN)
    opened_on: Mapped[date] = mapped_column(Date, nullable=False)
    opened_by: Mapped[str | None] = mapped_column(String(64))
    follow_up_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("follow_up_report.id"), index=True
    )
    verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    verified_by: Mapped[str | None] = mapped_column(String(64))
    verification_note: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    review_note: Mapped[str | None] = mapped_column(Text)
    approved_on: Mapped[date | None] = mapped_column(Date)
    approval_document_no: Mapped[str | None] = mapped_column(String(100))
    dismissed_reason: Mapped[str | None] = mapped_column(Text)
    published: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    award = relationship("Award")
    follow_up_report = relationship("FollowUpReport")


class Recovery(Timestamps, Model):
    """Recovery of the plaque, certificate or prize money after a revocation (M-26)."""

    __tablename__ = "recovery"
    __table_args__ = (non_negative("amount"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    revocation_case_id: Mapped[int] = mapped_column(
        ForeignKey("revocation_case.id"), nullable=False, index=True
    )
    item: Mapped[str] = mapped_column(String(20), nullable=False)
    amount: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal("0"))
    recovered: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    recovered_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    case = relationship("RevocationCase")
