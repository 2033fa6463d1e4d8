"""Issue 18, item 3: the recommendation online and the paper copies (M-18). The chosen
recommending body signs its opinion or declines with a reason on the screen or through the
API; the Office sees both on the application page and records the two paper copies; the
eligibility review starts only when both are there."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.domain.errors import RuleViolation
from app.services import eligibility as elig
from app.services import eligibility_confirmation as confirmation
from app.services import recommendation_online as online
from models import Application, AuditEntry, Recommendation
from tests import factories as f
from tests.app.test_eligibility_service import application, ready_organization, recommender

TODAY = date.today()


def _text(resp):
    return resp.get_data(as_text=True)


@pytest.fixture
def setup(app, db):
    """recommender1 acts for the manufacturing department (C); an application of a
    manufacturer was submitted and names it as its recommending body, not yet signed."""
    user = f.user(app, "recommender1", "Recommender")
    other_user = f.user(app, "recommender2", "Recommender")
    f.user(app, "office", "Office")
    own = recommender(db.session, sectors="C", user_id=user.id, name="伊宁市工业和信息化局")
    other = recommender(db.session, sectors="C", user_id=other_user.id, name="伊宁市质量协会")
    cycle = f.cycle(db.session, year=TODAY.year)
    app_row = application(
        db.session, cycle, org=ready_organization(db.session, industry_code="C"), signed=None
    )
    app_row.submitted_on = TODAY
    db.session.commit()
    rec = online.request_recommendation(app_row.id, own.id)
    return own, other, app_row.id, rec.id


def _rec(db, rec_id) -> Recommendation:
    db.session.expire_all()
    return db.session.get(Recommendation, rec_id)


def test_the_chosen_recommender_signs_on_the_screen_and_the_office_sees_it_m18(setup, db, as_user):
    """M-18: the recommending body signs its opinion on the screen; the Office reads it."""
    _own, _other, app_id, rec_id = setup
    body = as_user("recommender1")
    page = body.client.get(f"/recommendationview/show/{rec_id}")
    assert page.status_code == 200 and "签署推荐意见" in _text(page)
    resp = body.client.post(
        f"/recommendationview/sign/{rec_id}",
        data={
            "csrf_token": body.csrf(f"/recommendationview/sign/{rec_id}"),
            "opinion": "该企业质量管理成效显著，同意推荐。",
            "signatory": "李局长",
        },
        follow_redirects=True,
    )
    assert "已签署推荐意见" in _text(resp)
    rec = _rec(db, rec_id)
    assert rec.is_signed and rec.signed_on == TODAY and rec.signed_by == "recommender1"
    assert db.session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "recommendation_signed", AuditEntry.application_id == app_id)
    )
    office = as_user("office").client.get(f"/applicationview/show/{app_id}")
    assert "已签署（签署人 李局长" in _text(office) and "同意推荐" in _text(office)


def test_a_sign_without_signatory_keeps_the_typed_opinion_and_changes_nothing_m18(
    setup, db, as_user
):
    _own, _other, _app_id, rec_id = setup
    body = as_user("recommender1")
    resp = body.client.post(
        f"/recommendationview/sign/{rec_id}",
        data={
            "csrf_token": body.csrf(f"/recommendationview/sign/{rec_id}"),
            "opinion": "拟同意推荐的意见文字",
            "signatory": "  ",
        },
    )
    text = _text(resp)
    assert resp.status_code == 200 and "M-18" in text and "拟同意推荐的意见文字" in text
    assert not _rec(db, rec_id).is_signed


def test_a_recommender_declines_with_a_reason_which_the_office_sees_m18(setup, db, as_api, as_user):
    """M-18: declining needs a reason; a decided opinion cannot be signed afterwards."""
    _own, _other, app_id, rec_id = setup
    body = as_api("recommender1")
    no_reason = body.post(f"/api/v1/recommendation/{rec_id}/decline", json={"reason": " "})
    assert no_reason.status_code == 422 and no_reason.json["rule"] == "M-18"
    assert "reason" in no_reason.json["fields"]
    assert _rec(db, rec_id).declined_at is None
    done = body.post(
        f"/api/v1/recommendation/{rec_id}/decline", json={"reason": "近三年发生质量投诉，暂不推荐"}
    )
    assert done.status_code == 200 and done.json["state"] == "declined", done.json
    again = body.post(
        f"/api/v1/recommendation/{rec_id}/sign", json={"opinion": "同意", "signatory": "李局长"}
    )
    assert again.status_code == 422 and again.json["rule"] == "M-18"
    office = as_user("office").client.get(f"/applicationview/show/{app_id}")
    assert "不予推荐，理由：近三年发生质量投诉" in _text(office)
    with pytest.raises(RuleViolation) as refused:
        elig.run_review(app_id)
    assert refused.value.rule == "M-18" and "不予推荐" in str(refused.value)


def test_another_recommender_cannot_see_or_sign_a_recommendation_not_its_own_m9(
    setup, db, as_api, as_user
):
    """M-9, M-18: only the chosen body signs; a crafted id of another body's row is a 404."""
    _own, _other, _app_id, rec_id = setup
    resp = as_api("recommender2").post(
        f"/api/v1/recommendation/{rec_id}/sign", json={"opinion": "同意", "signatory": "王会长"}
    )
    assert resp.status_code == 404
    page = as_user("recommender2").client.get(f"/recommendationview/sign/{rec_id}")
    assert page.status_code == 404
    office = as_api("office").post(
        f"/api/v1/recommendation/{rec_id}/sign", json={"opinion": "同意", "signatory": "王"}
    )
    assert office.status_code == 403  # the Office records paper opinions, it does not sign
    assert not _rec(db, rec_id).is_signed


def test_the_eligibility_review_starts_only_with_the_signature_and_both_paper_copies_m18(app, db):
    """M-18: a signed recommendation and one paper copy: the review does not start; with the
    second copy recorded (date, count, by whom) it does. On main the review ran regardless."""
    f.user(app, "office", "Office")
    cycle = f.cycle(db.session, year=TODAY.year)
    app_row = application(db.session, cycle, org=ready_organization(db.session))
    app_row.paper_copies = 1
    db.session.commit()
    with pytest.raises(RuleViolation) as refused:
        elig.run_review(app_row.id)
    assert refused.value.rule == "M-18" and "一式两份" in str(refused.value)
    online.record_paper_copies(app_row.id, 2, TODAY.isoformat(), username="office")
    db.session.expire_all()
    stored = db.session.get(Application, app_row.id)
    assert (stored.paper_copies, stored.paper_received_on, stored.paper_received_by) == (
        2,
        TODAY,
        "office",
    )
    assert elig.run_review(app_row.id).checklist


def test_paper_copies_refuse_bad_input_naming_the_rule_and_change_nothing_m18(
    app, db, as_api, as_user
):
    f.user(app, "office", "Office")
    cycle = f.cycle(db.session, year=TODAY.year)
    app_row = application(db.session, cycle, org=ready_organization(db.session))
    app_row.paper_copies = 0
    db.session.commit()
    path = f"/api/v1/application/{app_row.id}/paper_copies"
    office = as_api("office")
    for body, field in (
        ({"paper_copies": 3, "paper_received_on": TODAY.isoformat()}, "paper_copies"),
        ({"paper_copies": "两份", "paper_received_on": TODAY.isoformat()}, "paper_copies"),
        ({"paper_copies": 2, "paper_received_on": "2026-13-45"}, "paper_received_on"),
        (
            {"paper_copies": 2, "paper_received_on": (TODAY + timedelta(days=1)).isoformat()},
            "paper_received_on",
        ),
    ):
        resp = office.post(path, json=body)
        assert resp.status_code == 422, (body, resp.json)
        assert set(resp.json) >= {"message", "rule", "fields"} and field in resp.json["fields"]
    browser = as_user("office")
    page = browser.client.post(
        f"/applicationview/paper_copies/{app_row.id}",
        data={
            "csrf_token": browser.csrf(f"/applicationview/paper_copies/{app_row.id}"),
            "paper_copies": "5",
            "paper_received_on": TODAY.isoformat(),
        },
    )
    assert page.status_code == 200 and "M-18" in _text(page) and 'value="5"' in _text(page)
    db.session.expire_all()
    assert db.session.get(Application, app_row.id).paper_copies == 0
    assert office.post(path, json={}).status_code == 422


def test_the_committee_cannot_confirm_an_eligible_list_missing_paper_copies_m18(app, db):
    """M-18: an application on the eligible list without its two paper copies blocks it."""
    cycle = f.cycle(db.session, year=TODAY.year, stage="eligibility")
    app_row = application(db.session, cycle, org=ready_organization(db.session), status="eligible")
    app_row.paper_copies = 1
    db.session.commit()
    with pytest.raises(RuleViolation) as refused:
        confirmation.confirm_eligible(cycle.id, "委员会会议")
    assert refused.value.rule == "M-18"


def test_an_opinion_signed_online_cannot_be_edited_afterwards_m18(setup, db, as_api):
    """M-18: once signed (or declined) on the screen, the generic edit refuses any change."""
    _own, _other, _app_id, rec_id = setup
    body = as_api("recommender1")
    signed = body.post(
        f"/api/v1/recommendation/{rec_id}/sign", json={"opinion": "同意推荐", "signatory": "李局长"}
    )
    assert signed.status_code == 200
    edit = body.put(f"/api/v1/recommendation/{rec_id}", json={"opinion": "改写的意见"})
    assert edit.status_code == 422 and edit.json["rule"] == "M-18", edit.json
    assert _rec(db, rec_id).opinion == "同意推荐"
