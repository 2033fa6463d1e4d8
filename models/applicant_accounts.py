"""Applicant accounts (申报单位/个人): a user bound to one organization or individual, approved
by the Office (M-8), and the one-time invitation codes the Office hands out."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.applicant_portal import AccountStatus

from .applicants import ONE_APPLICANT
from .base import Model, Timestamps, enum_check, enum_col


class ApplicantAccount(Timestamps, Model):
    """One user, one applicant; an organization may have several users."""

    __tablename__ = "applicant_account"
    __table_args__ = (ONE_APPLICANT, enum_check(AccountStatus, "status"))
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("ab_user.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    individual_id: Mapped[int | None] = mapped_column(ForeignKey("individual.id"), index=True)
    status: Mapped[str] = enum_col(AccountStatus, AccountStatus.PENDING)
    via_invite: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    contact_name: Mapped[str | None] = mapped_column(String(50))
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    user = relationship("User")
    organization = relationship("Organization")
    individual = relationship("Individual")

    @property
    def applicant_name(self) -> str:
        return str(self.organization or self.individual)

    def __str__(self) -> str:
        return f"{self.user.username if self.user else ''}（{self.applicant_name}）"


class ApplicantInvite(Timestamps, Model):
    """A one-time code with which a known applicant opens an account without waiting (M-8)."""

    __tablename__ = "applicant_invite"
    __table_args__ = (ONE_APPLICANT,)
    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    individual_id: Mapped[int | None] = mapped_column(ForeignKey("individual.id"), index=True)
    expires_on: Mapped[date] = mapped_column(Date, nullable=False)
    created_by: Mapped[str | None] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    used_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"), index=True)
    organization = relationship("Organization")
    individual = relationship("Individual")
