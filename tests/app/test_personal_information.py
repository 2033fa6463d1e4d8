"""Personal information (PIPL; GB/T 22239-2019 8.1.4.11 个人信息保护): a recommender sees only the
applicants of its sectors or that it recommended, every role but the Office sees ID numbers and
phones masked, and the Office's full view of a record is logged."""

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.masking import mask_id_number, mask_phone
from models import (
    AuditEntry,
    Individual,
    Organization,
    Recommendation,
    Recommender,
)

FULL_ID = re.compile(r"\b\d{17}[\dX]\b")


@pytest.fixture
def data(app, demo):
    """The demo data set, read through a session of its own (the `db` fixture would wipe it)."""
    from app.extensions import db

    with app.app_context():
        yield db
        db.session.rollback()


def _recommender1(db):
    return db.session.scalar(select(Recommender).where(Recommender.name == "伊宁市工业和信息化局"))


def _allowed(db):
    """The organization and individual ids recommender1 may see: its sectors, its recommendations."""
    rec = _recommender1(db)
    sectors = set(rec.sectors.split(","))
    recommended = [
        r.application
        for r in db.session.scalars(select(Recommendation).filter_by(recommender_id=rec.id))
    ]
    orgs = {o.id for o in db.session.scalars(select(Organization)) if o.industry_code in sectors}
    orgs |= {a.organization_id for a in recommended if a.organization_id}
    people = {
        p.id
        for p in db.session.scalars(select(Individual))
        if p.employer is not None and p.employer.industry_code in sectors
    }
    people |= {a.individual_id for a in recommended if a.individual_id}
    return orgs, people


def _all_ids(client, resource):
    resp = client.get(f"/api/v1/{resource}/?q=(page_size:100)")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return {row["id"] for row in resp.json["result"]}, resp.json


def test_a_recommender_lists_only_the_applicants_of_its_sectors_or_that_it_recommended(
    app, data, api
):
    """Issue 17 finding: recommender1 (sectors C, D) read every applicant (M-9 scope)."""
    orgs, people = _allowed(data)
    all_orgs = set(data.session.scalars(select(Organization.id)))
    all_people = set(data.session.scalars(select(Individual.id)))
    assert all_orgs - orgs and all_people - people, "演示数据应有推荐单位范围外的申报主体"
    client = api("recommender1")
    seen_orgs, _ = _all_ids(client, "organization")
    seen_people, _ = _all_ids(client, "individual")
    assert seen_orgs and seen_orgs <= orgs
    assert seen_people <= people
    outside_org = min(all_orgs - orgs)
    assert client.get(f"/api/v1/organization/{outside_org}").status_code == 404
    outside_person = min(all_people - people)
    assert client.get(f"/api/v1/individual/{outside_person}").status_code == 404


def test_a_recommender_screen_and_choices_hold_the_same_scope(app, data, browser, api):
    orgs, people = _allowed(data)
    outside = data.session.scalars(select(Organization).where(Organization.id.not_in(orgs))).first()
    b = browser("recommender1")
    page = b.get("/organizationview/list/?psize_OrganizationView=100").get_data(as_text=True)
    assert outside.name not in page
    assert b.get(f"/organizationview/show/{outside.id}").status_code == 404
    # `_info` of the application resource offers only organizations in scope.
    info = api("recommender1").get("/api/v1/application/_info?q=(keys:!(add_columns))")
    if info.status_code == 200:
        for column in info.json.get("add_columns", []):
            if column["name"] == "organization":
                assert {v["id"] for v in column["values"]} <= orgs


def test_roles_other_than_the_office_see_id_numbers_and_phones_masked_in_the_api(app, data, api):
    person = data.session.scalars(select(Individual).where(Individual.phone.is_not(None))).first()
    committee = api("committee1").get(f"/api/v1/individual/{person.id}")
    assert committee.status_code == 200
    assert committee.json["result"]["id_number"] == mask_id_number(person.id_number)
    assert committee.json["result"]["phone"] == mask_phone(person.phone)
    listing = api("committee1").get("/api/v1/individual/?q=(page_size:100)")
    assert not FULL_ID.search(listing.get_data(as_text=True))
    office = api("office").get(f"/api/v1/individual/{person.id}")
    assert office.json["result"]["id_number"] == person.id_number
    assert office.json["result"]["phone"] == person.phone


def test_roles_other_than_the_office_see_masked_values_on_screens_and_exports(app, data, browser):
    person = data.session.scalars(select(Individual).where(Individual.phone.is_not(None))).first()
    b = browser("committee1")
    listing = b.get("/individualview/list/?psize_IndividualView=100").get_data(as_text=True)
    assert person.id_number not in listing
    assert mask_id_number(person.id_number) in listing
    shown = b.get(f"/individualview/show/{person.id}").get_data(as_text=True)
    assert person.id_number not in shown and person.phone not in shown
    assert mask_phone(person.phone) in shown
    resp = b.post(
        "/individualview/action_post",
        data={"action": "export_xlsx", "rowid": [person.id]},
        token_from="/individualview/list/",
    )
    assert resp.status_code == 200
    sheet = load_workbook(io.BytesIO(resp.data)).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value}
    assert person.id_number not in cells
    assert mask_id_number(person.id_number) in cells


def test_the_office_sees_full_values_and_each_full_view_is_logged(app, data, browser, api):
    person = data.session.scalars(select(Individual)).first()
    before = data.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
    shown = browser("office").get(f"/individualview/show/{person.id}").get_data(as_text=True)
    assert person.id_number in shown
    assert api("office").get(f"/api/v1/individual/{person.id}").status_code == 200
    data.session.expire_all()
    views = data.session.scalars(
        select(AuditEntry).where(AuditEntry.id > before, AuditEntry.action == "view_pii")
    ).all()
    assert len(views) == 2
    assert {(e.username, e.object_type, e.object_id) for e in views} == {
        ("office", "Individual", person.id)
    }
    assert all(e.at is not None for e in views)
