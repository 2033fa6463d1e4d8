"""Official documents generated from the records: drafts the Office may edit, and the issued
file kept with its record, never changed afterwards (issue 19)."""

from datetime import date, datetime

from sqlalchemy import (
    DDL,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Model, Timestamps, Versioned

DOCUMENT_STATES = ("draft", "issued")


class IssuedDocument(Versioned, Timestamps, Model):
    """One document of a kind for one record (a cycle's year, an application, a revocation
    case): a draft until issued; once issued its file, number and date are frozen (a database
    trigger refuses any change) and no second one of that kind for that record is issued."""

    __tablename__ = "issued_document"
    __table_args__ = (
        CheckConstraint("state IN ('draft', 'issued')", name="state"),
        CheckConstraint("target IN ('year', 'application', 'case')", name="target"),
        CheckConstraint(
            "(state = 'issued') = (issued_at IS NOT NULL AND issued_by IS NOT NULL)",
            name="issued_when",
        ),
        CheckConstraint("size > 0", name="size"),
        # nothing is issued twice: one issued document per kind and record
        Index(
            "uq_issued_document_once",
            "kind",
            "target",
            "target_id",
            unique=True,
            sqlite_where=text("state = 'issued'"),
            postgresql_where=text("state = 'issued'"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    target: Mapped[str] = mapped_column(String(16), nullable=False)
    target_id: Mapped[int] = mapped_column(Integer, nullable=False)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("award_cycle.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), index=True)
    revocation_case_id: Mapped[int | None] = mapped_column(
        ForeignKey("revocation_case.id"), index=True
    )
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    document_no: Mapped[str | None] = mapped_column(String(100), unique=True)
    dated: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), nullable=False, default="draft", index=True)
    filename: Mapped[str] = mapped_column(String(200), nullable=False)
    content: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    edited: Mapped[bool] = mapped_column(default=False, nullable=False)
    created_by: Mapped[str | None] = mapped_column(String(64))
    issued_by: Mapped[str | None] = mapped_column(String(64))
    issued_at: Mapped[datetime | None] = mapped_column(DateTime)
    cycle = relationship("AwardCycle")
    application = relationship("Application")
    revocation_case = relationship("RevocationCase")

    def __str__(self) -> str:
        return f"{self.document_no or ''} {self.title}".strip()


# The issued file cannot be changed, whatever writes to the database (the service refuses
# first, with the rule's message; this is the last line). Deleting is left to the service.
FROZEN_SQLITE = DDL(
    "CREATE TRIGGER issued_document_frozen BEFORE UPDATE ON issued_document "
    "WHEN OLD.state = 'issued' BEGIN "
    "SELECT RAISE(ABORT, 'issued_document: an issued document cannot be changed'); END"
)
FROZEN_PG_FUNCTION = DDL(
    "CREATE OR REPLACE FUNCTION issued_document_frozen() RETURNS trigger AS $$ BEGIN "
    "IF OLD.state = 'issued' THEN "
    "RAISE EXCEPTION 'issued_document: an issued document cannot be changed'; END IF; "
    "RETURN NEW; END $$ LANGUAGE plpgsql"
)
FROZEN_PG_TRIGGER = DDL(
    "CREATE TRIGGER issued_document_frozen BEFORE UPDATE ON issued_document "
    "FOR EACH ROW EXECUTE FUNCTION issued_document_frozen()"
)
_table = IssuedDocument.__table__
event.listen(_table, "after_create", FROZEN_SQLITE.execute_if(dialect="sqlite"))
event.listen(_table, "after_create", FROZEN_PG_FUNCTION.execute_if(dialect="postgresql"))
event.listen(_table, "after_create", FROZEN_PG_TRIGGER.execute_if(dialect="postgresql"))
