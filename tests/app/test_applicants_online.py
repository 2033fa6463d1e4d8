"""Applicants online (issue 18): accounts approved by the Office (M-8), the application form
online (M-2, M-17, M-18), return and supplement (M-19.1), and the winner's annual report (M-27,
M-22, M-23). Every refusal names its rule and changes nothing."""

import io
import re
from datetime import date, timedelta

import pytest
from flask import g
from sqlalchemy import func, select, text

from app.domain import applicant_portal as rules
from app.domain.enums import ApplicationStatus as S
from app.domain.errors import RuleViolation
from app.domain.identifiers import make_credit_code, make_id_number
from tests import factories as f

CODE = make_credit_code("91654002MA7XKQ3B2")
PASSWORD = "Yining#2027abc"


def _db():
    from app.extensions import db

    return db


def _user(app, username):
    return app.appbuilder.sm.find_user(username=username)


def _register(browser, **fields):
    client = browser()
    data = {
        "kind": "organization",
        "username": "huaxin",
        "password": PASSWORD,
        "name": "伊宁市华信电子有限公司",
        "email": "huaxin@example.cn",
        "credit_code": CODE,
        "industry_code": "C",
        "contact_name": "李华",
        **fields,
    }
    return client.post("/public/register", data=data, token_from="/public/register")


def _count(model):
    return _db().session.scalar(select(func.count()).select_from(model))


def _as(app, username):
    """A request context signed in as `username`, for calling the services directly."""
    ctx = app.test_request_context()
    ctx.push()
    g.user = _user(app, username)
    return ctx


# --- accounts (M-8) -------------------------------------------------------------------------
def test_an_organization_registers_and_can_sign_in_only_after_the_office_approves_m8(
    app, demo, browser
):
    from models import ApplicantAccount, AuditEntry

    resp = _register(browser)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert "待市质评办核实" in resp.get_data(as_text=True)
    with app.app_context():
        account = _db().session.scalar(
            select(ApplicantAccount).order_by(ApplicantAccount.id.desc())
        )
        assert account.status == "pending" and account.organization.credit_code == CODE
        account_id = account.id
    pending = browser("huaxin")
    assert pending.get("/applicant/").status_code in (302, 401, 403)
    office = browser("office")
    assert office.get(f"/applicantaccountview/show/{account_id}").status_code == 200
    resp = office.post(
        f"/applicantaccountview/approve/{account_id}",
        token_from=f"/applicantaccountview/show/{account_id}",
    )
    assert resp.status_code == 302
    with app.app_context():
        account = _db().session.get(ApplicantAccount, account_id)
        assert account.status == "approved", office.get("/").get_data(as_text=True)[-4000:]
        assert account.user.active
    signed = browser()
    resp = signed.login("huaxin", PASSWORD)
    assert resp.status_code == 302, re.findall(r"alert[^>]*>([^<]*)", resp.get_data(as_text=True))
    page = signed.get("/applicant/")
    assert page.status_code == 200
    assert "伊宁市华信电子有限公司" in page.get_data(as_text=True)
    with app.app_context():
        actions = set(_db().session.scalars(select(AuditEntry.action)))
        assert {"applicant_registered", "applicant_account_approved"} <= actions


def test_a_refusal_needs_a_reason_and_keeps_the_account_closed_m8(app, demo, browser):
    from models import ApplicantAccount

    _register(browser)
    with app.app_context():
        account_id = _db().session.scalar(select(func.max(ApplicantAccount.id)))
    office = browser("office")
    path = f"/applicantaccountview/refuse/{account_id}"
    office.post(path, data={"reason": ""})
    with app.app_context():
        assert _db().session.get(ApplicantAccount, account_id).status == "pending"
    office.post(path, data={"reason": "统一社会信用代码与营业执照不符"})
    with app.app_context():
        account = _db().session.get(ApplicantAccount, account_id)
        assert account.status == "refused" and account.user.active is False


def test_a_bad_credit_code_is_refused_with_the_form_kept_and_nothing_saved(app, demo, browser):
    from models import ApplicantAccount, Organization

    with app.app_context():
        before = (_count(ApplicantAccount), _count(Organization))
    resp = _register(browser, credit_code=CODE[:-1] + ("0" if CODE[-1] != "0" else "1"))
    text = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "GB 32100-2015" in text and "伊宁市华信电子有限公司" in text
    with app.app_context():
        assert (_count(ApplicantAccount), _count(Organization)) == before
        assert _user(app, "huaxin") is None


def test_an_individual_registers_with_an_id_number_stored_encrypted(app, demo, browser):
    from models import Individual

    number = make_id_number("65400219800101003")
    resp = _register(
        browser,
        kind="individual",
        name="阿依古丽",
        id_number=number,
        credit_code="",
        username="ayi",
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    with app.app_context():
        person = _db().session.scalar(select(Individual).where(Individual.id_number == number))
        assert person is not None and person.name == "阿依古丽"
        raw = (
            _db()
            .session.execute(
                text("SELECT id_number FROM individual WHERE id = :pk"), {"pk": person.id}
            )
            .scalar()
        )
        assert number not in raw


def test_self_registration_off_opens_accounts_only_by_a_one_time_invite_code_m8(app, demo, browser):
    from app.services import applicant_accounts as svc
    from models import Organization

    app.config["APPLICANT_SELF_REGISTRATION"] = False
    try:
        resp = _register(browser)
        assert resp.status_code == 422 and "邀请码" in resp.get_data(as_text=True)
        with app.app_context():
            org = _db().session.scalar(select(Organization).order_by(Organization.id))
            g_ctx = app.test_request_context()
            with g_ctx:
                code = svc.invite(organization_id=org.id, username="office")
            org_name = org.name
        resp = _register(browser, invite_code=code, credit_code="", username="invited1")
        assert resp.status_code == 200, resp.get_data(as_text=True)
        signed = browser()
        resp = signed.login("invited1", PASSWORD)
        assert resp.status_code == 302, re.findall(
            r"alert[^>]*>([^<]*)", resp.get_data(as_text=True)
        )
        assert org_name in signed.get("/applicant/").get_data(as_text=True)
        again = _register(
            browser, invite_code=code, username="invited2", email="x2@example.cn", credit_code=""
        )
        assert again.status_code == 422 and "邀请码无效" in again.get_data(as_text=True)
    finally:
        app.config["APPLICANT_SELF_REGISTRATION"] = True


# --- the application form online (M-2, M-17, M-18) -------------------------------------------
def _cycle(year):
    from models import AwardCycle

    return _db().session.scalar(select(AwardCycle).where(AwardCycle.year == year))


def test_a_person_may_apply_only_for_the_nomination_m2(app, demo):
    from app.services import online_application as svc
    from models import Application

    ctx = _as(app, "applicant2")
    try:
        before = _count(Application)
        with pytest.raises(RuleViolation) as refused:
            svc.start(g.user, _cycle(2027).id, "award")
        assert refused.value.rule == "M-2"
        assert _count(Application) == before
    finally:
        ctx.pop()


def test_a_second_application_in_the_same_cycle_is_refused_m18(app, demo, browser):
    from models import Application

    client = browser("applicant1")
    with app.app_context():
        before = _count(Application)
        cycle_id = _cycle(2027).id
    resp = client.post(
        "/applicant/apply", data={"cycle_id": cycle_id, "prize": "award"}, token_from="/applicant/"
    )
    assert resp.status_code == 302
    page = client.get("/applicant/").get_data(as_text=True)
    assert "同一届只能申报一次" in page and "M-18" in page
    with app.app_context():
        assert _count(Application) == before


def test_a_cycle_not_taking_applications_is_refused_m17(app, demo):
    from app.services import online_application as svc
    from models import Application

    ctx = _as(app, "applicant2")
    try:
        before = _count(Application)
        with pytest.raises(RuleViolation) as refused:
            svc.start(g.user, _cycle(2028).id, "nomination")
        assert refused.value.rule == "M-17"
        assert _count(Application) == before
    finally:
        ctx.pop()


def _draft_of(app, username="applicant1"):
    from models import ApplicantAccount, Application, User

    with app.app_context():
        account = _db().session.scalar(
            select(ApplicantAccount).join(User).where(User.username == username)
        )
        draft = _db().session.scalar(
            select(Application).where(
                Application.organization_id == account.organization_id,
                Application.status == "draft",
            )
        )
        return draft.id, draft.version


def _foreign_application(app):
    from models import Application

    with app.app_context():
        other = _db().session.scalar(
            select(Application).where(Application.number == "2027-ZLJ-001")
        )
        return other.id, other.version, other.self_assessment


def test_another_applicants_application_is_not_found_and_nothing_changes_m24(app, demo, browser):
    client = browser("applicant1")
    other_id, version, text = _foreign_application(app)
    assert client.get(f"/applicant/application/{other_id}").status_code == 404
    path = f"/applicant/application/{other_id}/save"
    resp = client.post(
        path,
        data={"version": version, "section": "self_assessment", "sa_leadership": "篡改"},
        token_from="/applicant/",
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert resp.status_code == 404 and resp.json["rule"] == "M-24"
    for crafted in ("0", "99999999"):
        assert client.get(f"/applicant/application/{crafted}").status_code == 404
    assert _foreign_application(app) == (other_id, version, text)


def test_a_forged_owner_in_the_form_changes_no_owner(app, demo, browser):
    from models import Application

    client = browser("applicant1")
    pk, version = _draft_of(app)
    other_id, _v, _t = _foreign_application(app)
    resp = client.post(
        f"/applicant/application/{pk}/save",
        data={
            "version": version,
            "section": "recommender",
            "organization_id": "1",
            "application_id": other_id,
            "recommender_id": "",
        },
        token_from=f"/applicant/application/{pk}",
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert resp.status_code == 200
    with app.app_context():
        row = _db().session.get(Application, pk)
        assert row.organization.name == "伊犁鑫达建筑安装工程有限公司"
        assert row.organization_id != 1


def test_a_stale_draft_is_refused_409_and_the_newer_text_stays(app, demo, browser):
    from models import Application

    client = browser("applicant1")
    pk, version = _draft_of(app)
    path = f"/applicant/application/{pk}/save"
    token = client.csrf(f"/applicant/application/{pk}")
    headers = {"X-Requested-With": "XMLHttpRequest"}
    first = client.client.post(
        path,
        data={
            "csrf_token": token,
            "version": version,
            "section": "self_assessment",
            "sa_strategy": "第一稿",
        },
        headers=headers,
    )
    assert first.status_code == 200 and first.json["version"] == version + 1
    second = client.client.post(
        path,
        data={
            "csrf_token": token,
            "version": version,
            "section": "self_assessment",
            "sa_strategy": "旧窗口的内容",
        },
        headers=headers,
    )
    assert second.status_code == 409 and second.json["version"] == version + 1
    with app.app_context():
        assert _db().session.get(Application, pk).self_assessment["strategy"] == "第一稿"


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _submit_complete(client, pk):
    """Every part of the form filled in, then submitted at the version the last save gave."""
    version = _fill_everything(client, pk)
    return client.post(
        f"/applicant/application/{pk}/submit",
        data={"version": version},
        token_from=f"/applicant/application/{pk}",
    )


def _fill_everything(client, pk):
    from app.domain.applicant_portal import ORG_EVIDENCE, SELF_ASSESSMENT_PARTS

    token = client.csrf(f"/applicant/application/{pk}")
    version = int(
        re.search(
            r'name="version" class="js-version" value="(\d+)"',
            client.get(f"/applicant/application/{pk}").get_data(as_text=True),
        )[1]
    )
    data = {
        "csrf_token": token,
        "version": version,
        "section": ["basic", "conditions", "self_assessment", "recommender"],
        "registered_address": "伊宁市解放西路1号",
        "legal_representative": "赵鑫",
        "operating_since": "2015-03-01",
        "employees": "120",
        "contact_name": "赵鑫",
        "contact_phone": "0999-8123456",
        "no_incidents": "1",
        "truthful": "1",
        "recommender_id": "2",  # 住房和城乡建设局: construction (E), applicant1's sector (M-9)
        **{f"sa_{key}": f"{label}：做法与成效" for key, label in SELF_ASSESSMENT_PARTS},
    }
    resp = client.client.post(
        f"/applicant/application/{pk}/save",
        data=data,
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    version = resp.json["version"]
    for kind, _label, _rule in ORG_EVIDENCE:
        resp = client.client.post(
            f"/applicant/application/{pk}/upload",
            data={
                "csrf_token": token,
                "version": version,
                "kind": kind,
                "file": (io.BytesIO(PNG), f"{kind}.png"),
            },
            content_type="multipart/form-data",
        )
        assert resp.status_code == 302
    return version


def test_submission_waits_for_the_checklist_then_the_application_is_read_only_m18(
    app, demo, browser, tmp_path
):
    from models import Application

    app.config["UPLOAD_DIR"] = str(tmp_path)
    client = browser("applicant1")
    pk, version = _draft_of(app)
    page = client.get(f"/applicant/application/{pk}").get_data(as_text=True)
    assert "完整性检查" in page and "M-11.4" in page and "申报截止日期" in page
    resp = client.post(
        f"/applicant/application/{pk}/submit",
        data={"version": version},
        token_from=f"/applicant/application/{pk}",
    )
    text = client.get(f"/applicant/application/{pk}").get_data(as_text=True)
    assert "申报材料不完整" in text and "M-11.2" in text
    with app.app_context():
        assert _db().session.get(Application, pk).status == "draft"
    resp = _submit_complete(client, pk)
    assert resp.status_code == 302
    with app.app_context():
        row = _db().session.get(Application, pk)
        assert row.status == "submitted" and row.submitted_on is not None
        version = row.version
    resp = client.client.post(
        f"/applicant/application/{pk}/save",
        data={
            "csrf_token": client.csrf(f"/applicant/application/{pk}"),
            "version": version,
            "section": "self_assessment",
            "sa_results": "提交后改",
        },
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert resp.status_code == 422 and resp.json["rule"] == "M-18"


def test_the_submission_asks_the_chosen_body_which_signs_online_m18(app, demo, browser, tmp_path):
    """M-18: submitted online, the application waits for its chosen recommending body, which
    sees it and signs its opinion on its own screen; the Office then sees the signed opinion."""
    from models import Application, Recommendation, Recommender

    app.config["UPLOAD_DIR"] = str(tmp_path)
    client = browser("applicant1")
    pk, _version = _draft_of(app)
    resp = _submit_complete(client, pk)
    assert resp.status_code == 302
    with app.app_context():
        rec = _db().session.scalar(
            select(Recommendation).where(Recommendation.application_id == pk)
        )
        assert rec is not None and rec.signed_on is None and rec.recommender_id == 2
        rec_id, rec_version = rec.id, rec.version
        body = _db().session.get(Recommender, 2)
        body.user_id = f.user(app, "zjj1", "Recommender").id  # the body's own account
        _db().session.commit()
        body = body.name
        assert _db().session.get(Application, pk).status == "submitted"
    assert browser("recommender1").get(f"/recommendationview/sign/{rec_id}").status_code == 404
    signer = browser("zjj1")
    page = f"/recommendationview/sign/{rec_id}"
    assert signer.get(page).status_code == 200
    signed = signer.post(
        page,
        data={"opinion": "同意推荐", "signatory": "住建局负责人", "version": rec_version},
        token_from=page,
    )
    assert signed.status_code == 302
    with app.app_context():
        rec = _db().session.get(Recommendation, rec_id)
        assert rec.signed_on is not None and rec.opinion == "同意推荐"
    shown = browser("office").get(f"/applicationview/show/{pk}").get_data(as_text=True)
    assert "同意推荐" in shown and body in shown


def test_a_body_outside_the_applicants_sector_is_refused_when_chosen_m9(app, demo, browser):
    from models import Application

    client = browser("applicant1")
    pk, version = _draft_of(app)
    resp = client.client.post(
        f"/applicant/application/{pk}/save",
        data={
            "csrf_token": client.csrf(f"/applicant/application/{pk}"),
            "version": version,
            "section": "recommender",
            "recommender_id": "1",  # 工业和信息化局 (C, D); applicant1 builds (E)
        },
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert resp.status_code == 422 and resp.json["rule"] == "M-9"
    assert resp.json["fields"] == {"recommender_id": "不在推荐范围内"}
    with app.app_context():
        assert _db().session.get(Application, pk).recommender_id is None


def test_submission_after_the_deadline_is_refused_m17(app, demo):
    from app.services import online_application as svc
    from models import Application

    pk, version = _draft_of(app)
    ctx = _as(app, "applicant1")
    try:
        late = _cycle(2027).deadline + timedelta(days=1)
        with pytest.raises(RuleViolation) as refused:
            svc.submit(g.user, pk, version, today=late)
        assert refused.value.rule == "M-17"
        assert _db().session.get(Application, pk).status == "draft"
    finally:
        ctx.pop()


# --- return and supplement (M-19.1) ----------------------------------------------------------
def _submitted_2026(app, username="applicant1"):
    """applicant1's 2026 application, put back to submitted for the Office to decide again."""
    from models import Application

    with app.app_context():
        row = _db().session.scalar(
            select(Application).where(
                Application.number.like("2026-%"), Application.status == "returned_incomplete"
            )
        )
        row.status = "submitted"
        row.supplement_deadline = None
        _db().session.commit()
        return row.id


def test_a_return_notifies_the_applicant_who_edits_only_what_was_asked_and_resubmits_m19_1(
    app, demo, browser
):
    from app.services.eligibility_outcomes import record_outcome
    from models import Application, Notification

    pk = _submitted_2026(app)
    ctx = _as(app, "office")
    try:
        deadline = date.today() + timedelta(days=10)
        record_outcome(
            pk,
            "returned_incomplete",
            missing_items="自评报告缺少“结果”部分",
            supplement_deadline=deadline,
            sections=["self_assessment"],
        )
    finally:
        ctx.pop()
    with app.app_context():
        applicant = _user(app, "applicant1")
        notice = _db().session.scalar(
            select(Notification).where(
                Notification.user_id == applicant.id, Notification.kind == "applicant_outcome"
            )
        )
        assert "自评报告缺少“结果”部分" in notice.body and "M-19.1" in notice.body
        assert f"{deadline.year}年" in notice.body
    client = browser("applicant1")
    with app.app_context():
        version = _db().session.get(Application, pk).version
    headers = {"X-Requested-With": "XMLHttpRequest"}
    token = client.csrf(f"/applicant/application/{pk}")
    refused = client.client.post(
        f"/applicant/application/{pk}/save",
        data={
            "csrf_token": token,
            "version": version,
            "section": "basic",
            "registered_address": "改地址",
        },
        headers=headers,
    )
    assert refused.status_code == 422 and refused.json["rule"] == "M-19.1"
    with app.app_context():
        assert _db().session.get(Application, pk).version == version
    ok = client.client.post(
        f"/applicant/application/{pk}/save",
        data={
            "csrf_token": token,
            "version": version,
            "section": "self_assessment",
            "sa_results": "补正：近三年主要经营指标",
        },
        headers=headers,
    )
    assert ok.status_code == 200
    # the rest of the checklist is filled by the Office's paper record: the test completes it
    with app.app_context():
        row = _db().session.get(Application, pk)
        from app.services.online_application import checklist

        missing = rules.missing(checklist(row))
        assert missing, "the 2026 demo application was typed by the Office, not filled online"


def test_after_the_supplement_deadline_the_application_lapses_m19_1(app, demo):
    from app.services import online_application as svc
    from models import Application

    ctx = _as(app, "applicant1")
    try:
        row = _db().session.scalar(
            select(Application).where(Application.status == "returned_incomplete")
        )
        late = row.supplement_deadline + timedelta(days=1)
        assert "已失效" in svc.supplement_notice(row, late)
        pk, version = row.id, row.version
        with pytest.raises(RuleViolation) as refused:
            svc.submit(g.user, pk, version, today=late)
        assert refused.value.rule in ("M-19.1", "M-18")
        assert _db().session.get(Application, pk).status == "returned_incomplete"
    finally:
        ctx.pop()


def test_a_falsification_tells_the_ground_and_that_this_cycle_is_closed_m19_1(app, demo):
    from app.services.applicant_notices import outcome_texts
    from models import Application

    with app.app_context():
        row = _db().session.scalar(
            select(Application).where(Application.status == "returned_falsified")
        )
        title, body = outcome_texts(row, S.RETURNED_FALSIFIED)
        assert "弄虚作假" in title
        assert "伪造" in body and f"{row.cycle.year}年度" in body and "不得再申报" in body


# --- after the award (M-27, M-22, M-23) ------------------------------------------------------
def _winner_account(app):
    """An approved account for the applicant of an award with a report still owed."""
    from app.domain.applicant_portal import AccountStatus
    from models import ApplicantAccount, Award, FollowUpReport

    with app.app_context():
        report = _db().session.scalar(
            select(FollowUpReport)
            .join(Award)
            .where(Award.revoked.is_(False), FollowUpReport.status.in_(("due", "sent_back")))
            .order_by(FollowUpReport.id)
        )
        award_app = report.award.application
        account = _db().session.scalar(
            select(ApplicantAccount).where(ApplicantAccount.user_id == _user(app, "applicant2").id)
        )
        account.individual_id = award_app.individual_id
        account.organization_id = award_app.organization_id
        account.status = AccountStatus.APPROVED.value
        _db().session.commit()
        return report.id, report.version


def test_a_winner_files_its_annual_report_with_new_goals_and_experience_m27_m22_m23(
    app, demo, browser
):
    from models import FollowUpReport

    pk, version = _winner_account(app)
    client = browser("applicant2")
    path = f"/applicant/report/{pk}"
    assert client.get(path).status_code == 200
    base = {
        "version": version,
        "revenue": "1000000",
        "profit": "50000",
        "quality_results": "一次交验合格率提升",
    }
    resp = client.post(path, data={**base, "experience_shared": "举办现场会"})
    assert "M-22" in resp.get_data(as_text=True)
    resp = client.post(path, data={**base, "improvement_goals": "顾客满意度95%"})
    assert "M-23" in resp.get_data(as_text=True)
    with app.app_context():
        assert _db().session.get(FollowUpReport, pk).status in ("due", "sent_back")
    resp = client.post(
        path,
        data={**base, "improvement_goals": "顾客满意度95%", "experience_shared": "举办现场会"},
    )
    assert resp.status_code == 302
    with app.app_context():
        report = _db().session.get(FollowUpReport, pk)
        assert report.status == "received" and report.improvement_goals == "顾客满意度95%"
        assert report.received_on is not None


def test_a_winner_is_reminded_of_its_report_before_the_end_of_february_m27(app, demo):
    from app.services.applicant_notices import due
    from models import FollowUpReport

    pk, _version = _winner_account(app)
    with app.test_request_context():
        applicant = _user(app, "applicant2")
        report = _db().session.get(FollowUpReport, pk)
        notices = due(report.due_on - timedelta(days=20))
        mine = [n for n in notices if n.user_id == applicant.id]
        assert mine and "M-27" in mine[0].body and "M-22" in mine[0].body
        assert not [n for n in due(date(report.due_on.year, 6, 1)) if n.user_id == applicant.id]


def test_another_applicants_report_is_not_found_m24(app, demo, browser):
    pk, _version = _winner_account(app)
    assert browser("applicant1").get(f"/applicant/report/{pk}").status_code == 404


def test_registrations_from_one_address_are_limited_like_the_login(app, demo, browser):
    """M-8 (the account is the way in): the registration page counts attempts per address."""
    from uuid import uuid4

    from models import ApplicantAccount

    saved = app.config["REGISTER_RATE_LIMIT"], app.config["LOGIN_GUARD_PREFIX"]
    app.config["REGISTER_RATE_LIMIT"] = "1 per hour"
    app.config["LOGIN_GUARD_PREFIX"] = f"regtest-{uuid4().hex}"  # counters of this test only
    try:
        first = _register(browser)
        second = _register(browser, username="huaxin2", email="h2@example.cn")
        assert first.status_code == 200
        assert second.status_code == 429 and "注册过于频繁" in second.get_data(as_text=True)
        with app.app_context():
            assert _count(ApplicantAccount) == 3  # the two demo accounts and the first one
    finally:
        app.config["REGISTER_RATE_LIMIT"], app.config["LOGIN_GUARD_PREFIX"] = saved


def test_remind_tells_the_applicant_that_a_late_supplement_lapsed_once_m19_1(app, demo):
    from app.services.applicant_notices import due
    from models import Application

    with app.test_request_context():
        applicant = _user(app, "applicant1")
        row = _db().session.scalar(
            select(Application).where(Application.status == "returned_incomplete")
        )
        on_time = [n for n in due(row.supplement_deadline) if n.kind == "applicant_lapsed"]
        assert not [n for n in on_time if n.user_id == applicant.id]
        late = [n for n in due(row.supplement_deadline + timedelta(days=1))]
        mine = [n for n in late if n.user_id == applicant.id and n.kind == "applicant_lapsed"]
        assert len(mine) == 1 and "M-19.1" in mine[0].body and row.number in mine[0].title


def test_the_office_approves_and_refuses_accounts_through_the_api_as_on_the_screen_m8(
    app, demo, browser, api
):
    from models import ApplicantAccount

    _register(browser)
    _register(
        browser,
        username="second",
        email="s@example.cn",
        credit_code=make_credit_code("91654002MA7XKQ3C2"),
        name="伊宁市第二公司",
    )
    with app.app_context():
        first, second = (
            _db()
            .session.scalars(
                select(ApplicantAccount.id).order_by(ApplicantAccount.id.desc()).limit(2)
            )
            .all()[::-1]
        )
    office = api("office")
    assert office.post(f"/api/v1/applicant_account/{first}/approve").status_code == 200
    refused = office.post(f"/api/v1/applicant_account/{second}/refuse", json={})
    assert refused.status_code == 422 and refused.json["rule"]
    assert (
        office.post(
            f"/api/v1/applicant_account/{second}/refuse", json={"reason": "信用代码不符"}
        ).json["status"]
        == "refused"
    )
    again = office.post(f"/api/v1/applicant_account/{first}/approve")
    assert again.status_code == 422 and again.json["rule"] == "M-8"
    assert api("committee1").post(f"/api/v1/applicant_account/{first}/approve").status_code == 403


def test_the_form_offers_only_the_bodies_whose_sectors_cover_the_applicant_m9(app, demo, browser):
    client = browser("applicant1")
    pk, _version = _draft_of(app)
    page = client.get(f"/applicant/application/{pk}").get_data(as_text=True)
    assert "伊宁市住房和城乡建设局" in page and "伊宁市市场监督管理局" in page
    assert "伊宁市工业和信息化局" not in page and "伊宁市卫生健康委员会" not in page


def test_the_applicant_downloads_its_own_feedback_once_the_result_is_public_m19_8(
    app, demo, browser
):
    """Issue 19: the feedback report in the applicant's own account: its bands, strengths and
    opportunities, never a reviewer's name; not before the result is public, never another's."""
    import io

    from docx import Document

    from models import Application, FollowUpReport, Reviewer

    report_id, _version = _winner_account(app)
    with app.app_context():
        own = _db().session.get(FollowUpReport, report_id).award.application
        pk, number = own.id, own.number
        reviewers = [r.name for r in _db().session.scalars(select(Reviewer))]
        other = _db().session.scalar(
            select(Application).where(
                Application.id != pk, Application.organization_id != own.organization_id
            )
        )
    client = browser("applicant2")
    page = client.get(f"/applicant/application/{pk}").get_data(as_text=True)
    assert f"/applicant/application/{pk}/feedback" in page
    resp = client.get(f"/applicant/application/{pk}/feedback")
    assert resp.status_code == 200
    doc = Document(io.BytesIO(resp.data))
    text = "".join(p.text for p in doc.paragraphs) + "".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )
    assert number in text and "评分段" in text and "改进机会" in text
    assert not [name for name in reviewers if name in text]
    assert client.get(f"/applicant/application/{other.id}/feedback").status_code == 404
    # a draft of a cycle still open: no result, no feedback (named stage, back to the page)
    pk_draft, _v = _draft_of(app, "applicant1")
    mine = browser("applicant1")
    assert "/feedback" not in mine.get(f"/applicant/application/{pk_draft}").get_data(as_text=True)
    refused = mine.get(f"/applicant/application/{pk_draft}/feedback", follow_redirects=True)
    assert refused.status_code == 200 and "M-19.8" in refused.get_data(as_text=True)
