"""Where a score save's time goes: `saves` saves of 23 items through the score-entry API, in
one process under cProfile, the cumulative time of each step divided by the number of saves.

Steps (each the cumulative time of the functions named, so nested steps are subtracted):
- parse: the request body and its entries (`entries_from_json`, `_clean`);
- rules: who may write and the sheet's stage and state (`ensure_writable`), the scores
  (`sheet_scores`, the domain);
- audit capture: one entry per changed row (`audit_capture._collect`, `_store`, `_bulk` for
  the version claim's UPDATE, less sealing);
- chain hash: sealing each entry after the last (`audit.seal`: the head read and the MAC);
- commit: the flushes' SQL, the history rows' INSERT and the COMMIT (`Session.flush`,
  `_record_changes`, `Session.commit`, less capture);
- the rest: routing, login check, the row scope, loading the sheet, the answer.
cProfile slows Python calls down: the shares, not the absolute figures, are the result. The SQL
statements of one save are counted too (every statement the app's engine runs)."""

from __future__ import annotations

import cProfile
import json
import pstats
import random
import time

from sqlalchemy import event

STEPS = {
    "parse": [("app/api_actions/scoring.py", "entries_from_json"), ("scoring.py", "_clean")],
    "rules": [("scoring.py", "ensure_writable"), ("domain/scoring.py", "sheet_scores")],
    "audit_capture": [
        ("audit_capture.py", "_collect"),
        ("audit_capture.py", "_store"),
        ("audit_capture.py", "_bulk"),
    ],
    "chain_hash": [("services/audit.py", "seal")],
    "commit": [
        ("orm/session.py", "flush"),
        ("services/scoring.py", "_record_changes"),
        ("orm/session.py", "commit"),
    ],
}
LABELS = {
    "parse": "解析请求与条款",
    "rules": "规则检查与计分",
    "audit_capture": "审计捕获（每行一条）",
    "chain_hash": "审计链哈希（读链尾 + MAC）",
    "commit": "写入（flush 的 SQL、评分历史的 INSERT 与 COMMIT）",
    "rest": "其余（路由、登录校验、行范围、加载评分表、应答）",
}


def _cumulative(stats: pstats.Stats, path_end: str, name: str) -> float:
    total = 0.0
    for (filename, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        if func == name and filename.replace("\\", "/").endswith(path_end):
            total += ct
    return total


def measure(app, password: str, saves: int = 60) -> dict:
    """Per-save milliseconds by step (with and without the profiler's overhead)."""
    from app.extensions import db
    from bench.load import _clear, prepare

    with app.app_context():
        plan = prepare(db.session, 5)
        db.session.commit()
        db.session.remove()
    username, sheets = sorted(plan.sheets.items())[0]
    client = app.test_client()
    answer = client.post(
        "/api/v1/security/login",
        json={"username": username, "password": password, "provider": "db"},
    )
    token = answer.get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    rng = random.Random(3)
    versions = dict.fromkeys(sheets, 1)

    def one(k: int) -> None:
        sheet = sheets[k % len(sheets)]
        lines = [{"item": code, "percent": rng.choice(range(40, 101, 5))} for code in plan.items]
        body = {"version": versions[sheet], "lines": lines}
        reply = client.post(f"/api/v1/scoresheet/{sheet}/save", json=body, headers=headers)
        assert reply.status_code == 200, reply.get_data(as_text=True)[:300]
        versions[sheet] = json.loads(reply.get_data())["version"]

    for k in range(5):  # warm-up: caches, the first connection
        one(k)
    with app.app_context():
        engine = db.engine
    statements = []
    listener = lambda *args: statements.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        one(5)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    started = time.perf_counter()
    for k in range(saves):
        one(k)
    plain_ms = (time.perf_counter() - started) * 1000 / saves
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for k in range(saves):
        one(k)
    profiler.disable()
    profiled_ms = (time.perf_counter() - started) * 1000 / saves
    stats = pstats.Stats(profiler)
    raw = {
        step: sum(_cumulative(stats, p, n) for p, n in names) * 1000 / saves
        for step, names in STEPS.items()
    }
    steps = dict(raw)
    steps["audit_capture"] = max(raw["audit_capture"] - raw["chain_hash"], 0.0)
    steps["commit"] = max(raw["commit"] - raw["audit_capture"], 0.0)
    steps["rest"] = max(profiled_ms - sum(steps.values()), 0.0)
    with app.app_context():
        _clear(db.session, plan.cycle_id)
        db.session.commit()
        db.session.remove()
    return {
        "saves": saves,
        "statements": len(statements),
        "plain_ms": plain_ms,
        "profiled_ms": profiled_ms,
        "steps_ms": steps,
        "labels": LABELS,
    }
