"""The review reports, evaluation report, feedback and certificates from the command line
(`award document KIND YEAR|ID -o FILE`), the API (`/api/v1/document/KIND/TARGET`) and the
record's page of documents, on the demo data (M-19.2, M-19.4, M-19.5, M-19.8)."""

import io

import pytest
from docx import Document
from sqlalchemy import select

from models import Application
from tests.app.document_helpers import text_of


@pytest.fixture
def ids(app, demo):
    from app.extensions import db

    with app.app_context():
        rows = db.session.execute(select(Application.number, Application.id)).all()
        return dict(rows)


def test_the_cli_writes_each_report_kind_on_the_demo_data_M_19_2_M_19_4_M_19_5_M_19_8(
    app, ids, tmp_path
):
    runner = app.test_cli_runner()
    for kind, target, title in (
        ("material-report", ids["2024-ZLJ-001"], "材料评审报告"),
        ("onsite-report", ids["2024-ZLJ-001"], "现场评审报告"),
        ("evaluation-report", 2024, "综合评价报告"),
        ("feedback", ids["2024-ZLJ-002"], "评审反馈报告"),
        ("certificates", 2024, "荣 誉 证 书"),
    ):
        out = tmp_path / f"{kind}.docx"
        result = runner.invoke(args=["award", "document", kind, str(target), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert title in text_of(out.read_bytes())


def test_the_cli_refuses_feedback_before_the_result_is_public_naming_the_stage_M_19_8(
    app, ids, tmp_path
):
    out = tmp_path / "feedback.docx"
    result = app.test_cli_runner().invoke(
        args=["award", "document", "feedback", str(ids["2019-ZLJ-001"]), "-o", str(out)]
    )
    assert result.exit_code == 1 and "公布表彰" in result.output and "M-19.8" in result.output
    assert not out.exists()


def test_the_api_gives_the_reports_to_the_office_and_refuses_before_the_stage_M_19_5(app, ids, api):
    office = api("office")
    resp = office.get("/api/v1/document/evaluation-report/2024")
    assert resp.status_code == 200
    assert "综合评价报告" in text_of(resp.data)
    resp = office.get(f"/api/v1/document/onsite-report/{ids['2024-TMJ-001']}")
    assert resp.status_code == 200 and Document(io.BytesIO(resp.data)).paragraphs
    refused = office.get("/api/v1/document/evaluation-report/2018")
    assert refused.status_code == 422 and refused.json["rule"] == "M-19.5"
    refused = office.get(f"/api/v1/document/feedback/{ids['2022-ZLJ-001']}")
    assert refused.status_code == 422 and refused.json["rule"] == "M-19.8"
    assert api("reviewer1").get("/api/v1/document/certificates/2024").status_code == 403


def test_the_applications_page_of_documents_offers_its_reports_or_says_why_not(app, ids, browser):
    office = browser("office")
    page = office.get(
        f"/official-documents/record?target=application&id={ids['2024-ZLJ-002']}"
    ).get_data(as_text=True)
    for kind in ("material-report", "onsite-report", "feedback"):
        assert f'id="kind-{kind}"' in page and f"kind={kind}" in page
    page = office.get(
        f"/official-documents/record?target=application&id={ids['2019-ZLJ-001']}"
    ).get_data(as_text=True)
    row = page.split('id="kind-feedback"')[1].split("</tr>")[0]
    assert "「公布表彰」阶段开始后" in row and "kind=feedback" not in row
