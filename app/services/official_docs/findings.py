"""What the review reports (M-19.2, M-19.4), the comprehensive evaluation report (M-19.5) and
the applicant's feedback report (M-24) print alike: tables whose column widths LibreOffice and
WPS read, Chinese ordinals, and per GB/T 19580 category the strengths and opportunities for
improvement as numbered paragraphs."""

from docx.shared import Mm

from app.services.official_docs import layout as L

CHINESE_ORDINALS = "一二三四五六七八九十"


def ordinal(i: int) -> str:
    return CHINESE_ORDINALS[i - 1] if 0 < i <= len(CHINESE_ORDINALS) else str(i)


def table(doc, headers, rows, widths_mm, font_pt: float = L.TABLE_PT):
    """layout.add_table with its column widths also in the table grid, which LibreOffice and
    WPS read (the cell widths alone are ignored by them)."""
    made = L.add_table(doc, headers, rows, widths_mm=widths_mm, font_pt=font_pt)
    made.autofit = False
    for col, width in zip(made._tbl.tblGrid.gridCol_lst, widths_mm, strict=True):
        col.w = Mm(width)
    return made


def numbered(doc, title: str, texts, empty: str) -> None:
    """「优势：」 and its texts as 1. 2. 3. …, or `empty` after the title when there are none."""
    L.add_paragraph(doc, f"{title}：" + ("" if texts else empty))
    for i, text in enumerate(texts, 1):
        L.add_paragraph(doc, f"{i}. {text}")


def category_findings(
    doc, i: int, heading: str, strengths, improvements, *, empty: str, note: str = ""
) -> None:
    """The `i`th category: its heading （一）…, an optional note, its strengths and its
    opportunities for improvement."""
    L.add_heading(doc, f"（{ordinal(i)}）{heading}", level=2)
    if note:
        L.add_paragraph(doc, note)
    numbered(doc, "优势", strengths, empty)
    numbered(doc, "改进机会", improvements, empty)


def group_opinion(doc, strengths: str, improvements: str) -> None:
    """The group's overall strengths and opportunities, each where written."""
    if strengths:
        L.add_paragraph(doc, "主要优势：" + strengths)
    if improvements:
        L.add_paragraph(doc, "主要改进机会：" + improvements)
