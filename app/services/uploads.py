"""Application documents (M-18): accepted by content as well as by name, stored under a random
name outside the web root, and every upload, download and delete in the audit log (M-3, M-24,
M-25)."""

import hashlib
import mmap
import os
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import inspect, select

from app.domain.enums import ApplicantKind
from app.domain.errors import RuleViolation
from app.extensions import db
from app.security.scopes import REVIEWER, role_names, scope, sees_all
from app.services import audit
from app.services.integrity import dependents_of
from models import Application, ApplicationDocument

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
CHUNK = 1024 * 1024

# M-18: the form, the self-assessment report (organizations) or statement of achievements
# (individuals), and supporting evidence.
KINDS = {
    "application_form": "申报表",
    "self_assessment": "自评报告",
    "achievements": "事迹材料",
    "evidence": "证明材料",
    "other": "其他材料",
    # The online form's evidence, by condition (issue 18; M-11, M-12).
    "registration": "营业执照或登记证书",
    "certificate": "管理体系认证证书",
    "trademark": "注册商标证书",
    "accounts": "财务报表",
    "employment": "从事质量工作证明",
}
_ONLY_FOR = {
    "self_assessment": ApplicantKind.ORGANIZATION.value,
    "achievements": ApplicantKind.INDIVIDUAL.value,
}


class UploadRefused(RuleViolation):
    rule = "M-18"
    default_message = "申报材料未通过检查，未保存"


class DocumentUnavailable(RuleViolation):
    rule = "M-24"
    default_message = "申报材料不存在或无权查看"


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


TYPES = {
    t.key: t
    for t in (
        FileType("pdf", "PDF 文档", "application/pdf", ("pdf",)),
        FileType(
            "docx",
            "Word 文档",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ("docx",),
        ),
        FileType(
            "xlsx",
            "Excel 工作簿",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ("xlsx",),
        ),
        FileType(
            "pptx",
            "PowerPoint 演示文稿",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ("pptx",),
        ),
        FileType("doc", "Word 97-2003 文档", "application/msword", ("doc",)),
        FileType("xls", "Excel 97-2003 工作簿", "application/vnd.ms-excel", ("xls",)),
        FileType("png", "PNG 图片", "image/png", ("png",)),
        FileType("jpeg", "JPEG 图片", "image/jpeg", ("jpg", "jpeg")),
    )
}
BY_EXTENSION = {ext: t for t in TYPES.values() for ext in t.extensions}
CONTENT_TYPES = sorted({t.content_type for t in TYPES.values()})
ACCEPTED = "PDF、Word（.docx/.doc）、Excel（.xlsx/.xls）、PowerPoint（.pptx）、PNG 和 JPEG 图片"
ACCEPT_ATTRIBUTE = ",".join(f".{ext}" for ext in BY_EXTENSION)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_STREAMS = (("WordDocument", "doc"), ("Workbook", "xls"), ("Book", "xls"))
_OOXML_PARTS = (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"))
_UNSAFE = re.compile(r'[<>:"/\\|?*]')
_STORED = re.compile(r"^[0-9a-f]{32}$")
MACROS = "macros"


def max_bytes() -> int:
    return int(current_app.config.get("UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def size_label(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n} 字节"


def upload_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- names ------------------------------------------------------------------------------
def display_name(raw: str | None, limit: int = 200) -> str:
    """The name shown and offered on download: no path, no control or direction characters,
    Chinese kept (werkzeug's secure_filename would drop it); never used to store the file."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = _UNSAFE.sub("_", name)
    name = " ".join(name.split())
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext.strip()[:10]
    stem = stem.strip(" .") or "未命名"
    suffix = f".{ext}" if ext else ""
    return stem[: limit - len(suffix)] + suffix


def extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


# --- content ----------------------------------------------------------------------------
def detect(path: Path) -> str | None:
    """What the bytes are (a TYPES key, MACROS, or None), whatever the file is called."""
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _ooxml(path)
    if head == _OLE2:
        return _ole2(path)
    return None


def _ooxml(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None  # a plain ZIP archive, not an Office document
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        return MACROS
    for prefix, key in _OOXML_PARTS:
        if any(n.startswith(prefix) for n in names):
            return key
    return None


def _ole2(path: Path) -> str | None:
    """Legacy Office files: the compound file's directory names its streams in UTF-16."""
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data.find("_VBA_PROJECT".encode("utf-16-le")) >= 0:
            return MACROS
        for stream, key in _OLE_STREAMS:
            if data.find(stream.encode("utf-16-le")) >= 0:
                return key
    return None


def check_content(path: Path, name: str) -> FileType:
    """The file's type when its content matches its name; otherwise UploadRefused."""
    expected = BY_EXTENSION.get(extension(name))
    if expected is None:
        raise UploadRefused(f"不接收「{name}」这类文件：只接收 {ACCEPTED}")
    found = detect(path)
    if found == MACROS:
        raise UploadRefused(
            "含宏的 Office 文档不予接收：请另存为不含宏的 .docx、.xlsx 或 .pptx 后上传"
        )
    if found != expected.key:
        what = TYPES[found].label if found in TYPES else "无法识别的内容"
        raise UploadRefused(
            f"文件「{name}」的内容不是{expected.label}（按内容识别为：{what}），"
            "可能是改了扩展名的文件，未保存"
        )
    return expected


def _receive(stream: BinaryIO, target: Path, limit: int) -> tuple[int, str]:
    """Copy the upload to `target` in chunks: (size, sha256); refused past `limit`."""
    digest, size = hashlib.sha256(), 0
    with open(target, "xb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise UploadRefused(f"文件超过大小上限 {size_label(limit)}，未保存")
            digest.update(chunk)
            out.write(chunk)
    if size == 0:
        raise UploadRefused("文件为空，未保存")
    return size, digest.hexdigest()


# --- use cases --------------------------------------------------------------------------
def store(
    application_id,
    stream: BinaryIO | None,
    filename: str | None,
    *,
    kind: str = "evidence",
    title: str | None = None,
    username: str | None = None,
) -> ApplicationDocument:
    """Check, store under a random name, record and audit one uploaded document (M-18)."""
    application = _application(application_id)
    kind = kind or "evidence"
    if kind not in KINDS:
        raise UploadRefused(f"材料类别无效：{kind}")
    only = _ONLY_FOR.get(kind)
    if only and application.applicant_kind != only:
        label = ApplicantKind(only).label
        raise UploadRefused(f"{KINDS[kind]}只适用于{label}申报（M-18）")
    if stream is None or not (filename or "").strip():
        raise UploadRefused("请选择要上传的文件")
    name = display_name(filename)
    if extension(name) not in BY_EXTENSION:
        raise UploadRefused(f"不接收「{name}」这类文件：只接收 {ACCEPTED}")
    folder = upload_dir()
    stored_name = uuid.uuid4().hex
    partial = folder / f".{stored_name}.part"
    final = folder / stored_name
    try:
        size, sha256 = _receive(stream, partial, max_bytes())
        file_type = check_content(partial, name)
        os.replace(partial, final)
        doc = ApplicationDocument(
            application_id=application.id,
            kind=kind,
            title=(title or "").strip()[:200] or name.rpartition(".")[0] or name,
            filename=name,
            stored_name=stored_name,
            content_type=file_type.content_type,
            size=size,
            sha256=sha256,
            uploaded_by=username or audit.current_username(),
        )
        db.session.add(doc)
        db.session.flush()
        audit.record(
            "document_upload",
            doc,
            f"上传{application.number}的{KINDS[kind]}「{doc.title}」（{name}，{size} 字节）",
            details=_details(doc),
            cycle_id=application.cycle_id,
            application_id=application.id,
            username=username,
        )
        db.session.commit()
    except BaseException:
        # Nothing half-done: no row, no file, whatever went wrong (refusal or database).
        db.session.rollback()
        partial.unlink(missing_ok=True)
        final.unlink(missing_ok=True)
        raise
    return doc


def as_id(value) -> int | None:
    """A row id, or None for anything no row can have (PostgreSQL refuses integers past 2^31)."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk < 2**31 else None


def _application(application_id) -> Application:
    pk = as_id(application_id)
    application = db.session.get(Application, pk) if pk is not None else None
    if application is None:
        raise UploadRefused("请选择要上传材料的申报（申报不存在）")
    return application


def find_application(number_or_id: str | None) -> Application | None:
    value = (number_or_id or "").strip()
    if not value:
        return None
    found = db.session.scalar(select(Application).where(Application.number == value))
    if found is None and as_id(value) is not None:
        found = db.session.get(Application, as_id(value))
    return found


def _details(doc: ApplicationDocument) -> dict:
    return {
        "filename": doc.filename,
        "kind": doc.kind,
        "content_type": doc.content_type,
        "size": doc.size,
        "sha256": doc.sha256,
    }


def visible(doc_id) -> ApplicationDocument | None:
    """The document when the signed-in user may see its application, else None (M-24, M-25):
    the Office, Admin and Committee all; a Reviewer only their groups' non-conflicted ones."""
    if not (sees_all() or REVIEWER in role_names()):
        return None
    pk = as_id(doc_id)
    if pk is None:
        return None
    query = select(ApplicationDocument).where(ApplicationDocument.id == pk)
    return db.session.scalar(scope(ApplicationDocument, query))


def path_of(doc: ApplicationDocument) -> Path:
    if not _STORED.match(doc.stored_name or ""):
        raise DocumentUnavailable("申报材料的存储名无效，拒绝读取")
    return upload_dir() / doc.stored_name


def open_for_download(doc_id, username: str | None = None) -> tuple[ApplicationDocument, Path]:
    """The document and its verified file; the download is logged (M-24, M-25)."""
    doc = visible(doc_id)
    if doc is None:
        raise DocumentUnavailable()
    path = path_of(doc)
    if not path.is_file():
        raise DocumentUnavailable(f"「{doc.filename}」的文件已不在存储目录中，请联系系统管理员")
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    if digest.hexdigest() != doc.sha256:
        raise DocumentUnavailable(f"「{doc.filename}」的校验值（SHA-256）与上传时不符，拒绝下载")
    application = doc.application
    audit.record(
        "document_download",
        doc,
        f"下载{application.number}的{KINDS.get(doc.kind, doc.kind)}「{doc.title}」",
        details=_details(doc),
        cycle_id=application.cycle_id,
        application_id=application.id,
        username=username,
    )
    db.session.commit()
    return doc, path


def before_delete(doc: ApplicationDocument) -> None:
    """Refuse when a record still cites the document; otherwise log the delete (M-3).

    The entry joins the caller's transaction, so it is committed with the delete or not at all."""
    blockers = dependents_of(doc)
    if blockers:
        raise UploadRefused(f"「{doc.title}」仍被{blockers}引用，不能删除")
    application = doc.application
    audit.record(
        "document_delete",
        doc,
        f"删除{application.number}的{KINDS.get(doc.kind, doc.kind)}「{doc.title}」",
        details=_details(doc),
        cycle_id=application.cycle_id,
        application_id=application.id,
    )


def after_delete(doc: ApplicationDocument) -> None:
    """Remove the file once the row's delete is committed (never before: nothing lost)."""
    if inspect(doc).was_deleted:
        path_of(doc).unlink(missing_ok=True)
