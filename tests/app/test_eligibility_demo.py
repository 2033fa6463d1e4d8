"""The demo cycle shows every eligibility outcome, and the service agrees with its checklists."""

from sqlalchemy import select

from app.domain.enums import ApplicationStatus as S
from models import Application, AwardCycle

OUTCOMES = {S.ELIGIBLE, S.RETURNED_INCOMPLETE, S.RETURNED_INELIGIBLE, S.RETURNED_FALSIFIED}


def _applications(app, year):
    from app.extensions import db

    with app.app_context():
        cycle = db.session.scalar(select(AwardCycle).where(AwardCycle.year == year))
        rows = db.session.scalars(select(Application).where(Application.cycle_id == cycle.id))
        return [(a.id, a.number, S(a.status)) for a in rows]


def test_the_demo_cycle_holds_every_outcome_and_each_checklist_opens(app, demo, browser):
    """M-19.1: eligible, returned incomplete, not meeting conditions, falsified."""
    rows = _applications(app, 2026)
    assert OUTCOMES <= {status for _, _, status in rows}
    office = browser("office")
    for app_id, number, status in rows:
        page = office.get(f"/applicationview/checklist/{app_id}")
        assert page.status_code == 200, number
        text = page.get_data(as_text=True)
        assert status.label in text
        if status in OUTCOMES:
            assert 'id="latest-outcome"' in text and 'id="eligibility-checklist"' in text


def test_the_service_recomputes_the_demo_outcomes_consistently(app, demo):
    """Eligible demo applications pass every line; returned-ineligible ones fail one."""
    from app.extensions import db
    from app.services.eligibility_facts import compute

    with app.app_context():
        for app_id, number, status in _applications(app, 2026) + _applications(app, 2025):
            application = db.session.get(Application, app_id)
            checklist = compute(application)
            if status is S.ELIGIBLE:
                assert checklist.passed, number
            if status is S.RETURNED_INELIGIBLE:
                assert checklist.failed_items, number
