"""`python -m bench.partial`: the close-group computation, the per-save breakdown and the 50
concurrent reviewers only, at BENCH_SCALE (default 0.05), for a machine or a time budget where
the full `make bench` does not fit. The reviewers run twice (bench/load.py): paced as the
score screen drives them (BENCH_PACED_SECONDS, default 30), then saturating the workers
(BENCH_LOAD_SECONDS, default 15). Writes bench/results/partial-<database>.json and renders
BENCHMARKS.md again: the full runs as before, then these figures in their own section, with
the scale and the machine's load beside them. BENCH_ONLY=close measures the close-group
computation alone again into the stored partial run."""

from __future__ import annotations

import os
import sys
import time

from bench import run
from bench.run import log


def close_only(scale: float) -> int:
    """BENCH_ONLY=close: the close-group computation alone, measured again into the stored
    partial run (its other figures, their date and load kept), with this measurement's own
    date and load beside it."""
    import json
    from datetime import datetime

    url, db_label = run.database_url(scale)
    kind = "postgresql" if db_label.startswith("PostgreSQL") else "sqlite"
    path = run.RESULTS / f"partial-{kind}.json"
    info = json.loads(path.read_text(encoding="utf-8"))
    if info.get("scale") != scale:
        raise SystemExit(f"{path.name} holds scale {info.get('scale')}, not {scale:g}")
    log(f"close-group computation only: {db_label}, scale {scale:g}")
    app = run.make_app(url)
    run.ensure_data(app, scale)
    before = os.getloadavg()
    ranking = run.ranking(app)
    ranking["measured"] = {
        "date": datetime.now().isoformat(timespec="seconds"),
        "loadavg": before,
        "loadavg_after": os.getloadavg(),
    }
    info["ranking"] = ranking
    path.write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    from bench.report import write

    write(os.environ.get("BENCH_OUT"))
    return 0


def main() -> int:
    scale = float(os.environ.get("BENCH_SCALE", "0.05"))
    if os.environ.get("BENCH_ONLY") == "close":
        return close_only(scale)
    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", "15"))
    paced_seconds = float(os.environ.get("BENCH_PACED_SECONDS", "30"))
    started = time.perf_counter()
    url, db_label = run.database_url(scale)
    log(f"partial run: {db_label}, scale {scale:g}")
    info = {"machine": run.machine(), "database": db_label, "scale": scale}
    app = run.make_app(url)
    info["data"] = run.ensure_data(app, scale)
    log("close-group computation")
    info["ranking"] = run.ranking(app)
    log("per-save breakdown")
    from bench import load, save_breakdown
    from bench.data import BENCH_PASSWORD

    info["save_breakdown"] = save_breakdown.measure(app, BENCH_PASSWORD)
    log(f"{run.REVIEWERS} reviewers as the screen paces them ({paced_seconds:g} s)")
    info["load"] = load.run(
        url, paced_seconds, run.REVIEWERS, BENCH_PASSWORD, lambda: app, mode="paced"
    )
    log(f"{run.REVIEWERS} reviewers saturating the workers ({seconds:g} s)")
    info["load_saturation"] = load.run(
        url, seconds, run.REVIEWERS, BENCH_PASSWORD, lambda: app, mode="saturation"
    )
    run.save_partial(info, started, "partial-{kind}")
    log(f"done in {info['elapsed_s']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
