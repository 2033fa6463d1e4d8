"""The audit log (M-3): append-only, each entry sealed with a keyed MAC over the previous one."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Model, utcnow


class AuditEntry(Model):
    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow, index=True)
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    # screen, api, cli or job (app.services.audit.ORIGIN_LABELS)
    origin: Mapped[str | None] = mapped_column(String(8))
    action: Mapped[str] = mapped_column(String(60), nullable=False, index=True)
    object_type: Mapped[str] = mapped_column(String(60), nullable=False)
    object_id: Mapped[int | None] = mapped_column(Integer)
    cycle_id: Mapped[int | None] = mapped_column(Integer, index=True)
    application_id: Mapped[int | None] = mapped_column(Integer, index=True)
    summary: Mapped[str] = mapped_column(Text, nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    # hmac-sm3 or hmac-sha256; NULL for the unkeyed entries of the first version (audit-rekey)
    algorithm: Mapped[str | None] = mapped_column(String(16))
