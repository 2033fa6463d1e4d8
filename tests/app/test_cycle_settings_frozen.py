"""A cycle's settings are frozen once the stage that relies on them has begun (M-17, M-4, M-20,
M-16, M-19), on the edit screen and through the API alike; an allowed change still goes through."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import delete, func, select

from models import AuditEntry, AwardCycle, CriteriaVersion
from tests import factories as f


def _text(resp):
    return resp.get_data(as_text=True)


def _audit_count(db):
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


@pytest.fixture
def office(app, db):
    f.user(app, "office", "Office")
    db.session.commit()


@pytest.fixture
def other_version(db):
    """A second criteria version; criteria versions are kept between tests, so it is removed."""
    other = CriteriaVersion(
        code="TEST-FREEZE", name="测试标准", published_on=date(2029, 1, 1), total_points=1000
    )
    db.session.add(other)
    db.session.commit()
    yield other
    db.session.rollback()
    db.session.execute(delete(AwardCycle).where(AwardCycle.criteria_version_id == other.id))
    db.session.execute(delete(CriteriaVersion).where(CriteriaVersion.code == "TEST-FREEZE"))
    db.session.commit()


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("min_onsite_score", "500.00", "M-19.5"),
        ("aggregation", "trimmed_mean", "M-19"),
        ("year", 2099, "M-17"),
    ],
)
def test_the_api_refuses_a_frozen_setting_of_a_cycle_in_comprehensive_evaluation(
    app, db, api, office, field, value, rule
):
    """M-17, M-19: the rules that produced the scores cannot change once scoring has begun."""
    cycle = f.cycle(db.session, year=2030, stage="comprehensive", min_onsite_score=Decimal("600"))
    db.session.commit()
    before = {c: getattr(cycle, c) for c in ("year", "aggregation", "min_onsite_score")}
    resp = api("office").put(f"/api/v1/award_cycle/{cycle.id}", json={field: value})
    assert resp.status_code == 422, resp.get_data(as_text=True)
    assert resp.json["rule"] == rule
    assert "综合评价" in resp.json["message"]
    db.session.expire_all()
    row = db.session.get(AwardCycle, cycle.id)
    assert {c: getattr(row, c) for c in before} == before


def test_the_api_refuses_another_criteria_version_once_applications_are_open(
    app, db, api, office, other_version
):
    """M-16, M-17: applicants write their self-assessment against the announced standard."""
    cycle = f.cycle(db.session, year=2030, stage="comprehensive")
    other = other_version
    old = cycle.criteria_version_id
    db.session.commit()
    resp = api("office").put(f"/api/v1/award_cycle/{cycle.id}", json={"criteria_version": other.id})
    assert resp.status_code == 422, resp.get_data(as_text=True)
    assert resp.json["rule"] == "M-16" and "评价准则版本" in resp.json["message"]
    db.session.expire_all()
    assert db.session.get(AwardCycle, cycle.id).criteria_version_id == old


def test_the_api_refuses_a_prize_amount_of_one_yuan_on_an_announced_cycle(app, db, api, office):
    """M-20: the prize money announced with the cycle is what the winners receive."""
    cycle = f.cycle(db.session, year=2030, stage="announced")
    db.session.commit()
    resp = api("office").put(f"/api/v1/award_cycle/{cycle.id}", json={"award_amount": "1"})
    assert resp.status_code == 422
    assert resp.json["rule"] == "M-20" and "质量奖奖金" in resp.json["message"]
    db.session.expire_all()
    assert db.session.get(AwardCycle, cycle.id).award_amount == Decimal("200000.00")


def test_a_setting_not_yet_relied_on_can_still_be_changed(app, db, api, office):
    """A draft cycle's settings are free; an open cycle's minimum score is not yet used."""
    draft = f.cycle(db.session, year=2030, stage="draft")
    open_ = f.cycle(db.session, year=2031, stage="applications_open")
    db.session.commit()
    client = api("office")
    assert (
        client.put(f"/api/v1/award_cycle/{draft.id}", json={"award_amount": "250000"}).status_code
        == 200
    )
    resp = client.put(f"/api/v1/award_cycle/{open_.id}", json={"min_onsite_score": "650"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AwardCycle, draft.id).award_amount == Decimal("250000.00")
    assert db.session.get(AwardCycle, open_.id).min_onsite_score == Decimal("650.00")


def _form(cycle) -> dict:
    values = {
        "version_check": str(cycle.version),
        "criteria_version": str(cycle.criteria_version_id),
    }
    # What the edit screen posts: its own columns, as the cycle holds them.
    from views.cycles import AwardCycleView

    for column in AwardCycleView.edit_columns:
        if column == "criteria_version":
            continue
        value = getattr(cycle, column)
        if isinstance(value, bool):  # a ticked checkbox posts "y"; an unticked one nothing
            if value:
                values[column] = "y"
        elif value is not None:
            values[column] = str(value)
    return values


def test_the_edit_screen_refuses_a_frozen_setting_with_the_rule(app, db, browser, office):
    """M-19.5: the minimum on-site score of a cycle in comprehensive evaluation is frozen."""
    cycle = f.cycle(db.session, year=2030, stage="comprehensive", min_onsite_score=Decimal("600"))
    db.session.commit()
    b = browser("office")
    path = f"/awardcycleview/edit/{cycle.id}"
    resp = b.post(path, {**_form(cycle), "min_onsite_score": "420"}, follow_redirects=True)
    text = _text(resp)
    assert "现场评审最低分" in text and "M-19.5" in text and "综合评价" in text
    db.session.expire_all()
    assert db.session.get(AwardCycle, cycle.id).min_onsite_score == Decimal("600.00")


def test_the_edit_screen_saves_a_setting_that_is_not_frozen(app, db, browser, office):
    cycle = f.cycle(db.session, year=2030, stage="comprehensive")
    db.session.commit()
    b = browser("office")
    path = f"/awardcycleview/edit/{cycle.id}"
    b.post(
        path, {**_form(cycle), "agency_contract_no": "伊市质评委〔2030〕1号"}, follow_redirects=True
    )
    db.session.expire_all()
    assert db.session.get(AwardCycle, cycle.id).agency_contract_no == "伊市质评委〔2030〕1号"
