"""Uploads on the screens and the API (M-18): the Office uploads and deletes; whoever may see the
application downloads, as an attachment with its Chinese name, each download logged (M-24,
M-25); a reviewer reaches only their groups' non-conflicted applications' files."""

import io
from pathlib import Path
from urllib.parse import quote

from flask import g
from sqlalchemy import select

from app.extensions import db
from app.security.scopes import scope
from models import Application, ApplicationDocument, AuditEntry
from tests.app.test_uploads_service import SAMPLES

PDF = SAMPLES["pdf"]
NAME = "自评报告（2026年度）.pdf"


def applications_for(app, username) -> tuple[int, int]:
    """(an application the user sees, one they do not)."""
    with app.test_request_context():
        g.user = app.appbuilder.sm.find_user(username=username)
        seen = set(db.session.scalars(scope(Application, select(Application.id))))
        all_ids = list(db.session.scalars(select(Application.id).order_by(Application.id)))
    return next(i for i in all_ids if i in seen), next(i for i in all_ids if i not in seen)


def query(app, fn):
    """Read the database in a short app context: one held open leaks into the test client."""
    with app.app_context():
        try:
            return fn()
        finally:
            db.session.remove()


def first_application(app) -> int:
    return query(app, lambda: db.session.scalar(select(Application.id).order_by(Application.id)))


def upload(b, application_id, data=PDF, name=NAME, **fields):
    page = f"/documents/upload/?application={application_id}"
    form = {"application_id": str(application_id), "kind": "evidence", **fields}
    form["file"] = (io.BytesIO(data), name)
    return b.post(page, form, token_from=page, follow_redirects=True)


def documents(app):
    stmt = select(ApplicationDocument).order_by(ApplicationDocument.id)
    with app.app_context():
        rows = list(db.session.scalars(stmt))
        db.session.expunge_all()
        db.session.remove()
    return rows


def stored_files(app) -> set[str]:
    return {p.name for p in Path(app.config["UPLOAD_DIR"]).iterdir()}


def audit_actions(app, action):
    stmt = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    with app.app_context():
        rows = list(db.session.scalars(stmt))
        db.session.expunge_all()
        db.session.remove()
    return rows


def test_the_office_uploads_a_document_from_the_upload_page_M_18(app, demo, browser):
    b = browser("office")
    app_id = first_application(app)
    page = b.get(f"/documents/upload/?application={app_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "上传申报材料" in html and 'enctype="multipart/form-data"' in html
    assert "20 MB" in html
    resp = upload(b, app_id, title="2026 年度自评报告")
    text = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "已上传「2026 年度自评报告」" in text
    [doc] = documents(app)
    assert (doc.application_id, doc.filename, doc.uploaded_by) == (app_id, NAME, "office")
    assert (Path(app.config["UPLOAD_DIR"]) / doc.stored_name).read_bytes() == PDF
    assert len(audit_actions(app, "document_upload")) == 1
    # The application's documents tab lists it with upload and download buttons.
    listing = b.get("/documents/list/").get_data(as_text=True)
    assert NAME in listing and f"/documents/{doc.id}/download" in listing
    assert "上传申报材料" in listing
    show = b.get(f"/applicationview/show/{app_id}").get_data(as_text=True)
    assert f"/documents/upload/?application={app_id}" in show


def test_the_upload_page_without_an_application_asks_for_its_number(app, demo, browser):
    b = browser("office")
    number, app_id = query(
        app, lambda: tuple(db.session.execute(select(Application.number, Application.id)).first())
    )
    page = "/documents/upload/"
    assert 'name="application_number"' in b.get(page).get_data(as_text=True)
    form = {"application_number": number, "file": (io.BytesIO(PDF), "证明.pdf")}
    resp = b.post(page, form, follow_redirects=True)
    assert "已上传" in resp.get_data(as_text=True)
    assert [d.application_id for d in documents(app)] == [app_id]


def test_an_exe_or_html_renamed_pdf_is_refused_on_the_screen_and_leaves_nothing_M_18(
    app, demo, browser
):
    b = browser("office")
    app_id = first_application(app)
    before = stored_files(app)
    for data in (b"MZ\x90\x00\x03" + b"\x00" * 100, b"<!DOCTYPE html><html></html>"):
        text = upload(b, app_id, data=data, name="申报书.pdf").get_data(as_text=True)
        assert "内容不是PDF 文档" in text and "M-18" in text
    assert documents(app) == []
    assert stored_files(app) == before
    assert audit_actions(app, "document_upload") == []


def test_a_request_over_the_size_limit_gets_a_chinese_message_not_a_bare_413(
    app, demo, browser, api, monkeypatch
):
    b = browser("office")
    app_id = first_application(app)
    page = f"/documents/upload/?application={app_id}"
    token = b.csrf(page)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 2048)
    big = PDF + b"0" * 8192
    form = {"csrf_token": token, "application_id": str(app_id), "file": (io.BytesIO(big), NAME)}
    resp = b.client.post(page, data=form)
    assert resp.status_code == 302
    text = b.get(resp.headers["Location"]).get_data(as_text=True)
    assert "超过大小上限 2048 字节" in text
    # Under the request limit but over the file limit: the service's message.
    form["file"] = (io.BytesIO(PDF + b"0" * 3000), NAME)
    text = b.client.post(page, data=form, follow_redirects=True).get_data(as_text=True)
    assert "文件超过大小上限 2048 字节" in text
    resp = api("office").post(
        "/api/v1/application_document/upload",
        data={"application_id": str(app_id), "file": (io.BytesIO(big), NAME)},
    )
    assert resp.status_code == 413 and "超过大小上限" in resp.json["message"]
    assert documents(app) == []


def test_a_download_is_an_attachment_with_its_chinese_name_and_is_logged_M_24_M_25(
    app, demo, browser
):
    office = browser("office")
    app_id = first_application(app)
    upload(office, app_id)
    [doc] = documents(app)
    for username in ("office", "committee1", "admin"):
        resp = browser(username).get(f"/documents/{doc.id}/download")
        assert resp.status_code == 200, username
        assert resp.data == PDF
        disposition = resp.headers["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert f"filename*=UTF-8''{quote(NAME, safe='')}" in disposition
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.mimetype == "application/pdf"
    logged = audit_actions(app, "document_download")
    assert [e.username for e in logged] == ["office", "committee1", "admin"]
    assert all(e.application_id == app_id and e.object_id == doc.id for e in logged)


def test_a_reviewer_downloads_only_files_of_their_groups_non_conflicted_applications_M_25(
    app, demo, browser, api
):
    inside, outside = applications_for(app, "reviewer1")
    office = browser("office")
    upload(office, inside, name="可见.pdf")
    upload(office, outside, name="不可见.pdf")
    seen, hidden = documents(app)
    reviewer = browser("reviewer1")
    assert reviewer.get(f"/documents/{seen.id}/download").status_code == 200
    assert reviewer.get(f"/documents/{hidden.id}/download").status_code == 404
    assert reviewer.get(f"/documents/{hidden.id + 1000}/download").status_code == 404
    assert reviewer.get(f"/documents/show/{hidden.id}").status_code == 404
    listing = reviewer.get("/documents/list/").get_data(as_text=True)
    assert "可见.pdf" in listing and "不可见.pdf" not in listing
    # The recommender has no access to documents at all; the public none either.
    assert browser("recommender1").get(f"/documents/{seen.id}/download").status_code == 403
    assert app.test_client().get(f"/documents/{seen.id}/download").status_code == 302
    # The API applies the same scope.
    rapi = api("reviewer1")
    assert rapi.get(f"/api/v1/application_document/{seen.id}/download").status_code == 200
    assert rapi.get(f"/api/v1/application_document/{hidden.id}/download").status_code == 404
    assert (
        api("recommender1").get(f"/api/v1/application_document/{seen.id}/download").status_code
        == 403
    )
    assert [e.username for e in audit_actions(app, "document_download")] == [
        "reviewer1",
        "reviewer1",
    ]


def test_only_the_office_uploads_and_nobody_else_can(app, demo, browser, api):
    app_id = first_application(app)
    for username in ("reviewer1", "committee1", "recommender1"):
        assert browser(username).get("/documents/upload/").status_code == 403
        resp = api(username).post(
            "/api/v1/application_document/upload",
            data={"application_id": str(app_id), "file": (io.BytesIO(PDF), NAME)},
        )
        assert resp.status_code == 403, username
    assert documents(app) == []


def test_the_api_uploads_refuses_by_content_and_serves_the_file(app, demo, api):
    app_id = first_application(app)
    office = api("office")
    refused = office.post(
        "/api/v1/application_document/upload",
        data={"application_id": str(app_id), "file": (io.BytesIO(b"<html></html>"), "a.pdf")},
    )
    assert refused.status_code == 422 and refused.json["rule"] == "M-18"
    assert office.post("/api/v1/application_document/upload", data={}).status_code == 422
    made = office.post(
        "/api/v1/application_document/upload",
        data={
            "application_id": str(app_id),
            "kind": "evidence",
            "file": (io.BytesIO(SAMPLES["png"]), "现场照片.png"),
        },
    )
    assert made.status_code == 201, made.json
    assert made.json["content_type"] == "image/png"
    got = office.get(f"/api/v1/application_document/{made.json['id']}/download")
    assert got.status_code == 200 and got.data == SAMPLES["png"]
    assert "attachment" in got.headers["Content-Disposition"]


def test_the_office_deletes_a_document_with_its_file_and_the_delete_is_audited(
    app, demo, browser, api
):
    office = browser("office")
    app_id = first_application(app)
    upload(office, app_id, name="一.pdf")
    upload(office, app_id, name="二.pdf")
    first, second = documents(app)
    folder = Path(app.config["UPLOAD_DIR"])
    # The Committee may read but not delete: the row and the file stay.
    committee = browser("committee1")
    token = committee.csrf("/userinfoeditview/form")
    resp = committee.client.post(f"/documents/delete/{first.id}", data={"csrf_token": token})
    assert resp.status_code == 403
    assert (folder / first.stored_name).exists()
    office.post(f"/documents/delete/{first.id}", {}, token_from="/documents/list/")
    assert [d.id for d in documents(app)] == [second.id]
    assert not (folder / first.stored_name).exists()
    assert office.get(f"/documents/{first.id}/download").status_code == 404
    # Through the API as well.
    assert api("office").delete(f"/api/v1/application_document/{second.id}").status_code == 200
    assert documents(app) == []
    assert not (folder / second.stored_name).exists()
    deleted = audit_actions(app, "document_delete")
    assert [e.object_id for e in deleted] == [first.id, second.id]
    assert [e.username for e in deleted] == ["office", "office"]


def test_a_file_changed_on_disk_is_not_served(app, demo, browser):
    office = browser("office")
    app_id = first_application(app)
    upload(office, app_id)
    [doc] = documents(app)
    (Path(app.config["UPLOAD_DIR"]) / doc.stored_name).write_bytes(PDF + b"% changed")
    resp = office.get(f"/documents/{doc.id}/download", follow_redirects=True)
    assert resp.status_code == 200
    assert "SHA-256" in resp.get_data(as_text=True)
    assert resp.headers.get("Content-Disposition") is None
    assert audit_actions(app, "document_download") == []
