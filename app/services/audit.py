"""The audit log (M-3): who, when, from where, what and why, each entry sealed with a keyed MAC
(HMAC-SM3 where hashlib has SM3, else HMAC-SHA256) over the previous entry's MAC.

The key (`AUDIT_KEY`) is not in the database: whoever can write to the database can delete or
edit rows, but cannot re-seal them, so `verify` finds any edit, any gap and a rewrite;
a truncated tail is found against a signed checkpoint (app/services/audit_checkpoint.py).
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from types import SimpleNamespace

import click
from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import select, text

from app.extensions import db
from models import AuditEntry
from models.base import utcnow

GENESIS = "0" * 64
SM3, SHA256 = "hmac-sm3", "hmac-sha256"
_DIGESTS = {SM3: "sm3", SHA256: "sha256"}
# The one definition of what the MAC covers, in this order (issue 20: defined once).
MAC_FIELDS = (
    "prev_hash",
    "algorithm",
    "at",
    "username",
    "origin",
    "action",
    "object_type",
    "object_id",
    "cycle_id",
    "application_id",
    "summary",
    "reason",
    "details",
)
# Where a change came from; CLI commands run by cron are jobs.
SCREEN, API, CLI, JOB = "screen", "api", "cli", "job"
ORIGIN_LABELS = {SCREEN: "页面", API: "接口", CLI: "命令行", JOB: "定时任务"}
JOB_COMMANDS = {"remind", "followups"}
# The actions of the entries app/services/audit_capture.py writes for each changed row.
ROW_ACTIONS = ("db_insert", "db_update", "db_delete")
ADVISORY_LOCK = 0x41554454  # "AUDT": PostgreSQL advisory lock of the audit chain's head
_TAIL = "award_audit_tail"  # session.info: the MAC of the last entry added in this transaction


@cache
def _sm3_available() -> bool:
    try:
        hashlib.new("sm3", b"abc").hexdigest()
    except ValueError:
        return False
    return True


def preferred_algorithm() -> str:
    return SM3 if _sm3_available() else SHA256


def audit_key() -> bytes:
    """The app's AUDIT_KEY; outside an app (the demo loaded on a bare session) the environment's,
    else the development key."""
    if has_app_context():
        return current_app.config["AUDIT_KEY"].encode("utf-8")
    from config import Config

    return Config.AUDIT_KEY.encode("utf-8")


def _canonical(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    return value


def mac_payload(entry) -> bytes:
    values = [_canonical(getattr(entry, name)) for name in MAC_FIELDS]
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")


def mac(data: bytes, algorithm: str, key: bytes | None = None) -> str:
    """The keyed MAC of `data`; ValueError for an algorithm this platform cannot compute."""
    if algorithm not in _DIGESTS or (algorithm == SM3 and not _sm3_available()):
        raise ValueError(algorithm)
    return hmac.new(key or audit_key(), data, _DIGESTS[algorithm]).hexdigest()


def mac_of(entry, key: bytes | None = None) -> str:
    return mac(mac_payload(entry), entry.algorithm, key)


def json_safe(details: dict | None) -> dict:
    """Details as the JSON column gives them back, so the MAC of a re-read entry matches."""
    return json.loads(json.dumps(details or {}, ensure_ascii=False, default=str))


def current_username() -> str | None:
    if not has_app_context():
        return None
    user = getattr(g, "user", None) if has_request_context() else None
    if user is not None and getattr(user, "is_authenticated", False):
        return user.username
    return None if has_request_context() else getattr(g, "cli_user", None)


def current_origin() -> str:
    if has_request_context():
        return API if request.path.startswith("/api/") else SCREEN
    ctx = click.get_current_context(silent=True)
    return JOB if ctx is not None and ctx.info_name in JOB_COMMANDS else CLI


def _previous(session) -> str:
    tail = session.info.get(_TAIL)
    if tail is not None:
        return tail
    # Serialize writers so two entries never chain to the same predecessor: on PostgreSQL a
    # transaction-scoped advisory lock, then the head read afresh (READ COMMITTED: a row lock on
    # the old head would hand a waiting writer that old head back); SQLite has one writer.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
    # The query may autoflush, and the flush may add captured entries: then the chain
    # continues from those.
    last = session.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    tail = session.info.get(_TAIL)
    if tail is not None:
        return tail
    return last.hash if last else GENESIS


def seal(session, fields: dict) -> dict:
    """Complete `fields` into an entry's column values, chained after the last entry of
    `session`'s transaction and sealed with the key; the caller stores it."""
    fields.setdefault("at", utcnow())
    fields.setdefault("origin", current_origin())
    fields["details"] = json_safe(fields.get("details"))
    for name in MAC_FIELDS:
        fields.setdefault(name, None)
    fields["algorithm"] = preferred_algorithm()
    fields["prev_hash"] = _previous(session)
    fields["hash"] = mac(mac_payload(SimpleNamespace(**fields)), fields["algorithm"])
    session.info[_TAIL] = fields["hash"]
    return fields


def append(session, **fields) -> AuditEntry:
    """Add one sealed entry to `session` after the last one; the caller flushes and commits."""
    entry = AuditEntry(**seal(session, fields))
    session.add(entry)
    return entry


def forget_tail(session, *_args) -> None:
    """At every transaction's end the next entry reads the chain's head again."""
    session.info.pop(_TAIL, None)


def record(
    action: str,
    obj,
    summary: str,
    *,
    reason: str | None = None,
    details: dict | None = None,
    cycle_id=None,
    application_id=None,
    username: str | None = None,
) -> AuditEntry:
    """Append an entry in the caller's transaction; the caller commits."""
    entry = append(
        db.session,
        username=username or current_username(),
        action=action,
        object_type=type(obj).__name__ if obj is not None else "System",
        object_id=getattr(obj, "id", None),
        cycle_id=cycle_id,
        application_id=application_id,
        summary=summary,
        reason=reason,
        details=details,
    )
    db.session.flush()
    return entry


@dataclass
class Broken:
    """The first bad entry: its id, time and action (an entry may be gone: then the last one
    the checkpoint knew), and what is wrong with it."""

    id: int | None
    at: object
    action: str | None
    problem: str

    def describe(self) -> str:
        return f"第一条异常记录编号 {self.id}（{self.at} {self.action}）：{self.problem}"


def _problem(entry, prev: str) -> str | None:
    if entry.algorithm is None:
        return "未以 AUDIT_KEY 签名的旧记录（升级后须运行 award audit-rekey）"
    if entry.prev_hash != prev:
        return "与前一条记录的链接不符（前一条记录被删除或改动）"
    try:
        expected = mac_of(entry)
    except ValueError:
        return f"本机无法计算该记录的算法 {entry.algorithm}"
    if not hmac.compare_digest(entry.hash, expected):
        return "内容与签名不符（记录被改动，或以其他密钥重写）"
    return None


def verify(checkpoint=None) -> tuple[int, Broken | None]:
    """(entries checked, first broken entry or None); with a checkpoint, the entry at its
    position must still carry its MAC and the log must not have shrunk."""
    prev, count = GENESIS, 0
    rows = db.session.scalars(
        select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=1000)
    )
    for entry in rows:
        count += 1
        problem = _problem(entry, prev)
        if problem is None and checkpoint is not None and count == checkpoint.count:
            if (entry.id, entry.hash) != (checkpoint.last_id, checkpoint.head):
                problem = "与检查点记载的记录不符（此前的记录被删除或重写）"
        if problem is not None:
            return count, Broken(entry.id, entry.at, entry.action, problem)
        prev = entry.hash
    if checkpoint is not None and count < checkpoint.count:
        return count, Broken(
            checkpoint.last_id,
            checkpoint.last_at,
            checkpoint.last_action,
            f"已被删除：检查点记载 {checkpoint.count} 条记录，现仅余 {count} 条",
        )
    return count, None


# The unkeyed sha256 of the first version, frozen: only `award audit-rekey` reads it.
_LEGACY_FIELDS = ("at", "username", "action", "object_type", "object_id", "summary", "reason")


def _legacy_hash(entry, prev: str) -> str:
    values = [prev, *(_canonical(getattr(entry, n)) for n in _LEGACY_FIELDS), entry.details]
    payload = json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def rekey_legacy() -> tuple[int, Broken | None]:
    """Seal the entries written before the keyed chain, once their unkeyed chain is checked
    intact; the caller commits. Refuses (returns the broken entry) if it is not."""
    entries = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    old_prev, prev, sealed = GENESIS, GENESIS, 0
    for entry in entries:
        old_hash = entry.hash
        if entry.algorithm is None:
            if entry.prev_hash != old_prev or entry.hash != _legacy_hash(entry, old_prev):
                return sealed, Broken(entry.id, entry.at, entry.action, "旧哈希链已被破坏")
            entry.algorithm = preferred_algorithm()
            sealed += 1
        else:
            problem = _problem(entry, old_prev)
            if problem is not None:
                return sealed, Broken(entry.id, entry.at, entry.action, problem)
        entry.prev_hash = prev
        entry.hash = mac_of(entry)
        old_prev, prev = old_hash, entry.hash
    if sealed:
        db.session.flush()
        forget_tail(db.session)
        record("audit_rekey", None, f"以 AUDIT_KEY 重新签名 {sealed} 条旧审计记录")
    return sealed, None
