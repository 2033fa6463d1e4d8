"""The audit log holds against the database owner (M-3): a keyed MAC chain, signed checkpoints
outside the database, and `award verify-audit --checkpoint` naming the first bad entry."""

import hashlib
import json
from types import SimpleNamespace

import pytest
from sqlalchemy import select, text

from models import AuditEntry


def _entries(db, n=5):
    from app.services import audit

    for i in range(n):
        audit.record("test", None, f"第 {i} 条决定", reason="测试", username="office")
    db.session.commit()
    rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    return [SimpleNamespace(id=e.id, hash=e.hash, algorithm=e.algorithm) for e in rows]


def _verify(app, *args):
    return app.test_cli_runner().invoke(args=["award", "verify-audit", *args])


def _checkpoint(app, path):
    result = app.test_cli_runner().invoke(args=["award", "audit-checkpoint", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _unkeyed_rewrite(db, legacy=False):
    """What an attacker with the database and the source code can do: re-hash every entry with
    the old, unkeyed sha256 of the nine fields, chained as before."""
    prev = "0" * 64
    rows = db.session.execute(text("SELECT * FROM audit_entry ORDER BY id")).mappings().all()
    for row in rows:
        details = row["details"]
        if isinstance(details, str):
            details = json.loads(details)
        at = row["at"]
        if isinstance(at, str):
            from datetime import datetime

            at = datetime.fromisoformat(at)
        payload = json.dumps(
            [
                prev,
                at.isoformat(timespec="microseconds"),
                row["username"],
                row["action"],
                row["object_type"],
                row["object_id"],
                "改写" if row["id"] == rows[1]["id"] else row["summary"],
                row["reason"],
                details,
            ],
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        db.session.execute(
            text(
                "UPDATE audit_entry SET prev_hash = :p, hash = :h, summary = :s"
                + (", algorithm = NULL, origin = NULL" if legacy else "")
                + " WHERE id = :id"
            ),
            {
                "p": prev,
                "h": digest,
                "s": "改写" if row["id"] == rows[1]["id"] else row["summary"],
                "id": row["id"],
            },
        )
        prev = digest
    db.session.commit()


def test_a_truncated_tail_fails_verify_audit_with_a_checkpoint_M_3(app, db, tmp_path):
    """Finding: deleting the newest entries left `verify-audit` at exit 0."""
    entries = _entries(db)
    cp = _checkpoint(app, tmp_path / "cp.json")
    db.session.execute(text("DELETE FROM audit_entry WHERE id >= :id"), {"id": entries[3].id})
    db.session.commit()
    result = _verify(app, "--checkpoint", str(cp))
    assert result.exit_code == 1, result.output
    assert f"编号 {entries[-1].id}" in result.output and "删除" in result.output


def test_a_rewrite_with_the_unkeyed_hash_fails_verify_audit_M_3(app, db):
    """Finding: editing an old entry and re-hashing every later one with the app's own unkeyed
    hash left `verify-audit` at exit 0."""
    entries = _entries(db)
    _unkeyed_rewrite(db)
    result = _verify(app)
    assert result.exit_code == 1, result.output
    assert f"编号 {entries[0].id}" in result.output


def test_edit_delete_truncate_and_rewrite_each_fail_verify_audit_checkpoint_M_3(app, db, tmp_path):
    """Done means: each tampering fails `verify-audit --checkpoint`; the untouched log passes."""
    entries = _entries(db, 6)
    cp = _checkpoint(app, tmp_path / "cp.json")
    ok = _verify(app, "--checkpoint", str(cp))
    assert ok.exit_code == 0, ok.output
    assert "共校验 6 条" in ok.output
    table = AuditEntry.__table__
    saved = [dict(r) for r in db.session.execute(select(table).order_by(table.c.id)).mappings()]

    def restore():
        db.session.execute(text("DELETE FROM audit_entry"))
        db.session.execute(table.insert(), saved)
        db.session.commit()
        assert _verify(app, "--checkpoint", str(cp)).exit_code == 0

    # an edited entry
    db.session.execute(
        text("UPDATE audit_entry SET reason = '另一理由' WHERE id = :id"), {"id": entries[2].id}
    )
    db.session.commit()
    edited = _verify(app, "--checkpoint", str(cp))
    assert edited.exit_code == 1 and f"编号 {entries[2].id}" in edited.output, edited.output
    restore()
    # an entry deleted in the middle
    db.session.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": entries[1].id})
    db.session.commit()
    deleted = _verify(app, "--checkpoint", str(cp))
    assert deleted.exit_code == 1 and f"编号 {entries[2].id}" in deleted.output, deleted.output
    restore()
    # a truncated tail
    db.session.execute(text("DELETE FROM audit_entry WHERE id >= :id"), {"id": entries[4].id})
    db.session.commit()
    truncated = _verify(app, "--checkpoint", str(cp))
    assert truncated.exit_code == 1 and f"编号 {entries[5].id}" in truncated.output
    restore()
    # everything deleted
    db.session.execute(text("DELETE FROM audit_entry"))
    db.session.commit()
    emptied = _verify(app, "--checkpoint", str(cp))
    assert emptied.exit_code == 1, emptied.output
    restore()
    # a full rewrite with the old unkeyed hash
    _unkeyed_rewrite(db)
    rewritten = _verify(app, "--checkpoint", str(cp))
    assert rewritten.exit_code == 1 and f"编号 {entries[0].id}" in rewritten.output
    restore()
    # a full rewrite with another key
    _rekeyed_with(app, db, b"k" * 32)
    other_key = _verify(app, "--checkpoint", str(cp))
    assert other_key.exit_code == 1 and f"编号 {entries[0].id}" in other_key.output
    restore()


def _rekeyed_with(app, db, key):
    """An attacker who re-seals the whole chain with a key of their own."""
    from app.services import audit

    prev = audit.GENESIS
    for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        entry.summary = entry.summary + "（改）"
        entry.prev_hash = prev
        entry.hash = audit.mac_of(entry, key)
        prev = entry.hash
    db.session.commit()


def test_a_checkpoint_whose_signature_does_not_verify_is_refused_M_3(app, db, tmp_path):
    _entries(db, 3)
    cp = _checkpoint(app, tmp_path / "cp.json")
    data = json.loads(cp.read_text(encoding="utf-8"))
    data["count"] = 1
    cp.write_text(json.dumps(data), encoding="utf-8")
    result = _verify(app, "--checkpoint", str(cp))
    assert result.exit_code == 1
    assert "检查点" in result.output and "签名" in result.output


def test_the_checkpoint_file_records_count_head_time_and_algorithm(app, db, tmp_path):
    entries = _entries(db, 2)
    data = json.loads(_checkpoint(app, tmp_path / "cp.json").read_text(encoding="utf-8"))
    assert data["count"] == 2 and data["last_id"] == entries[-1].id
    assert data["head"] == entries[-1].hash and data["algorithm"] == entries[-1].algorithm
    assert data["created_at"] and data["mac"]


def test_entries_are_sealed_with_hmac_sm3_where_hashlib_offers_it(app, db):
    """GB/T 39786-2021: HMAC-SM3 where the platform has SM3, HMAC-SHA256 otherwise."""
    entries = _entries(db, 1)
    try:
        hashlib.new("sm3")
        expected = "hmac-sm3"
    except ValueError:
        expected = "hmac-sha256"
    assert entries[0].algorithm == expected


def test_production_refuses_to_start_without_a_long_audit_key(database_url):
    from app import create_app
    from config import DEV_AUDIT_KEY

    with pytest.raises(RuntimeError, match="AUDIT_KEY"):
        create_app(
            "production",
            SECRET_KEY="s" * 40,
            AUDIT_KEY=DEV_AUDIT_KEY,
            SQLALCHEMY_DATABASE_URI=database_url,
        )
    with pytest.raises(RuntimeError, match="AUDIT_KEY"):
        create_app(
            "production",
            SECRET_KEY="s" * 40,
            AUDIT_KEY="short",
            SQLALCHEMY_DATABASE_URI=database_url,
        )


def test_no_role_not_even_admin_can_edit_or_delete_audit_entries_M_3(app, db, api, browser):
    """The log is append-only for every role: no screen and no API endpoint changes an entry."""
    from tests import factories as f

    for username, role in (("admin", "Admin"), ("office", "Office")):
        f.user(app, username, role)
    target = _entries(db, 1)[-1]
    for username in ("admin", "office"):
        b = browser(username)
        for path in (f"/auditentryview/edit/{target.id}", "/auditentryview/add"):
            assert b.get(path).status_code in (302, 403, 404), path
        for path in (f"/auditentryview/edit/{target.id}", f"/auditentryview/delete/{target.id}"):
            resp = b.post(path, {"summary": "改写"}, token_from="/auditentryview/list/")
            assert resp.status_code in (302, 403, 404, 405), path
        client = api(username)
        url = f"/api/v1/audit_entry/{target.id}"
        assert client.put(url, json={"summary": "改写"}).status_code in (403, 404, 405)
        assert client.delete(url).status_code in (403, 404, 405)
        assert client.post("/api/v1/audit_entry/", json={"summary": "x"}).status_code in (
            403,
            404,
            405,
        )
    db.session.expire_all()
    entries = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "test")))
    assert [(e.id, e.summary, e.hash) for e in entries] == [(target.id, "第 0 条决定", target.hash)]
    assert _verify(app).exit_code == 0


def test_audit_rekey_seals_an_intact_legacy_chain_and_refuses_a_broken_one_M_3(app, db):
    """Upgrading: entries of the unkeyed first version fail verify-audit until audit-rekey has
    checked their old chain and re-sealed them; a broken old chain is not laundered."""
    entries = _entries(db, 3)
    _unkeyed_rewrite(db, legacy=True)
    legacy = _verify(app)
    assert legacy.exit_code == 1 and "audit-rekey" in legacy.output
    runner = app.test_cli_runner()
    db.session.execute(
        text("UPDATE audit_entry SET reason = 'x' WHERE id = :id"), {"id": entries[1].id}
    )
    db.session.commit()
    refused = runner.invoke(args=["award", "audit-rekey"])
    assert refused.exit_code == 1 and f"编号 {entries[1].id}" in refused.output
    db.session.execute(
        text("UPDATE audit_entry SET reason = '测试' WHERE id = :id"), {"id": entries[1].id}
    )
    db.session.commit()
    done = runner.invoke(args=["award", "audit-rekey"])
    assert done.exit_code == 0 and "3 条" in done.output, done.output
    ok = _verify(app)
    assert ok.exit_code == 0 and "共校验 4 条" in ok.output, ok.output


@pytest.mark.postgres_only
def test_concurrent_writers_keep_one_unbroken_chain_M_3(app, db):
    """Two transactions writing at once: the second waits for the first and chains after it
    (a row lock on the old head would hand it the old head back and fork the chain)."""
    import threading

    from app.extensions import db as _db
    from tests import factories as f

    db.session.commit()
    barrier = threading.Barrier(4)
    errors = []

    def writer(n):
        try:
            with app.app_context():
                barrier.wait()
                for i in range(5):
                    f.organization(_db.session, name=f"并发企业{n}-{i}")
                    _db.session.commit()
                _db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    result = _verify(app)
    assert result.exit_code == 0 and "共校验 20 条" in result.output, result.output
