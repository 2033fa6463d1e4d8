"""Reading the generated .docx back in tests: its text (paragraphs and table cells, in order)
and its raw XML (every part of the package); a demo application by its number."""

import io
import zipfile

from docx import Document
from sqlalchemy import select

from app.services.official_docs import registry
from models import Application


def build(kind: str, target) -> bytes:
    """What `award document KIND TARGET` writes: load the record, check its stage, build."""
    return registry.build(kind, target)


def text_of(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def xml_of(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "\n".join(
            package.read(name).decode("utf-8", "replace")
            for name in package.namelist()
            if name.endswith((".xml", ".rels"))
        )


def application(db, number: str) -> Application:
    """The application numbered `number` (the demo's 2026-ZLJ-001 …)."""
    return db.session.scalar(select(Application).where(Application.number == number))
