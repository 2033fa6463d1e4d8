"""Uploaded documents (M-18) by content as well as name, size-limited, stored under a random name
outside the web root, sanitized display names; refusals leave no row and no file."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.services import uploads
from models import Application, ApplicationDocument, AuditEntry
from tests import factories as f

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ooxml(part: str, extra: dict | None = None, content_types: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        if content_types:
            z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(f"{part}document.xml", "<xml/>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buffer.getvalue()


def ole2(stream: str) -> bytes:
    return OLE2 + b"\x00" * 504 + stream.encode("utf-16-le") + b"\x00" * 64


SAMPLES = {
    "pdf": b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
    "png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32,
    "docx": ooxml("word/"),
    "xlsx": ooxml("xl/"),
    "pptx": ooxml("ppt/"),
    "doc": ole2("WordDocument"),
    "xls": ole2("Workbook"),
}


def make_application(session, individual: bool = False) -> Application:
    cycle = f.cycle(session)
    applicant = f.individual(session) if individual else f.organization(session)
    application = Application(
        cycle_id=cycle.id,
        number=f"2030-{'TMJ' if individual else 'ZLJ'}-{applicant.id:03d}",
        prize="nomination" if individual else "award",
        applicant_kind="individual" if individual else "organization",
        organization_id=None if individual else applicant.id,
        individual_id=applicant.id if individual else None,
    )
    session.add(application)
    session.commit()
    return application


def stored_files(app) -> set[str]:
    return {p.name for p in Path(app.config["UPLOAD_DIR"]).iterdir()}


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    "name, key",
    [
        ("自评报告.pdf", "pdf"),
        ("现场照片.PNG", "png"),
        ("证书扫描件.jpg", "jpeg"),
        ("证书扫描件.jpeg", "jpeg"),
        ("申报表.docx", "docx"),
        ("财务数据.xlsx", "xlsx"),
        ("汇报材料.pptx", "pptx"),
        ("旧版申报表.doc", "doc"),
        ("旧版数据.xls", "xls"),
    ],
)
def test_pdf_office_documents_and_images_are_accepted_by_their_content_M_18(app, db, name, key):
    application = make_application(db.session)
    data = SAMPLES[key]
    doc = uploads.store(application.id, io.BytesIO(data), name, username="office")
    assert doc.content_type == uploads.TYPES[key].content_type
    assert doc.filename == name
    assert doc.size == len(data)
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    path = Path(app.config["UPLOAD_DIR"]) / doc.stored_name
    assert path.read_bytes() == data
    assert len(doc.stored_name) == 32 and int(doc.stored_name, 16) >= 0


def test_the_stored_file_has_a_random_name_outside_the_web_root_and_the_upload_is_audited(app, db):
    application = make_application(db.session)
    doc = uploads.store(
        application.id, io.BytesIO(SAMPLES["pdf"]), "../../static/自评报告.pdf", username="office"
    )
    upload_dir = Path(app.config["UPLOAD_DIR"]).resolve()
    assert not upload_dir.is_relative_to(Path(app.static_folder).resolve())
    assert doc.filename == "自评报告.pdf"
    assert doc.stored_name not in doc.filename and "自评" not in doc.stored_name
    other = uploads.store(application.id, io.BytesIO(SAMPLES["pdf"]), "自评报告.pdf")
    assert other.stored_name != doc.stored_name
    entry = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "document_upload", AuditEntry.object_id == doc.id
        )
    )
    assert entry.application_id == application.id
    assert entry.username == "office"
    assert entry.details["sha256"] == doc.sha256


BAD = [
    ("an exe renamed .pdf", "申报书.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "内容不是"),
    ("an HTML page named .pdf", "报告.pdf", b"<html><script>alert(1)</script></html>", "内容不是"),
    ("a PDF named .docx", "申报表.docx", SAMPLES["pdf"], "内容不是"),
    ("a PNG named .jpg", "照片.jpg", SAMPLES["png"], "内容不是"),
    ("a plain ZIP named .docx", "申报表.docx", ooxml("word/", content_types=False), "内容不是"),
    ("a spreadsheet named .docx", "申报表.docx", SAMPLES["xlsx"], "内容不是"),
    ("a Word file with macros", "申报表.docx", ooxml("word/", {"word/vbaProject.bin": "x"}), "宏"),
    ("an OLE2 file that is no Word file", "申报表.doc", ole2("Contents"), "内容不是"),
    ("an .exe", "setup.exe", b"MZ\x90\x00", "不接收"),
    ("an HTML file", "index.html", b"<html></html>", "不接收"),
    ("a file without extension", "自评报告", SAMPLES["pdf"], "不接收"),
    ("an empty file", "空.pdf", b"", "文件为空"),
]


@pytest.mark.parametrize("case, name, data, message", BAD, ids=[b[0] for b in BAD])
def test_a_file_whose_type_is_not_accepted_is_refused_and_nothing_is_saved_M_18(
    app, db, case, name, data, message
):
    application = make_application(db.session)
    before, entries = stored_files(app), count(db, AuditEntry)
    with pytest.raises(uploads.UploadRefused) as exc:
        uploads.store(application.id, io.BytesIO(data), name)
    assert message in str(exc.value) and "M-18" in str(exc.value)
    assert count(db, ApplicationDocument) == 0
    assert stored_files(app) == before
    assert count(db, AuditEntry) == entries


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_left_on_disk(app, db, monkeypatch):
    application = make_application(db.session)
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024)
    before = stored_files(app)
    big = SAMPLES["pdf"] + b"0" * 2048
    with pytest.raises(uploads.UploadRefused, match="超过大小上限 1024 字节"):
        uploads.store(application.id, io.BytesIO(big), "大文件.pdf")
    assert stored_files(app) == before
    assert count(db, ApplicationDocument) == 0
    doc = uploads.store(application.id, io.BytesIO(SAMPLES["pdf"]), "小文件.pdf")
    assert doc.size == len(SAMPLES["pdf"])


def test_the_default_limit_is_20_mib():
    from config import Config

    assert Config.UPLOAD_MAX_BYTES == 20 * 1024 * 1024
    assert Config.MAX_CONTENT_LENGTH > Config.UPLOAD_MAX_BYTES


def test_a_self_assessment_report_is_for_organizations_and_achievements_for_individuals_M_18(
    app, db
):
    person = make_application(db.session, individual=True)
    with pytest.raises(uploads.UploadRefused, match="自评报告只适用于组织"):
        uploads.store(person.id, io.BytesIO(SAMPLES["pdf"]), "a.pdf", kind="self_assessment")
    doc = uploads.store(person.id, io.BytesIO(SAMPLES["pdf"]), "事迹.pdf", kind="achievements")
    assert doc.kind == "achievements"
    with pytest.raises(uploads.UploadRefused, match="类别无效"):
        uploads.store(person.id, io.BytesIO(SAMPLES["pdf"]), "a.pdf", kind="virus")


def test_an_upload_for_an_unknown_application_is_refused(app, db):
    for pk in (None, "", "abc", 10**12):
        with pytest.raises(uploads.UploadRefused, match="申报不存在"):
            uploads.store(pk, io.BytesIO(SAMPLES["pdf"]), "a.pdf")


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("自评报告（2026年度）.pdf", "自评报告（2026年度）.pdf"),
        ("C:\\Users\\张三\\Desktop\\申报表.docx", "申报表.docx"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("报告\u202egpj.exe.pdf", "报告gpj.exe.pdf"),
        ("a\x00b\r\n\tc.pdf", "abc.pdf"),
        ('<script>"x"</script>.pdf', "script_.pdf"),
        ("   .pdf", "未命名.pdf"),
        ("", "未命名"),
        ("证明" * 200 + ".pdf", "证明" * 98 + ".pdf"),
    ],
)
def test_display_names_keep_chinese_and_lose_paths_and_control_characters(raw, shown):
    assert uploads.display_name(raw) == shown
    assert len(uploads.display_name(raw)) <= 200
