"""Formula-safe, printable Excel workbooks that every export writes through (issue 7)."""

from __future__ import annotations

import math
import os
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any, Literal, get_args

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

ColumnKind = Literal["text", "int", "score", "money", "date", "datetime", "percent", "bool"]
ChartKind = Literal["bar", "radar"]

EXCEL_CELL_LIMIT = 32_767  # Excel's limit, counted in UTF-16 code units
TRUNCATION_MARKER = "…（已截断）"
# Leading characters that make Excel, LibreOffice or WPS evaluate a cell as a formula (OWASP
# "CSV injection"), plus their full-width forms, which some IMEs turn into the ASCII ones.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
MAX_COLUMN_WIDTH = 60
PROGRESS_EVERY = 1000
TITLE_ROW, HEADER_ROW, FIRST_DATA_ROW = 0, 1, 2

_NUMERIC_KINDS = frozenset({"int", "score", "money", "percent"})
_NUMBER_FORMATS = {
    "int": "0",
    "score": "0.0",
    "money": "#,##0.00",
    "percent": "0.0",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
_NUMBER_TEXT = {
    "int": "{:.0f}".format,
    "score": "{:.1f}".format,
    "percent": "{:.1f}".format,
    "money": "{:,.2f}".format,
}
_DATE_WIDTH = {"date": 10, "datetime": 16}
_SHEET_NAME_MAX = 31
_SHEET_NAME_FORBIDDEN = "[]:*?/\\"
FOOTER = "&L&A&R第 &P 页 / 共 &N 页"


@dataclass(frozen=True)
class Column:
    """One column: its header, how its values are stored, and an optional fixed width."""

    header: str
    kind: ColumnKind = "text"
    width: int | None = None  # None: computed from the header and the values written

    def __post_init__(self) -> None:
        if self.kind not in get_args(ColumnKind):
            raise ValueError(f"列「{self.header}」的类型 {self.kind!r} 不受支持")
        if self.width is not None and self.width <= 0:
            raise ValueError(f"列「{self.header}」的宽度必须为正数")


@dataclass(frozen=True)
class ChartSpec:
    """A chart over the sheet's own rows; column indexes refer to the sheet's columns."""

    kind: ChartKind
    title: str
    categories_col: int
    value_cols: Sequence[int]
    max_col: int | None = None  # e.g. 满分: drawn as a grey reference series
    anchor: str | None = None  # e.g. "H3"; None: right of the table, charts stacked

    def __post_init__(self) -> None:
        if self.kind not in get_args(ChartKind):
            raise ValueError(f"图表类型 {self.kind!r} 不受支持")
        if not self.value_cols:
            raise ValueError(f"图表「{self.title}」至少需要一个数值列")


@dataclass(frozen=True)
class SheetSpec:
    """One worksheet; `rows` may be a generator, consumed once while writing."""

    name: str
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    charts: Sequence[ChartSpec] = field(default_factory=tuple)


def safe_text(value: Any) -> str:
    """The text a cell shows: None empty, bools 是/否, cut to Excel's cell limit; never rewritten."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    text = value if isinstance(value, str) else str(value)
    if len(text) <= EXCEL_CELL_LIMIT // 2:
        return text
    encoded = text.encode("utf-16-le")
    if len(encoded) <= EXCEL_CELL_LIMIT * 2:
        return text
    budget = (EXCEL_CELL_LIMIT - len(TRUNCATION_MARKER)) * 2
    # errors="ignore" drops half of a surrogate pair cut at the boundary.
    return encoded[:budget].decode("utf-16-le", errors="ignore") + TRUNCATION_MARKER


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could evaluate this text as a formula (writers of CSV must escape it)."""
    return text.startswith(FORMULA_TRIGGERS)


# Column widths are fitted to the first rows only: a streamed 100,000-row sheet need not
# measure every cell (the widths are cosmetic; every cell is still written by its type).
WIDTH_SAMPLE_ROWS = 2000


def display_width(text: str, cap: int = MAX_COLUMN_WIDTH) -> int:
    """Width of the widest line in Excel character units, wide (CJK) characters counting 2."""
    widest = 0
    for line in text.split("\n"):
        if len(line) >= cap:  # every character is at least 1 wide
            return cap
        if line.isascii():
            widest = max(widest, len(line))
            continue
        width = sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in line)
        widest = max(widest, width)
    return min(widest, cap)


def sanitize_sheet_name(name: str) -> str:
    """A name Excel accepts: at most 31 characters, none of []:*?/\\, no edge apostrophes."""
    cleaned = "".join("_" if ch in _SHEET_NAME_FORBIDDEN or ch < " " else ch for ch in name)
    cleaned = cleaned.strip().strip("'")[:_SHEET_NAME_MAX].rstrip().rstrip("'")
    if not cleaned:
        return "Sheet"
    if cleaned.lower() == "history":  # reserved by Excel
        return cleaned + "_"
    return cleaned


def write_workbook(
    target: str | os.PathLike[str] | IO[bytes],
    sheets: Sequence[SheetSpec],
    *,
    exported_at: datetime,
    cycle_name: str | None = None,
    constant_memory: bool = False,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write the sheets; returns data-row counts keyed by final sheet name, in sheet order.

    `progress(n)` gets the number of data rows written so far in the workbook every
    1,000 rows and once more with the final total. Nothing is written to `target` if a
    row or the callback raises.
    """
    if not sheets:
        raise ValueError("工作簿至少需要一个工作表")
    for spec in sheets:
        _check_sheet(spec, constant_memory)
    if isinstance(target, os.PathLike):
        target = os.fspath(target)
    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": constant_memory,
            # Security rule (issue 7): user text is never turned into a formula, number or link.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            # Callers pass local wall-clock times; Excel has no time zones.
            "remove_timezone": True,
        },
    )
    workbook.set_properties({"created": exported_at.replace(tzinfo=None)})
    formats = _formats(workbook)
    stamp = f"导出时间：{exported_at:%Y-%m-%d %H:%M}"
    counts: dict[str, int] = {}
    written = 0

    def row_done() -> None:
        nonlocal written
        written += 1
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(written)

    for spec, name in zip(sheets, _unique_sheet_names([s.name for s in sheets]), strict=True):
        heading = f"{spec.title} — {cycle_name}" if cycle_name else spec.title
        counts[name] = _write_sheet(workbook, name, spec, f"{heading} {stamp}", formats, row_done)
    if progress is not None and (written == 0 or written % PROGRESS_EVERY):
        progress(written)
    workbook.close()
    return counts


def _check_sheet(spec: SheetSpec, constant_memory: bool) -> None:
    if not spec.columns:
        raise ValueError(f"工作表「{spec.name}」没有列")
    if spec.charts and constant_memory:
        # Charts need the written cells to cache their data, which constant_memory discards.
        raise ValueError(f"工作表「{spec.name}」含图表，不能使用 constant_memory 模式")
    for chart in spec.charts:
        for index in (chart.categories_col, *chart.value_cols):
            if not 0 <= index < len(spec.columns):
                raise ValueError(f"图表「{chart.title}」引用的第 {index} 列不存在")
        numeric = [*chart.value_cols, *([] if chart.max_col is None else [chart.max_col])]
        for index in numeric:
            if not 0 <= index < len(spec.columns) or spec.columns[index].kind not in _NUMERIC_KINDS:
                raise ValueError(f"图表「{chart.title}」的第 {index} 列不是数值列")


def _unique_sheet_names(names: Sequence[str]) -> list[str]:
    used: set[str] = set()
    unique = []
    for raw in names:
        base = candidate = sanitize_sheet_name(raw)
        copy = 2
        while candidate.lower() in used:  # Excel compares sheet names case-insensitively
            suffix = f"({copy})"
            candidate = base[: _SHEET_NAME_MAX - len(suffix)] + suffix
            copy += 1
        used.add(candidate.lower())
        unique.append(candidate)
    return unique


def _formats(workbook: xlsxwriter.Workbook) -> dict[str, Any]:
    cell = {"border": 1, "valign": "top"}
    formats = {
        "title": workbook.add_format(
            {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}
        ),
        "header": workbook.add_format(
            {**cell, "bold": True, "bg_color": "#D9D9D9", "text_wrap": True, "align": "center"}
        ),
        "text": workbook.add_format({**cell, "text_wrap": True}),
        # quote_prefix keeps formula-like text as text when someone edits the cell in Excel.
        "quoted": workbook.add_format({**cell, "text_wrap": True, "quote_prefix": True}),
        "bool": workbook.add_format({**cell, "align": "center"}),
    }
    for kind, num_format in _NUMBER_FORMATS.items():
        formats[kind] = workbook.add_format({**cell, "num_format": num_format})
    return formats


def _write_sheet(workbook, name, spec, title, formats, row_done) -> int:
    sheet = workbook.add_worksheet(name)
    columns = list(spec.columns)
    last_col = len(columns) - 1
    _set_up_page(sheet)
    sheet.set_row(TITLE_ROW, 26)
    if last_col > 0:
        sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, "", formats["title"])
    sheet.write_string(TITLE_ROW, 0, title, formats["title"])
    widths = []
    for col, column in enumerate(columns):
        sheet.write_string(HEADER_ROW, col, column.header, formats["header"])
        widths.append(display_width(column.header))
    kinds = [column.kind for column in columns]
    count = 0
    for row, values in enumerate(spec.rows, start=FIRST_DATA_ROW):
        if len(values) != len(columns):
            raise ValueError(
                f"工作表「{name}」第 {row + 1} 行有 {len(values)} 个值，表头有 {len(columns)} 列"
            )
        measure = count < WIDTH_SAMPLE_ROWS
        for col, value in enumerate(values):
            width = _write_cell(sheet, row, col, kinds[col], value, formats, measure)
            if width > widths[col]:
                widths[col] = width
        count += 1
        row_done()
    for col, column in enumerate(columns):
        width = column.width if column.width is not None else min(widths[col] + 2, MAX_COLUMN_WIDTH)
        sheet.set_column(col, col, width)
    if count:
        for index, chart in enumerate(spec.charts):
            anchor = chart.anchor or xl_rowcol_to_cell(FIRST_DATA_ROW + 22 * index, last_col + 2)
            sheet.insert_chart(anchor, _build_chart(workbook, name, columns, chart, count))
    return count


def _set_up_page(sheet) -> None:
    sheet.freeze_panes(FIRST_DATA_ROW, 0)
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)  # all columns on one page width, as many pages down as needed
    sheet.repeat_rows(TITLE_ROW, HEADER_ROW)
    sheet.set_footer(FOOTER)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.75)
    sheet.center_horizontally()


def _write_cell(sheet, row: int, col: int, kind: str, value: Any, formats, measure=True) -> int:
    """Write one value and return its display width (0 when not measuring)."""
    if value is None:
        sheet.write_blank(row, col, None, formats["text" if kind == "text" else kind])
        return 0
    if kind in _NUMERIC_KINDS and _is_finite_number(value):
        number = float(value) if isinstance(value, Decimal) else value
        sheet.write_number(row, col, number, formats[kind])
        return len(_NUMBER_TEXT[kind](number)) if measure else 0
    if kind in _DATE_WIDTH and isinstance(value, date):
        sheet.write_datetime(row, col, value, formats[kind])
        return _DATE_WIDTH[kind]
    # Text, bools, and anything a numeric or date column cannot store as such.
    text = safe_text(value)
    style = "quoted" if is_formula_like(text) else "bool" if kind == "bool" else "text"
    sheet.write_string(row, col, text, formats[style])
    return display_width(text) if measure else 0


def _is_finite_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, Decimal):
        return value.is_finite()
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int)


def _build_chart(workbook, sheet_name: str, columns, spec: ChartSpec, count: int):
    last_row = FIRST_DATA_ROW + count - 1

    def cells(col: int) -> list:
        return [sheet_name, FIRST_DATA_ROW, col, last_row, col]

    if spec.kind == "bar":
        chart = workbook.add_chart({"type": "bar"})
        chart.set_y_axis({"reverse": True})  # first row on top, as in the table
        chart.set_size({"width": 720, "height": min(max(320, 22 * count + 120), 1600)})
        reference = {"fill": {"color": "#D9D9D9"}, "border": {"color": "#A6A6A6"}}
    else:
        chart = workbook.add_chart({"type": "radar", "subtype": "marker"})
        chart.set_size({"width": 560, "height": 440})
        reference = {"line": {"color": "#A6A6A6", "dash_type": "dash"}, "marker": {"type": "none"}}
    chart.set_title({"name": spec.title})
    series = [(col, {}) for col in spec.value_cols]
    if spec.max_col is not None:
        series.append((spec.max_col, reference))
    for col, style in series:
        options = {"name": [sheet_name, HEADER_ROW, col], "categories": cells(spec.categories_col)}
        chart.add_series({**options, "values": cells(col), **style})
    if len(series) == 1:
        chart.set_legend({"none": True})
    else:
        chart.set_legend({"position": "bottom"})
    return chart
