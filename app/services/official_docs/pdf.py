"""PDF of a .docx through LibreOffice, when the machine has it (Debian libreoffice-writer-nogui).

LibreOffice is optional: without it the .docx is offered alone and the screens say so; the
application itself (`make run`) never needs it."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from app.domain.errors import RuleViolation

TIMEOUT_SECONDS = 120
UNAVAILABLE = "本机未安装 LibreOffice，只能下载 Word 文档（.docx），不能生成 PDF"


class PdfUnavailable(RuleViolation):
    rule = "文档转换"
    default_message = UNAVAILABLE
    status = 422


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice() is not None


def to_pdf(docx: bytes, timeout: int = TIMEOUT_SECONDS) -> bytes:
    """Convert with `soffice --headless --convert-to pdf` in a private temporary directory and
    profile, so that concurrent conversions and a user's own LibreOffice do not collide."""
    binary = soffice()
    if binary is None:
        raise PdfUnavailable()
    with tempfile.TemporaryDirectory(prefix="award-pdf-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(docx)
        profile = (work / "profile").as_uri()
        command = [
            binary,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(f"PDF 转换超过 {timeout} 秒未完成，请下载 Word 文档") from None
        target = work / "document.pdf"
        if done.returncode != 0 or not target.exists():
            raise PdfUnavailable("PDF 转换失败，请下载 Word 文档")
        return target.read_bytes()
