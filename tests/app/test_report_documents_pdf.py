"""The review reports, evaluation report, feedback and certificates as PDF (LibreOffice, which CI
installs with poppler-utils): each converts, its pages are counted, its Chinese text is
extractable, and `UPDATE_SCREENSHOTS=1` draws its first page for the README (M-19.2, M-19.4,
M-19.5, M-19.8)."""

import os
import re
import subprocess
from pathlib import Path

from sqlalchemy import select

from app.services.official_docs import pdf
from models import Application
from tests.app.document_helpers import build

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "documents"


def _pages_and_text(path: Path) -> tuple[int, str]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "A4" in info.stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    words = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    )
    return pages, re.sub(r"\s+", "", words.stdout)


def test_every_report_kind_converts_to_pdf_with_extractable_chinese(ctx, tmp_path):
    assert pdf.available(), "LibreOffice (libreoffice-writer-nogui) is needed for the PDF"
    number = dict(ctx.session.execute(select(Application.number, Application.id)).all())
    cases = {
        "material-report": (number["2024-ZLJ-001"], "材料评审报告", range(2, 12)),
        "onsite-report": (number["2024-ZLJ-001"], "现场评审报告", range(2, 12)),
        "evaluation-report": (2019, "综合评价报告", range(1, 5)),
        "feedback": (number["2024-ZLJ-002"], "评审反馈报告", range(2, 12)),
        "certificates": (2024, "荣誉证书", range(2, 3)),  # one page per award
    }
    for kind, (target, title, pages) in cases.items():
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(pdf.to_pdf(build(kind, target)))
        count, text = _pages_and_text(path)
        assert count in pages, (kind, count)
        assert title in text and "伊宁市" in text, kind
        if os.environ.get("UPDATE_SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"]
                + [str(path), str(SCREENSHOTS / kind)],
                check=True,
            )
