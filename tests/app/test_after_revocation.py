"""Revocation (M-26): a ground and evidence, verified by the Office, reviewed by the Committee,
approved by the city; on approval the award is revoked, recoveries start, the case is published
and a five-year ban begins (M-28)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.bans import ApplicantBanned
from app.domain.dates import add_years
from app.domain.errors import RuleViolation
from app.services import aftercare as svc
from app.services.audit import ROW_ACTIONS
from app.services.intake import validate_application
from models import (
    Application,
    AuditEntry,
    Award,
    Ban,
    FollowUpReport,
    Recovery,
    RevocationCase,
)
from tests import factories as f
from tests.app.test_after_builders import award, count, report, text, users
from tests.clients import rest, web

EVIDENCE = "2025年8月发生较大生产安全事故，应急管理局认定负有责任（伊应急罚〔2025〕12号）"
APPROVED = date(2025, 3, 3)


@pytest.fixture
def people(app, db):
    users(
        app,
        db,
        ("office", "Office"),
        ("committee1", "Committee"),
        ("admin", "Admin"),
        ("reviewer1", "Reviewer"),
    )


def _case(db, award_row, status="open", **kw) -> RevocationCase:
    case = RevocationCase(
        award_id=award_row.id,
        ground=kw.pop("ground", "accident"),
        evidence=kw.pop("evidence", EVIDENCE),
        status=status,
        opened_on=date(2025, 1, 10),
        opened_by="office",
        **kw,
    )
    db.session.add(case)
    db.session.commit()
    return case


def _status(db, case_id) -> str:
    db.session.expire_all()
    return db.session.get(RevocationCase, case_id).status


def _step(b, case_id, step, **form):
    path = f"/revocationcaseview/{step}/{case_id}"
    return b.post(
        path, form, token_from=f"/revocationcaseview/show/{case_id}", follow_redirects=True
    )


# --- opening a case -----------------------------------------------------------------------
def test_a_case_without_a_ground_or_evidence_is_refused_M_26(app, db, browser, api, people):
    a = award(db.session, 2023)
    db.session.commit()
    b = web(app, browser, "office")
    resp = b.post(
        "/revocationcaseview/add",
        {"award": str(a.id), "ground": "accident", "evidence": "  ", "opened_on": "2025-01-10"},
        token_from="/revocationcaseview/add",
        follow_redirects=True,
    )
    assert "M-26" in text(resp) and "证据材料" in text(resp)
    office = rest(app, api, "office")
    blank = office.post(
        "/api/v1/revocation_case/",
        json={"award": a.id, "ground": "loss", "evidence": " ", "opened_on": "2025-01-10"},
    )
    assert blank.status_code == 422 and blank.json["rule"] == "M-26"
    assert "证据材料" in blank.json["message"]
    no_ground = office.post("/api/v1/revocation_case/", json={"award": a.id, "evidence": EVIDENCE})
    assert no_ground.status_code == 422
    assert count(db, RevocationCase) == 0


def test_the_office_opens_a_case_with_a_ground_and_evidence_and_it_is_audited_M_26(
    app, db, browser, people
):
    a = award(db.session, 2023)
    db.session.commit()
    b = web(app, browser, "office")
    b.post(
        "/revocationcaseview/add",
        {"award": str(a.id), "ground": "accident", "evidence": EVIDENCE, "opened_on": "2025-01-10"},
        token_from="/revocationcaseview/add",
        follow_redirects=True,
    )
    case = db.session.scalar(select(RevocationCase))
    assert (case.status, case.opened_by, case.ground) == ("open", "office", "accident")
    assert count(db, AuditEntry, AuditEntry.action == "open_revocation_case") == 1


def test_no_case_is_opened_against_an_award_already_revoked_M_26(db):
    a = award(db.session, 2023)
    a.revoked, a.revoked_on = True, date(2024, 1, 15)
    db.session.commit()
    case = RevocationCase(award_id=a.id, ground="loss", evidence="亏损")
    with pytest.raises(RuleViolation) as exc:
        svc.validate_case(case, adding=True)
    assert exc.value.rule == "M-26"


# --- steps on the screens ------------------------------------------------------------------
def test_the_steps_go_in_order_and_each_only_by_its_role_on_the_screens_M_26(
    app, db, browser, people
):
    case = _case(db, award(db.session, 2023))
    office, committee = web(app, browser, "office"), web(app, browser, "committee1")

    # the Committee cannot verify, nor can anyone review before verification
    resp = _step(committee, case.id, "verify", note="")
    assert "M-26" in text(resp) and _status(db, case.id) == "open"
    resp = _step(committee, case.id, "review", note="同意")
    assert "M-26" in text(resp) and _status(db, case.id) == "open"

    resp = _step(office, case.id, "verify", note="已调取事故调查报告")
    assert "市质评办已核实" in text(resp) and _status(db, case.id) == "verified"

    # the Office may not review: that is the Committee's step
    resp = _step(office, case.id, "review", note="同意")
    assert "M-26" in text(resp) and "委员会" in text(resp)
    assert _status(db, case.id) == "verified"

    _step(committee, case.id, "review", note="审议同意撤销")
    assert _status(db, case.id) == "reviewed"

    # a role that may not approve is refused with the rule ID and nothing changes
    resp = _step(
        committee, case.id, "approve", approved_on="2025-03-03", document_no="伊市政函〔2025〕3号"
    )
    assert "M-26" in text(resp)
    assert _status(db, case.id) == "reviewed"
    assert db.session.get(Award, case.award_id).revoked is False

    # the document number of the city's approval is required
    resp = _step(office, case.id, "approve", approved_on="2025-03-03", document_no="")
    assert "文号" in text(resp) and _status(db, case.id) == "reviewed"

    _step(office, case.id, "approve", approved_on="2025-03-03", document_no="伊市政函〔2025〕3号")
    assert _status(db, case.id) == "approved"
    saved = db.session.get(RevocationCase, case.id)
    assert (saved.verified_by, saved.verification_note) == ("office", "已调取事故调查报告")
    assert (saved.reviewed_by, saved.review_note) == ("committee1", "审议同意撤销")
    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.object_type == "RevocationCase", AuditEntry.action.not_in(ROW_ACTIONS))
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["revocation_verify", "revocation_review", "revocation_approve"]


def test_the_step_buttons_lead_to_the_step_forms(app, db, browser, people):
    case = _case(db, award(db.session, 2023))
    office = web(app, browser, "office")
    resp = office.post(
        f"/revocationcaseview/action/verify_case/{case.id}",
        token_from=f"/revocationcaseview/show/{case.id}",
    )
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith(f"/revocationcaseview/verify/{case.id}")
    page = text(office.get(f"/revocationcaseview/verify/{case.id}"))
    assert "核实意见" in page and EVIDENCE in page
    # the Committee sees why it may not verify; a reviewer may not open the page at all
    refused = text(web(app, browser, "committee1").get(f"/revocationcaseview/verify/{case.id}"))
    assert 'id="step-refused"' in refused and "M-26" in refused and "核实意见" not in refused
    assert (
        web(app, browser, "reviewer1").get(f"/revocationcaseview/verify/{case.id}").status_code
        == 403
    )


def test_a_dismissal_needs_a_reason_and_closes_the_case_M_26(app, db, browser, people):
    case = _case(db, award(db.session, 2023), status="verified")
    committee = web(app, browser, "committee1")
    resp = _step(committee, case.id, "dismiss", note="")
    assert "理由" in text(resp) and _status(db, case.id) == "verified"
    _step(committee, case.id, "dismiss", note="经审议，事故责任不在该公司")
    assert _status(db, case.id) == "dismissed"
    closed = db.session.get(RevocationCase, case.id)
    assert closed.dismissed_reason == "经审议，事故责任不在该公司"
    assert db.session.get(Award, closed.award_id).revoked is False
    resp = _step(web(app, browser, "office"), case.id, "verify")
    assert "已办结" in text(resp)


# --- approval -------------------------------------------------------------------------------
def test_approval_revokes_the_award_starts_recoveries_publishes_and_bans_M_26_M_28(db):
    a = award(db.session, 2023, paid=Decimal("150000.00"))
    owed = report(db.session, a, 2024)
    accepted = report(db.session, a, 2023, status="accepted", received_on=date(2024, 2, 1))
    case = _case(db, a, status="reviewed")
    svc.take_step(
        case.id,
        "approve",
        {"Office"},
        approved_on=APPROVED,
        document_no="伊市政函〔2025〕3号",
    )
    db.session.expire_all()
    a = db.session.get(Award, a.id)
    assert (a.revoked, a.revoked_on) == (True, APPROVED)
    case = db.session.get(RevocationCase, case.id)
    assert (case.status, case.published, case.approval_document_no) == (
        "approved",
        True,
        "伊市政函〔2025〕3号",
    )
    recoveries = db.session.scalars(
        select(Recovery).where(Recovery.revocation_case_id == case.id).order_by(Recovery.id)
    ).all()
    assert [(r.item, r.amount, r.recovered) for r in recoveries] == [
        ("牌匾", Decimal("0.00"), False),
        ("证书", Decimal("0.00"), False),
        ("奖金", Decimal("150000.00"), False),
    ]
    ban = db.session.scalar(select(Ban))
    assert (ban.reason, ban.organization_id, ban.revocation_case_id) == (
        "revoked",
        a.application.organization_id,
        case.id,
    )
    assert (ban.starts_on, ban.ends_on) == (APPROVED, add_years(APPROVED, 5) - timedelta(days=1))
    # follow-up reports stop: the empty one is gone, the accepted one stays, none are added
    assert db.session.get(FollowUpReport, owed.id) is None
    assert db.session.get(FollowUpReport, accepted.id) is not None
    assert svc.create_due_reports(date(2027, 3, 1)) == []
    assert svc.overdue(date(2027, 3, 1)) == []
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "revocation_approve"))
    assert entry.details["ban_ends_on"] == ban.ends_on.isoformat()
    assert entry.application_id == a.application_id


def test_the_prize_money_to_recover_is_what_was_paid(db):
    unpaid = award(db.session, 2023, paid=None)
    case = _case(db, unpaid, status="reviewed")
    svc.take_step(case.id, "approve", {"Admin"}, approved_on=APPROVED, document_no="文号1")
    money = db.session.scalar(select(Recovery).where(Recovery.item == "奖金"))
    assert money.amount == Decimal("0.00")


def test_a_second_approval_for_an_award_already_revoked_is_refused(db):
    a = award(db.session, 2023)
    first = _case(db, a, status="reviewed")
    second = _case(db, a, status="reviewed", ground="loss", evidence="2024年度亏损")
    svc.take_step(first.id, "approve", {"Office"}, approved_on=APPROVED, document_no="文号1")
    with pytest.raises(RuleViolation, match="已于"):
        svc.take_step(second.id, "approve", {"Office"}, approved_on=APPROVED, document_no="文号2")
    db.session.rollback()
    assert _status(db, second.id) == "reviewed"
    assert count(db, Ban) == 1


@pytest.mark.parametrize("individual", [False, True])
def test_a_revoked_applicant_is_banned_for_4_years_364_days_and_may_apply_at_5_years_M_28(
    db, individual
):
    revoked_on = date(2025, 3, 1)
    a = award(db.session, 2023, individual=individual)
    case = _case(db, a, status="reviewed")
    svc.take_step(case.id, "approve", {"Office"}, approved_on=revoked_on, document_no="文号")
    applicant = a.application.individual if individual else a.application.organization
    cycle = f.cycle(db.session, year=2030, opens_on=date(2029, 1, 1))

    def apply_on(day):
        application = Application(
            cycle=cycle,
            prize="nomination",
            organization=None if individual else applicant,
            individual=applicant if individual else None,
        )
        validate_application(application, adding=True, today=day)

    for banned_day in (
        add_years(revoked_on, 4) + timedelta(days=364),
        add_years(revoked_on, 5) - timedelta(days=1),
    ):
        with pytest.raises(ApplicantBanned) as exc:
            apply_on(banned_day)
        assert exc.value.rule == "M-28"
        db.session.rollback()
    apply_on(add_years(revoked_on, 5))  # exactly five years on: allowed


# --- recoveries -----------------------------------------------------------------------------
def test_recovery_is_marked_with_its_date_and_audited_M_26(app, db, browser, people):
    a = award(db.session, 2023)
    case = _case(db, a, status="reviewed")
    svc.take_step(case.id, "approve", {"Office"}, approved_on=APPROVED, document_no="文号")
    money = db.session.scalar(select(Recovery).where(Recovery.item == "奖金"))
    b = web(app, browser, "office")
    refused = b.post(
        f"/recoveryview/edit/{money.id}",
        {"recovered": "y", "recovered_on": "", "note": ""},
        token_from=f"/recoveryview/edit/{money.id}",
        follow_redirects=True,
    )
    assert "追回日期" in text(refused)
    b.post(
        f"/recoveryview/edit/{money.id}",
        {"recovered": "y", "recovered_on": "2025-04-01", "note": "已缴回市财政"},
        token_from=f"/recoveryview/edit/{money.id}",
        follow_redirects=True,
    )
    db.session.expire_all()
    saved = db.session.get(Recovery, money.id)
    assert (saved.recovered, saved.recovered_on) == (True, date(2025, 4, 1))
    assert count(db, AuditEntry, AuditEntry.action == "record_recovery") == 1
    plaque = db.session.scalar(select(Recovery).where(Recovery.item == "牌匾"))
    resp = b.post(
        "/recoveryview/action_post",
        {"action": "mark_recovered", "rowid": [str(plaque.id)]},
        token_from="/recoveryview/list/",
        follow_redirects=True,
    )
    assert "已标记追回 1 项" in text(resp)
    db.session.expire_all()
    assert db.session.get(Recovery, plaque.id).recovered_on == date.today()
    assert "追回记录" in text(b.get(f"/revocationcaseview/show/{case.id}"))


# --- API --------------------------------------------------------------------------------------
def test_the_api_enforces_the_same_order_and_roles_M_26(app, db, api, people):
    a = award(db.session, 2023)
    case = _case(db, a)
    office, committee = rest(app, api, "office"), rest(app, api, "committee1")
    url = f"/api/v1/revocation_case/{case.id}"

    early = office.post(f"{url}/approve", json={"approved_on": "2025-03-03", "document_no": "x"})
    assert early.status_code == 422 and early.json["rule"] == "M-26"
    refused = committee.post(f"{url}/verify", json={})
    assert refused.status_code == 422 and refused.json["rule"] == "M-26"
    assert _status(db, case.id) == "open"

    ok = office.post(f"{url}/verify", json={"note": "事实清楚"})
    assert ok.status_code == 200 and ok.json["status"] == "verified"
    office_review = office.post(f"{url}/review", json={})
    assert office_review.status_code == 422 and office_review.json["rule"] == "M-26"
    assert committee.post(f"{url}/review", json={"note": "同意"}).json["status"] == "reviewed"

    committee_approve = committee.post(
        f"{url}/approve", json={"approved_on": "2025-03-03", "document_no": "伊市政函〔2025〕3号"}
    )
    assert committee_approve.status_code == 422
    assert (
        committee_approve.json["rule"] == "M-26"
        and "Committee" in committee_approve.json["message"]
    )
    assert _status(db, case.id) == "reviewed"
    assert db.session.get(Award, a.id).revoked is False

    missing = office.post(f"{url}/approve", json={"document_no": "伊市政函〔2025〕3号"})
    assert missing.status_code == 422 and _status(db, case.id) == "reviewed"
    done = office.post(
        f"{url}/approve", json={"approved_on": "2025-03-03", "document_no": "伊市政函〔2025〕3号"}
    )
    assert done.status_code == 200 and done.json["status"] == "approved"
    assert db.session.get(Award, a.id).revoked is True
    assert office.post("/api/v1/revocation_case/999999/verify", json={}).status_code == 404
    reviewer = rest(app, api, "reviewer1").post(f"{url}/dismiss", json={"reason": "x"})
    assert reviewer.status_code == 403


def test_a_closed_case_keeps_its_evidence_and_cases_are_never_deleted_M_26(app, db, api, people):
    case = _case(db, award(db.session, 2023), status="dismissed", dismissed_reason="不属实")
    office = rest(app, api, "office")
    edit = office.put(f"/api/v1/revocation_case/{case.id}", json={"evidence": "改写的证据"})
    assert edit.status_code == 422 and edit.json["rule"] == "M-26"
    assert office.delete(f"/api/v1/revocation_case/{case.id}").status_code in (403, 404, 405)
    db.session.expire_all()
    assert db.session.get(RevocationCase, case.id).evidence == EVIDENCE


def test_the_after_award_endpoints_are_documented_in_the_openapi_document(app):
    from flask_appbuilder.api.manager import OpenApi

    from app.api_actions.aftercare import FollowUpReportActionsApi, RevocationCaseActionsApi

    with app.test_request_context():
        spec = OpenApi._create_api_spec("v1")
        for view in app.appbuilder.baseviews:
            if isinstance(view, (RevocationCaseActionsApi, FollowUpReportActionsApi)):
                view.add_api_spec(spec)
        paths = spec.to_dict()["paths"]
    for path in (
        "/api/v1/revocation_case/{pk}/verify",
        "/api/v1/revocation_case/{pk}/review",
        "/api/v1/revocation_case/{pk}/approve",
        "/api/v1/revocation_case/{pk}/dismiss",
        "/api/v1/follow_up_report/{pk}/accept",
        "/api/v1/follow_up_report/{pk}/send-back",
    ):
        assert "post" in paths[path], path
    approve = paths["/api/v1/revocation_case/{pk}/approve"]["post"]
    assert "approved_on" in str(approve["requestBody"])
    assert {"200", "403", "422"} <= {str(code) for code in approve["responses"]}


def test_the_demo_revocation_screens_render_for_the_office_and_committee(app, demo, browser):
    from app.extensions import db as _db

    with app.app_context():
        case_id = _db.session.scalar(select(RevocationCase.id))
        recovery_id = _db.session.scalar(select(Recovery.id))
    for username in ("office", "committee1"):
        b = web(app, browser, username)
        for path in (
            "/revocationcaseview/list/",
            f"/revocationcaseview/show/{case_id}",
            "/recoveryview/list/",
            f"/recoveryview/show/{recovery_id}",
        ):
            resp = b.get(path)
            assert resp.status_code == 200, (username, path)
        show = text(b.get(f"/revocationcaseview/show/{case_id}"))
        assert "市政府批准" in show and "追回记录" in show
