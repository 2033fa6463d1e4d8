"""A frozen setting changes only through an amendment by the Committee's decision: reason and
decision reference required, old and new value kept, audited, listed on the cycle page (M-3,
M-17); the Office amends, on the screen and through the API, and nobody else."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.domain.cycle_settings import AMENDABLE
from models import AuditEntry, AwardCycle, CycleAmendment
from tests import factories as f

TODAY = date.today()


def _text(resp):
    return resp.get_data(as_text=True)


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def open_cycle(app, db):
    for name, role in [("office", "Office"), ("committee1", "Committee")]:
        f.user(app, name, role)
    cycle = f.cycle(
        db.session,
        year=2030,
        opens_on=TODAY - timedelta(days=10),
        deadline=TODAY + timedelta(days=20),
    )
    db.session.commit()
    return cycle


def test_the_office_extends_the_deadline_through_the_api_and_it_is_audited(db, api, open_cycle):
    """M-17, M-3: a deadline extended by the Committee, with its reason and decision."""
    old = open_cycle.deadline
    new = old + timedelta(days=30)
    resp = api("office").post(
        f"/api/v1/award_cycle/{open_cycle.id}/amend",
        json={
            "field": "deadline",
            "value": new.isoformat(),
            "reason": "受疫情影响，多家企业申请延期",
            "decision_ref": "伊质评委〔2030〕3号",
        },
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.json["old_value"] == old.isoformat()
    assert resp.json["new_value"] == new.isoformat()
    db.session.expire_all()
    assert db.session.get(AwardCycle, open_cycle.id).deadline == new
    row = db.session.scalar(select(CycleAmendment))
    assert (row.field, row.decision_ref, row.amended_by) == (
        "deadline",
        "伊质评委〔2030〕3号",
        "office",
    )
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "amend_cycle"))
    assert entry.reason == "受疫情影响，多家企业申请延期"
    assert entry.details["old"] == old.isoformat() and entry.details["new"] == new.isoformat()
    assert entry.details["decision_ref"] == "伊质评委〔2030〕3号"
    assert entry.cycle_id == open_cycle.id and entry.username == "office"


@pytest.mark.parametrize(
    ("body", "rule", "words"),
    [
        ({"field": "award_amount", "value": "1"}, "M-20", "不能通过变更程序修改"),
        ({"field": "year", "value": "2031"}, "M-17", "不能通过变更程序修改"),
        ({"field": "deadline", "value": "2030-13-01"}, "输入校验", "申报截止日期"),
        ({"field": "deadline", "value": "2031-01-31", "reason": ""}, "输入校验", "理由"),
        ({"field": "deadline", "value": "2031-01-31", "decision_ref": ""}, "输入校验", "文号"),
        ({"field": "award_quota", "value": "3"}, "M-4", "不超过 2 个"),
    ],
)
def test_an_amendment_that_breaks_a_rule_is_refused_naming_it_and_changes_nothing(
    db, api, open_cycle, body, rule, words
):
    payload = {"reason": "理由", "decision_ref": "伊质评委〔2030〕3号", **body}
    office = api("office")  # signing in writes its own entry (ab_user's last login)
    entries_before = _count(db, AuditEntry)
    resp = office.post(f"/api/v1/award_cycle/{open_cycle.id}/amend", json=payload)
    assert resp.status_code == 422, resp.get_data(as_text=True)
    assert resp.json["rule"] == rule and words in resp.json["message"]
    db.session.expire_all()
    cycle = db.session.get(AwardCycle, open_cycle.id)
    assert (cycle.deadline, cycle.award_quota, cycle.version) == (
        open_cycle.deadline,
        2,
        open_cycle.version,
    )
    assert _count(db, CycleAmendment) == 0
    assert _count(db, AuditEntry) == entries_before


def test_the_deadline_cannot_be_amended_once_eligibility_review_began(db, api, open_cycle):
    open_cycle.stage = "eligibility"
    db.session.commit()
    resp = api("office").post(
        f"/api/v1/award_cycle/{open_cycle.id}/amend",
        json={"field": "deadline", "value": "2031-01-31", "reason": "延期", "decision_ref": "文号"},
    )
    assert resp.status_code == 422 and "资格审查" in resp.json["message"]


def test_the_committee_cannot_amend_and_an_unknown_cycle_is_404(db, api, open_cycle):
    body = {"field": "deadline", "value": "2031-01-31", "reason": "延期", "decision_ref": "文号"}
    assert (
        api("committee1").post(f"/api/v1/award_cycle/{open_cycle.id}/amend", json=body).status_code
        == 403
    )
    assert api("office").post("/api/v1/award_cycle/999999/amend", json=body).status_code == 404


def test_the_office_amends_on_the_screen_and_the_cycle_page_lists_it(db, browser, open_cycle):
    b = browser("office")
    path = f"/awardcycleview/amend/{open_cycle.id}"
    button = b.post(
        f"/awardcycleview/action/amend_settings/{open_cycle.id}",
        token_from=f"/awardcycleview/show/{open_cycle.id}",
    )
    assert button.status_code == 302 and button.headers["Location"].endswith(path)
    page = _text(b.get(path))
    assert "变更已冻结的设置" in page and "申报截止日期" in page
    refused = b.post(
        path,
        {"field": "deadline", "value": "明天", "reason": "延期", "decision_ref": "文号"},
        follow_redirects=True,
    )
    assert "申报截止日期" in _text(refused) and "无效" in _text(refused)
    assert _count(db, CycleAmendment) == 0
    resp = b.post(
        path,
        {
            "field": "onsite_review_on",
            "value": "2031-09-01",
            "reason": "专家组时间冲突",
            "decision_ref": "伊质评委〔2030〕5号",
        },
        follow_redirects=True,
    )
    assert "已变更「现场评审日期」" in _text(resp)
    show = _text(b.get(f"/awardcycleview/show/{open_cycle.id}"))
    assert "设置变更记录" in show and "伊质评委〔2030〕5号" in show and "2031-09-01" in show
    db.session.expire_all()
    assert db.session.get(AwardCycle, open_cycle.id).onsite_review_on == date(2031, 9, 1)


def test_the_committee_sees_amendments_but_has_no_amend_page(db, browser, open_cycle):
    b = browser("committee1")
    assert b.get(f"/awardcycleview/amend/{open_cycle.id}").status_code in (302, 403)
    assert b.get("/cycleamendmentview/list/").status_code == 200


def test_the_amend_endpoint_and_its_body_are_in_the_openapi_document(app, db, api):
    f.user(app, "admin", "Admin")
    db.session.commit()
    spec = api("admin").get("/api/v1/_openapi")
    assert spec.status_code == 200
    post = spec.json["paths"]["/api/v1/award_cycle/{pk}/amend"]["post"]
    schema = post["requestBody"]["content"]["application/json"]["schema"]
    assert set(schema["required"]) == {"field", "value", "reason", "decision_ref"}
    assert set(schema["properties"]["field"]["enum"]) == set(AMENDABLE)
