"""M-19.1: a falsified application bars the applicant from re-applying in the same cycle
(当年不得补报), not from the next year's cycle; the intake refusal and the eligibility checklist
give one answer from one rule."""

from datetime import date, timedelta

from sqlalchemy import select

from app.domain.eligibility import BAN_RULE
from app.services import eligibility_facts
from models import Application, AwardCycle, Ban, Organization
from tests import factories as f
from tests.app.test_eligibility_service import application, ready_organization

TODAY = date.today()


def _ban_line(app_row):
    checklist = eligibility_facts.compute(app_row, with_judgements=False)
    return next(item for item in checklist.items if item.rule == BAN_RULE)


def _apply(client, cycle_id, org_id):
    return client.post(
        "/api/v1/application/",
        json={
            "cycle": cycle_id,
            "prize": "award",
            "applicant_kind": "organization",
            "organization": org_id,
            "paper_copies": 2,
        },
    )


def test_the_demo_falsifier_of_2026_may_apply_to_the_2027_cycle_and_its_checklist_agrees(
    app, demo, api
):
    """M-19.1: 伊香园 was found falsifying in the 2026 cycle; the 2027 cycle, open since
    2026, accepts its application and its checklist shows no ban."""
    from app.extensions import db

    with app.app_context():
        org_id = db.session.scalar(
            select(Organization.id).where(Organization.name.like("%伊香园%"))
        )
        cycle_id = db.session.scalar(select(AwardCycle.id).where(AwardCycle.year == 2027))
        assert db.session.scalar(select(Ban.id).where(Ban.organization_id == org_id))
    resp = _apply(api("office"), cycle_id, org_id)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    with app.app_context():
        line = _ban_line(db.session.get(Application, resp.json["id"]))
        assert line.status.value == "pass", line


def test_a_falsifier_is_refused_in_the_same_cycle_and_the_checklist_says_the_same(app, db, api):
    """M-19.1: the ban belongs to the cycle in which the falsification was found."""
    f.user(app, "office", "Office")
    this_year = f.cycle(
        db.session,
        year=2030,
        opens_on=TODAY - timedelta(days=10),
        deadline=TODAY + timedelta(days=60),
    )
    next_year = f.cycle(
        db.session,
        year=2031,
        opens_on=TODAY - timedelta(days=1),
        deadline=TODAY + timedelta(days=400),
    )
    org = ready_organization(db.session)
    falsified = application(db.session, this_year, org=org, status="returned_falsified")
    db.session.add(
        Ban(
            organization_id=org.id,
            reason="falsified",
            starts_on=TODAY - timedelta(days=5),
            ends_on=date((TODAY - timedelta(days=5)).year, 12, 31),
            application_id=falsified.id,
        )
    )
    db.session.commit()
    client = api("office")
    refused = _apply(client, this_year.id, org.id)
    assert refused.status_code == 422 and refused.json["rule"] == "M-19.1"
    assert "2030年度" in refused.json["message"]
    assert _ban_line(falsified).status.value == "fail"

    accepted = _apply(client, next_year.id, org.id)
    assert accepted.status_code == 201, accepted.get_data(as_text=True)
    db.session.expire_all()
    assert _ban_line(db.session.get(Application, accepted.json["id"])).status.value == "pass"
