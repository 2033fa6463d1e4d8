"""Export benchmark, run in a subprocess per measurement so its peak memory is its own:
`python -m bench.export app|floor ROWS DATABASE_URL` prints one JSON line."""

import json
import resource
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, text

QUERY = """
SELECT l.id, a.number, r.code, ci.code, l.percent, l.points
FROM score_line l
JOIN scoresheet s ON s.id = l.scoresheet_id
JOIN application a ON a.id = s.application_id
JOIN reviewer r ON r.id = s.reviewer_id
JOIN criteria_item ci ON ci.id = l.item_id
ORDER BY l.id
LIMIT :rows
"""
HEADERS = ["明细编号", "申报编号", "评审员", "条款", "得分率", "得分"]


def _rss_kib() -> int:
    """Peak resident memory of this process in KiB: VmHWM (reset by exec, unlike ru_maxrss,
    which a child started from a large parent inherits)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _rows(conn, rows: int):
    result = conn.execution_options(stream_results=True, yield_per=5000).execute(
        text(QUERY), {"rows": rows}
    )
    yield from result


def write_app(conn, rows: int, path: Path) -> int:
    from app.services.xlsx import Column, SheetSpec, write_workbook

    columns = [
        Column(HEADERS[0], "int"),
        Column(HEADERS[1], "text", width=16),
        Column(HEADERS[2], "text", width=8),
        Column(HEADERS[3], "text", width=6),
        Column(HEADERS[4], "int"),
        Column(HEADERS[5], "score"),
    ]
    counts = write_workbook(
        path,
        [SheetSpec("评分明细", "评分明细（基准测试）", columns, _rows(conn, rows))],
        exported_at=datetime(2026, 1, 1),
        constant_memory=True,
    )
    return sum(counts.values())


def write_floor(conn, rows: int, path: Path) -> int:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("评分明细")
    sheet.write_row(0, 0, HEADERS)
    n = 0
    for n, row in enumerate(_rows(conn, rows), 1):
        sheet.write_row(n, 0, row)
    workbook.close()
    return n


def main(mode: str, rows: int, database_url: str) -> dict:
    engine = create_engine(database_url)
    writer = write_app if mode == "app" else write_floor
    with tempfile.TemporaryDirectory() as tmp, engine.connect() as conn:
        path = Path(tmp) / "export.xlsx"
        if mode == "app":
            import app.services.xlsx  # noqa: F401 - imported before the baseline is taken
        import xlsxwriter  # noqa: F401

        base = _rss_kib()
        started = time.perf_counter()
        written = writer(conn, rows, path)
        seconds = time.perf_counter() - started
        peak = _rss_kib()
        size = path.stat().st_size
    return {
        "mode": mode,
        "rows": written,
        "seconds": seconds,
        "rows_per_s": written / seconds if seconds else 0.0,
        "base_rss_kib": base,
        "peak_rss_kib": peak,
        "growth_kib": peak - base,
        "bytes": size,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]), sys.argv[3])))
