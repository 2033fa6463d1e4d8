"""The official documents where the Office gets them (issue 19): the record pages and their
buttons, the REST API, `flask award document`, and the PDF made by LibreOffice (checked with
poppler's pdfinfo/pdftotext; without LibreOffice, the .docx alone and a notice saying so)."""

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select

from app.services.official_docs import pdf
from models import AwardCycle, IssuedDocument, RevocationCase

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "docs" / "screenshots" / "documents"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "".join([p.text for p in doc.paragraphs] + cells)


def case_id(app) -> int:
    from app.extensions import db

    with app.app_context():
        return db.session.scalar(
            select(RevocationCase.id).where(RevocationCase.status == "approved")
        )


def cycle_pk(app, year) -> int:
    from app.extensions import db

    with app.app_context():
        return db.session.scalar(select(AwardCycle.id).where(AwardCycle.year == year))


# --- command line --------------------------------------------------------------------------
def test_the_cli_writes_each_official_document_of_the_demo(app, demo, tmp_path):
    runner = app.test_cli_runner()
    for kind, target in [
        ("announcement", "2027"),
        ("notice", "2024"),
        ("request", "2024"),
        ("decision", "2024"),
        ("revocation", str(case_id(app))),
    ]:
        out = tmp_path / f"{kind}.docx"
        result = runner.invoke(args=["award", "document", kind, target, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert "伊宁市" in docx_text(out.read_bytes())


def test_the_cli_refuses_a_stage_not_reached_and_an_unknown_kind_naming_them(app, demo, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "d.docx"
    result = runner.invoke(args=["award", "document", "decision", "2025", "-o", str(out)])
    assert result.exit_code == 1 and "尚未进入「报送审批」阶段" in result.output
    assert not out.exists()
    result = runner.invoke(args=["award", "document", "memo", "2024", "-o", str(out)])
    assert result.exit_code == 1 and "没有「memo」这种文档" in result.output


# --- REST API ------------------------------------------------------------------------------
def test_the_api_answers_the_document_as_word_and_refuses_before_the_stage_m19_8(app, demo, api):
    office = api("office")
    resp = office.get("/api/v1/document/notice/2024")
    assert resp.status_code == 200 and resp.mimetype == DOCX
    assert "拟表彰对象" in docx_text(resp.data)
    assert "filename*=UTF-8''" in resp.headers["Content-Disposition"]
    refused = office.get("/api/v1/document/decision/2025")
    assert refused.status_code == 422
    assert refused.json["rule"] == "M-19.8" and "报送审批" in refused.json["message"]
    assert office.get("/api/v1/document/decision/1999").status_code == 404
    assert api("reviewer1").get("/api/v1/document/notice/2024").status_code == 403
    assert app.test_client().get("/api/v1/document/notice/2024").status_code == 401


def test_the_api_issues_once_and_refuses_the_second_time(app, demo, api):
    office = api("office")
    assert api("committee1").post("/api/v1/document/notice/2024/issue", json={}).status_code == 403
    resp = office.post(
        "/api/v1/document/notice/2024/issue",
        json={"document_no": "伊市质评〔2024〕7号", "dated": "2024-10-27"},
    )
    assert resp.status_code == 200, resp.json
    assert resp.json["document_no"] == "伊市质评〔2024〕7号" and resp.json["issued_by"] == "office"
    again = office.post("/api/v1/document/notice/2024/issue", json={})
    assert again.status_code == 422 and again.json["rule"] == "公文管理"
    assert "不能再次" in again.json["message"]
    bad = office.post("/api/v1/document/request/2024/issue", json={"dated": "昨天"})
    assert bad.status_code == 422 and bad.json["fields"] == {"dated": "日期格式无效"}
    # what the API sends from now on is the issued file
    issued = office.get("/api/v1/document/notice/2024")
    assert "伊市质评〔2024〕7号" in docx_text(issued.data)


def test_the_record_page_buttons_have_their_api_draft_edit_regenerate_issue(app, demo, api):
    """The buttons of a document's record page through the API (issue 19): the Office drafts,
    uploads its edit, regenerates with a number, issues once; the Committee only reads."""
    office = api("office")
    committee = api("committee1")
    assert (
        committee.post(
            "/api/v1/issued_document/draft", json={"kind": "notice", "target_id": "2024"}
        ).status_code
        == 403
    )
    resp = office.post(
        "/api/v1/issued_document/draft", json={"kind": "notice", "target_id": "2024"}
    )
    assert resp.status_code == 200, resp.json
    pk, version = resp.json["id"], resp.json["version"]
    assert resp.json["state"] == "draft"
    unknown = office.post("/api/v1/issued_document/draft", json={"kind": "notice", "x": 1})
    assert unknown.status_code == 422 and "x" in unknown.json["fields"]
    early = office.post(
        "/api/v1/issued_document/draft", json={"kind": "decision", "target_id": "2025"}
    )
    assert early.status_code == 422 and early.json["rule"] == "M-19.8"
    # the Office's own edit, checked by content: a text file is not a Word document
    bad = office.post(
        f"/api/v1/issued_document/{pk}/upload",
        data={"file": (io.BytesIO(b"not a docx"), "edit.docx")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    edited = Document(io.BytesIO(office.get("/api/v1/document/notice/2024").data))
    edited.add_paragraph("办公室补充的一段话")
    buf = io.BytesIO()
    edited.save(buf)
    ok = office.post(
        f"/api/v1/issued_document/{pk}/upload",
        data={"file": (io.BytesIO(buf.getvalue()), "edit.docx")},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 200, ok.json
    assert ok.json["sha256"] != resp.json["sha256"]
    with app.app_context():
        from app.extensions import db

        assert "办公室补充的一段话" in docx_text(bytes(db.session.get(IssuedDocument, pk).content))
    stale = office.post(f"/api/v1/issued_document/{pk}/regenerate", json={"version": version})
    assert stale.status_code == 409
    regen = office.post(
        f"/api/v1/issued_document/{pk}/regenerate",
        json={"document_no": "伊市质评〔2024〕8号", "version": ok.json["version"]},
    )
    assert regen.status_code == 200, regen.json
    assert regen.json["document_no"] == "伊市质评〔2024〕8号"
    issued = office.post(f"/api/v1/issued_document/{pk}/issue", json={})
    assert issued.status_code == 200, issued.json
    assert issued.json["state"] == "issued"
    again = office.post(f"/api/v1/issued_document/{pk}/issue", json={})
    assert again.status_code == 422
    assert office.post("/api/v1/issued_document/999999/issue", json={}).status_code == 404


# --- screens -------------------------------------------------------------------------------
def test_the_cycle_page_leads_to_its_documents_and_the_office_drafts_and_issues(app, demo, browser):
    office = browser("office")
    page = office.get(f"/awardcycleview/show/{cycle_pk(app, 2024)}").get_data(as_text=True)
    assert 'id="cycle-documents"' in page
    record = office.get(f"/official-documents/record?target=year&cycle={cycle_pk(app, 2024)}")
    html = record.get_data(as_text=True)
    assert record.status_code == 200 and "拟表彰对象公示" in html and "生成待印发稿" in html
    word = office.get("/official-documents/record?target=year&id=2024&kind=decision")
    assert word.status_code == 200 and word.mimetype == DOCX
    path = "/official-documents/record?target=year&id=2024"
    made = office.post(
        "/official-documents/draft",
        data={"kind": "notice", "target": "year", "target_id": "2024"},
        token_from=path,
    )
    assert made.status_code == 302
    from app.extensions import db

    with app.app_context():
        doc = db.session.scalar(select(IssuedDocument).where(IssuedDocument.kind == "notice"))
        pk, number = doc.id, doc.document_no
    show = office.get(f"/official-documents/show/{pk}").get_data(as_text=True)
    assert 'id="doc-issue"' in show and number in show
    issued = office.post(
        f"/official-documents/issue/{pk}", token_from=f"/official-documents/show/{pk}"
    )
    assert issued.status_code == 302
    show = office.get(f"/official-documents/show/{pk}", follow_redirects=True).get_data(
        as_text=True
    )
    assert 'id="doc-issued"' in show and 'id="doc-issue"' not in show
    again = office.post(
        f"/official-documents/issue/{pk}",
        token_from="/userinfoeditview/form",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "不能修改或再次印发" in again
    with app.app_context():
        assert db.session.get(IssuedDocument, pk).state == "issued"


def test_a_stage_not_reached_is_shown_on_the_record_page_naming_it(app, demo, browser):
    html = (
        browser("office")
        .get("/official-documents/record?target=year&id=2025")
        .get_data(as_text=True)
    )
    assert "尚未进入「报送审批」阶段，不能生成表彰决定" in html


def test_the_committee_reads_but_cannot_draft_or_issue(app, demo, browser):
    committee = browser("committee1")
    html = committee.get("/official-documents/record?target=year&id=2024").get_data(as_text=True)
    assert "生成待印发稿" not in html
    resp = committee.post(
        "/official-documents/draft",
        data={"kind": "notice", "target": "year", "target_id": "2024"},
        token_from="/userinfoeditview/form",
    )
    assert resp.status_code in (302, 403)
    from app.extensions import db

    with app.app_context():
        assert db.session.scalar(select(IssuedDocument.id)) is None


def test_the_revocation_case_page_leads_to_its_decision_m26(app, demo, browser):
    office = browser("office")
    cid = case_id(app)
    page = office.get(f"/revocationcaseview/show/{cid}").get_data(as_text=True)
    assert 'id="case-documents"' in page
    html = office.get(f"/official-documents/record?target=case&id={cid}").get_data(as_text=True)
    assert "撤销奖励决定" in html and "生成待印发稿" in html


# --- PDF -----------------------------------------------------------------------------------
KINDS = ["announcement", "notice", "request", "decision", "revocation"]


def test_pdf_where_libreoffice_is_installed_otherwise_word_alone_and_the_screen_says_so(
    app, demo, browser, monkeypatch
):
    """With LibreOffice (CI installs libreoffice-writer-nogui and poppler-utils) every document
    converts: pages counted, Chinese text extractable, the first page drawn for the README
    (UPDATE_SCREENSHOTS=1). Without it, PDF is refused with the reason and the page says so."""
    from app.extensions import db
    from app.services.official_docs import registry

    if shutil.which("soffice"):
        assert pdf.available()
        with app.app_context():
            targets = {k: (case_id(app) if k == "revocation" else 2024) for k in KINDS}
            targets["announcement"] = 2027
            for kind in KINDS:
                content = registry.build(kind, targets[kind])
                made = pdf.to_pdf(content)
                assert made.startswith(b"%PDF-")
                _check_pdf(made, kind)
            db.session.rollback()
        html = browser("office").get("/official-documents/record?target=year&id=2024")
        assert "format=pdf" in html.get_data(as_text=True)
    monkeypatch.setattr(pdf.shutil, "which", lambda _name: None)
    assert not pdf.available()
    with pytest.raises(pdf.PdfUnavailable, match="LibreOffice"):
        pdf.to_pdf(b"PK")
    html = (
        browser("office")
        .get("/official-documents/record?target=year&id=2024")
        .get_data(as_text=True)
    )
    assert pdf.UNAVAILABLE in html and "format=pdf" not in html


def _check_pdf(made: bytes, kind: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{kind}.pdf"
        path.write_bytes(made)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
        pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
        assert 1 <= pages <= 6, (kind, pages)
        assert "A4" in info.stdout
        words = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        squeezed = re.sub(r"\s+", "", words)
        assert "伊宁市" in squeezed and "质量奖" in squeezed, kind
        if os.environ.get("UPDATE_SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "60",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(path),
                    str(SCREENSHOTS / kind),
                ],
                check=True,
            )


def test_a_bad_date_on_the_draft_form_is_refused_naming_the_field_not_dropped(app, demo, browser):
    """A typed 成文日期 that is not a date was silently ignored; now refused, nothing drafted."""
    from app.extensions import db

    office = browser("office")
    path = "/official-documents/record?target=year&id=2024"
    resp = office.post(
        "/official-documents/draft",
        data={"kind": "notice", "target": "year", "target_id": "2024", "dated": "昨天"},
        token_from=path,
        follow_redirects=True,
    )
    assert resp.status_code == 200 and "成文日期" in resp.get_data(as_text=True)
    again = office.post(
        "/official-documents/draft",
        data={
            "kind": "notice",
            "target": "year",
            "target_id": "2024",
            "document_no": "伊市质评〔2024〕9号",
            "dated": "2024-13-40",
        },
        token_from=path,
        follow_redirects=True,
    )
    assert 'value="伊市质评〔2024〕9号"' in again.get_data(as_text=True)  # typed number kept
    with app.app_context():
        assert (
            db.session.scalar(select(IssuedDocument).where(IssuedDocument.kind == "notice")) is None
        )
