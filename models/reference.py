"""Reference data: GB/T 4754 industry sections and versioned GB/T 19580 criteria (M-14, M-16)."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import ItemPoints, Model


class Industry(Model):
    """A section (门类) of GB/T 4754-2017; reviewers' expertise is matched on it (M-10)."""

    __tablename__ = "industry"
    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100), nullable=False)
    name_en: Mapped[str] = mapped_column(String(200), nullable=False, default="")

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"


class CriteriaVersion(Model):
    """One version of the evaluation standard; never edited once a cycle has scores (M-16)."""

    __tablename__ = "criteria_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    published_on: Mapped[date] = mapped_column(Date, nullable=False)
    total_points: Mapped[Decimal] = mapped_column(ItemPoints, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    # M-7: used by a cycle only once the Committee's approval is recorded.
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approval_ref: Mapped[str | None] = mapped_column(String(200))
    categories: Mapped[list["CriteriaCategory"]] = relationship(
        back_populates="version", order_by="CriteriaCategory.position"
    )

    def __str__(self) -> str:
        return self.code


class CriteriaCategory(Model):
    __tablename__ = "criteria_category"
    __table_args__ = (UniqueConstraint("version_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("criteria_version.id"), nullable=False)
    code: Mapped[str] = mapped_column(String(10), nullable=False)
    name_zh: Mapped[str] = mapped_column(String(100), nullable=False)
    name_en: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    kind: Mapped[str] = mapped_column(String(10), nullable=False, default="process")
    points: Mapped[Decimal] = mapped_column(ItemPoints, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    version: Mapped[CriteriaVersion] = relationship(back_populates="categories")
    items: Mapped[list["CriteriaItem"]] = relationship(
        back_populates="category", order_by="CriteriaItem.position"
    )

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"


class CriteriaItem(Model):
    __tablename__ = "criteria_item"
    __table_args__ = (UniqueConstraint("version_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("criteria_version.id"), nullable=False)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("criteria_category.id"), nullable=False, index=True
    )
    code: Mapped[str] = mapped_column(String(10), nullable=False)
    name_zh: Mapped[str] = mapped_column(String(100), nullable=False)
    name_en: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    points: Mapped[Decimal] = mapped_column(ItemPoints, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0, index=True)
    category: Mapped[CriteriaCategory] = relationship(back_populates="items")

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}（{self.points}分）"
