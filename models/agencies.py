"""The third-party agency that organizes the expert review (M-6) and the users who act for it."""

from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Model, Timestamps

# One agency per user: the user id is the key (an agency has several staff).
agency_staff = Table(
    "agency_staff",
    Model.metadata,
    Column("user_id", Integer, ForeignKey("ab_user.id"), primary_key=True),
    Column("agency_id", Integer, ForeignKey("agency.id"), nullable=False, index=True),
)


class Agency(Timestamps, Model):
    """A third-party agency procured by the market regulator (M-6); a cycle names the one
    that runs its review and the contract period."""

    __tablename__ = "agency"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    credit_code: Mapped[str | None] = mapped_column(String(18))
    contact_name: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    users = relationship("User", secondary=agency_staff)

    def __str__(self) -> str:
        return self.name
