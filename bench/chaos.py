"""`make chaos`: score saves while the database restarts and goes away (issue 15).

Starts its own PostgreSQL cluster on a free loopback port (never the shared server), migrates
and seeds it (`flask db upgrade`, `award sync-roles`, `award seed-demo`), serves the app with
gunicorn (2 workers) on loopback, and lets the demo reviewers save their scoresheets through the
API concurrently for a bounded time. In the middle the database is restarted, and later stopped
for 10 s. Afterwards every answer is compared with what the database holds:

- an acknowledged write (2xx) must be in the database (lost: must be 0);
- a write answered as failed must not be in the database (committed-but-answered-as-failed:
  must be 0). Each save carries a unique tag in `overall_comment`, so the stored tag names the
  attempt that won; a failed attempt found stored later (its version consumed) is counted too.

Writes RELIABILITY.md, then stops everything and removes the cluster. Bounded: the load runs
CHAOS_SECONDS (default 45) seconds; the whole run takes well under 3 minutes.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.load import Plan, scoring_cycle

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
SECONDS = float(os.environ.get("CHAOS_SECONDS", "45"))
RESTART_AT = 0.25  # of the run: `pg_ctl restart -m fast`
STOP_AT = 0.5  # of the run: `pg_ctl stop -m fast`, down for DOWN_SECONDS
DOWN_SECONDS = 10.0
SHEETS_PER_REVIEWER = 4
PASSWORD = "demo12345"
CYCLE_YEAR = 2097
OUT = Path(os.environ.get("CHAOS_OUT", ROOT / "RELIABILITY.md"))


def log(message: str) -> None:
    print(f"[chaos {datetime.now():%H:%M:%S}] {message}", flush=True)


# --- the cluster ---------------------------------------------------------------------------


class Cluster:
    """A throw-away PostgreSQL cluster in a temporary directory, owned by `postgres` when run
    as root (PostgreSQL refuses to run as root)."""

    def __init__(self) -> None:
        from bench.load import free_port

        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="award-chaos-pg-"))
        self.data = self.dir / "data"
        self.logfile = self.dir / "pg.log"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        self.url = f"postgresql+psycopg://postgres@{HOST}:{self.port}/postgres"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(PG_BIN / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=60)

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        self.start()

    def _ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses={HOST} -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.logfile), "-w", "-t", "30",
                  "-o", options, *args)  # fmt: skip

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")

    def remove(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "stop", "-m", "immediate", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


# --- the data ------------------------------------------------------------------------------


def flask(url: str, *args: str) -> None:
    env = dict(os.environ, DATABASE_URL=url, FAB_UPDATE_PERMS="False", AWARD_CONFIG="development")
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=300)  # fmt: skip


def prepare(url: str) -> Plan:
    """A cycle of its own in material review: one group of the demo's reviewers, each with
    SHEETS_PER_REVIEWER blank draft sheets (bench/load.py builds it)."""
    os.environ["DATABASE_URL"] = url
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from models import Reviewer

    app = create_app("development", SQLALCHEMY_DATABASE_URI=url, DEBUG=False)
    with app.app_context():
        s = db.session
        user_model = app.appbuilder.sm.user_model
        team = list(s.execute(select(Reviewer.id, user_model.username)
                              .join(user_model, user_model.id == Reviewer.user_id)
                              .where(Reviewer.active.is_(True)).order_by(Reviewer.id)))  # fmt: skip
        plan = scoring_cycle(
            s, [team], "数据库故障演练", year=CYCLE_YEAR, per_group=SHEETS_PER_REVIEWER
        )
        s.commit()
        s.remove()
        db.engine.dispose()
    return plan


# --- the load ------------------------------------------------------------------------------


@dataclass
class Attempt:
    sheet: int
    tag: str
    kind: str  # "2xx", "409", "422", "503", "500", "other", "connection"
    at: float


@dataclass
class Record:
    attempts: list[Attempt] = field(default_factory=list)
    stale_after_failure: int = 0  # a failed save whose version was consumed: it was stored
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, attempt: Attempt) -> None:
        with self.lock:
            self.attempts.append(attempt)


def kind_of(status: int) -> str:
    if 200 <= status < 300:
        return "2xx"
    return str(status) if status in (409, 422, 503, 500) else f"other {status}"


def is_stale(status, data: bytes) -> bool:
    if status == 409:
        return True
    if status != 422:
        return False
    try:
        body = json.loads(data)
    except ValueError:
        return False
    return "并发" in f"{body.get('rule')}{body.get('message')}"


def reviewer(port, username, sheets, items, deadline, record: Record, seed: int) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)

    def call(method, path, body, token=None):
        nonlocal conn
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            conn.request(method, path, body=json.dumps(body), headers=headers)
            response = conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            return None, b""

    token = None
    while token is None and time.monotonic() < deadline:
        status, data = call("POST", "/api/v1/security/login",
                            {"username": username, "password": PASSWORD, "provider": "db"})  # fmt: skip
        if status == 200:
            token = json.loads(data)["access_token"]
        else:
            time.sleep(0.2)
    versions = dict.fromkeys(sheets, 1)
    failed_last = dict.fromkeys(sheets, False)
    n = 0
    while time.monotonic() < deadline:
        sheet = sheets[n % len(sheets)]
        n += 1
        tag = f"{username}#{seed}-{n}"
        percents = [(seed * 7 + n * 5 + k * 5) % 101 // 5 * 5 for k in range(len(items))]
        body = {
            "version": versions[sheet],
            "overall_comment": tag,
            "lines": [{"item": c, "percent": p} for c, p in zip(items, percents, strict=True)],
        }
        status, data = call("POST", f"/api/v1/scoresheet/{sheet}/save", body, token)
        kind = "connection" if status is None else kind_of(status)
        if status is not None and 200 <= status < 300:
            answer = json.loads(data or b"{}")
            versions[sheet] = answer.get("version", versions[sheet] + 1)
            failed_last[sheet] = False
        elif failed_last[sheet] and is_stale(status, data):
            # Stale: the previous save of this sheet, answered as failed, was stored after all.
            with record.lock:
                record.stale_after_failure += 1
            versions[sheet] += 1
            failed_last[sheet] = False
        else:
            failed_last[sheet] = kind != "422"
            if kind in ("503", "connection"):
                time.sleep(0.2)
        record.add(Attempt(sheet, tag, kind, time.monotonic()))
    conn.close()


def verify(url: str, record: Record) -> dict:
    """Compare the answers with the database: the stored tag of each sheet names its winner."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT id, overall_comment FROM scoresheet "
                                        "WHERE overall_comment IS NOT NULL")).all())  # fmt: skip
    engine.dispose()
    lost = committed_failed = 0
    by_sheet: dict[int, list[Attempt]] = {}
    for a in record.attempts:
        by_sheet.setdefault(a.sheet, []).append(a)
    for sheet, attempts in by_sheet.items():
        tags = [a.tag for a in attempts]
        acked = [i for i, a in enumerate(attempts) if a.kind == "2xx"]
        tag = stored.get(sheet)
        won = tags.index(tag) if tag in tags else -1
        if acked and won < acked[-1]:
            lost += 1  # the last acknowledged save is not what the database holds
        if won >= 0 and attempts[won].kind != "2xx":
            committed_failed += 1
    return {"lost": lost, "committed_failed": committed_failed + record.stale_after_failure}


def start_server(url: str, port: int, logfile: Path) -> subprocess.Popen:
    """gunicorn, 2 workers, on loopback; its log goes to a file (a full pipe would block it)."""
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=os.urandom(24).hex(),
               FAB_UPDATE_PERMS="False")  # fmt: skip
    with open(logfile, "wb") as log_out:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"{HOST}:{port}",
             "--log-level", "warning", "--timeout", "30", "--graceful-timeout", "5",
             "bench.wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log_out,
            start_new_session=True,
        )  # fmt: skip


def wait_ready(port: int, proc: subprocess.Popen, logfile: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn 启动失败：" + logfile.read_text(errors="replace")[-2000:])
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/login/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn 未在时限内就绪")


def stop_server(proc: subprocess.Popen) -> None:
    """The master and its workers (their own process group, started here)."""
    import signal

    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass


def run() -> dict:
    from bench.load import free_port

    if not (PG_BIN / "initdb").exists():
        raise SystemExit(f"找不到 PostgreSQL 程序目录 {PG_BIN}（设置 PG_BIN）")
    started = time.monotonic()
    cluster = Cluster()
    proc = None
    events: dict[str, float] = {}
    try:
        log(f"PostgreSQL cluster on port {cluster.port} in {cluster.dir}")
        cluster.init()
        flask(cluster.url, "db", "upgrade")
        flask(cluster.url, "award", "sync-roles")
        flask(cluster.url, "award", "seed-demo")
        plan = prepare(cluster.url)
        log(f"{len(plan.sheets)} reviewers, {sum(map(len, plan.sheets.values()))} sheets")
        port = free_port()
        proc = start_server(cluster.url, port, cluster.dir / "gunicorn.log")
        wait_ready(port, proc, cluster.dir / "gunicorn.log")
        record = Record()
        t0 = time.monotonic()
        deadline = t0 + SECONDS
        threads = [
            threading.Thread(
                target=reviewer,
                daemon=True,
                args=(port, user, sheets, plan.items, deadline, record, k),
            )  # fmt: skip
            for k, (user, sheets) in enumerate(sorted(plan.sheets.items()))
        ]
        for t in threads:
            t.start()
        time.sleep(SECONDS * RESTART_AT)
        log("restart the database")
        events["restart_begin"] = time.monotonic()
        cluster.restart()
        events["restart_end"] = time.monotonic()
        time.sleep(max(0.0, t0 + SECONDS * STOP_AT - time.monotonic()))
        log(f"stop the database for {DOWN_SECONDS:g} s")
        events["stop_begin"] = time.monotonic()
        cluster.stop()
        time.sleep(DOWN_SECONDS)
        cluster.start()
        events["stop_end"] = time.monotonic()
        log("database back")
        for t in threads:
            t.join(timeout=SECONDS + 60)
        stop_server(proc)
        server_errors = (cluster.dir / "gunicorn.log").read_text(errors="replace")
        proc = None
        figures = verify(cluster.url, record)
    finally:
        if proc is not None:
            stop_server(proc)
        cluster.remove()
        log("cluster removed")
    figures.update(summarize(record, events, t0))
    figures["total_seconds"] = time.monotonic() - started
    figures["server_tracebacks"] = server_errors.count("Traceback")
    return figures


def summarize(record: Record, events: dict, t0: float) -> dict:
    kinds: dict[str, int] = {}
    for a in record.attempts:
        kinds[a.kind] = kinds.get(a.kind, 0) + 1
    ok_times = sorted(a.at for a in record.attempts if a.kind == "2xx")

    def recovery(after: float) -> float | None:
        later = [t for t in ok_times if t >= after]
        return later[0] - after if later else None

    return {
        "requests": len(record.attempts),
        "kinds": kinds,
        "recovery_restart_s": recovery(events["restart_end"]),
        "recovery_stop_s": recovery(events["stop_end"]),
        "restart_took_s": events["restart_end"] - events["restart_begin"],
        "down_s": events["stop_end"] - events["stop_begin"],
        "window": (events["restart_begin"] - t0, events["stop_begin"] - t0),
    }


def write(figures: dict) -> None:
    kinds = figures["kinds"]
    order = ["2xx", "409", "422", "503", "500", "connection"]
    rows = "\n".join(f"| {k} | {kinds.get(k, 0)} |" for k in order)
    others = {k: v for k, v in kinds.items() if k not in order}
    rows += "".join(f"\n| {k} | {v} |" for k, v in sorted(others.items()))

    def secs(value):
        return "未恢复" if value is None else f"{value:.1f} s"

    OUT.write_text(
        f"""# RELIABILITY.md — 数据库故障演练（`make chaos`）

Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/chaos.py`: its own PostgreSQL
cluster on a loopback port, the app under gunicorn (2 workers), the demo reviewers saving their
own scoresheets through `POST /api/v1/scoresheet/<pk>/save` concurrently for {SECONDS:g} s.
At {figures["window"][0]:.0f} s the database was restarted (`pg_ctl restart -m fast`, took
{figures["restart_took_s"]:.1f} s); at {figures["window"][1]:.0f} s it was stopped and started
again {figures["down_s"]:.1f} s later.

| answer | count |
|---|---|
{rows}
| **requests** | **{figures["requests"]}** |

| check | result |
|---|---|
| acknowledged writes lost (must be 0) | {figures["lost"]} |
| committed but answered as failed (must be 0) | {figures["committed_failed"]} |
| first acknowledged save after the restart | {secs(figures["recovery_restart_s"])} |
| first acknowledged save after the database came back from the stop | {secs(figures["recovery_stop_s"])} |
| tracebacks in gunicorn's log | {figures["server_tracebacks"]} |
| whole run (cluster, migration, seed, load, check) | {figures["total_seconds"]:.0f} s |

How it is checked: every save carries a unique tag in `overall_comment`; after the run the tag
each sheet holds names the attempt that was stored. It must be the last acknowledged attempt or
a later one that was not answered (a lost write otherwise), and never an attempt answered as
failed; a failed save whose version turned out consumed (the next save refused as stale) is
counted as committed-but-answered-as-failed too. While the database is away the app answers
`503` with `Retry-After` (`app/errors.py`); no worker is restarted to recover (`pool_pre_ping`).
"""
    )
    log(f"wrote {OUT}")


def main() -> int:
    figures = run()
    write(figures)
    print(json.dumps({k: v for k, v in figures.items()}, ensure_ascii=False, default=str))
    ok = figures["lost"] == 0 and figures["committed_failed"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
