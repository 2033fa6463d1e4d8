"""`make bench`: fill (or reuse) a benchmark database, measure the four figures of issue 8 in
one process where possible, each against a baseline measured in the same run, and write
BENCHMARKS.md.

Environment: DATABASE_URL (PostgreSQL: a schema `bench_s<scale>` is used inside that database;
default a SQLite file under instance/), BENCH_SCALE (default 1), BENCH_FULL=1 (60 s of load and
more page samples), BENCH_OUT (default BENCHMARKS.md).

BENCH_ONLY=lists measures the list pages alone, ours against the floor only (no default FAB or
Django admin baselines, no ranking, export or load; ours and the floor requested in turn, so
both see the same load), for a time budget where the full run does
not fit: it writes bench/results/lists-<database>-<BENCH_TAG>.json (BENCH_TAG default "after";
"before" for a run of the code before a change; a suffix, "before-s1", keeps the runs of another
scale beside them) and renders BENCHMARKS.md again, where the before and after runs of each
database and scale appear side by side in a section of their own. Without BENCH_ONLY the full
run is unchanged.
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
FULL = os.environ.get("BENCH_FULL") == "1"
RUNS = 60 if FULL else 25
BUDGET_S = 12.0 if FULL else 6.0
BASELINE_RUNS, BASELINE_BUDGET_S = (10, 30.0) if FULL else (5, 12.0)
LOAD_SECONDS = 60 if FULL else 15  # reviewers saturating the workers
PACED_SECONDS = 120 if FULL else 30  # reviewers as the score screen paces them
REVIEWERS = 50  # bench/data.py CONCURRENT_REVIEWERS
CLOSE_RUNS = 21
EXPORT_SIZES = (20_000, 100_000)
HUGE_FORM = 20_000  # default FAB's search form rows above which one page runs in a child
HUGE_TIMEOUT_S = 60


def log(message: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", flush=True)


# --- database ------------------------------------------------------------------------------


def database_url(scale: float) -> tuple[str, str]:
    """(URL to use, human label). PostgreSQL gets its own schema; SQLite its own file."""
    tag = f"{scale:g}".replace(".", "_")
    given = os.environ.get("DATABASE_URL")
    if not given:
        path = ROOT / "instance" / f"bench-s{tag}.sqlite"
        path.parent.mkdir(exist_ok=True)
        return f"sqlite:///{path}", f"SQLite {path.name}"
    url = make_url(given)
    if url.get_backend_name() != "postgresql":
        return given, url.get_backend_name()
    schema = f"bench_s{tag}"
    admin = create_engine(given)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
        version = conn.scalar(text("SHOW server_version"))
    admin.dispose()
    sep = "&" if "?" in given else "?"
    return f"{given}{sep}options=-csearch_path%3D{schema}", f"PostgreSQL {version}（模式 {schema}）"


def make_app(url: str):
    from app import create_app

    return create_app(
        "development",
        DEBUG=False,
        SQLALCHEMY_DATABASE_URI=url,
        WTF_CSRF_ENABLED=False,
        RATELIMIT_ENABLED=False,
        AUTH_RATE_LIMITED=False,
    )


def ensure_data(app, scale: float) -> dict:
    """Schema, roles, reference data and the synthetic data set (generated once, then reused)."""
    from app.extensions import db
    from bench.data import FIRST_YEAR, generate
    from models import AwardCycle, Organization, ScoreLine, Scoresheet
    from seed.reference import load_reference

    with app.app_context():
        if not inspect(db.engine).has_table("ab_user"):
            db.create_all()
        app.appbuilder.sm.sync_roles()
        load_reference(db.session)
        db.session.commit()
        took = None
        if db.session.scalar(select(AwardCycle.id).where(AwardCycle.year == FIRST_YEAR)) is None:
            log(f"generating data at scale {scale:g} ...")
            started = time.perf_counter()
            generate(db.session, scale, seed=1)
            db.session.commit()
            took = time.perf_counter() - started
            log(f"generated in {took:.1f} s")
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        counts = {
            "组织": db.session.scalar(select(func.count()).select_from(Organization)),
            "评分表": db.session.scalar(select(func.count()).select_from(Scoresheet)),
            "评分明细": db.session.scalar(select(func.count()).select_from(ScoreLine)),
        }
        db.session.remove()
    return {"generated_s": took, "counts": counts}


def machine() -> dict:
    cpu = "?"
    mem = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "python": platform.python_version(),
        "loadavg": os.getloadavg(),
    }


# --- 1. list pages -------------------------------------------------------------------------


def list_pages(app, url: str, baselines: bool = True) -> dict:
    """Every benched list page against the floor; with `baselines`, also against default FAB
    and Django admin."""
    from app.extensions import db
    from bench.data import BENCH_PASSWORD
    from bench.default_fab import (
        create_default_fab_app,
        default_view_name,
        search_form_options,
    )
    from bench.floor import create_floor_app
    from bench.listpages import (
        SIZES,
        QueryCounter,
        flask_getter,
        login,
        profile_page,
        sample,
        sample_together,
        statement_times,
    )
    from bench.screens import SCREENS

    with app.app_context():
        engine = db.engine
    counter = QueryCounter(engine)
    admin = login(app, "bench-admin", BENCH_PASSWORD)
    reviewer = login(app, "bench-b0001", BENCH_PASSWORD)

    if baselines:
        default_app = create_default_fab_app(url)
        with default_app.app_context():
            default_counter = QueryCounter(db.engine)
        default_client = login(default_app, "bench-admin", BENCH_PASSWORD)

    floor_engine = create_engine(url)
    floor_counter = QueryCounter(floor_engine)
    floor_client = create_floor_app(url, floor_engine).test_client()

    django_admin = None
    if baselines:
        try:
            from bench.django_admin.harness import DjangoAdmin

            django_admin = DjangoAdmin(url)
        except ImportError as exc:
            log(f"Django not installed ({exc}); install the bench extra: pip install -e '.[bench]'")

    options = (
        {s.view: search_form_options(default_app, s.view) for s in SCREENS} if baselines else {}
    )
    huge: dict = {}
    rows = []
    for screen in SCREENS:
        for size in SIZES:
            page = f"{screen.url}?psize_{screen.view}={size}"
            if not baselines:  # BENCH_ONLY=lists: ours and the floor measured in turn
                gets = {"admin": flask_getter(admin, counter, page)}
                if screen.reviewer:
                    gets["reviewer"] = flask_getter(reviewer, counter, page)
                gets["floor"] = flask_getter(
                    floor_client, floor_counter, f"/floor/{screen.view}/?psize={size}"
                )
                figures = sample_together(gets, RUNS, BUDGET_S * len(gets))
                log(
                    f"{screen.view} {size}: "
                    + ", ".join(
                        f"{k} {f.median_ms:.1f} ms/{f.queries} q" for k, f in figures.items()
                    )
                )
                rows.append(
                    {
                        "view": screen.view,
                        "size": size,
                        "figures": {k: dataclasses.asdict(f) for k, f in figures.items()},
                    }
                )
                continue
            figures = {"admin": sample(flask_getter(admin, counter, page), RUNS, BUDGET_S)}
            if screen.reviewer:
                figures["reviewer"] = sample(flask_getter(reviewer, counter, page), RUNS, BUDGET_S)
            name = default_view_name(screen.view)
            if options[screen.view] > HUGE_FORM:
                if screen.view not in huge:
                    huge[screen.view] = default_in_subprocess(url, screen.view, size)
                figures["default_fab"] = huge[screen.view]
            else:
                figures["default_fab"] = sample(
                    flask_getter(
                        default_client,
                        default_counter,
                        f"/{name.lower()}/list/?psize_{name}={size}",
                    ),
                    BASELINE_RUNS,
                    BASELINE_BUDGET_S,
                )
            if django_admin is not None:
                figures["django"] = sample(
                    lambda v=screen.view, s=size: django_admin.get(v, s), RUNS, BUDGET_S
                )
            figures["floor"] = sample(
                flask_getter(floor_client, floor_counter, f"/floor/{screen.view}/?psize={size}"),
                RUNS,
                BUDGET_S,
            )
            log(
                f"{screen.view} {size}: "
                + ", ".join(f"{k} {f.median_ms:.1f} ms/{f.queries} q" for k, f in figures.items())
            )
            rows.append(
                {
                    "view": screen.view,
                    "size": size,
                    "figures": {k: dataclasses.asdict(f) for k, f in figures.items()},
                }
            )
    profiles = {
        "组织列表，管理员，25 行": profile_page(
            admin, "/organizationview/list/?psize_OrganizationView=25"
        ),
        "评分表列表，评审员，25 行": profile_page(
            reviewer, "/scoresheetview/list/?psize_ScoresheetView=25"
        ),
    }
    worst = _farthest_from_floor(rows)
    who_client = admin if worst["who"] == "admin" else reviewer
    worst["statements"] = statement_times(who_client, engine, worst["page"])
    worst["profile"] = profile_page(who_client, worst["page"])
    floor_engine.dispose()
    return {
        "rows": rows,
        "profiles": profiles,
        "farthest": worst,
        "django": django_admin is not None,
        "form_options": options,
        "huge_form": HUGE_FORM,
        "huge_timeout_s": HUGE_TIMEOUT_S,
    }


def _farthest_from_floor(rows: list[dict]) -> dict:
    """The page (screen, rows a page, user) whose time is the largest multiple of the floor."""
    best = None
    for row in rows:
        floor_ms = row["figures"]["floor"]["median_ms"]
        for who in ("admin", "reviewer"):
            if who in row["figures"]:
                ratio = row["figures"][who]["median_ms"] / floor_ms
                if best is None or ratio > best["ratio"]:
                    page = f"/{row['view'].lower()}/list/?psize_{row['view']}={row['size']}"
                    best = {"view": row["view"], "size": row["size"], "who": who}
                    best.update(ratio=ratio, page=page)
    return best


def default_in_subprocess(url: str, view: str, size: int):
    """Default FAB on a screen whose search form lists a huge table: one page in a child
    process with a time limit; a page that does not finish counts as the limit (a lower bound)."""
    from bench.listpages import Figure

    log(f"default FAB {view}: search form lists a huge table, one page, limit {HUGE_TIMEOUT_S} s")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bench.default_fab", url, view, str(size)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=HUGE_TIMEOUT_S + 30,
            check=True,
        )
    except subprocess.TimeoutExpired:
        ms = HUGE_TIMEOUT_S * 1000.0
        return Figure(ms, ms, -1, 0, 0, 0)
    page = json.loads(result.stdout.strip().splitlines()[-1])
    ms = page["seconds"] * 1000
    return Figure(ms, ms, page["queries"], 1, page["status"], page["bytes"] // 1024)


# --- 2. ranking ----------------------------------------------------------------------------


def ranking(app) -> dict:
    from app.extensions import db
    from bench.data import FIRST_YEAR
    from bench.ranking import (
        app_close_path,
        app_python_path,
        floor_sheet_sums,
        floor_totals,
        stage_totals,
    )
    from models import Application, AwardCycle, Scoresheet

    def timed(fn, runs=5):
        times, result = [], None
        for _ in range(runs):
            started = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - started)
        times.sort()
        return times[len(times) // 2], result

    with app.app_context():
        session = db.session
        cycle_id, apps = session.execute(
            select(Application.cycle_id, func.count())
            .join(AwardCycle, AwardCycle.id == Application.cycle_id)
            .where(AwardCycle.year >= FIRST_YEAR, AwardCycle.stage == "comprehensive")
            .group_by(Application.cycle_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        sheets = session.scalar(
            select(func.count())
            .select_from(Scoresheet)
            .join(Application, Application.id == Scoresheet.application_id)
            .where(Application.cycle_id == cycle_id, Scoresheet.stage == "material")
        )
        ours_s, ours = timed(lambda: stage_totals(session, cycle_id, "material"))
        floor_s, floor = timed(lambda: floor_totals(session, cycle_id, "material"))
        same = [a for a, _m, _n in ours] == [a for a, _m, _n in floor] and all(
            abs(x[1] - y[1]) < 1e-6 for x, y in zip(ours, floor, strict=True)
        )
        sample_apps = min(100, apps)
        python_s, done = app_python_path(session, cycle_id, "material", sample_apps)
        # The close path against both floors, alternated so that a busy machine slows all
        # three alike; medians of CLOSE_RUNS.
        close_times, floor_times, sheet_floor_times = [], [], []
        for _ in range(CLOSE_RUNS):
            started = time.perf_counter()
            floor_totals(session, cycle_id, "material")
            floor_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            floor_sheet_sums(session, cycle_id, "material")
            sheet_floor_times.append(time.perf_counter() - started)
            seconds, closed = app_close_path(session, cycle_id, "material")
            close_times.append(seconds)
            session.rollback()
        close_s = statistics.median(close_times)
        close_floor_s = statistics.median(floor_times)
        sheet_floor_s = statistics.median(sheet_floor_times)
        # The fastest run of each: on a shared machine a longer computation is more often
        # interrupted by other processes, which inflates its median more than the floor's.
        close_min_s, floor_min_s = min(close_times), min(floor_times)
        db.session.remove()
    return {
        "applications": apps,
        "sheets": sheets,
        "lines": sheets * 23,
        "ours_s": ours_s,
        "floor_s": floor_s,
        "same": same,
        "python_s": python_s,
        "python_apps": done,
        "python_projected_s": python_s * apps / done if done else None,
        "close_s": close_s,
        "close_reads": "sums_as_submitted",  # issue 20: no score line read when closing
        "close_apps": closed,
        "close_runs": CLOSE_RUNS,
        "close_floor_s": close_floor_s,  # the floor, measured alternately with close_s
        "sheet_floor_s": sheet_floor_s,
        "close_min_s": close_min_s,
        "close_floor_min_s": floor_min_s,
    }


# --- 3. export -----------------------------------------------------------------------------


def export(url: str) -> list[dict]:
    out = []
    for rows in EXPORT_SIZES:
        for mode in ("app", "floor"):
            result = subprocess.run(
                [sys.executable, "-m", "bench.export", mode, str(rows), url],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=600,
                check=True,
            )
            figure = json.loads(result.stdout.strip().splitlines()[-1])
            log(f"export {mode} {rows}: {figure['rows_per_s']:.0f} rows/s")
            out.append(figure)
    return out


# --- 4. concurrent reviewers ---------------------------------------------------------------


def concurrency(url: str, mode: str) -> dict:
    """50 reviewers on 2 workers: "paced" as the score screen drives them (the latency they
    see), "saturation" with no think time (the workers' throughput); bench/load.py."""
    from bench import load
    from bench.data import BENCH_PASSWORD

    seconds = PACED_SECONDS if mode == "paced" else LOAD_SECONDS
    return load.run(url, seconds, REVIEWERS, BENCH_PASSWORD, lambda: make_app(url), mode=mode)


# --- report --------------------------------------------------------------------------------


def save_partial(info: dict, started: float, name: str) -> None:
    """A partial run's figures (`name` with `{kind}`: sqlite or postgresql) as
    bench/results/NAME.json, the load and time at its end included; then BENCHMARKS.md again."""
    info["loadavg_after"] = os.getloadavg()
    info["elapsed_s"] = time.perf_counter() - started
    info["date"] = datetime.now().isoformat(timespec="seconds")
    kind = "postgresql" if info["database"].startswith("PostgreSQL") else "sqlite"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name.format(kind=kind)}.json").write_text(
        json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    from bench.report import write

    write(os.environ.get("BENCH_OUT"))


def lists_only(scale: float) -> int:
    """BENCH_ONLY=lists: the list pages against the floor, nothing else (see the docstring)."""
    tag = os.environ.get("BENCH_TAG", "after")
    started = time.perf_counter()
    url, db_label = database_url(scale)
    log(f"list pages only ({tag}): {db_label}, scale {scale:g}")
    info = {"machine": machine(), "database": db_label, "scale": scale, "tag": tag}
    info["commit"] = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    app = make_app(url)
    info["data"] = ensure_data(app, scale)
    info["lists"] = list_pages(app, url, baselines=False)
    save_partial(info, started, "lists-{kind}-" + tag)
    log(f"done in {info['elapsed_s']:.0f} s")
    return 0


def main() -> int:
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    only = os.environ.get("BENCH_ONLY")
    if only == "lists":
        return lists_only(scale)
    if only:
        raise SystemExit(f"BENCH_ONLY={only}: only 'lists' is known")
    out = Path(os.environ.get("BENCH_OUT", ROOT / "BENCHMARKS.md"))
    started = time.perf_counter()
    url, db_label = database_url(scale)
    log(f"database: {db_label}, scale {scale:g}")
    info = {"machine": machine(), "database": db_label, "scale": scale, "full": FULL}
    app = make_app(url)
    info["data"] = ensure_data(app, scale)
    log("1/4 list pages")
    info["lists"] = list_pages(app, url)
    log("2/4 ranking")
    info["ranking"] = ranking(app)
    log("3/4 export")
    info["export"] = export(url)
    log(f"4/4 concurrent reviewers: paced ({PACED_SECONDS} s), saturation ({LOAD_SECONDS} s)")
    info["load"] = concurrency(url, "paced")
    info["load_saturation"] = concurrency(url, "saturation")
    from bench import save_breakdown
    from bench.data import BENCH_PASSWORD

    info["save_breakdown"] = save_breakdown.measure(app, BENCH_PASSWORD)
    info["elapsed_s"] = time.perf_counter() - started
    info["date"] = datetime.now().isoformat(timespec="seconds")
    from bench.report import write

    RESULTS.mkdir(exist_ok=True)
    kind = "postgresql" if db_label.startswith("PostgreSQL") else "sqlite"
    (RESULTS / f"{kind}.json").write_text(
        json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    write(out)
    log(f"wrote {out} in {info['elapsed_s']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
