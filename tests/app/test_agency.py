"""Issue 18, item 6: the third-party agency (M-6, M-10). `agency1` works for the agency that
runs the 2025 cycle: it maintains the reviewer pool, forms groups and assignments with the
same rules and conflict checks as the Office (M-10, M-25), only for the cycles its agency runs
and within the contract period (M-6); it never reaches the Committee's votes, the
eligibility decisions or a cycle's settings."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db as _db
from app.services import reviewing
from models import (
    Application,
    AwardCycle,
    InterestDeclaration,
    Recommendation,
    Recommender,
    Reviewer,
    ReviewGroup,
)
from tests import factories as f

pytestmark = pytest.mark.db


@pytest.fixture
def db(app, demo):
    """The demo data set, read through a session of its own (the suite's `db` would wipe it)."""
    with app.app_context():
        yield _db
        _db.session.rollback()


def cycle_of(year: int) -> AwardCycle:
    return _db.session.scalar(select(AwardCycle).where(AwardCycle.year == year))


def new_eligible_application(year: int = 2025, industry: str = "C") -> Application:
    """A fresh manufacturer found eligible in the cycle, not yet assigned to any group."""
    cycle = cycle_of(year)
    org = f.organization(_db.session, industry_code=industry)
    app = Application(
        cycle_id=cycle.id,
        number=f"{year}-ZLJ-9{org.id:02d}",
        prize="award",
        applicant_kind="organization",
        organization_id=org.id,
        status="eligible",
        submitted_on=cycle.deadline - timedelta(days=5),
        paper_copies=2,
        paper_received_on=cycle.deadline - timedelta(days=3),
    )
    _db.session.add(app)
    _db.session.flush()
    rec = _db.session.scalar(select(Recommender).where(Recommender.sectors == ""))
    _db.session.add(
        Recommendation(
            application_id=app.id,
            recommender_id=rec.id,
            opinion="同意推荐",
            signatory="张局长",
            signed_on=cycle.deadline - timedelta(days=6),
        )
    )
    _db.session.commit()
    return app


def serving_reviewers(industry: str = "C") -> tuple[Reviewer, list[Reviewer]]:
    """An expert of the industry and two more reviewers, all qualified and active (M-10)."""
    today = date.today()
    pool = [
        r
        for r in _db.session.scalars(select(Reviewer).order_by(Reviewer.code))
        if r.active and reviewing.qualification_report(r, today).qualified
    ]
    expert = next(r for r in pool if reviewing.reviewer_facts(r).is_expert_for(industry))
    others = [r for r in pool if r.id != expert.id][:3]
    return expert, others


def test_the_agency_forms_a_group_and_assigns_an_application_of_its_cycle_m6_m10_m25(db, api):
    """M-6, M-10, M-25: agency1 forms a group of three with a leader and an industry expert for
    the 2025 cycle its agency runs, assigns an eligible application; a conflicted reviewer is
    refused as for the Office, naming M-25."""
    app_row = new_eligible_application()
    expert, others = serving_reviewers()
    cycle = cycle_of(2025)
    agency = api("agency1")
    group = agency.post(
        "/api/v1/review_group/",
        json={"cycle": cycle.id, "name": "2025年材料评审第三组", "stage": "material"},
    )
    assert group.status_code == 201, group.json
    gid = group.json["id"]
    for reviewer, leader in ((expert, True), (others[0], False), (others[1], False)):
        member = agency.post(
            "/api/v1/review_group_member/",
            json={"group": gid, "reviewer": reviewer.id, "is_leader": leader},
        )
        assert member.status_code == 201, member.json
    assigned = agency.post(
        "/api/v1/review_assignment/",
        json={"group": gid, "application": app_row.id, "stage": "material"},
    )
    assert assigned.status_code == 201, assigned.json
    tied = others[2]
    db.session.add(
        InterestDeclaration(
            reviewer_id=tied.id,
            organization_id=app_row.organization_id,
            kind="employment",
            declared_on=date.today(),
        )
    )
    db.session.commit()
    refused = agency.post("/api/v1/review_group_member/", json={"group": gid, "reviewer": tied.id})
    assert refused.status_code == 422 and refused.json["rule"] == "M-25", refused.json
    db.session.expire_all()
    assert len(db.session.get(ReviewGroup, gid).members) == 3


def test_the_agency_cannot_form_a_group_for_a_cycle_another_agency_runs_m6(db, api):
    """M-6: the 2026 cycle is run by another agency: a crafted cycle id is refused, and its
    groups are not found."""
    other = cycle_of(2026)
    assert other.agency_id != cycle_of(2025).agency_id
    before = db.session.scalar(select(func.count()).select_from(ReviewGroup))
    agency = api("agency1")
    resp = agency.post(
        "/api/v1/review_group/", json={"cycle": other.id, "name": "越权组", "stage": "material"}
    )
    assert resp.status_code in (400, 422) and resp.json.get("rule") in ("M-6", None), resp.json
    assert db.session.scalar(select(func.count()).select_from(ReviewGroup)) == before
    theirs = db.session.scalar(
        select(ReviewGroup.id)
        .join(AwardCycle)
        .where(AwardCycle.agency_id != cycle_of(2025).agency_id)
    )
    assert agency.get(f"/api/v1/review_group/{theirs}").status_code == 404
    assert agency.get(f"/api/v1/award_cycle/{other.id}").status_code == 404


def test_a_group_formed_outside_the_agency_contract_period_is_refused_m6(db, api):
    """M-6 (decision, README): the agency acts only while its contract for the cycle runs."""
    cycle = cycle_of(2025)
    cycle.agency_contract_end = date.today() - timedelta(days=1)
    db.session.commit()
    resp = api("agency1").post(
        "/api/v1/review_group/",
        json={"cycle": cycle.id, "name": "合同期满后组建", "stage": "material"},
    )
    assert resp.status_code == 422 and resp.json["rule"] == "M-6"
    assert "委托合同期限" in resp.json["message"]
    assert not db.session.scalar(select(ReviewGroup.id).where(ReviewGroup.name == "合同期满后组建"))


def test_reversed_contract_dates_are_refused_and_nothing_changes_m6(db, api):
    cycle = cycle_of(2027)
    resp = api("office").put(
        f"/api/v1/award_cycle/{cycle.id}",
        json={"agency_contract_start": "2027-06-30", "agency_contract_end": "2027-01-01"},
    )
    assert resp.status_code == 422 and "agency_contract_end" in (resp.json["fields"] or {})
    db.session.expire_all()
    assert db.session.get(AwardCycle, cycle.id).agency_contract_start is None


def test_the_agency_never_reaches_votes_eligibility_decisions_or_cycle_edits(db, api, browser):
    """M-6: 403 on the Committee's votes, the eligibility decisions and the cycle's settings,
    on the screens and through the API, with crafted ids too."""
    cycle = cycle_of(2025)
    app_id = db.session.scalar(select(Application.id).where(Application.cycle_id == cycle.id))
    screens = browser("agency1").client
    for path in (
        "/committeevoteview/list/",
        "/eligibilityreviewview/list/",
        "/eligibilityjudgementview/list/",
        f"/applicationview/checklist/{app_id}",
        f"/awardcycleview/edit/{cycle.id}",
        f"/awardcycleview/stage/{cycle.id}",
        f"/awardcycleview/approve_procedure/{cycle.id}",
    ):
        assert screens.get(path).status_code == 403, path
    agency = api("agency1")
    assert agency.get("/api/v1/committee_vote/").status_code == 403
    assert agency.put(f"/api/v1/award_cycle/{cycle.id}", json={"name": "x"}).status_code == 403
    for path, body in (
        (f"/api/v1/award_cycle/{cycle.id}/advance", {}),
        (f"/api/v1/award_cycle/{cycle.id}/confirm_eligible", {}),
        (f"/api/v1/application/{app_id}/eligibility_outcome", {"outcome": "eligible"}),
        (f"/api/v1/application/{app_id}/eligibility", {}),
        (f"/api/v1/application/{2**31 - 1}/eligibility", {}),
    ):
        assert agency.post(path, json=body).status_code in (403, 404), path
    db.session.expire_all()
    assert db.session.get(AwardCycle, cycle.id).stage == "material_review"


def test_the_agency_sees_masked_personal_data_and_only_its_own_agency_m6(db, api):
    """Personal data beyond what the agency needs is masked, as for every role but the Office."""
    reviewer = db.session.scalar(select(Reviewer).where(Reviewer.id_number.is_not(None)))
    shown = api("agency1").get(f"/api/v1/reviewer/{reviewer.id}").json["result"]
    assert shown["id_number"] != reviewer.id_number and "*" in shown["id_number"]
    agencies = api("agency1").get("/api/v1/agency/").json["result"]
    assert [a["name"] for a in agencies] == ["新疆卓越质量管理咨询有限公司"]
