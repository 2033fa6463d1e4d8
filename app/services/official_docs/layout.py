"""GB/T 9704-2012 (党政机关公文格式) page set-up and building blocks for python-docx documents.

Every piece of text from the records is written as a plain run: never a field, a formula or
a hyperlink, and never cut short (Word wraps an over-long name). Font names are the ones the
standard names; Word or WPS on the office's machine substitutes what it has."""

import io
import re
from collections.abc import Iterable, Sequence
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from app.domain.zh_numbers import arabic_date

# 5.2.1 / 5.2.2: A4, type area 156 mm x 225 mm; top 37 mm, left 28 mm (so right 26, bottom 35)
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 37, 35, 28, 26
TYPE_AREA_MM = (156, 225)
# 5.2.3 / 5.2.4: 3号 body, 22 lines of 28 characters
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
PAGE_NUMBER_PT = 14  # 4号
TABLE_PT = 12  # 小4号 in tables, so that a list of names fits the type area
LINE_PITCH_PT = 28.95  # 225 mm / 22 lines
CHAR_SPACING_TWIPS = -5  # -0.25 pt: 28 characters of 3号 a line in 156 mm
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: BODY_FONT, 4: BODY_FONT}
NUMBER_FONT = "宋体"  # page numbers: 4号半角宋体阿拉伯数字
RED = RGBColor(0xFF, 0x00, 0x00)

# Characters XML 1.0 cannot hold: python-docx raises on them, so a pasted control character
# would otherwise turn into a server error.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def plain(value) -> str:
    """Text from a record, as it will appear: no None, no control characters, nothing cut."""
    if value is None:
        return ""
    return _XML_ILLEGAL.sub("", str(value))


def _fonts(run, name: str, size_pt: float | None = None, bold: bool | None = None) -> None:
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)
    if size_pt is not None:
        run.font.size = Pt(size_pt)
    if bold is not None:
        run.font.bold = bold


def _exact_lines(paragraph, pitch: float = LINE_PITCH_PT) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(pitch)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _indent_chars(paragraph, first_line: int = 0, right: int = 0, left: int = 0) -> None:
    """Indents counted in characters (w:firstLineChars, 100 = one character)."""
    ppr = paragraph._p.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    if first_line:
        ind.set(qn("w:firstLineChars"), str(first_line * 100))
        ind.set(qn("w:firstLine"), str(int(first_line * BODY_PT * 20)))
    if right:
        ind.set(qn("w:rightChars"), str(right * 100))
        ind.set(qn("w:right"), str(int(right * BODY_PT * 20)))
    if left:
        ind.set(qn("w:leftChars"), str(left * 100))
        ind.set(qn("w:left"), str(int(left * BODY_PT * 20)))


def _border(paragraph, edge: str, color: str = "FF0000", size: int = 12) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = OxmlElement("w:pBdr")
        ppr.append(bdr)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), color)
    bdr.append(line)


def _grid(section) -> None:
    """Document grid of 22 lines (w:docGrid, line pitch 28.95 pt). The 28 characters a line
    come from a -0.25 pt character spacing in the styles (28 x 15.75 pt fits 156 mm): a
    character grid (linesAndChars) narrower than the 3号 glyph makes LibreOffice give every
    character two cells, so it is not used."""
    sectpr = section._sectPr
    grid = sectpr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sectpr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))


def _page_number_footer(footer, align) -> None:
    """7.5: 4号半角宋体 Arabic numerals with a dash either side: — 1 —; odd pages right,
    even pages left, each one character in from the edge."""
    p = footer.paragraphs[0]
    p.alignment = align
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        _indent_chars(p, right=1)
    else:
        _indent_chars(p, left=1)
    _fonts(p.add_run("— "), NUMBER_FONT, PAGE_NUMBER_PT)
    run = p.add_run()
    _fonts(run, NUMBER_FONT, PAGE_NUMBER_PT)
    # the page number is the one field the layout itself writes; record text never is one
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1")):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "1":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._element.append(end)
    _fonts(p.add_run(" —"), NUMBER_FONT, PAGE_NUMBER_PT)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = BODY_FONT
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), BODY_FONT)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CHAR_SPACING_TWIPS))
    rpr.append(spacing)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_PT)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.widow_control = False


def new_document(
    title: str | None = None,
    *,
    issuer: str | None = None,
    number: str | None = None,
    signer: str | None = None,
    landscape: bool = False,
    page_numbers: bool = True,
):
    """A blank official document on the GB/T 9704 page, with its 版头 when `issuer` is given
    (发文机关标志 in red, 发文字号 — with 签发人 for a 上行文 such as a 请示 — and the red
    separator) and its title."""
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE_HEIGHT_MM), Mm(PAGE_WIDTH_MM)
    else:
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGIN_TOP_MM)
    section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    section.left_margin = Mm(MARGIN_LEFT_MM)
    section.right_margin = Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(28)
    _grid(section)
    if page_numbers:
        doc.settings.odd_and_even_pages_header_footer = True
        _page_number_footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
        _page_number_footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    if issuer:
        add_masthead(doc, issuer, number, signer)
    if title:
        add_title(doc, title)
    return doc


def add_masthead(doc, issuer: str, number: str | None, signer: str | None = None) -> None:
    """7.2: 发文机关标志 (小标宋, red, centred), a blank line, 发文字号, the red separator."""
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact_lines(p, 48)
    mark = plain(issuer)
    run = p.add_run(mark)
    # as large as fits one line of the type area, at most 小初 (36 pt)
    width_pt = TYPE_AREA_MM[0] / 25.4 * 72
    _fonts(run, TITLE_FONT, min(36, int(width_pt / max(len(mark), 1))))
    run.font.color.rgb = RED
    doc.add_paragraph()
    p = doc.add_paragraph()
    if signer:
        # 7.2.4/7.2.5: a 上行文 puts the number left and 签发人 right on one line
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        _indent_chars(p, left=1, right=1)
        p.paragraph_format.tab_stops.add_tab_stop(Mm(TYPE_AREA_MM[0] - 10), alignment=2)
        _fonts(p.add_run(plain(number)), BODY_FONT, BODY_PT)
        _fonts(p.add_run("\t签发人："), BODY_FONT, BODY_PT)
        _fonts(p.add_run(plain(signer)), "楷体_GB2312", BODY_PT)
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(p.add_run(plain(number)), BODY_FONT, BODY_PT)
    _border(p, "bottom")
    doc.add_paragraph()


def add_title(doc, text: str) -> None:
    """7.3.1: 2号小标宋, centred, one blank line below."""
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact_lines(p, 36)
    _fonts(p.add_run(plain(text)), TITLE_FONT, TITLE_PT)
    doc.add_paragraph()


def add_addressee(doc, text: str) -> None:
    """7.3.2: 主送机关, flush left, followed by a full-width colon."""
    p = doc.add_paragraph()
    _fonts(p.add_run(plain(text).rstrip("：:") + "："), BODY_FONT, BODY_PT)


def add_heading(doc, text: str, level: int = 1) -> None:
    """7.3.3: 一、 in 黑体, （一） in 楷体, 1. and (1) in 仿宋, each indented two characters."""
    p = doc.add_paragraph()
    _indent_chars(p, first_line=2)
    _fonts(p.add_run(plain(text)), HEADING_FONTS.get(level, BODY_FONT), BODY_PT, level == 3)


def add_paragraph(
    doc, text: str = "", *, indent: bool = True, align: str | None = None, bold: bool = False
):
    """A body paragraph: 3号仿宋, first line indented two characters."""
    p = doc.add_paragraph()
    if indent:
        _indent_chars(p, first_line=2)
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif align == "justify" or align is None:
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if text:
        _fonts(p.add_run(plain(text)), BODY_FONT, BODY_PT, bold or None)
    return p


def add_table(
    doc,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    widths_mm: Sequence[float] | None = None,
    font_pt: float = TABLE_PT,
):
    """A bordered table filling the type area; every cell is plain text and wraps."""
    rows = [list(r) for r in rows]
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    width = TYPE_AREA_MM[0]
    widths = list(widths_mm or [width / len(headers)] * len(headers))
    for r, values in enumerate([list(headers), *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = Mm(widths[c])
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if r == 0 else WD_ALIGN_PARAGRAPH.LEFT
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            snap = OxmlElement("w:snapToGrid")
            snap.set(qn("w:val"), "0")  # table lines keep their own height, not the 22-line grid
            p._p.get_or_add_pPr().append(snap)
            font = "黑体" if r == 0 else BODY_FONT
            _fonts(p.add_run(plain(value)), font, font_pt)
    return table


def add_attachment_note(doc, names: Sequence[str]) -> None:
    """7.3.5: 附件说明 — a blank line after the body, then 附件：name (numbered when several)."""
    if not names:
        return
    doc.add_paragraph()
    for i, name in enumerate(names, 1):
        p = doc.add_paragraph()
        if i == 1:
            _indent_chars(p, left=2)
            label = "附件：" + (f"{i}. " if len(names) > 1 else "")
        else:
            _indent_chars(p, left=5)
            label = f"{i}. "
        _fonts(p.add_run(label + plain(name)), BODY_FONT, BODY_PT)


def add_signature(doc, issuer: str, on: date | None, seal_space: bool = True) -> None:
    """7.3.5.1: 发文机关署名 centred above the 成文日期, which stands four characters in
    from the right; room left for the seal."""
    doc.add_paragraph()
    if seal_space:
        doc.add_paragraph()
        doc.add_paragraph()
    when = arabic_date(on) if on else "    年  月  日"
    name = plain(issuer)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    shift = max(0, (len(when) - len(name)) // 2)
    _indent_chars(p, right=4 + shift)
    _fonts(p.add_run(name), BODY_FONT, BODY_PT)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _indent_chars(p, right=4)
    _fonts(p.add_run(when), BODY_FONT, BODY_PT)


def add_attachment(doc, title: str, number: int | None = None) -> None:
    """8: an attachment starts a new page: 附件 (3号黑体, top left), then its title."""
    p = doc.add_paragraph()
    p.add_run().add_break(WD_BREAK.PAGE)
    p = doc.add_paragraph()
    _fonts(p.add_run("附件" + (str(number) if number else "")), "黑体", BODY_PT)
    doc.add_paragraph()
    add_title(doc, title)


def add_imprint(doc, copy_to: str | None, printer: str, printed_on: date | None) -> None:
    """7.4: 版记 — 抄送 and 印发机关/印发日期 between rules, 4号仿宋."""
    doc.add_paragraph()
    if copy_to:
        p = doc.add_paragraph()
        _indent_chars(p, left=1, right=1)
        _border(p, "top", "000000", 8)
        _fonts(p.add_run("抄送：" + plain(copy_to) + "。"), BODY_FONT, 14)
    p = doc.add_paragraph()
    _indent_chars(p, left=1, right=1)
    if not copy_to:
        _border(p, "top", "000000", 8)
    _border(p, "bottom", "000000", 8)
    p.paragraph_format.tab_stops.add_tab_stop(Mm(TYPE_AREA_MM[0] - 8), alignment=2)
    when = (arabic_date(printed_on) if printed_on else "    年  月  日") + "印发"
    _fonts(p.add_run(plain(printer) + "\t" + when), BODY_FONT, 14)


def to_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
