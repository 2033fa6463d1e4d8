"""Bad input on the screens is refused with a message naming the rule, and nothing changes."""

from datetime import date

from sqlalchemy import func, select

from models import Application, AwardCycle, Individual, Organization
from tests import factories as f


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def _office(app, db, browser):
    f.user(app, "office", "Office")
    db.session.commit()
    return browser("office")


def _text(resp):
    return resp.get_data(as_text=True)


def test_an_organization_with_a_wrong_credit_code_check_character_is_refused(app, db, browser):
    """GB 32100-2015: the 18th character is a check character."""
    b = _office(app, db, browser)
    good = f.credit_code()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    resp = b.post(
        "/organizationview/add",
        {
            "name": "伊宁市某乳业有限公司",
            "credit_code": bad,
            "legal_form": "legal_person",
            "industry": "C",
        },
        follow_redirects=True,
    )
    assert "GB 32100-2015" in _text(resp)
    assert "校验位错误" in _text(resp)
    assert _count(db, Organization) == 0


def test_a_valid_organization_is_saved_with_its_code_normalized(app, db, browser):
    b = _office(app, db, browser)
    code = f.credit_code()
    resp = b.post(
        "/organizationview/add",
        {
            "name": "伊宁市某乳业有限公司",
            "credit_code": code.lower(),
            "legal_form": "legal_person",
            "industry": "C",
        },
        follow_redirects=True,
    )
    assert resp.status_code == 200
    saved = db.session.scalar(select(Organization))
    assert saved is not None and saved.credit_code == code


def test_an_individual_with_an_invalid_id_number_is_refused(app, db, browser):
    """GB 11643-1999: birth date and check digit."""
    b = _office(app, db, browser)
    resp = b.post(
        "/individualview/add",
        {
            "name": "张三",
            "id_number": "654002199913450011",
            "education": "bachelor",
            "works_in_yining": "y",
        },
        follow_redirects=True,
    )
    assert "GB 11643-1999" in _text(resp)
    assert _count(db, Individual) == 0


def test_deleting_an_organization_with_an_application_is_refused_naming_the_dependents(
    app, db, browser
):
    org = f.organization(db.session)
    cycle = f.cycle(db.session)
    db.session.add(
        Application(
            cycle_id=cycle.id,
            number="2030-ZLJ-001",
            prize="award",
            applicant_kind="organization",
            organization_id=org.id,
            status="submitted",
        )
    )
    db.session.commit()
    b = _office(app, db, browser)
    resp = b.post(
        f"/organizationview/delete/{org.id}",
        token_from="/organizationview/list/",
        follow_redirects=True,
    )
    assert "1 条申报" in _text(resp)
    assert db.session.get(Organization, org.id) is not None


def test_a_stale_edit_form_does_not_overwrite_a_newer_save(app, db, browser):
    org = f.organization(db.session, contact_name="旧联系人")
    db.session.commit()
    b = _office(app, db, browser)
    form_page = _text(b.get(f"/organizationview/edit/{org.id}"))
    assert 'name="version_check"' in form_page
    token = b.csrf(f"/organizationview/edit/{org.id}")
    # Another clerk saves first.
    org.contact_name = "新联系人"
    db.session.commit()
    resp = b.client.post(
        f"/organizationview/edit/{org.id}",
        data={
            "csrf_token": token,
            "version_check": "1",
            "name": org.name,
            "credit_code": org.credit_code,
            "legal_form": "legal_person",
            "industry": "C",
            "contact_name": "过期表单的值",
        },
        follow_redirects=True,
    )
    assert "已被他人修改" in _text(resp)
    db.session.expire_all()
    assert db.session.get(Organization, org.id).contact_name == "新联系人"


def test_a_second_application_in_the_same_cycle_is_refused(app, db, browser):
    """M-18: one application per applicant and cycle."""
    org = f.organization(db.session)
    cycle = f.cycle(db.session, year=date.today().year)
    db.session.add(
        Application(
            cycle_id=cycle.id,
            number="X-1",
            prize="award",
            applicant_kind="organization",
            organization_id=org.id,
            status="submitted",
        )
    )
    db.session.commit()
    b = _office(app, db, browser)
    resp = b.post(
        "/applicationview/add",
        {
            "cycle": cycle.id,
            "prize": "nomination",
            "applicant_kind": "organization",
            "organization": org.id,
            "paper_copies": "2",
        },
        follow_redirects=True,
    )
    assert "同一届只能申报一次" in _text(resp) and "M-18" in _text(resp)
    assert _count(db, Application) == 1


def test_the_award_prize_is_refused_for_an_individual(app, db, browser):
    """M-2: the Government Quality Award is for organizations only."""
    person = f.individual(db.session)
    cycle = f.cycle(db.session, year=date.today().year)
    db.session.commit()
    b = _office(app, db, browser)
    resp = b.post(
        "/applicationview/add",
        {
            "cycle": cycle.id,
            "prize": "award",
            "applicant_kind": "individual",
            "individual": person.id,
            "paper_copies": "2",
        },
        follow_redirects=True,
    )
    assert "M-2" in _text(resp)
    assert _count(db, Application) == 0


def test_an_application_after_the_deadline_is_refused(app, db, browser):
    """M-17: no applications after the cycle's deadline."""
    org = f.organization(db.session)
    year = date.today().year
    cycle = f.cycle(
        db.session, year=year, opens_on=date(year - 1, 1, 1), deadline=date(year - 1, 3, 31)
    )
    db.session.commit()
    b = _office(app, db, browser)
    resp = b.post(
        "/applicationview/add",
        {
            "cycle": cycle.id,
            "prize": "award",
            "applicant_kind": "organization",
            "organization": org.id,
            "paper_copies": "2",
        },
        follow_redirects=True,
    )
    assert "M-17" in _text(resp)
    assert _count(db, Application) == 0


def test_a_cycle_with_dates_out_of_order_or_a_negative_budget_is_refused(app, db, browser):
    b = _office(app, db, browser)
    version_id = db.session.scalar(select(AwardCycle.criteria_version_id)) or 1
    base = {
        "year": "2031",
        "name": "2031年度",
        "award_quota": "2",
        "nomination_quota": "2",
        "award_amount": "200000",
        "nomination_amount": "30000",
        "budget": "600000",
        "agency_fee": "0",
        "aggregation": "mean",
        "outlier_threshold": "0.15",
        "criteria_version": str(version_id),
        "regulation_version": "征求意见稿",
        "supplement_days": "10",
        "notice_days": "7",
        "vote_threshold": "0.5",
    }
    resp = b.post(
        "/awardcycleview/add",
        {**base, "opens_on": "2031-06-01", "deadline": "2031-03-01"},
        follow_redirects=True,
    )
    assert "申报截止日期" in _text(resp)
    resp = b.post("/awardcycleview/add", {**base, "budget": "-1"}, follow_redirects=True)
    assert "预算不能为负数" in _text(resp)
    resp = b.post("/awardcycleview/add", {**base, "award_quota": "3"}, follow_redirects=True)
    assert "M-4" in _text(resp)
    assert _count(db, AwardCycle) == 0


def test_the_api_refuses_a_bad_credit_code_with_the_rule_and_saves_nothing(app, db, api):
    f.user(app, "office", "Office")
    db.session.commit()
    resp = api("office").post(
        "/api/v1/organization/",
        json={
            "name": "伊宁市某公司",
            "credit_code": "91654002MA00000000",
            "legal_form": "legal_person",
            "industry": "C",
        },
    )
    assert resp.status_code == 422
    assert resp.json["rule"] == "GB 32100-2015"
    assert _count(db, Organization) == 0
