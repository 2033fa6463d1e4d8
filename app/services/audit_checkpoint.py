"""Signed checkpoints of the audit log (M-3), kept outside the database: the entry count, the
last entry and its MAC, signed with AUDIT_KEY, so that a truncated tail cannot pass unseen."""

import hmac
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from models import AuditEntry
from models.base import utcnow

from . import audit

KIND = "award-audit-checkpoint"


class CheckpointRefused(Exception):
    """The file is not a checkpoint this system signed with its AUDIT_KEY."""


@dataclass
class Checkpoint:
    count: int
    last_id: int | None
    last_at: str | None
    last_action: str | None
    head: str
    algorithm: str
    created_at: str
    kind: str = KIND

    def body(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True).encode("utf-8")

    def signature(self) -> str:
        return audit.mac(self.body(), self.algorithm)


def take() -> Checkpoint:
    count = db.session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    last = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    return Checkpoint(
        count=count,
        last_id=last.id if last else None,
        last_at=last.at.isoformat(timespec="seconds") if last else None,
        last_action=last.action if last else None,
        head=last.hash if last else audit.GENESIS,
        algorithm=audit.preferred_algorithm(),
        created_at=utcnow().isoformat(timespec="seconds") + "Z",
    )


def write(path: str | Path) -> Checkpoint:
    """Write the current checkpoint as JSON to `path` (outside the database)."""
    checkpoint = take()
    data = {**asdict(checkpoint), "mac": checkpoint.signature()}
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return checkpoint


def read(path: str | Path) -> Checkpoint:
    """The checkpoint in `path`; CheckpointRefused unless its signature verifies."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        signature = data.pop("mac")
        checkpoint = Checkpoint(**data)
        expected = checkpoint.signature()
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise CheckpointRefused(f"检查点文件无法读取或格式不符：{exc}") from None
    if checkpoint.kind != KIND or not hmac.compare_digest(str(signature), expected):
        raise CheckpointRefused(
            "检查点文件的签名无效（文件被改动，或不是以本系统的 AUDIT_KEY 签发），拒绝使用"
        )
    return checkpoint
