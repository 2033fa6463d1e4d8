"""Intake: recommenders recommend only in their sectors and in their own name (M-9, M-18),
and a banned applicant's new application is refused with the reason and end date (M-19.1, M-28)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from models import Application, Ban, Recommendation
from tests import factories as f
from tests.app.test_eligibility_service import application, ready_organization, recommender

TODAY = date.today()


def _text(resp):
    return resp.get_data(as_text=True)


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def setup(app, db):
    """recommender1 is the industry department for manufacturing (C); two applications
    without a recommendation: one from manufacturing, one from wholesale and retail (F)."""
    user = f.user(app, "recommender1", "Recommender")
    f.user(app, "office", "Office")
    own = recommender(db.session, sectors="C", user_id=user.id, name="伊宁市工业和信息化局")
    other = recommender(db.session, sectors="F", name="伊宁市商务局")
    cycle = f.cycle(db.session, year=TODAY.year)
    factory = application(
        db.session, cycle, org=ready_organization(db.session, industry_code="C"), signed=None
    )
    shop = application(
        db.session, cycle, org=ready_organization(db.session, industry_code="F"), signed=None
    )
    db.session.commit()
    return own, other, factory, shop


def _form(app_id, rec_id, **extra):
    values = {
        "application": str(app_id),
        "recommender": str(rec_id),
        "opinion": "该企业质量管理成效显著，同意推荐。",
        "signatory": "李局长",
        "signed_on": TODAY.isoformat(),
        "pages": "2",
    }
    values.update(extra)
    return values


def test_a_recommender_recommends_an_application_of_its_sector_on_the_screen(setup, db, as_user):
    """M-9, M-18: a signed recommendation recorded by the recommender itself."""
    own, _, factory, _ = setup
    b = as_user("recommender1")
    form_page = _text(b.get("/recommendationview/add"))
    assert factory.number in form_page  # offered: an application still awaiting one
    resp = b.post("/recommendationview/add", _form(factory.id, own.id), follow_redirects=True)
    assert resp.status_code == 200
    rec = db.session.scalar(select(Recommendation))
    assert rec is not None and rec.application_id == factory.id and rec.is_signed
    listing = _text(b.get("/recommendationview/list/"))
    assert factory.number in listing


def test_a_recommender_is_refused_for_an_application_of_another_sector(setup, db, as_user):
    """M-9: departments recommend applicants of their own sectors only; nothing saved."""
    own, _, _, shop = setup
    b = as_user("recommender1")
    resp = b.post("/recommendationview/add", _form(shop.id, own.id), follow_redirects=True)
    assert "M-9" in _text(resp) and "不包括申报主体所属行业 F" in _text(resp)
    assert _count(db, Recommendation) == 0


def test_a_recommender_cannot_sign_in_another_recommenders_name(setup, db, as_api):
    """M-9 through the API: the recommender picks only itself."""
    _, other, _, shop = setup
    resp = as_api("recommender1").post(
        "/api/v1/recommendation/",
        json={
            "application": shop.id,
            "recommender": other.id,
            "opinion": "同意推荐",
            "signatory": "王局长",
            "signed_on": TODAY.isoformat(),
        },
    )
    assert resp.status_code == 422 and resp.json["rule"] == "M-9"
    assert _count(db, Recommendation) == 0


def test_the_api_refuses_a_recommender_outside_its_sector_with_m9(setup, db, as_api):
    own, _, _, shop = setup
    resp = as_api("recommender1").post(
        "/api/v1/recommendation/",
        json={"application": shop.id, "recommender": own.id, "opinion": "同意推荐"},
    )
    assert resp.status_code == 422 and resp.json["rule"] == "M-9"


def test_a_half_signed_recommendation_is_refused(setup, db, as_user):
    """M-18: the recommendation counts once signed, with signatory and date together."""
    own, _, factory, _ = setup
    b = as_user("recommender1")
    resp = b.post(
        "/recommendationview/add",
        _form(factory.id, own.id, signed_on=""),
        follow_redirects=True,
    )
    assert "签署人和签署日期须同时填写" in _text(resp)
    assert _count(db, Recommendation) == 0


def test_an_unsigned_recommendation_is_saved_but_fails_m18_in_the_review(setup, db, as_api):
    own, _, factory, _ = setup
    resp = as_api("recommender1").post(
        "/api/v1/recommendation/",
        json={"application": factory.id, "recommender": own.id, "opinion": "拟推荐，待签署"},
    )
    assert resp.status_code == 201, resp.json
    review = as_api("office").post(f"/api/v1/application_action/{factory.id}/eligibility")
    # Issue 18: the review does not start without the signature (M-18).
    assert review.status_code == 422 and review.json["rule"] == "M-18"
    assert "推荐单位尚未签署推荐意见" in review.json["message"]


def test_a_second_recommendation_for_the_same_application_is_refused(setup, db, as_api):
    own, _, factory, _ = setup
    body = {"application": factory.id, "recommender": own.id, "opinion": "同意推荐"}
    assert as_api("recommender1").post("/api/v1/recommendation/", json=body).status_code == 201
    resp = as_api("office").post("/api/v1/recommendation/", json=body)
    assert resp.status_code == 422 and resp.json["rule"] == "M-18"


def test_the_office_records_a_paper_recommendation_for_any_recommender_in_its_sector(
    setup, db, as_user
):
    _, other, _, shop = setup
    b = as_user("office")
    resp = b.post("/recommendationview/add", _form(shop.id, other.id), follow_redirects=True)
    assert resp.status_code == 200
    assert db.session.scalar(select(Recommendation.recommender_id)) == other.id


# --- bans (M-19.1, M-28) ---------------------------------------------------------------------


def _new_cycle(db):
    return f.cycle(
        db.session,
        year=TODAY.year + 1,
        opens_on=TODAY - timedelta(days=1),
        deadline=TODAY + timedelta(days=30),
    )


def test_a_revoked_winner_is_refused_on_the_screen_with_the_reason_and_end_date(setup, db, as_user):
    """M-28: a revoked winner may not apply for 5 years."""
    _, _, factory, _ = setup
    ends = TODAY + timedelta(days=400)
    db.session.add(
        Ban(
            organization_id=factory.organization_id,
            reason="revoked",
            starts_on=TODAY - timedelta(days=100),
            ends_on=ends,
        )
    )
    cycle = _new_cycle(db)
    db.session.commit()
    resp = as_user("office").post(
        "/applicationview/add",
        {
            "cycle": cycle.id,
            "prize": "award",
            "applicant_kind": "organization",
            "organization": factory.organization_id,
            "paper_copies": "2",
        },
        follow_redirects=True,
    )
    text = _text(resp)
    assert "M-28" in text and "被撤销奖项" in text and f"禁止申报至 {ends.isoformat()}" in text
    assert (
        db.session.scalar(
            select(func.count()).select_from(Application).where(Application.cycle_id == cycle.id)
        )
        == 0
    )


def test_a_falsification_ban_is_refused_by_the_api_with_the_reason_and_cycle(setup, db, as_api):
    """M-19.1: barred from the cycle where it was found (当年不得补报)."""
    _, _, _, shop = setup
    cycle = _new_cycle(db)
    db.session.add(
        Ban(
            organization_id=shop.organization_id,
            reason="falsified",
            starts_on=TODAY,
            ends_on=date(TODAY.year, 12, 31),
            application_id=application(db.session, cycle, org=shop.organization).id,
        )
    )
    db.session.commit()
    resp = as_api("office").post(
        "/api/v1/application/",
        json={
            "cycle": cycle.id,
            "prize": "award",
            "applicant_kind": "organization",
            "organization": shop.organization_id,
            "paper_copies": 2,
        },
    )
    assert resp.status_code == 422 and resp.json["rule"] == "M-19.1"
    assert f"{cycle.year}年度评定不得补报" in resp.json["message"]


def test_a_ban_that_ended_yesterday_does_not_refuse(setup, db, as_api):
    _, _, _, shop = setup
    db.session.add(
        Ban(
            organization_id=shop.organization_id,
            reason="revoked",
            starts_on=TODAY - timedelta(days=2000),
            ends_on=TODAY - timedelta(days=1),
        )
    )
    cycle = _new_cycle(db)
    db.session.commit()
    resp = as_api("office").post(
        "/api/v1/application/",
        json={
            "cycle": cycle.id,
            "prize": "award",
            "applicant_kind": "organization",
            "organization": shop.organization_id,
            "paper_copies": 2,
        },
    )
    assert resp.status_code == 201, resp.json
