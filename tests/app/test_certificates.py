"""The certificates of a cycle (M-19.8, M-21): one A4 landscape page per award not revoked,
stating the awardee, the prize with the year of the award, the certificate number, the
awarding government and the date; one document of them all for printing, also as PDF."""

import io
import subprocess

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from sqlalchemy import select

from app.domain.report_rules import DocumentStageNotReached
from app.services.certificate_content import certificate_content
from app.services.official_docs import pdf
from models import Award, AwardCycle, Organization
from tests.app.document_helpers import build, text_of, xml_of


def awards(db, year: int) -> list[Award]:
    return list(
        db.session.scalars(
            select(Award)
            .join(AwardCycle, AwardCycle.id == Award.cycle_id)
            .where(AwardCycle.year == year)
        )
    )


def test_each_award_gets_a_certificate_stating_the_year_of_the_award_M_19_8_M_21(ctx):
    data = build("certificates", 2024)
    text = text_of(data)
    won = awards(ctx, 2024)
    assert len(won) == 2
    for award in won:
        assert award.application.applicant_name in text and award.certificate_no in text
    assert "“2024年度伊宁市政府质量奖”" in text and "“2024年度伊宁市政府质量提名奖”" in text
    assert text.count("伊宁市人民政府") == 2 and text.count("二〇二四年十一月二十八日") == 2
    assert text.count("荣 誉 证 书") == 2


def test_certificates_are_a4_landscape_one_page_each(ctx):
    doc = Document(io.BytesIO(build("certificates", 2024)))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((297, 210), abs=0.5)
    breaks = [p for p in doc.paragraphs if p.paragraph_format.page_break_before]
    assert len(breaks) == len(awards(ctx, 2024)) - 1


def test_a_revoked_award_gets_no_certificate_M_26(ctx):
    revoked = [a for a in awards(ctx, 2021) if a.revoked]
    assert revoked
    content = certificate_content(2021)
    numbers = [c.certificate_no for c in content.certificates]
    assert revoked[0].certificate_no not in numbers and len(numbers) == 2
    assert revoked[0].certificate_no not in text_of(build("certificates", 2021))


@pytest.mark.parametrize("year", [2019, 2022, 2023])
def test_certificates_wait_for_the_announcement_naming_the_stage_M_19_8(ctx, year):
    with pytest.raises(DocumentStageNotReached) as exc:
        build("certificates", year)
    assert exc.value.rule == "M-19.8" and "「公布表彰」阶段开始后" in str(exc.value)


def test_a_formula_like_or_long_awardee_name_is_written_as_plain_text(ctx):
    award = next(a for a in awards(ctx, 2024) if a.application.organization_id)
    org = ctx.session.get(Organization, award.application.organization_id)
    org.name = '=HYPERLINK("http://x","点我")' + "长" * 150
    ctx.session.commit()
    data = build("certificates", 2024)
    assert org.name in text_of(data)
    xml = xml_of(data)
    assert "HYPERLINK" not in "".join(xml.split("<w:instrText")[1:]) and "<w:hyperlink" not in xml


def test_the_printing_pdf_has_one_page_per_certificate_with_extractable_chinese_M_19_8(
    ctx, tmp_path
):
    """LibreOffice (Debian libreoffice-writer-nogui) and poppler-utils are installed by CI."""
    assert pdf.available(), "LibreOffice is needed to print the certificates as PDF"
    target = tmp_path / "certificates.pdf"
    target.write_bytes(pdf.to_pdf(build("certificates", 2024)))
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True)
    assert "Pages:           2" in info.stdout
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "伊宁市人民政府" in text and "伊政质奖〔2024〕001号" in text.replace(" ", "")
    assert "2024年度伊宁市政府质量奖" in text.replace(" ", "")
