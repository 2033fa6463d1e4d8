"""Exports from the screens, the API and the command line (issue 7): the selected rows of any
list as the user sees them, under the same row scope (M-25); the cycle's summary workbook as
a download, refused to reviewers; every export logged; the demo data exports in full."""

import io
from datetime import date, datetime
from decimal import Decimal

import click._termui_impl
import openpyxl
import pytest
from sqlalchemy import func, select

from app.domain.enums import Prize, ReviewStage
from app.services import exports
from models import (
    Application,
    AuditEntry,
    Award,
    AwardCycle,
    Organization,
    Reviewer,
    Scoresheet,
    StageScore,
)
from tests import factories as f
from tests.app.test_export_summary_workbook import HOSTILE, SHEETS, YEAR, build, header, rows
from views.evaluation import AwardView
from views.intake import ApplicationView

XLSX = exports.XLSX_MIMETYPE


def workbook(resp):
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    assert resp.mimetype == XLSX
    assert "attachment" in resp.headers["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(resp.get_data()))


def export_entries(db, resource=None):
    db.session.expire_all()
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
    return [e for e in entries if resource is None or e.object_type == resource]


def select_rows(browser_, view, ids):
    return browser_.post(
        f"/{view}/action_post",
        {"action": "export_xlsx", "rowid": [str(i) for i in ids]},
        token_from=f"/{view}/list/",
    )


def office(app, db, browser):
    f.user(app, "office", "Office")
    db.session.commit()
    return browser("office")


# --- every list screen: the selected rows, as listed ------------------------------------------


def test_a_list_exports_exactly_the_selected_rows_with_its_columns_and_chinese_labels(
    app, db, browser
):
    built = build(app, db)
    b = office(app, db, browser)
    chosen = [built.apps["first"].id, built.apps["person"].id]
    book = workbook(select_rows(b, "applicationview", chosen))
    sheet = book.worksheets[0]
    assert sheet.title == ApplicationView.list_title
    assert header(sheet) == [
        ApplicationView.label_columns.get(c, c) for c in ApplicationView.list_columns
    ]
    at = {name: n for n, name in enumerate(ApplicationView.list_columns)}
    data = rows(sheet)
    numbers = [r[at["number"]].value for r in data]
    assert sorted(numbers) == sorted([built.apps["first"].number, built.apps["person"].number])
    first = next(r for r in data if r[at["number"]].value == built.apps["first"].number)
    assert first[at["cycle"]].value == built.cycle.name
    assert first[at["prize"]].value == Prize.AWARD.label  # the enum as the screen shows it
    assert first[at["applicant_name"]].value == built.apps["first"].applicant_name
    assert first[at["status"]].value == "获奖"
    submitted = first[at["submitted_on"]]
    assert submitted.value == datetime(YEAR, 5, 20) and submitted.number_format == "yyyy-mm-dd"
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$2"


def test_a_list_export_is_logged_with_who_what_and_how_many_rows_M_25(app, db, browser):
    built = build(app, db)
    b = office(app, db, browser)
    select_rows(b, "applicationview", [a.id for a in built.apps.values()])
    [entry] = export_entries(db, "Application")
    assert entry.username == "office"
    assert entry.details["rows"] == len(built.apps)
    assert entry.details["resource"] == "Application"
    assert sorted(entry.details["ids"]) == sorted(str(a.id) for a in built.apps.values())


def test_money_and_hostile_names_in_a_list_export_are_numbers_and_text(app, db, browser):
    built = build(app, db)
    b = office(app, db, browser)
    orgs = [f.organization(db.session, name=name) for name in HOSTILE]
    db.session.commit()
    book = workbook(select_rows(b, "organizationview", [o.id for o in orgs]))
    names = [r[0] for r in rows(book.worksheets[0])]
    assert all(c.data_type == "s" for c in names)
    assert HOSTILE[0] in [c.value for c in names]
    awards = db.session.scalars(select(Award).where(Award.cycle_id == built.cycle.id)).all()
    book = workbook(select_rows(b, "awardview", [a.id for a in awards]))
    sheet = book.worksheets[0]
    amount = rows(sheet)[0][AwardView.list_columns.index("amount")]
    assert amount.data_type == "n" and amount.number_format == "#,##0.00"


def test_a_reviewer_exports_only_their_own_scoresheets_and_another_is_refused_M_25(
    app, db, browser
):
    built = build(app, db)
    member, other = built.reviewers[1], built.reviewers[2]  # neither leads a group
    own = db.session.scalars(select(Scoresheet.id).where(Scoresheet.reviewer_id == member.id)).all()
    foreign = db.session.scalar(
        select(Scoresheet.id).where(Scoresheet.reviewer_id == other.id).limit(1)
    )
    b = browser("expert2")
    book = workbook(select_rows(b, "scoresheetview", own[:3]))
    data = rows(book.worksheets[0])
    assert len(data) == 3
    assert {r[1].value for r in data} == {str(member)}
    refused = select_rows(b, "scoresheetview", [own[0], foreign])
    assert refused.status_code == 404
    entries = export_entries(db, "Scoresheet")
    assert len(entries) == 1 and entries[0].details["rows"] == 3
    assert entries[0].username == "expert2"


def test_a_large_selection_streams_from_a_cursor_in_constant_memory(app, db, monkeypatch):
    f.user(app, "office", "Office")
    db.session.add_all(
        Organization(
            name=f"伊宁市批量企业{n:05d}有限公司",
            credit_code=f.credit_code(),
            industry_code="C",
            operating_since=date(2010, 1, 1),
        )
        for n in range(1500)
    )
    db.session.commit()
    ids = db.session.scalars(select(Organization.id)).all()
    seen = {}
    real = exports.write_workbook

    def spy(target, sheets, **options):
        seen["constant_memory"] = options.get("constant_memory")
        seen["lazy"] = not isinstance(sheets[0].rows, list | tuple)
        return real(target, sheets, **options)

    monkeypatch.setattr(exports, "write_workbook", spy)
    buffer = io.BytesIO()
    columns = [
        exports.ListColumn("name", "名称"),
        exports.ListColumn("operating_since", "开始经营"),
    ]
    written = exports.selected_rows_workbook(Organization, "组织", columns, ids, buffer)
    assert written == 1500
    assert seen == {"constant_memory": True, "lazy": True}
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0]
    assert sheet.max_row == 1500 + 2


# --- the summary workbook: screen, API, command line ------------------------------------------


def test_the_committee_downloads_the_summary_from_the_cycle_screen(app, db, browser):
    built = build(app, db)
    f.user(app, "committee1", "Committee")
    db.session.commit()
    resp = browser("committee1").get(f"/awardcycleview/summary_xlsx/{built.cycle.id}")
    book = workbook(resp)
    assert book.sheetnames == SHEETS
    assert (
        f"{YEAR}" in resp.headers["Content-Disposition"]
        or "filename*" in (resp.headers["Content-Disposition"])
    )
    [entry] = export_entries(db, "AwardCycle")
    assert entry.username == "committee1"


def test_the_office_exports_the_summary_with_the_button_on_the_cycle(app, db, browser):
    built = build(app, db)
    b = office(app, db, browser)
    path = f"/awardcycleview/show/{built.cycle.id}"
    assert "export_summary" in b.get(path).get_data(as_text=True)
    resp = b.post(f"/awardcycleview/action/export_summary/{built.cycle.id}", token_from=path)
    assert workbook(resp).sheetnames == SHEETS


def test_a_reviewer_cannot_download_the_summary_from_the_screen_M_25(app, db, browser):
    built = build(app, db)
    resp = browser("expert2").get(f"/awardcycleview/summary_xlsx/{built.cycle.id}")
    assert resp.status_code != 200 or resp.mimetype != XLSX
    assert export_entries(db) == []


def test_the_api_returns_the_summary_workbook_under_the_screens_permissions(app, db, api):
    built = build(app, db)
    f.user(app, "office", "Office")
    f.user(app, "committee1", "Committee")
    f.user(app, "recommender1", "Recommender")
    db.session.commit()
    path = f"/api/v1/award_cycle_action/{built.cycle.id}/summary.xlsx"
    for username in ("office", "committee1"):
        assert workbook(api(username).get(path)).sheetnames == SHEETS
    for username in ("expert1", "recommender1"):
        assert api(username).get(path).status_code == 403
    missing = api("office").get("/api/v1/award_cycle_action/987654/summary.xlsx")
    assert missing.status_code == 404
    assert len(export_entries(db, "AwardCycle")) == 2


def test_the_command_line_writes_the_workbook_and_shows_a_progress_bar(
    app, db, tmp_path, monkeypatch
):
    build(app, db)
    monkeypatch.setattr(click._termui_impl, "isatty", lambda stream: True)
    out = tmp_path / "汇总.xlsx"
    result = app.test_cli_runner().invoke(args=["award", "export", str(YEAR), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "写入工作表" in result.output and "100%" in result.output
    assert "#" in result.output  # the bar itself
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == SHEETS
    shown = {r[3].value for r in rows(book["评分明细"])}
    assert shown == {"R101", "R102", "R103"}  # codes by default (M-25)
    [entry] = export_entries(db, "AwardCycle")
    assert entry.username.startswith("cli")


def test_the_command_line_refuses_an_unknown_year(app, db, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["award", "export", "1999", "-o", str(tmp_path / "x.xlsx")]
    )
    assert result.exit_code == 1
    assert "1999" in result.output
    assert not (tmp_path / "x.xlsx").exists()


# --- the demo data ----------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2021, 2024])
def test_the_demo_data_exports_a_full_workbook(app, demo, year):
    from app.extensions import db

    with app.app_context():
        cycle = db.session.scalar(select(AwardCycle).where(AwardCycle.year == year))
        buffer = io.BytesIO()
        counts = exports.summary_workbook(cycle.id, None, buffer, now=datetime(2026, 11, 24, 9))
        onsite = db.session.scalar(
            select(func.count())
            .select_from(StageScore)
            .join(Application)
            .where(Application.cycle_id == cycle.id, StageScore.stage == ReviewStage.ONSITE.value)
        )
        sheets = db.session.scalar(
            select(func.count())
            .select_from(Scoresheet)
            .join(Application)
            .where(Application.cycle_id == cycle.id, Scoresheet.status == "submitted")
        )
        awards = db.session.scalars(select(Award).where(Award.cycle_id == cycle.id)).all()
        applications = db.session.scalar(
            select(func.count()).select_from(Application).where(Application.cycle_id == cycle.id)
        )
        winner_names = {a.application.applicant_name for a in awards}
        first_award = awards[0]
        paid = sum((p.amount for a in awards for p in a.payments), Decimal("0"))
        assert db.session.scalar(select(func.count()).select_from(Reviewer)) > 0
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert book.sheetnames == SHEETS
    assert counts["排名"] == onsite > 0
    assert counts["评分明细"] == sheets > 0
    assert counts["资格审查"] == applications
    assert counts["获奖及奖金"] == len(awards) + 1  # and the totals row
    assert counts["年度报告"] > 0
    assert len(book["类别得分"]._charts) == onsite
    summary = " ".join(str(r[5].value) for r in rows(book["汇总"]) if r[5].value)
    assert all(name in summary for name in winner_names)
    awards_sheet = book["获奖及奖金"]
    certificate = [r for r in rows(awards_sheet) if r[0].value == first_award.certificate_no]
    assert certificate and certificate[0][4].value == float(first_award.amount)
    total_row = rows(awards_sheet)[-1]
    assert total_row[0].value == "合计" and total_row[5].value == float(paid)


def test_the_summary_endpoint_is_documented_in_the_openapi_document(app):
    from flask_appbuilder.api.manager import OpenApi

    from app.api_actions.exports import SummaryWorkbookApi

    with app.test_request_context():
        spec = OpenApi._create_api_spec("v1")
        for view in app.appbuilder.baseviews:
            if isinstance(view, SummaryWorkbookApi):
                view.add_api_spec(spec)
        paths = spec.to_dict()["paths"]
    operation = paths["/api/v1/award_cycle_action/{pk}/summary.xlsx"]["get"]
    assert XLSX in operation["responses"]["200"]["content"]
    assert {"403", "404"} <= set(operation["responses"])


def test_every_list_screen_exports_its_selected_rows(app, demo, browser):
    """Each screen's columns, formatters and relations export without error (Admin, demo)."""
    from app.extensions import db
    from views import MENU

    b = browser("admin")
    failures = []
    for _category, _label, _icon, items in MENU:
        for view_cls, _item, _item_icon in items:
            model = getattr(view_cls, "model", None)
            if model is None:  # the applicant's portal pages (issue 18) list no records
                continue
            pk = model.__mapper__.primary_key[0]
            with app.app_context():
                ids = db.session.scalars(select(pk).order_by(pk).limit(3)).all()
            if not ids:
                continue
            endpoint = view_cls.__name__.lower()
            resp = select_rows(b, endpoint, ids)
            if resp.status_code != 200 or resp.mimetype != XLSX:
                failures.append(f"{view_cls.__name__}: {resp.status_code}")
                continue
            sheet = openpyxl.load_workbook(io.BytesIO(resp.get_data())).worksheets[0]
            expected = [view_cls.label_columns.get(c, c) for c in view_cls.list_columns]
            if header(sheet) != expected or len(rows(sheet)) != len(ids):
                failures.append(f"{view_cls.__name__}: {header(sheet)} {len(rows(sheet))} 行")
    assert not failures, "\n".join(failures)
