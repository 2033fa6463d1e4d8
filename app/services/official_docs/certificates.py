"""The certificates of a cycle as one Word document for printing (M-19.8, M-21): A4 landscape,
one page per award not revoked, each stating the awardee, the prize with the year of the
award, the certificate number, the awarding government and the date."""

from datetime import date

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from app.services.certificate_content import CertificateSet, certificate_content
from app.services.official_docs import layout as L
from app.services.official_docs.common import cycle_of_year
from app.services.official_docs.registry import Spec, register

MARGIN_MM = 25  # a certificate is not a 公文: an even frame on the landscape page
DARK_RED = RGBColor(0xA0, 0x00, 0x00)


def _line(doc, text: str, pt: float, *, font=L.BODY_FONT, align="center", color=None, first=False):
    """One paragraph of the certificate in its own size; the line is as high as the type."""
    p = doc.add_paragraph()
    p.alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
    }[align]
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(round(pt * 1.6, 1))
    fmt.page_break_before = first
    if text:
        run = p.add_run(L.plain(text))
        run.font.size = Pt(pt)
        run.font.name = font
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
        if color is not None:
            run.font.color.rgb = color
    return p


def build_certificates(
    content: CertificateSet, number: str | None = None, dated: date | None = None
) -> bytes:
    doc = L.new_document(landscape=True, page_numbers=False)
    section = doc.sections[0]
    for edge in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, edge, Mm(MARGIN_MM))
    for i, cert in enumerate(content.certificates):
        _line(doc, "", 16, first=i > 0)
        _line(doc, "荣 誉 证 书", 44, font=L.TITLE_FONT, color=DARK_RED)
        _line(doc, "", 16)
        _line(doc, f"{cert.awardee}：", 22, align="left")
        p = _line(doc, cert.citation, 22, align="left")
        p.paragraph_format.first_line_indent = Pt(44)
        _line(doc, "", 16)
        _line(doc, f"证书编号：{cert.certificate_no}", 16, align="left")
        _line(doc, cert.government, 22, align="right")
        _line(doc, cert.date_text, 22, align="right")
    return L.to_bytes(doc)


CERTIFICATES = register(
    Spec(
        kind="certificates",
        label_zh="获奖证书",
        target="year",
        builder=lambda cycle, number=None, dated=None: build_certificates(
            certificate_content(cycle.year), number, dated
        ),
        load=cycle_of_year,
        stage_check=lambda cycle: certificate_content(cycle.year),  # from 公布表彰 (M-19.8)
        rule="M-19.8",
        year_of=lambda cycle: cycle.year,
    )
)
