"""Shared column helpers: per-row defaults, enum columns with CHECK constraints, money and scores."""

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

from flask_appbuilder import Model
from sqlalchemy import CheckConstraint, DateTime, Integer, Numeric, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

# Named constraints let Alembic's batch mode alter them on SQLite.
Model.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

__all__ = ["Model", "utcnow", "enum_check", "Money", "Score", "Timestamps", "Versioned"]

Money = Numeric(14, 2, asdecimal=True)
Score = Numeric(16, 8, asdecimal=True)
ItemPoints = Numeric(7, 2, asdecimal=True)


def utcnow() -> datetime:
    """Per-row default: the current time in UTC (naive, as stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def enum_check(enum_cls: type[StrEnum], column: str, name: str | None = None) -> CheckConstraint:
    """A CHECK constraint keeping a String column within the enum's values."""
    values = ", ".join(f"'{m.value}'" for m in enum_cls)
    return CheckConstraint(f"{column} IN ({values})", name=name or column)


def enum_col(enum_cls: type[StrEnum], default: StrEnum | None = None, nullable: bool = False):
    return mapped_column(
        String(32),
        nullable=nullable,
        default=default.value if default else None,
        index=True,
        info={"enum": enum_cls},
    )


def non_negative(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} >= 0", name=f"{column}_nonneg")


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


class Versioned:
    """Optimistic locking: a stale form saved over a newer row raises StaleDataError."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @property
    def version_check(self) -> int:
        """What an edit form carries back, to refuse a stale save."""
        return self.version

    @version_check.setter
    def version_check(self, value) -> None:
        self._submitted_version = value

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}


ZERO = Decimal("0")
