"""A second vote on the same candidate is refused naming M-19.6, and the typed vote comes back
(issue 16, defect 8)."""

from sqlalchemy import func, select

from app.domain.enums import ApplicationStatus as S
from app.extensions import db as _db
from models import CommitteeVote
from tests import factories as f
from tests.app.test_refused_forms import _field_errors, _value
from tests.app.test_workflow_builders import Entry, application, new_cycle


def test_a_duplicate_committee_vote_names_m_19_6_and_keeps_the_typed_vote(app, db, browser):
    f.user(app, "committee1", "Committee")
    _db.session.commit()
    cycle = new_cycle(2066, stage="committee_vote")
    e = Entry("a1", "award", "800")
    application(cycle, e, S.PROPOSED)
    _db.session.commit()
    b = browser("committee1")
    form = {
        "application": e.app.id,
        "held_on": "2066-09-01",
        "members": 15,
        "present": 13,
        "votes_for": 7,
        "votes_against": 5,
        "abstentions": 1,
    }
    assert b.post("/committeevoteview/add", form).status_code == 302
    again = {**form, "votes_for": 9, "votes_against": 3, "note": "第二次录入"}
    resp = b.post("/committeevoteview/add", again)
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "M-19.6" in page and "已录入" in page
    assert "数据完整性" not in page
    assert "M-19.6" in _field_errors(page, "application")
    assert _value(page, "votes_for") == "9" and _value(page, "note") == "第二次录入"
    assert _db.session.scalar(select(func.count()).select_from(CommitteeVote)) == 1
