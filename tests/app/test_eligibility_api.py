"""The eligibility review through the REST API (M-19.1), with the screen's permissions and scope."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import (
    Application,
    AwardCycle,
    Ban,
    ReviewAssignment,
    Reviewer,
    ReviewGroup,
    ReviewGroupMember,
)
from tests import factories as f
from tests.app.test_eligibility_service import (
    ORG_JUDGEMENTS,
    application,
    ready_organization,
)

TODAY = date.today()
BASE = "/api/v1/application_action"


@pytest.fixture
def setup(app, db):
    for name, role in [
        ("office", "Office"),
        ("committee1", "Committee"),
        ("reviewer1", "Reviewer"),
        ("recommender1", "Recommender"),
    ]:
        f.user(app, name, role)
    cycle = f.cycle(db.session, year=TODAY.year)
    first = application(db.session, cycle, org=ready_organization(db.session))
    second = application(db.session, cycle, org=ready_organization(db.session))
    user = app.appbuilder.sm.find_user(username="reviewer1")
    reviewer = Reviewer(code="R001", name="评审员一", industries="C", user_id=user.id)
    group = ReviewGroup(cycle_id=cycle.id, stage="material", name="第一组")
    db.session.add_all([reviewer, group])
    db.session.flush()
    db.session.add_all(
        [
            ReviewGroupMember(group_id=group.id, reviewer_id=reviewer.id),
            ReviewAssignment(group_id=group.id, application_id=first.id, stage="material"),
        ]
    )
    db.session.commit()
    return cycle, first, second


def test_posting_eligibility_runs_the_review_and_returns_the_checklist(setup, as_api):
    """M-19.1: every line with its status, label and evidence."""
    _, first, _ = setup
    resp = as_api("office").post(f"{BASE}/{first.id}/eligibility")
    assert resp.status_code == 200, resp.json
    latest = resp.json["latest"]
    assert latest["outcome"] is None and latest["reviewed_by"] == "office"
    rules = {line["rule"]: line for line in latest["checklist"]}
    assert rules["M-11.2"]["status"] == "pass" and rules["M-11.2"]["status_label"] == "符合"
    assert rules["M-11.3"]["status_label"] == "需人工判定"
    assert latest["counts"]["judgement"] == 4 and latest["all_pass"] is False
    assert resp.json["signed_recommendation"] is True


def test_the_latest_checklist_can_be_read_back(setup, as_api):
    _, first, _ = setup
    office = as_api("office")
    office.post(f"{BASE}/{first.id}/eligibility")
    resp = office.get(f"{BASE}/{first.id}/eligibility")
    assert resp.status_code == 200 and len(resp.json["history"]) == 1
    assert resp.json["latest_outcome"] is None


def test_judgements_then_an_eligible_outcome_through_the_api(setup, db, as_api):
    _, first, _ = setup
    office = as_api("office")
    resp = office.post(f"{BASE}/{first.id}/eligibility/outcome", json={"outcome": "eligible"})
    assert resp.status_code == 422 and resp.json["rule"] == "M-19.1"
    for rule in ORG_JUDGEMENTS:
        resp = office.post(
            f"{BASE}/{first.id}/eligibility/judgement",
            json={"rule": rule, "status": "pass", "note": "经核查符合"},
        )
        assert resp.status_code == 200, resp.json
    assert resp.json["latest"]["all_pass"] is True
    resp = office.post(f"{BASE}/{first.id}/eligibility/outcome", json={"outcome": "eligible"})
    assert resp.status_code == 200
    assert resp.json["status"] == "eligible"
    assert resp.json["latest_outcome"]["outcome_label"] == "资格审查通过"


def test_returned_incomplete_and_supplement_through_the_api(setup, db, as_api):
    _, first, _ = setup
    office = as_api("office")
    deadline = (TODAY + timedelta(days=3)).isoformat()
    resp = office.post(
        f"{BASE}/{first.id}/eligibility/outcome",
        json={
            "outcome": "returned_incomplete",
            "missing_items": "用户满意度证明",
            "supplement_deadline": deadline,
        },
    )
    assert resp.status_code == 200 and resp.json["supplement_deadline"] == deadline
    resp = office.post(f"{BASE}/{first.id}/eligibility/supplement", json={"note": "已补交"})
    assert resp.status_code == 200 and resp.json["status"] == "submitted"


def test_a_late_supplement_through_the_api_is_refused_with_the_rule(setup, db, as_api):
    _, first, _ = setup
    first.status = "returned_incomplete"
    first.supplement_deadline = TODAY - timedelta(days=1)
    db.session.commit()
    resp = as_api("office").post(f"{BASE}/{first.id}/eligibility/supplement", json={})
    assert resp.status_code == 422 and resp.json["rule"] == "M-19.1"
    assert "不能补正" in resp.json["message"]


def test_a_falsified_outcome_through_the_api_creates_the_ban(setup, db, as_api):
    _, first, _ = setup
    resp = as_api("office").post(
        f"{BASE}/{first.id}/eligibility/outcome",
        json={"outcome": "returned_falsified", "reasons": "财务数据造假"},
    )
    assert resp.status_code == 200
    ban = db.session.scalar(select(Ban))
    assert ban.organization_id == first.organization_id
    assert ban.ends_on == date(TODAY.year, 12, 31)


def test_bad_input_is_a_422_never_a_500(setup, as_api):
    _, first, _ = setup
    office = as_api("office")
    resp = office.post(f"{BASE}/{first.id}/eligibility/outcome", json=["not", "an", "object"])
    assert resp.status_code == 422
    resp = office.post(
        f"{BASE}/{first.id}/eligibility/outcome",
        json={
            "outcome": "returned_incomplete",
            "missing_items": "x",
            "supplement_deadline": "31/12",
        },
    )
    assert resp.status_code == 422 and "格式无效" in resp.json["message"]
    assert office.post(f"{BASE}/999999/eligibility").status_code == 404


def test_a_reviewer_reads_the_checklist_of_their_group_only(setup, as_api):
    """M-25: the API applies the screen's row scope: another application is a 404."""
    _, first, second = setup
    as_api("office").post(f"{BASE}/{first.id}/eligibility")
    reviewer = as_api("reviewer1")
    assert reviewer.get(f"{BASE}/{first.id}/eligibility").status_code == 200
    assert reviewer.get(f"{BASE}/{second.id}/eligibility").status_code == 404
    assert reviewer.post(f"{BASE}/{first.id}/eligibility").status_code == 403
    resp = reviewer.post(f"{BASE}/{first.id}/eligibility/outcome", json={"outcome": "eligible"})
    assert resp.status_code == 403


def test_the_committee_reads_but_a_recommender_cannot(setup, as_api):
    _, first, _ = setup
    assert as_api("committee1").get(f"{BASE}/{first.id}/eligibility").status_code == 200
    assert as_api("committee1").post(f"{BASE}/{first.id}/eligibility").status_code == 403
    assert as_api("recommender1").get(f"{BASE}/{first.id}/eligibility").status_code == 403


def test_the_committee_confirms_through_the_api_once_reviews_are_closed(setup, db, as_api):
    cycle, first, second = setup
    cycle.stage = "eligibility"
    db.session.commit()
    committee = as_api("committee1")
    path = f"/api/v1/award_cycle_action/{cycle.id}/confirm_eligible"
    resp = committee.post(path, json={"note": "第3次委员会会议确认"})
    assert resp.status_code == 422 and "尚有 2 份" in resp.json["message"]
    office = as_api("office")
    for app_id in (first.id, second.id):
        office.post(
            f"{BASE}/{app_id}/eligibility/outcome",
            json={"outcome": "returned_ineligible", "reasons": "经营绩效不居前列"},
        )
    resp = committee.post(path, json={"note": "第3次委员会会议确认"})
    assert resp.status_code == 200, resp.json
    assert resp.json["eligibility_confirmed_by"] == "committee1"
    db.session.expire_all()
    assert (
        db.session.get(AwardCycle, cycle.id).eligibility_confirmation_note == "第3次委员会会议确认"
    )
    assert as_api("reviewer1").post(path).status_code == 403


def test_a_second_application_for_the_same_cycle_is_refused_by_the_api(setup, db, as_api):
    """M-18: one application per applicant and cycle; nothing saved."""
    cycle, first, _ = setup
    resp = as_api("office").post(
        "/api/v1/application/",
        json={
            "cycle": cycle.id,
            "prize": "nomination",
            "applicant_kind": "organization",
            "organization": first.organization_id,
            "paper_copies": 2,
        },
    )
    assert resp.status_code == 422 and resp.json["rule"] == "M-18"
    count = db.session.scalars(
        select(Application.id).where(Application.organization_id == first.organization_id)
    )
    assert len(list(count)) == 1
