"""List-page timing: the award app, default FAB, Django admin and the floor, in one process,
with SQL queries counted per page and a profile of where a page's time goes."""

from __future__ import annotations

import cProfile
import pstats
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import event

SIZES = (25, 100)


@dataclass
class Figure:
    median_ms: float
    p95_ms: float
    queries: int
    runs: int
    status: int
    kib: int

    @classmethod
    def of(cls, samples: list[tuple[float, int, int, int]]) -> Figure:
        times = sorted(s[0] * 1000 for s in samples)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        return cls(
            statistics.median(times),
            p95,
            max(s[1] for s in samples),
            len(samples),
            samples[-1][2],
            samples[-1][3] // 1024,
        )


class QueryCounter:
    """Counts statements on an engine (SQLAlchemy `before_cursor_execute`)."""

    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._on)

    def _on(self, *args):
        self.count += 1


# Requests of each page before the timed ones: a server serves the same pages all day, and a
# process's first requests of a page are not its steady state (SQLAlchemy compiles the
# statements; on PostgreSQL psycopg prepares a statement after five runs on a connection and
# the server keeps a generic plan after five more, app/read_transactions.py).
WARM_UP = 12


def sample(get: Callable[[], tuple[float, int, int, int]], runs: int, budget_s: float) -> Figure:
    """`WARM_UP` requests, then up to `runs` timed pages (at least 3) within `budget_s`
    seconds: `sample_together` with one page."""
    return sample_together({"page": get}, runs, budget_s)["page"]


def sample_together(
    gets: dict[str, Callable[[], tuple[float, int, int, int]]], runs: int, budget_s: float
) -> dict[str, Figure]:
    """`WARM_UP` requests of each page, then up to `runs` timed rounds (at least 3) within
    `budget_s` seconds, one request of each page in turn, so that every page of a comparison
    (ours and the floor) sees the same load on a shared machine."""
    for _ in range(WARM_UP):
        for get in gets.values():
            get()
    samples: dict[str, list] = {name: [] for name in gets}
    started = time.perf_counter()
    done = 0
    while done < runs and (done < 3 or time.perf_counter() - started < budget_s):
        for name, get in gets.items():
            samples[name].append(get())
        done += 1
    return {name: Figure.of(taken) for name, taken in samples.items()}


def flask_getter(client, counter: QueryCounter, url: str):
    def get():
        before = counter.count
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        return elapsed, counter.count - before, response.status_code, len(response.data)

    return get


def login(app, username: str, password: str):
    client = app.test_client()
    response = client.post("/login/", data={"username": username, "password": password})
    if response.status_code != 302:
        raise RuntimeError(f"{username} 登录失败（{response.status_code}）")
    return client


def profile_page(client, url: str, runs: int = 20) -> list[tuple[str, float]]:
    """Share of a page's time in its parts (cumulative, overlapping), from cProfile."""
    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    total = sum(tt for (_cc, _nc, tt, _ct, _callers) in stats.values())
    parts = {
        "模板渲染合计（render_template）": ("flask/templating.py", "_render"),
        "列表表格部件（widgets/list.html）": ("widgets/list.html", "root"),
        "导航菜单（navbar）": (
            ("appbuilder/navbar.html", "root"),
            ("award/base.html", "block_navbar"),
        ),
        "搜索表单部件（widgets/search.html）": ("widgets/search.html", "root"),
        "权限检查（has_access，菜单与按钮）": ("security/manager.py", "has_access"),
        "翻译查找（gettext）": ("jinja2/ext.py", "_gettext_alias"),
        "SQL 执行（含驱动）": ("sqlalchemy/engine/base.py", "_execute_context"),
        "ORM 结果装载（loading.instances）": ("sqlalchemy/orm/loading.py", "instances"),
    }
    out = []
    for label, spec in parts.items():
        pairs = spec if isinstance(spec[0], tuple) else (spec,)
        cum = sum(
            ct
            for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.items()
            if any(part in filename and name == func for part, func in pairs)
        )
        # Recursive template roots are counted once per nesting level: cap at the total.
        out.append((label, min(cum, total) / total if total else 0.0))
    return out


def statement_times(client, engine, url: str, runs: int = 5) -> list[tuple[float, str]]:
    """Median time of each SQL statement a page runs (ms), with the statement's opening words:
    where a page's database time goes."""
    runs_seen: list[list[tuple[float, str]]] = []

    def before(conn, _cursor, _statement, _params, _context, _many):
        conn.info["bench_t0"] = time.perf_counter()

    def after(conn, _cursor, statement, _params, _context, _many):
        elapsed = (time.perf_counter() - conn.info.pop("bench_t0")) * 1000
        runs_seen[-1].append((elapsed, " ".join(statement.split())[:70]))

    client.get(url)  # warm-up
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        for _ in range(runs):
            runs_seen.append([])
            client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    first = runs_seen[0]
    return [
        (statistics.median(run[i][0] for run in runs_seen if i < len(run)), text)
        for i, (_ms, text) in enumerate(first)
    ]
