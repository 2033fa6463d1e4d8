"""Recommenders (M-9) and their signed recommendation opinions (M-18)."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.enums import RecommenderKind

from .base import Model, Timestamps, Versioned, enum_check, enum_col


class Recommender(Timestamps, Model):
    """An industry department, association or the market regulator (M-9)."""

    __tablename__ = "recommender"
    __table_args__ = (enum_check(RecommenderKind, "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    kind: Mapped[str] = enum_col(RecommenderKind, RecommenderKind.DEPARTMENT)
    # Comma-separated GB/T 4754 section codes; empty means every sector (the regulator).
    sectors: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"), unique=True)
    contact_name: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    user = relationship("User")

    def __str__(self) -> str:
        return self.name

    def covers(self, industry_code: str) -> bool:
        sectors = {s.strip() for s in self.sectors.split(",") if s.strip()}
        return not sectors or industry_code in sectors


class Recommendation(Versioned, Timestamps, Model):
    """A recommender's signed opinion on one application (M-18)."""

    __tablename__ = "recommendation"
    # M-18: an opinion is signed or declined, never both.
    __table_args__ = (
        CheckConstraint("declined_at IS NULL OR signed_on IS NULL", name="signed_or_declined"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id"), unique=True, nullable=False
    )
    recommender_id: Mapped[int] = mapped_column(
        ForeignKey("recommender.id"), nullable=False, index=True
    )
    opinion: Mapped[str] = mapped_column(Text, nullable=False)
    signatory: Mapped[str | None] = mapped_column(String(50))
    signed_on: Mapped[date | None] = mapped_column(Date)
    pages: Mapped[int | None] = mapped_column(Integer)
    # Signed or declined on the screen by the recommending body's user (M-18).
    signed_at: Mapped[datetime | None] = mapped_column(DateTime)
    signed_by: Mapped[str | None] = mapped_column(String(64))
    declined_at: Mapped[datetime | None] = mapped_column(DateTime)
    declined_by: Mapped[str | None] = mapped_column(String(64))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    application = relationship("Application", back_populates="recommendation")
    recommender = relationship("Recommender")

    @property
    def is_signed(self) -> bool:
        return bool(self.signed_on and self.signatory) and self.declined_at is None

    @property
    def state_label(self) -> str:
        if self.declined_at is not None:
            return "推荐单位不予推荐"
        return "已签署" if self.is_signed else "待推荐单位签署"

    def __str__(self) -> str:
        return f"{self.recommender} → {self.application}"
