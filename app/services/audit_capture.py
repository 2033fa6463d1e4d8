"""Every insert, update and delete of every table, the award's and Flask-AppBuilder's users and
roles alike, written to the audit log (M-3): one entry per changed row with who, when, the
origin (screen, API, CLI, job), the record and each changed field's old and new value.

Listeners on the app's session, registered per app by the factory (`register`): whatever path
writes through the ORM session is recorded. Decisions keep their reason in the entries their
use cases write with `audit.record`; these entries sit beside them.
"""

import getpass
import json
import re
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache

from flask import current_app, has_app_context
from flask_appbuilder import Model
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import RelationshipDirection, configure_mappers

from app import app_state
from app.extensions import db
from models import AuditEntry

from . import audit

EXTENSION = "award_audit_capture"
_PENDING = "award_audit_pending"  # session.info: rows changed by the flush under way
_PAUSED = "award_audit_paused"
# Execution option of an UPDATE that changes no audited column (a score save's version claim,
# `version = version`): no entry could come of it, so its rows are not read before and after.
UNCHANGED = "award_audit_unchanged"
NOT_AUDITED = {"audit_entry"}
# Inserts into the score history are the history of a score line's change, which its own entry
# already holds with the old and new value; updates and deletes of history rows are recorded.
HISTORY_INSERTS = {"score_change"}
# Bookkeeping that changes with every save; the fields that changed with it are what counts.
NOISE = {"updated_at", "version", "changed_on", "changed_by_fk"}
MASKED = re.compile(r"password|secret|token|otp", re.IGNORECASE)
MASK = "******"
MAX_TEXT = 500
MAX_JSON = 2000
LABEL_COLUMNS = ("number", "username", "name", "code", "title", "document_no", "certificate_no")
INSERTED, UPDATED, DELETED = audit.ROW_ACTIONS
KINDS = {"insert": (INSERTED, "新增"), "update": (UPDATED, "修改"), "delete": (DELETED, "删除")}
UNKNOWN = "（未读取）"


def register(app) -> None:
    """Turn capture on for `app`; the listeners are added to the session once."""
    app.extensions[EXTENSION] = True
    app_state.turn_on(app, EXTENSION)
    for name, listener in (
        ("after_flush", _collect),
        ("after_flush_postexec", _write),
        ("after_transaction_end", _transaction_end),
        ("do_orm_execute", _bulk),
    ):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
    _keep_old_values()


def _keep_old_values() -> None:
    """A field set on a row whose values were expired (after a commit) loads its old value
    first, so the entry can say what it was."""
    configure_mappers()
    for mapper in Model.registry.mappers:
        if mapper.local_table.name in NOT_AUDITED:
            continue
        for attr in mapper.column_attrs:
            target = getattr(mapper.class_, attr.key)
            if not event.contains(target, "set", _noop):
                event.listen(target, "set", _noop, active_history=True)


def _noop(_target, value, _old, _initiator):
    return value


@contextmanager
def paused(session):
    """Loading the synthetic demo data set is not a change to audit entry by entry (the demo
    writes its own trail of decisions); nothing else pauses capture."""
    session.info[_PAUSED] = session.info.get(_PAUSED, 0) + 1
    try:
        yield
    finally:
        session.info[_PAUSED] -= 1


def _enabled(session) -> bool:
    return (
        has_app_context()
        and current_app.extensions.get(EXTENSION, False)
        and not session.info.get(_PAUSED)
    )


def _collect(session, _flush_context) -> None:
    """After the SQL ran, while attribute history still holds the old values."""
    if not _enabled(session):
        return
    rows = session.info.setdefault(_PENDING, [])
    for kind, objects in (
        ("insert", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            row = _row(kind, obj)
            if row is not None:
                rows.append(row)


def _write(session, _flush_context) -> None:
    rows = session.info.pop(_PENDING, None)
    if rows:
        _store(session, rows)


def _store(session, rows: list[dict]) -> None:
    username, origin = audit.current_username(), audit.current_origin()
    extra = {}
    if origin in (audit.CLI, audit.JOB) and username is None:
        extra["os_user"] = _os_user()
    sealed = []
    for row in rows:
        row["details"].update(extra)
        sealed.append(audit.seal(session, {"username": username, "origin": origin, **row}))
    # One executemany in chain order, without an ORM object per entry (a score save changes
    # up to 23 lines).
    session.connection().execute(AuditEntry.__table__.insert(), sealed)


def _bulk(state):
    """UPDATE and DELETE statements run through the session (not the unit of work): the rows
    they match are read before and after, and each changed row gets its entry."""
    session = state.session
    if not (state.is_update or state.is_delete) or not _enabled(session):
        return None
    if state.is_update and state.execution_options.get(UNCHANGED):
        return None
    # The plain table: an ORM `update(Model)` names the mapped one, which select() would load
    # as objects.
    table = Model.metadata.tables.get(state.statement.table.name)
    pk = list(table.primary_key.columns) if table is not None else []
    if len(pk) != 1 or table.name in NOT_AUDITED:
        return None
    where = state.statement.whereclause
    query = select(table) if where is None else select(table).where(where)
    before = {row[pk[0].name]: row for row in session.execute(query).mappings()}
    result = state.invoke_statement()
    after = {}
    if state.is_update and before:
        query = select(table).where(pk[0].in_(list(before)))
        after = {row[pk[0].name]: row for row in session.execute(query).mappings()}
    rows = []
    for key, old in before.items():
        new = after.get(key)
        changes = {
            name: {
                "old": _value(name, value),
                "new": None if new is None else _value(name, new[name]),
            }
            for name, value in old.items()
            if (new is None and value is not None)
            or (new is not None and new[name] != value and name not in NOISE)
        }
        if changes:
            rows.append(
                _bulk_row(table, key, old, "update" if new is not None else "delete", changes)
            )
    if rows:
        _store(session, rows)
    return result


def _bulk_row(table, key, values, kind, changes) -> dict:
    name = _class_names().get(table.name, table.name)
    label = next((str(values[c]) for c in LABEL_COLUMNS if values.get(c)), f"#{key}")
    action, verb = KINDS[kind]
    summary = f"{verb}{name}「{label}」" + ("：" + "、".join(changes) if kind == "update" else "")
    return {
        "action": action,
        "object_type": name,
        "object_id": key if isinstance(key, int) else None,
        "cycle_id": key if name == "AwardCycle" else values.get("cycle_id"),
        "application_id": key if name == "Application" else values.get("application_id"),
        "summary": summary[:2000],
        "details": {
            "table": table.name,
            "pk": key,
            "label": label,
            "changes": changes,
            "bulk": True,
        },
    }


@cache
def _class_names() -> dict[str, str]:
    return {m.local_table.name: m.class_.__name__ for m in Model.registry.mappers}


def _transaction_end(session, transaction) -> None:
    if transaction.parent is None or transaction.nested:
        session.info.pop(_PENDING, None)
        audit.forget_tail(session)


def _os_user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def _row(kind: str, obj) -> dict | None:
    state = inspect(obj)
    mapper = state.mapper
    table = mapper.local_table.name
    if table in NOT_AUDITED or (kind == "insert" and table in HISTORY_INSERTS):
        return None
    values = state.dict
    changes = _column_changes(kind, state) | _relation_changes(kind, state)
    if kind == "update" and not changes:
        return None
    pk = [values.get(mapper.get_property_by_column(c).key) for c in mapper.primary_key]
    object_id = pk[0] if len(pk) == 1 and isinstance(pk[0], int) else None
    name = mapper.class_.__name__
    label = label_of(obj)
    action, verb = KINDS[kind]
    summary = f"{verb}{name}「{label}」"
    if kind == "update":
        summary += "：" + "、".join(changes)
    return {
        "action": action,
        "object_type": name,
        "object_id": object_id,
        "cycle_id": values.get("id") if name == "AwardCycle" else values.get("cycle_id"),
        "application_id": values.get("id")
        if name == "Application"
        else values.get("application_id"),
        "summary": summary[:2000],
        "details": {
            "table": table,
            "pk": pk if object_id is None else object_id,
            "label": label,
            "changes": changes,
        },
    }


def _column_changes(kind: str, state) -> dict:
    changes = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if kind == "insert":
            new = state.dict.get(key)
            if new is not None:
                changes[key] = {"old": None, "new": _value(key, new)}
        elif kind == "delete":
            if key in state.dict and state.dict[key] is not None:
                changes[key] = {"old": _value(key, state.dict[key]), "new": None}
        elif key not in NOISE:
            hist = state.attrs[key].history
            if not hist.added and not hist.deleted:
                continue
            new = hist.added[0] if hist.added else None
            old = hist.deleted[0] if hist.deleted else UNKNOWN
            if old != new:
                changes[key] = {"old": _value(key, old), "new": _value(key, new)}
    return changes


def _relation_changes(kind: str, state) -> dict:
    """Many-to-many links (a user's roles, a role's permissions) and, on update, the record a
    many-to-one link now points to, by its label. Nothing unloaded is loaded."""
    changes = {}
    for rel in state.mapper.relationships:
        many = rel.secondary is not None
        if not many and (kind != "update" or rel.direction != RelationshipDirection.MANYTOONE):
            continue
        hist = state.attrs[rel.key].history
        if not hist.added and not hist.deleted and kind == "update":
            continue
        if many:
            kept = [label_of(o) for o in hist.unchanged or ()]
            old = kept + [label_of(o) for o in hist.deleted or ()]
            new = kept + [label_of(o) for o in hist.added or ()]
            if kind == "insert":
                old = []
            if kind == "delete":
                new = []
            if old != new:
                changes[rel.key] = {"old": old, "new": new}
        else:
            old = (
                label_of(hist.deleted[0]) if hist.deleted and hist.deleted[0] is not None else None
            )
            new = label_of(hist.added[0]) if hist.added and hist.added[0] is not None else None
            if old != new:
                changes[rel.key] = {"old": old, "new": new}
    return changes


def label_of(obj) -> str:
    """A readable name from the row's own loaded columns (no query during a flush)."""
    values = inspect(obj).dict
    for key in LABEL_COLUMNS:
        if values.get(key):
            return str(values[key])
    permission, view_menu = values.get("permission"), values.get("view_menu")
    if permission is not None and view_menu is not None:
        return f"{permission.name} {view_menu.name}"
    return f"#{values.get('id')}"


def _value(key: str, value):
    """A JSON value for the log: secrets masked, long text and binary data summarised."""
    if value is None or value == UNKNOWN:
        return value
    if MASKED.search(key):
        return MASK
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<二进制数据 {len(value)} 字节>"
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else f"{value[:MAX_TEXT]}…（共 {len(value)} 字）"
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, default=str)
        return value if len(text) <= MAX_JSON else f"<JSON {len(text)} 字符>"
    return str(value)[:MAX_TEXT]
