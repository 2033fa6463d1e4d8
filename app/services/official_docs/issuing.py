"""Drafting, editing and issuing official documents: the Office generates a draft from the
records, may replace it with its own edited .docx or regenerate it with another number or
date, then issues it. The issued file is kept with its record, logged, and never changed or
issued a second time (the service refuses; a database trigger and a unique index back it)."""

import hashlib
import re
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select

from app.domain.errors import InvalidInput, RecordNotFound, RuleViolation
from app.extensions import db
from app.services import audit, uploads
from app.services.official_docs import registry
from app.services.transactions import atomic
from models import Application, AwardCycle, IssuedDocument, RevocationCase
from models.base import utcnow

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ISSUED, DRAFT = "issued", "draft"
STATE_LABELS = {DRAFT: "草稿", ISSUED: "已印发"}
_NUMBER = re.compile(r"〔(\d{4})〕(\d+)号$")


class AlreadyIssued(RuleViolation):
    rule = "公文管理"
    default_message = "该文档已印发，不能修改或再次印发"


class DraftRefused(RuleViolation):
    rule = "公文管理"
    default_message = "草稿不符合要求，未保存"


@dataclass(frozen=True)
class Target:
    """The record a document belongs to, in the columns the document row keeps."""

    target_id: int
    cycle_id: int | None = None
    application_id: int | None = None
    revocation_case_id: int | None = None


def _target(spec: registry.Spec, record) -> Target:
    if isinstance(record, AwardCycle):
        return Target(record.year, cycle_id=record.id)
    if isinstance(record, Application):
        return Target(record.id, cycle_id=record.cycle_id, application_id=record.id)
    if isinstance(record, RevocationCase):
        cycle_id = record.award.cycle_id if record.award else None
        return Target(record.id, cycle_id=cycle_id, revocation_case_id=record.id)
    raise InvalidInput(f"无法识别「{spec.label_zh}」所属的记录")


def issued_of(kind: str, target_id: int) -> IssuedDocument | None:
    return db.session.scalar(
        select(IssuedDocument).where(
            IssuedDocument.kind == kind,
            IssuedDocument.target_id == target_id,
            IssuedDocument.target == registry.spec_of(kind).target,
            IssuedDocument.state == ISSUED,
        )
    )


def draft_of(kind: str, target_id: int) -> IssuedDocument | None:
    return db.session.scalar(
        select(IssuedDocument)
        .where(
            IssuedDocument.kind == kind,
            IssuedDocument.target_id == target_id,
            IssuedDocument.target == registry.spec_of(kind).target,
            IssuedDocument.state == DRAFT,
        )
        .order_by(IssuedDocument.id.desc())
    )


def _refuse_if_issued(kind: str, target_id: int) -> None:
    done = issued_of(kind, target_id)
    if done is not None:
        raise AlreadyIssued(
            f"「{done.title}」已于{done.issued_at:%Y-%m-%d %H:%M}由{done.issued_by}印发"
            f"（{done.document_no or '无文号'}），不能再次生成、修改或印发"
        )


def next_number(prefix: str, year: int) -> str:
    """The next 发文字号 of an issuing body in a year: 伊市质评〔2025〕3号."""
    used = db.session.scalars(
        select(IssuedDocument.document_no).where(
            IssuedDocument.document_no.like(f"{prefix}〔{year}〕%")
        )
    )
    highest = 0
    for number in used:
        m = _NUMBER.search(number or "")
        if m:
            highest = max(highest, int(m.group(2)))
    return f"{prefix}〔{year}〕{highest + 1}号"


def _number_for(spec: registry.Spec, record, number: str | None, doc_id=None) -> str | None:
    if not spec.number_prefix:
        return None
    number = (number or "").strip()
    if not number:
        return next_number(spec.number_prefix, spec.year_of(record)) if spec.auto_number else None
    if len(number) > 100:
        raise DraftRefused("发文字号过长（最多 100 字）", fields={"document_no": "最多 100 字"})
    clash = db.session.scalar(
        select(IssuedDocument).where(
            IssuedDocument.document_no == number, IssuedDocument.id != (doc_id or 0)
        )
    )
    if clash is not None:
        raise DraftRefused(
            f"发文字号「{number}」已由「{clash.title}」使用", fields={"document_no": "文号重复"}
        )
    return number


def _title(spec: registry.Spec, record) -> str:
    label = getattr(record, "name", None) or str(record)
    return f"{label} {spec.label_zh}"[:300]


def _filename(spec: registry.Spec, target: Target) -> str:
    return f"{spec.label_zh}-{target.target_id}.docx"


def _fill(doc: IssuedDocument, content: bytes) -> None:
    doc.content = content
    doc.size = len(content)
    doc.sha256 = hashlib.sha256(content).hexdigest()


@atomic
def draft(
    kind: str,
    target_id,
    *,
    number: str | None = None,
    dated: date | None = None,
    username: str | None = None,
) -> IssuedDocument:
    """A draft of `kind` for its record, from the records as they are now (the stage check
    first). An existing draft is regenerated in place, keeping its number unless another is
    given; an issued one is never touched."""
    spec, record = registry.load(kind, target_id)
    target = _target(spec, record)
    _refuse_if_issued(kind, target.target_id)
    doc = draft_of(kind, target.target_id)
    if doc is None:
        doc = IssuedDocument(
            kind=kind,
            target=spec.target,
            target_id=target.target_id,
            cycle_id=target.cycle_id,
            application_id=target.application_id,
            revocation_case_id=target.revocation_case_id,
            state=DRAFT,
            created_by=username or audit.current_username(),
        )
    doc.document_no = _number_for(spec, record, number or doc.document_no, doc.id)
    doc.dated = dated or doc.dated
    doc.title = _title(spec, record)
    doc.filename = _filename(spec, target)
    options = {"number": doc.document_no, "dated": doc.dated} if spec.number_prefix else {}
    _fill(doc, spec.builder(record, **options))
    doc.edited = False
    db.session.add(doc)
    db.session.flush()
    audit.record(
        "document_draft",
        doc,
        f"生成{doc.title}草稿{('（' + doc.document_no + '）') if doc.document_no else ''}",
        details={"kind": kind, "target_id": target.target_id, "sha256": doc.sha256},
        cycle_id=target.cycle_id,
        application_id=target.application_id,
        username=username,
    )
    return doc


def target_key(kind: str, target_id) -> int:
    """The stored key of a record (the year, or the row id), after its stage check."""
    spec, record = registry.load(kind, target_id)
    return _target(spec, record).target_id


def _draft_row(doc_id) -> IssuedDocument:
    pk = uploads.as_id(doc_id)
    doc = db.session.get(IssuedDocument, pk) if pk else None
    if doc is None:
        raise RecordNotFound("文档不存在")
    if doc.state == ISSUED:
        raise AlreadyIssued(
            f"「{doc.title}」已于{doc.issued_at:%Y-%m-%d %H:%M}印发"
            f"（{doc.document_no or '无文号'}），不能修改或再次印发"
        )
    return doc


def _docx_bytes(stream: BinaryIO | None, filename: str | None) -> bytes:
    """The uploaded edited document, checked by content as an application document is
    (a .docx without macros), and readable as a Word document."""
    if stream is None or not (filename or "").strip():
        raise DraftRefused("请选择修改后的 Word 文档（.docx）")
    name = uploads.display_name(filename)
    if uploads.extension(name) != "docx":
        raise DraftRefused(f"「{name}」不是 Word 文档（.docx）：修改稿只接收 .docx")
    limit = uploads.max_bytes()
    with tempfile.TemporaryDirectory(prefix="award-draft-") as tmp:
        path = Path(tmp) / "edited.docx"
        try:
            size, _sha = uploads._receive(stream, path, limit)
            uploads.check_content(path, name)
        except uploads.UploadRefused as exc:
            raise DraftRefused(exc.message) from None
        try:
            with zipfile.ZipFile(path) as z:
                if "word/document.xml" not in z.namelist():
                    raise DraftRefused(f"「{name}」缺少正文，不是有效的 Word 文档")
        except zipfile.BadZipFile:
            raise DraftRefused(f"「{name}」已损坏，不是有效的 Word 文档") from None
        return path.read_bytes()


@atomic
def replace_with_edited(
    doc_id, stream: BinaryIO | None, filename: str | None, username: str | None = None
) -> IssuedDocument:
    """The Office's own edit of a draft (downloaded, edited in Word or WPS, uploaded back)."""
    doc = _draft_row(doc_id)
    content = _docx_bytes(stream, filename)
    old = doc.sha256
    _fill(doc, content)
    doc.edited = True
    db.session.flush()
    audit.record(
        "document_edit",
        doc,
        f"上传{doc.title}修改稿（{doc.size} 字节）",
        details={"sha256_before": old, "sha256": doc.sha256},
        cycle_id=doc.cycle_id,
        application_id=doc.application_id,
        username=username,
    )
    return doc


def regenerate(
    doc_id, number: str | None = None, dated: date | None = None, username: str | None = None
) -> IssuedDocument:
    """Rebuild a draft from the records with another 发文字号 or 成文日期 (edited on screen);
    an uploaded edit is replaced."""
    doc = _draft_row(doc_id)
    return draft(doc.kind, doc.target_id, number=number, dated=dated, username=username)


@atomic
def issue(doc_id, username: str | None = None) -> IssuedDocument:
    """Issue a draft: its file, number and date are frozen from now on (the record's stage is
    checked again: nothing is issued for a stage not reached)."""
    doc = _draft_row(doc_id)
    spec, _record = registry.load(doc.kind, doc.target_id)
    _refuse_if_issued(doc.kind, doc.target_id)
    if spec.number_prefix and not doc.document_no:
        raise DraftRefused(
            f"请先填写{spec.issuer}的发文字号（如 {spec.number_prefix}〔{spec.year_of(_record)}〕8号）",
            fields={"document_no": "必填"},
        )
    doc.state = ISSUED
    doc.issued_by = username or audit.current_username() or "system"
    doc.issued_at = utcnow()
    db.session.flush()
    audit.record(
        "document_issue",
        doc,
        f"印发{doc.title}{('（' + doc.document_no + '）') if doc.document_no else ''}，"
        f"SHA-256 {doc.sha256}",
        details={"kind": doc.kind, "target_id": doc.target_id, "sha256": doc.sha256},
        cycle_id=doc.cycle_id,
        application_id=doc.application_id,
        username=username,
    )
    return doc


def file_of(doc_id) -> IssuedDocument:
    pk = uploads.as_id(doc_id)
    doc = db.session.get(IssuedDocument, pk) if pk else None
    if doc is None:
        raise RecordNotFound("文档不存在")
    return doc


def current_file(kind: str, target_id) -> tuple[str, bytes]:
    """What is sent for a kind and record: the issued file once issued (it is what was sent),
    otherwise a fresh build from the records."""
    spec, record = registry.load(kind, target_id)
    target = _target(spec, record)
    done = issued_of(kind, target.target_id)
    if done is not None:
        return done.filename, bytes(done.content)
    return _filename(spec, target), spec.builder(record)


def documents_of(target: str, target_id: int) -> list[IssuedDocument]:
    return list(
        db.session.scalars(
            select(IssuedDocument)
            .where(IssuedDocument.target == target, IssuedDocument.target_id == target_id)
            .order_by(IssuedDocument.kind, IssuedDocument.id)
        )
    )
