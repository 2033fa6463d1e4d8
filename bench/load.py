"""Concurrent reviewers: gunicorn (2 workers) on a free loopback port, simulated reviewers
saving and submitting their scoresheets through the score-entry API for a bounded time;
afterwards every submitted score is checked in the database. Loopback traffic only.

Two load models:
- "paced" (as the screen drives them): before each request a reviewer waits the score
  screen's autosave delay (app/static/scoring.js saves 2 s after the last change) plus a
  typing time drawn uniformly from TYPING_S (seeded per reviewer). This is the latency 50
  reviewers see.
- "saturation": every reviewer sends its next request as soon as the last one is answered
  (a closed loop with no think time). It measures the throughput of the 2 workers; by Little's
  law the latency is then about reviewers / throughput, whatever a save costs."""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, insert, select

HOST = "127.0.0.1"
CYCLE_YEAR = 2098  # the concurrency benchmark's own cycle, rebuilt on every run
SHEETS_PER_REVIEWER = 40
GROUP_SIZE = 5
AUTOSAVE_DELAY_S = 2.0  # app/static/scoring.js: setTimeout(autosave, 2000)
TYPING_S = (1.0, 4.0)  # a reviewer's typing between two saves, uniform
MODES = ("paced", "saturation")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass
class Plan:
    cycle_id: int
    items: list[str]  # criteria item codes, in order
    sheets: dict[str, list[int]]  # username -> own draft sheet ids


def _clear(session, cycle_id: int) -> None:
    from models import (
        Application,
        AwardCycle,
        ReviewAssignment,
        ReviewGroup,
        ReviewGroupMember,
        ScoreChange,
        ScoreLine,
        Scoresheet,
        StageMove,
    )

    apps = select(Application.id).where(Application.cycle_id == cycle_id)
    sheets = select(Scoresheet.id).where(Scoresheet.application_id.in_(apps))
    groups = select(ReviewGroup.id).where(ReviewGroup.cycle_id == cycle_id)
    for stmt in (
        delete(ScoreChange).where(ScoreChange.scoresheet_id.in_(sheets)),
        delete(ScoreLine).where(ScoreLine.scoresheet_id.in_(sheets)),
        delete(Scoresheet).where(Scoresheet.id.in_(sheets)),
        delete(ReviewAssignment).where(ReviewAssignment.group_id.in_(groups)),
        delete(ReviewGroupMember).where(ReviewGroupMember.group_id.in_(groups)),
        delete(ReviewGroup).where(ReviewGroup.cycle_id == cycle_id),
        delete(StageMove).where(StageMove.cycle_id == cycle_id),
        delete(Application).where(Application.cycle_id == cycle_id),
        delete(AwardCycle).where(AwardCycle.id == cycle_id),
    ):
        session.execute(stmt.execution_options(synchronize_session=False))


def prepare(session, reviewers: int) -> Plan:
    """A cycle in material review; `reviewers` reviewers in groups of 5, each with
    SHEETS_PER_REVIEWER blank draft sheets of the 23 items, on applicants none of them is tied to."""
    from models import AwardCycle, Reviewer

    old = session.scalar(select(AwardCycle.id).where(AwardCycle.year == CYCLE_YEAR))
    if old is not None:
        _clear(session, old)
    team = [
        (rid, f"bench-{code.lower()}")
        for rid, code in session.execute(
            select(Reviewer.id, Reviewer.code)
            .where(Reviewer.code.like("B%"), Reviewer.active.is_(True))
            .order_by(Reviewer.id)
            .limit(reviewers)
        )
    ]
    if len(team) < reviewers:
        raise RuntimeError(
            f"基准数据只有 {len(team)} 名评审员，少于 {reviewers} 名模拟评审员；"
            "请删除基准数据库后重新生成（bench/data.py 至少生成 50 名）"
        )
    groups = [team[i : i + GROUP_SIZE] for i in range(0, len(team), GROUP_SIZE)]
    return scoring_cycle(session, groups, "并发评分基准测试")


def scoring_cycle(
    session,
    groups: list[list[tuple[int, str]]],
    name: str,
    year: int = CYCLE_YEAR,
    per_group: int = SHEETS_PER_REVIEWER,
) -> Plan:
    """A cycle in material review: one review group per list of (reviewer id, sign-in name),
    each with `per_group` applicants none of them is tied to and a blank draft sheet of every
    item per member and applicant (bench/load.py, bench/chaos.py)."""
    from app.domain.enums import ApplicantKind, ApplicationStatus, Prize, ReviewStage, Stage
    from models import (
        Application,
        AwardCycle,
        CriteriaItem,
        CriteriaVersion,
        Organization,
        ReviewAssignment,
        Reviewer,
        ReviewGroup,
        ReviewGroupMember,
        ScoreLine,
        Scoresheet,
    )

    version = session.scalar(select(CriteriaVersion).order_by(CriteriaVersion.id))
    items = list(
        session.execute(
            select(CriteriaItem.id, CriteriaItem.code)
            .where(CriteriaItem.version_id == version.id)
            .order_by(CriteriaItem.position)
        )
    )
    cycle = AwardCycle(
        year=year,
        name=name,
        stage=Stage.MATERIAL_REVIEW.value,
        opens_on=date(year, 3, 1),
        deadline=date(year, 5, 31),
        criteria_version_id=version.id,
    )
    session.add(cycle)
    session.flush()
    employers = select(Reviewer.employer_id).where(Reviewer.employer_id.is_not(None))
    orgs = list(
        session.scalars(
            select(Organization.id)
            .where(Organization.id.not_in(employers))
            .order_by(Organization.id)
            .limit(len(groups) * per_group)
        )
    )
    plan = Plan(cycle.id, [code for _id, code in items], {})
    now = datetime(year, 6, 1)
    stamp = {"created_at": now, "updated_at": now}
    for g, members in enumerate(groups):
        group = ReviewGroup(
            cycle_id=cycle.id, stage=ReviewStage.MATERIAL.value, name=f"{name}第{g + 1}组"
        )
        session.add(group)
        session.flush()
        session.execute(
            insert(ReviewGroupMember),
            [
                {"group_id": group.id, "reviewer_id": rid, "is_leader": k == 0, **stamp}
                for k, (rid, _key) in enumerate(members)
            ],
        )
        mine = orgs[g * per_group : (g + 1) * per_group]
        for n, org_id in enumerate(mine):
            application = Application(
                cycle_id=cycle.id,
                number=f"C{year}-{g:02d}{n:03d}",
                prize=Prize.AWARD.value,
                applicant_kind=ApplicantKind.ORGANIZATION.value,
                organization_id=org_id,
                status=ApplicationStatus.ELIGIBLE.value,
            )
            session.add(application)
            session.flush()
            session.add(
                ReviewAssignment(
                    group_id=group.id,
                    application_id=application.id,
                    stage=ReviewStage.MATERIAL.value,
                )
            )
            for rid, key in members:
                sheet = Scoresheet(
                    application_id=application.id,
                    group_id=group.id,
                    reviewer_id=rid,
                    stage=ReviewStage.MATERIAL.value,
                )
                session.add(sheet)
                session.flush()
                session.execute(
                    insert(ScoreLine),
                    [{"scoresheet_id": sheet.id, "item_id": item_id} for item_id, _c in items],
                )
                plan.sheets.setdefault(key, []).append(sheet.id)
    return plan


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    submitted: dict[int, list[int]] = field(default_factory=dict)  # sheet -> percents sent
    logins: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1


def _request(conn, method, path, body=None, token=None, timeout_at=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    return response.status, data


class Clock:
    """Logins happen first; the timed window opens for everyone at once."""

    def __init__(self, users: int):
        self.ready = threading.Barrier(users + 1)
        self.go = threading.Event()
        self.deadline = 0.0


def think_time(rng: random.Random, mode: str) -> float:
    """Seconds a reviewer waits before the next request: none under saturation; under the
    paced model the autosave delay after typing for a while."""
    if mode == "saturation":
        return 0.0
    return AUTOSAVE_DELAY_S + rng.uniform(*TYPING_S)


def reviewer_loop(
    port, username, password, sheets, items, clock: Clock, stats: Stats, seed, mode="saturation"
):
    """Log in, wait for the window, then for each own sheet: save all 23 items, submit; under
    the paced model each request waits the autosave delay and a typing time first."""
    rng = random.Random(seed)
    pause_rng = random.Random(10_000 + seed)
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    token = None
    try:
        started = time.perf_counter()
        status, data = _request(
            conn,
            "POST",
            "/api/v1/security/login",
            {"username": username, "password": password, "provider": "db"},
        )
        with stats.lock:
            stats.logins.append(time.perf_counter() - started)
        if status == 200:
            token = json.loads(data)["access_token"]
        else:
            stats.error(f"login {status}")
    except (OSError, http.client.HTTPException) as exc:
        stats.error(f"login {type(exc).__name__}")
    try:
        clock.ready.wait(timeout=600)
    except threading.BrokenBarrierError:
        return
    clock.go.wait(timeout=600)
    if token is None:
        conn.close()
        return
    try:
        for sheet_id in sheets:
            if time.monotonic() >= clock.deadline:
                return
            percents = [rng.choice(range(40, 101, 5)) for _ in items]
            lines = [{"item": code, "percent": p} for code, p in zip(items, percents, strict=True)]
            version = 1
            for verb in ("save", "submit"):
                wait = think_time(pause_rng, mode)
                if time.monotonic() + wait >= clock.deadline:
                    return
                if wait:
                    time.sleep(wait)
                body = {"version": version, "lines": lines}
                started = time.perf_counter()
                try:
                    status, data = _request(
                        conn, "POST", f"/api/v1/scoresheet/{sheet_id}/{verb}", body, token
                    )
                except (OSError, http.client.HTTPException) as exc:
                    stats.error(f"{verb} {type(exc).__name__}")
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=60)
                    break
                elapsed = time.perf_counter() - started
                with stats.lock:
                    stats.latencies.append(elapsed)
                if status != 200:
                    stats.error(f"{verb} {status}")
                    break
                version = json.loads(data).get("version", version + 1)
                if verb == "submit":
                    with stats.lock:
                        stats.submitted[sheet_id] = percents
    finally:
        conn.close()


def start_gunicorn(database_url: str, port: int, workers: int = 2) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=os.urandom(24).hex(),
        FAB_UPDATE_PERMS="False",
    )
    # A file, not a pipe nobody reads while the load runs: the app logs a line per request to
    # stderr, and a full pipe (64 KiB, ~400 requests) blocked the workers mid-run.
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "60",
            "bench.wsgi:app",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    proc.log_file = log
    return proc


def server_log(proc: subprocess.Popen) -> str:
    """What gunicorn wrote to stderr (its log file)."""
    log = proc.log_file
    log.seek(0)
    return log.read().decode(errors="replace")


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn 启动失败：" + server_log(proc)[-2000:])
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/login/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn 未在时限内就绪")


def run(
    database_url: str,
    seconds: float,
    users: int,
    password: str,
    app_factory,
    mode: str = "saturation",
) -> dict:
    """Prepare, serve, load for `seconds` under `mode` ("paced" or "saturation"), stop,
    verify. Returns the figures."""
    if mode not in MODES:
        raise ValueError(mode)
    from app.extensions import db
    from models import CriteriaItem, ScoreLine, Scoresheet

    app = app_factory()
    with app.app_context():
        plan = prepare(db.session, users)
        db.session.commit()
        db.session.remove()
    port = free_port()
    proc = start_gunicorn(database_url, port)
    stats = Stats()
    try:
        wait_ready(port, proc)
        clock = Clock(len(plan.sheets))
        threads = [
            threading.Thread(
                target=reviewer_loop,
                args=(port, user, password, sheets, plan.items, clock, stats, k, mode),
                daemon=True,
            )
            for k, (user, sheets) in enumerate(sorted(plan.sheets.items()))
        ]
        for t in threads:
            t.start()
        clock.ready.wait(timeout=600)  # every reviewer has logged in (or failed to)
        clock.deadline = time.monotonic() + seconds
        started = time.perf_counter()
        clock.go.set()
        for t in threads:
            t.join(timeout=seconds + 120)
        elapsed = time.perf_counter() - started
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        served = server_log(proc)
        proc.log_file.close()
    with app.app_context():
        item_codes = plan.items
        missing = 0
        ids = list(stats.submitted)
        statuses = dict(
            db.session.execute(
                select(Scoresheet.id, Scoresheet.status).where(Scoresheet.id.in_(ids))
            ).all()
        )
        stored: dict[int, list] = {}
        for sheet_id, percent in db.session.execute(
            select(ScoreLine.scoresheet_id, ScoreLine.percent)
            .join(CriteriaItem, CriteriaItem.id == ScoreLine.item_id)
            .where(ScoreLine.scoresheet_id.in_(ids))
            .order_by(ScoreLine.scoresheet_id, CriteriaItem.position)
        ):
            stored.setdefault(sheet_id, []).append(percent)
        for sheet_id, sent in stats.submitted.items():
            if statuses.get(sheet_id) != "submitted" or stored.get(sheet_id) != sent:
                missing += 1
        _clear(db.session, plan.cycle_id)  # leave the benchmark data as generated
        db.session.commit()
        db.session.remove()
    lat = sorted(stats.latencies)
    return {
        "mode": mode,
        "autosave_delay_s": AUTOSAVE_DELAY_S,
        "typing_s": list(TYPING_S),
        "users": len(plan.sheets),
        "seconds": elapsed,
        "requests": len(lat),
        "rps": len(lat) / elapsed if elapsed else 0.0,
        "median_ms": statistics.median(lat) * 1000 if lat else None,
        "p95_ms": lat[int(0.95 * (len(lat) - 1))] * 1000 if lat else None,
        "max_ms": lat[-1] * 1000 if lat else None,
        "errors": dict(stats.errors),
        # gunicorn's own complaints: a worker killed for not answering in time, a traceback.
        "worker_timeouts": served.count("WORKER TIMEOUT"),
        "tracebacks": served.count("Traceback"),
        "login_median_ms": statistics.median(stats.logins) * 1000 if stats.logins else None,
        "submitted": len(stats.submitted),
        "verified": len(stats.submitted) - missing,
        "missing": missing,
        "items": len(item_codes),
    }
