"""Tests for the formula-safe, printable Excel writer (issue 7), read back with openpyxl."""

import io
import re
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.chart import BarChart, RadarChart

from app.services.xlsx import (
    EXCEL_CELL_LIMIT,
    TRUNCATION_MARKER,
    ChartSpec,
    Column,
    SheetSpec,
    display_width,
    is_formula_like,
    safe_text,
    sanitize_sheet_name,
    write_workbook,
)

EXPORTED_AT = datetime(2025, 5, 1, 14, 5)

SCORES = [
    Column("申报单位"),
    Column("材料评审得分", "score"),
    Column("现场评审得分", "score"),
    Column("奖金", "money"),
]


def export(sheets, **options):
    """Write the sheets into memory and load the result back with openpyxl."""
    buffer = io.BytesIO()
    options.setdefault("exported_at", EXPORTED_AT)
    counts = write_workbook(buffer, sheets, **options)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer), counts


def read_text(cell):
    """The cell's text with OOXML's _xHHHH_ escapes (used for control characters) decoded,
    as Excel shows it; openpyxl leaves them encoded."""
    if cell.value is None:
        return ""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), cell.value)


def one_column_sheet(*values, kind="text"):
    return SheetSpec("名单", "名单", [Column("值", kind)], [(value,) for value in values])


def test_every_sheet_starts_with_a_merged_title_naming_the_cycle_and_the_export_time():
    book, _ = export([SheetSpec("评审得分", "评审得分汇总", SCORES, [])], cycle_name="2025 年度")
    sheet = book["评审得分"]
    assert sheet["A1"].value == "评审得分汇总 — 2025 年度 导出时间：2025-05-01 14:05"
    assert sheet["A1"].font.b
    assert sheet["A1"].font.sz > 11
    assert [str(cells) for cells in sheet.merged_cells.ranges] == ["A1:D1"]


def test_a_title_without_a_cycle_names_only_the_export_time():
    book, _ = export([one_column_sheet("甲")])
    assert book.active["A1"].value == "名单 导出时间：2025-05-01 14:05"


def test_the_header_row_is_bold_bordered_grey_and_wrapped_and_the_sheet_is_frozen_below_it():
    book, _ = export([SheetSpec("评审得分", "评审得分汇总", SCORES, [("甲公司", 1, 2, 3)])])
    sheet = book.active
    headers = [cell.value for cell in sheet[2]]
    assert headers == ["申报单位", "材料评审得分", "现场评审得分", "奖金"]
    header = sheet["B2"]
    assert header.font.b
    assert header.border.left.style == "thin"
    assert header.fill.fgColor.rgb == "FFD9D9D9"
    assert header.alignment.wrap_text
    assert sheet.freeze_panes == "A3"


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+SUM(A1)",
        "-2",
        "@x",
        "\tA",
        "\rA",
        "＝1+1",
        "＋SUM(A1)",
        "－2",
        "＠x",
        '=HYPERLINK("http://example.com","点击")',
        "=cmd|' /C calc'!A0",
    ],
)
def test_formula_like_text_round_trips_as_the_exact_string_never_a_formula(text):
    """Security rule (issue 7): user text must never be evaluated by a spreadsheet."""
    book, _ = export([one_column_sheet(text)])
    cell = book.active["A3"]
    assert read_text(cell) == text
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_ordinary_text_is_not_turned_into_a_number_or_a_link_and_gets_no_quote_prefix():
    """Security rule (issue 7): strings_to_numbers and strings_to_urls are off."""
    book, _ = export([one_column_sheet("00123", "https://example.com", "甲公司")])
    cells = [book.active[f"A{row}"] for row in (3, 4, 5)]
    assert [cell.value for cell in cells] == ["00123", "https://example.com", "甲公司"]
    assert all(cell.data_type == "s" for cell in cells)
    assert not any(cell.quotePrefix or cell.hyperlink for cell in cells)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_text_round_trips_unchanged(text):
    """Security rule (issue 7): safety never rewrites the user's data."""
    book, _ = export([one_column_sheet(text)])
    assert read_text(book.active["A3"]) == text


def test_non_string_values_in_a_text_column_are_written_as_their_str():
    book, _ = export([one_column_sheet(Decimal("1.50"), 5, date(2025, 1, 2))])
    values = [book.active[f"A{row}"].value for row in (3, 4, 5)]
    assert values == ["1.50", "5", "2025-01-02"]


def test_numbers_are_stored_as_numbers_with_their_display_formats():
    columns = [
        Column("序号", "int"),
        Column("得分", "score"),
        Column("奖金", "money"),
        Column("得分率", "percent"),
    ]
    row = (3, Decimal("85.55"), Decimal("500000.00"), 71.25)
    book, _ = export([SheetSpec("数字", "数字", columns, [row])])
    cells = book.active[3]
    assert [cell.value for cell in cells] == [3, 85.55, 500000, 71.25]
    assert all(cell.data_type == "n" for cell in cells)
    assert [cell.number_format for cell in cells] == ["0", "0.0", "#,##0.00", "0.0"]


def test_dates_are_real_excel_dates_that_read_back_as_datetimes():
    columns = [Column("受理日期", "date"), Column("提交时间", "datetime")]
    row = (date(2025, 3, 1), datetime(2025, 3, 1, 9, 30))
    book, _ = export([SheetSpec("日期", "日期", columns, [row])])
    accepted, submitted = book.active[3]
    assert accepted.value == datetime(2025, 3, 1)
    assert accepted.number_format == "yyyy-mm-dd"
    assert submitted.value == datetime(2025, 3, 1, 9, 30)
    assert submitted.number_format == "yyyy-mm-dd hh:mm"


def test_bools_read_as_yes_or_no_and_none_leaves_the_cell_empty():
    columns = [Column("合格", "bool"), Column("得分", "score"), Column("备注")]
    book, _ = export([SheetSpec("表", "表", columns, [(True, None, None), (False, 1, "")])])
    assert [cell.value for cell in book.active[3]] == ["是", None, None]
    assert [cell.value for cell in book.active[4]][0] == "否"


def test_a_value_a_numeric_column_cannot_store_is_kept_as_safe_text():
    book, _ = export([one_column_sheet("缺考", float("nan"), "-", kind="score")])
    cells = [book.active[f"A{row}"] for row in (3, 4, 5)]
    assert [cell.value for cell in cells] == ["缺考", "nan", "-"]
    assert all(cell.data_type == "s" for cell in cells)
    assert cells[2].quotePrefix


def test_every_sheet_prints_on_landscape_a4_one_page_wide_with_repeated_headings_and_page_numbers():
    book, _ = export([SheetSpec("评审得分", "评审得分汇总", SCORES, [("甲公司", 1, 2, 3)])])
    sheet = book.active
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert int(sheet.page_setup.fitToHeight) == 0
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.oddFooter.left.text == "&A"
    assert sheet.oddFooter.right.text == "第 &P 页 / 共 &N 页"


def test_chinese_punctuation_and_a_ten_thousand_character_text_export_intact():
    remark = "质量奖评审意见：“领导”、“战略”；（结果）——优秀！？" + "评" * 10_000
    assert len(remark) > 10_000
    book, _ = export([one_column_sheet(remark)])
    assert book.active["A3"].value == remark


def test_text_over_excels_cell_limit_is_cut_with_a_visible_marker():
    book, _ = export([one_column_sheet("评" * 40_000)])
    value = book.active["A3"].value
    assert len(value) == EXCEL_CELL_LIMIT
    assert value.endswith(TRUNCATION_MARKER)
    assert value.startswith("评" * 1000)


def test_the_cell_limit_counts_characters_outside_the_basic_plane_twice():
    # Excel counts UTF-16 code units; 𠀀 takes two.
    text = safe_text("𠀀" * 20_000)
    assert len(text.encode("utf-16-le")) // 2 <= EXCEL_CELL_LIMIT
    assert text.endswith(TRUNCATION_MARKER)
    assert safe_text("评" * EXCEL_CELL_LIMIT) == "评" * EXCEL_CELL_LIMIT


def test_safe_text_shows_none_as_empty_bools_as_yes_or_no_and_never_rewrites_formula_text():
    assert safe_text(None) == ""
    assert safe_text(True) == "是"
    assert safe_text(False) == "否"
    assert safe_text(Decimal("85.50")) == "85.50"
    assert safe_text("=1+1") == "=1+1"
    assert is_formula_like("=1+1") and is_formula_like("＠x")
    assert not is_formula_like("1+1") and not is_formula_like("")


def test_an_empty_sheet_is_still_a_valid_sheet_with_its_title_and_header():
    charts = [ChartSpec("bar", "得分", 0, [1])]
    book, counts = export([SheetSpec("空表", "空表", SCORES, iter(()), charts=charts)])
    sheet = book["空表"]
    assert counts == {"空表": 0}
    assert sheet["A2"].value == "申报单位"
    assert sheet.max_row == 2
    assert sheet._charts == []


def test_counts_are_returned_per_sheet_under_the_sanitized_sheet_names():
    sheets = [
        SheetSpec("汇总/名单[1]", "汇总", SCORES, [("甲", 1, 2, 3), ("乙", 1, 2, 3)]),
        SheetSpec("汇总/名单[1]", "汇总", SCORES, [("丙", 1, 2, 3)]),
    ]
    book, counts = export(sheets)
    assert counts == {"汇总_名单_1_": 2, "汇总_名单_1_(2)": 1}
    assert book.sheetnames == list(counts)


def test_sheet_names_are_made_acceptable_to_excel():
    assert sanitize_sheet_name("a[b]c:d*e?f/g\\h") == "a_b_c_d_e_f_g_h"
    assert sanitize_sheet_name("伊宁市政府质量奖" * 5) == ("伊宁市政府质量奖" * 4)[:31]
    assert sanitize_sheet_name("'引号'") == "引号"
    assert sanitize_sheet_name("") == "Sheet"
    assert sanitize_sheet_name("History") == "History_"


def test_column_widths_count_wide_characters_twice_and_are_capped():
    assert display_width("abc") == 3
    assert display_width("质量奖") == 6
    assert display_width("ＡＢ") == 4
    assert display_width("短\n很长的一行") == 10
    assert display_width("评" * 5_000) == 60
    columns = [
        Column("名称"),
        Column("很长很长的表头名称"),
        Column("备注"),
        Column("固定", width=9),
    ]
    row = ("伊宁市质量奖", "a", "x" * 500, "y" * 50)
    book, _ = export([SheetSpec("宽度", "宽度", columns, [row])])
    # int(): xlsxwriter adds 0.71 of cell padding to each width.
    widths = [int(book.active.column_dimensions[c].width) for c in "ABCD"]
    assert widths == [14, 20, 60, 9]


def test_constant_memory_mode_writes_the_same_fifty_thousand_rows_and_reports_progress():
    def rows():
        for n in range(50_000):
            yield (f"单位{n}", Decimal(n) / 10, date(2025, 1, 1 + n % 28), None if n % 7 else "=x")

    columns = [Column("单位"), Column("得分", "score"), Column("日期", "date"), Column("备注")]
    reported = []
    streamed = io.BytesIO()
    counts = write_workbook(
        streamed,
        [SheetSpec("大表", "大表", columns, rows())],
        exported_at=EXPORTED_AT,
        constant_memory=True,
        progress=reported.append,
    )
    buffered = io.BytesIO()
    write_workbook(buffered, [SheetSpec("大表", "大表", columns, rows())], exported_at=EXPORTED_AT)
    assert counts == {"大表": 50_000}
    assert reported == list(range(1_000, 50_001, 1_000))
    values = []
    for buffer in (streamed, buffered):
        buffer.seek(0)
        book = openpyxl.load_workbook(buffer, read_only=True)
        values.append(list(book["大表"].iter_rows(values_only=True)))
        book.close()
    assert values[0] == values[1]
    assert len(values[0]) == 50_002
    assert values[0][2] == ("单位0", 0, datetime(2025, 1, 1), "=x")


def test_progress_ends_with_the_total_row_count():
    reported = []
    rows = [("甲", 1, 2, 3)] * 1_500
    write_workbook(
        io.BytesIO(),
        [SheetSpec("a", "a", SCORES, rows), SheetSpec("b", "b", SCORES, rows)],
        exported_at=EXPORTED_AT,
        progress=reported.append,
    )
    assert reported == [1_000, 2_000, 3_000]
    reported.clear()
    write_workbook(
        io.BytesIO(), [one_column_sheet()], exported_at=EXPORTED_AT, progress=reported.append
    )
    assert reported == [0]


def test_bar_and_radar_charts_are_drawn_from_the_sheets_own_rows():
    bar = ChartSpec("bar", "现场评审得分", categories_col=0, value_cols=[2])
    categories = [Column("类目"), Column("满分", "score"), Column("甲公司", "score")]
    radar = ChartSpec("radar", "类目得分", categories_col=0, value_cols=[2], max_col=1, anchor="F3")
    category_rows = [("领导", 110, 90), ("战略", 90, 70), ("结果", 400, 310)]
    book, _ = export(
        [
            SheetSpec("排名", "排名", SCORES, [("甲公司", 1, 2, 3), ("乙公司", 4, 5, 6)], [bar]),
            SheetSpec("类目", "类目得分", categories, category_rows, [radar]),
        ]
    )
    assert [type(chart) for chart in book["排名"]._charts] == [BarChart]
    assert [type(chart) for chart in book["类目"]._charts] == [RadarChart]
    assert len(book["类目"]._charts[0].series) == 2


def test_charts_are_refused_in_constant_memory_mode_and_must_plot_numeric_columns():
    bar = ChartSpec("bar", "得分", categories_col=0, value_cols=[1])
    with pytest.raises(ValueError, match="constant_memory"):
        write_workbook(
            io.BytesIO(),
            [SheetSpec("排名", "排名", SCORES, [], [bar])],
            exported_at=EXPORTED_AT,
            constant_memory=True,
        )
    by_name = ChartSpec("bar", "得分", categories_col=1, value_cols=[0])
    with pytest.raises(ValueError, match="不是数值列"):
        write_workbook(
            io.BytesIO(),
            [SheetSpec("排名", "排名", SCORES, [], [by_name])],
            exported_at=EXPORTED_AT,
        )


def test_a_row_of_the_wrong_length_fails_and_leaves_no_file(tmp_path):
    target = tmp_path / "导出.xlsx"
    with pytest.raises(ValueError, match="第 4 行有 2 个值"):
        write_workbook(
            target,
            [SheetSpec("表", "表", SCORES, [("甲", 1, 2, 3), ("乙", 1)])],
            exported_at=EXPORTED_AT,
        )
    assert not target.exists()


def test_a_path_target_gets_a_workbook_file(tmp_path):
    target = tmp_path / "导出.xlsx"
    write_workbook(target, [one_column_sheet("甲")], exported_at=EXPORTED_AT)
    assert openpyxl.load_workbook(target).active["A3"].value == "甲"


def test_unknown_column_kinds_are_refused():
    with pytest.raises(ValueError, match="不受支持"):
        Column("得分", "float")
