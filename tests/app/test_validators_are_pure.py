"""Issue 15, one write path (M-3): a record's rules only read. Every validator in
`records.VALIDATORS`, run over the demo's rows (as edits), copies of them and blank records (as
additions), and a few valid decisions (an objection, the city's approval, a sanction), adds,
flushes, commits and deletes nothing, writes no audit entry, changes no other row and sets no
decision field of the record; the change and its audit entry come after, in `records.APPLY`,
inside the same save.

Runs on SQLite and PostgreSQL (`--db=postgres -m db`)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

import models
from app.domain.enums import Stage
from app.extensions import db as _db
from app.services import audit, decisions, records
from models import (
    AuditEntry,
    AwardCycle,
    GovernmentApproval,
    Objection,
    PublicNotice,
    Reviewer,
    ReviewerSanction,
)
from tests.conftest import DEMO_TODAY

pytestmark = pytest.mark.db


class Wrote(AssertionError):
    pass


def _copy(row):
    """A transient record with `row`'s plain values (no key, no decisions, no timestamps)."""
    model = type(row)
    skip = decisions.decision_fields(model) | {"version", "created_at", "updated_at"}
    values = {
        c.key: getattr(row, c.key)
        for c in model.__table__.columns
        if not c.primary_key and c.key not in skip
    }
    return model(**values)


def _decisions_of(item) -> dict:
    return {k: getattr(item, k, None) for k in decisions.decision_fields(type(item))}


def _valid_decisions(session) -> list:
    """Additions that pass their rules, so a validator that writes on success is caught."""
    out = []
    notice = session.scalar(select(PublicNotice).where(PublicNotice.published_at.is_not(None)))
    if notice is not None:
        out.append(
            Objection(
                notice_id=notice.id,
                objector_name="赵明",
                objector_contact="13899765432",
                content="反映拖欠货款",
                received_on=notice.starts_on,
            )
        )
    cycle = session.scalar(select(AwardCycle).where(AwardCycle.stage == Stage.APPROVAL.value))
    if cycle is not None:
        notice = session.scalar(select(PublicNotice).where(PublicNotice.cycle_id == cycle.id))
        out.append(
            GovernmentApproval(
                cycle_id=cycle.id,
                approved_on=notice.ends_on + timedelta(days=10),
                document_no="伊市政发〔2023〕99号",
            )
        )
    reviewer = session.scalar(select(Reviewer).where(Reviewer.active.is_(True)))
    out.append(
        ReviewerSanction(
            reviewer_id=reviewer.id,
            level="disqualification",
            breach="M-25(4)",
            reason="收受购物卡",
            decided_on=DEMO_TODAY - timedelta(days=1),
        )
    )
    return out


def _cases(session):
    for name in sorted(records.VALIDATORS):
        model = getattr(models, name)
        rows = session.scalars(select(model).order_by(model.id).limit(3)).all()
        for row in rows:
            yield row, False
        if rows:
            yield _copy(rows[0]), True
        yield model(), True
    for item in _valid_decisions(session):
        item._valid = True  # must pass its rules, so a write on success is reached
        yield item, True


def _snapshot(session, item):
    def others(objs):
        return {id(o) for o in objs if o is not item}

    return others(session.new), others(session.dirty), others(session.deleted)


@pytest.fixture
def in_demo(app, demo):
    with app.app_context():
        yield
        _db.session.rollback()


@pytest.mark.filterwarnings("ignore:fully NULL primary key")  # the blank records' lookups
def test_no_validator_writes_M_3(in_demo, monkeypatch):
    """Issue 15: `validate_*` only reads; the objection's and the approval's audit entries,
    a sanction's disqualification and a judgement's `decided_by` are the save's change."""
    session = _db.session()
    entries = session.scalar(select(_db.func.count()).select_from(AuditEntry))
    cases = list(_cases(session))
    assert {type(item).__name__ for item, _adding in cases} == set(records.VALIDATORS)

    def wrote(what):
        def refuse(*args, **kwargs):
            raise Wrote(what)

        return refuse

    for method in ("add", "add_all", "flush", "commit", "delete", "merge"):
        monkeypatch.setattr(session, method, wrote(f"session.{method}"))
    monkeypatch.setattr(audit, "record", wrote("audit.record"))

    writers = []
    for item, adding in cases:
        label = f"{type(item).__name__}({'adding' if adding else item.id})"
        before, decided = _snapshot(session, item), _decisions_of(item)
        try:
            with session.no_autoflush:
                records.validate(item, adding)
        except Wrote as exc:
            writers.append(f"{label}: {exc}")
            continue
        except Exception as exc:  # noqa: BLE001 - a refusal or a blank record's error
            if getattr(item, "_valid", False):
                writers.append(f"{label}: refused {exc}")
        if _snapshot(session, item) != before:
            writers.append(f"{label}: changed other rows")
        after = {k: getattr(item, k, None) for k in decided}
        changed = {k for k, v in after.items() if v != decided[k]}
        if changed:
            writers.append(f"{label}: set {sorted(changed)}")
    monkeypatch.undo()
    session.rollback()
    assert writers == []
    assert session.scalar(select(_db.func.count()).select_from(AuditEntry)) == entries
