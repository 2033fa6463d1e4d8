"""Annual follow-up reports (M-27): due dates, overdue detection, the command, the Office's
review, and the revocation case a report declaring a loss, accident or failed sampling opens."""

from datetime import date

import pytest
from sqlalchemy import select

from app.domain.followups import AwardRevoked
from app.services import aftercare as svc
from models import AuditEntry, FollowUpReport, RevocationCase
from tests.app.test_after_builders import award, count, report, text, users
from tests.clients import rest, web


def _years_and_dues(db, award_id):
    rows = db.session.execute(
        select(FollowUpReport.report_year, FollowUpReport.due_on)
        .where(FollowUpReport.award_id == award_id)
        .order_by(FollowUpReport.report_year)
    ).all()
    return [tuple(r) for r in rows]


def test_due_reports_fall_due_at_the_end_of_february_in_leap_and_common_years_M_27(db):
    a = award(db.session, 2023)
    db.session.commit()
    created = svc.create_due_reports(date(2025, 3, 1))
    assert len(created) == 2
    assert _years_and_dues(db, a.id) == [(2023, date(2024, 2, 29)), (2024, date(2025, 2, 28))]
    assert all(r.status == "due" for r in created)


def test_creating_due_reports_twice_creates_nothing_the_second_time_M_27(db):
    award(db.session, 2023)
    award(db.session, 2024)
    db.session.commit()
    first = svc.create_due_reports(date(2025, 1, 10))
    assert len(first) == 3  # 2023 and 2024 for the first winner, 2024 for the second
    assert svc.create_due_reports(date(2025, 1, 10)) == []
    assert count(db, FollowUpReport) == 3
    # a year later only the new year's reports are added
    assert [(r.report_year) for r in svc.create_due_reports(date(2026, 1, 2))] == [2025, 2025]


def test_no_report_is_created_for_a_revoked_award_M_27(db):
    a = award(db.session, 2023)
    a.revoked, a.revoked_on = True, date(2024, 1, 15)
    db.session.commit()
    assert svc.create_due_reports(date(2026, 3, 1)) == []
    assert count(db, FollowUpReport) == 0


def test_a_missing_report_is_overdue_from_the_first_of_march_M_27(db):
    a = award(db.session, 2024)
    db.session.commit()
    svc.create_due_reports(date(2025, 2, 1))
    assert svc.overdue(date(2025, 2, 28)) == []
    late = svc.overdue(date(2025, 3, 1))
    assert [(r.award_id, r.report_year, r.due_on) for r in late] == [
        (a.id, 2024, date(2025, 2, 28))
    ]


def test_in_a_leap_year_the_report_is_still_on_time_on_february_29_M_27(db):
    award(db.session, 2023)
    db.session.commit()
    svc.create_due_reports(date(2024, 1, 5))
    assert svc.overdue(date(2024, 2, 29)) == []
    assert len(svc.overdue(date(2024, 3, 1))) == 1


def test_a_received_report_is_not_overdue_and_a_revoked_award_owes_nothing_M_27(db):
    on_time = award(db.session, 2024)
    revoked = award(db.session, 2024)
    report(db.session, on_time, 2024, status="received", received_on=date(2025, 2, 20))
    report(db.session, revoked, 2024)
    revoked.revoked, revoked.revoked_on = True, date(2025, 1, 20)
    db.session.commit()
    assert svc.overdue(date(2025, 3, 1)) == []


def test_the_followups_command_creates_due_reports_and_lists_the_overdue_ones(app, db):
    a = award(db.session, 2023)
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["award", "followups", "--today", "2025-03-01"])
    assert result.exit_code == 0, result.output
    assert "新生成年度报告待办 2 份" in result.output
    assert "逾期未报的年度报告 2 份" in result.output
    assert a.certificate_no in result.output
    assert "2023年度报告" in result.output and "截止 2024-02-29" in result.output
    again = runner.invoke(args=["award", "followups", "--today", "2025-03-01"])
    assert again.exit_code == 0
    assert "新生成年度报告待办 0 份" in again.output
    db.session.expire_all()
    assert count(db, FollowUpReport) == 2


# --- the Office records and reviews a report -------------------------------------------
def _edit(b, report_id, version, **fields):
    data = {"version_check": str(version), **fields}
    return b.post(
        f"/followupreportview/edit/{report_id}",
        data,
        token_from=f"/followupreportview/edit/{report_id}",
        follow_redirects=True,
    )


def _office(app, db, browser):
    users(app, db, ("office", "Office"))
    return web(app, browser, "office")


def test_the_office_records_a_received_report_with_goals_and_experience_M_22_M_23(app, db, browser):
    r = report(db.session, award(db.session, 2024), 2024)
    db.session.commit()
    b = _office(app, db, browser)
    resp = _edit(
        b,
        r.id,
        r.version,
        received_on="2025-02-20",
        revenue="1000000.00",
        profit="80000.00",
        quality_results="一次交验合格率 99.6%",
        improvement_goals="2025年关键过程能力指数提升至1.33",
        experience_shared="在全市质量大会上交流经验",
    )
    assert resp.status_code == 200
    db.session.expire_all()
    saved = db.session.get(FollowUpReport, r.id)
    assert saved.status == "received"
    assert saved.received_on == date(2025, 2, 20)
    assert saved.improvement_goals.startswith("2025年")
    assert count(db, RevocationCase) == 0


def test_a_report_for_a_revoked_award_is_refused_and_nothing_changes_M_27(app, db, browser):
    a = award(db.session, 2023)
    r = report(db.session, a, 2023)
    a.revoked, a.revoked_on = True, date(2024, 1, 15)
    db.session.commit()
    b = _office(app, db, browser)
    resp = _edit(b, r.id, r.version, received_on="2024-02-20", profit="1000.00")
    assert "M-27" in text(resp) and "已被撤销" in text(resp)
    db.session.expire_all()
    unchanged = db.session.get(FollowUpReport, r.id)
    assert unchanged.received_on is None and unchanged.profit is None
    assert unchanged.status == "due"
    with pytest.raises(AwardRevoked):
        svc.validate_report(unchanged)


@pytest.mark.parametrize(
    ("fields", "ground"),
    [
        ({"profit": "-350000.00"}, "loss"),  # M-26.5
        ({"profit": "5000.00", "accidents_declared": "y"}, "accident"),  # M-26.3
        ({"profit": "5000.00", "failed_sampling_declared": "y"}, "sampling"),  # M-26.2
    ],
)
def test_a_report_declaring_a_loss_accident_or_failed_sampling_opens_exactly_one_case_M_26(
    app, db, browser, fields, ground
):
    a = award(db.session, 2024)
    r = report(db.session, a, 2024)
    db.session.commit()
    b = _office(app, db, browser)
    _edit(b, r.id, r.version, received_on="2025-02-20", **fields)
    db.session.expire_all()
    cases = db.session.scalars(select(RevocationCase)).all()
    assert [(c.award_id, c.ground, c.status, c.follow_up_report_id) for c in cases] == [
        (a.id, ground, "open", r.id)
    ]
    assert cases[0].opened_by == "office"
    assert count(db, AuditEntry, AuditEntry.action == "open_revocation_case") == 1
    # saved again, then accepted: still the one case
    saved = db.session.get(FollowUpReport, r.id)
    _edit(b, r.id, saved.version, received_on="2025-02-21", **fields)
    resp = b.post(
        f"/followupreportview/action/accept_report/{r.id}",
        token_from=f"/followupreportview/show/{r.id}",
        follow_redirects=True,
    )
    assert resp.status_code == 200
    db.session.expire_all()
    assert db.session.get(FollowUpReport, r.id).status == "accepted"
    assert count(db, RevocationCase) == 1


def test_a_profitable_report_without_incidents_opens_no_case(db):
    r = report(db.session, award(db.session, 2024), 2024, received_on=date(2025, 2, 1))
    r.profit = 0
    svc.validate_report(r)
    svc.apply_report(r)
    db.session.commit()
    assert count(db, RevocationCase) == 0


def test_sending_back_needs_a_note_and_makes_the_report_owed_again_M_27(app, db, browser):
    r = report(db.session, award(db.session, 2024), 2024, status="received")
    r.received_on = date(2025, 2, 20)
    db.session.commit()
    b = _office(app, db, browser)
    page = f"/followupreportview/send_back/{r.id}"
    assert "退回意见" in text(b.get(page))
    refused = b.post(page, {"note": "  "}, follow_redirects=True)
    assert "须写明退回意见" in text(refused)
    db.session.expire_all()
    assert db.session.get(FollowUpReport, r.id).status == "received"
    b.post(page, {"note": "缺少质量成果数据，请补充"}, follow_redirects=True)
    db.session.expire_all()
    back = db.session.get(FollowUpReport, r.id)
    assert (back.status, back.received_on, back.review_note, back.reviewed_by) == (
        "sent_back",
        None,
        "缺少质量成果数据，请补充",
        "office",
    )
    assert [x.id for x in svc.overdue(date(2025, 3, 1))] == [r.id]
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "send_back_follow_up_report")
    )
    assert entry.reason == "缺少质量成果数据，请补充"


def test_only_a_received_report_can_be_accepted_M_27(app, db, browser):
    r = report(db.session, award(db.session, 2024), 2024)
    db.session.commit()
    b = _office(app, db, browser)
    resp = b.post(
        f"/followupreportview/action/accept_report/{r.id}",
        token_from=f"/followupreportview/show/{r.id}",
        follow_redirects=True,
    )
    assert "M-27" in text(resp)
    db.session.expire_all()
    assert db.session.get(FollowUpReport, r.id).status == "due"


def test_the_overdue_page_lists_overdue_reports_for_the_office_and_committee(app, db, browser):
    a = award(db.session, 2023)
    report(db.session, a, 2023)
    db.session.commit()
    users(app, db, ("office", "Office"), ("committee1", "Committee"), ("reviewer1", "Reviewer"))
    for name in ("office", "committee1"):
        page = text(web(app, browser, name).get("/followupreportview/overdue"))
        assert a.certificate_no in page and "2024-02-29" in page
    assert web(app, browser, "reviewer1").get("/followupreportview/overdue").status_code == 403


# --- API ---------------------------------------------------------------------------------
def test_the_api_accepts_and_sends_back_reports_for_the_office_only_M_27(app, db, api):
    a = award(db.session, 2024)
    r1 = report(db.session, a, 2024, status="received", received_on=date(2025, 2, 10))
    r2 = report(db.session, award(db.session, 2024), 2024, status="received")
    r2.received_on = date(2025, 2, 11)
    db.session.commit()
    users(app, db, ("office", "Office"), ("committee1", "Committee"))
    committee = rest(app, api, "committee1").post(
        f"/api/v1/follow_up_report/{r1.id}/accept", json={}
    )
    assert committee.status_code == 403
    office = rest(app, api, "office")
    ok = office.post(f"/api/v1/follow_up_report/{r1.id}/accept", json={"note": "内容完整"})
    assert ok.status_code == 200, ok.json
    assert ok.json["status"] == "accepted"
    again = office.post(f"/api/v1/follow_up_report/{r1.id}/accept", json={})
    assert again.status_code == 422 and again.json["rule"] == "M-27"
    no_note = office.post(f"/api/v1/follow_up_report/{r2.id}/send-back", json={})
    assert no_note.status_code == 422
    sent = office.post(f"/api/v1/follow_up_report/{r2.id}/send-back", json={"note": "请补充"})
    assert sent.status_code == 200 and sent.json["status"] == "sent_back"
    assert office.post("/api/v1/follow_up_report/999999/accept", json={}).status_code == 404


def test_the_demo_overdue_report_shows_on_the_overdue_page_and_the_screens_render(
    app, demo, browser
):
    from app.extensions import db as _db

    with app.app_context():
        late = svc.overdue(date.today())
        assert late, "the demo has an overdue report"
        certificate, report_id = late[0].award.certificate_no, late[0].id
    b = web(app, browser, "office")
    page = text(b.get("/followupreportview/overdue"))
    assert certificate in page
    for path in (
        "/followupreportview/list/",
        f"/followupreportview/show/{report_id}",
        f"/followupreportview/edit/{report_id}",
        f"/followupreportview/send_back/{report_id}",
    ):
        assert b.get(path).status_code == 200, path
    with app.app_context():
        assert _db.session.scalar(select(FollowUpReport.id).where(FollowUpReport.id == report_id))
