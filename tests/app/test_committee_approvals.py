"""Issue 18, item 7: the Committee's approvals (M-7). A criteria version and a cycle's procedure
are used only once the approval is recorded (who, when, reference): a cycle whose version or
procedure is unapproved does not leave the draft (is not announced, does not open)."""

from datetime import date

import pytest
from sqlalchemy import delete, func, select, update

from app.domain.errors import RuleViolation
from app.services import approvals
from app.services.workflow import advance_stage
from models import AuditEntry, AwardCycle, CriteriaVersion
from tests import factories as f
from tests.clients import isolate

pytestmark = pytest.mark.db


@pytest.fixture
def unapproved(db):
    """A new criteria version not yet approved; removed afterwards (criteria are kept between
    tests, conftest.KEEP_TABLES), the cycles bound to it put back on the approved one."""
    version = CriteriaVersion(
        code="GB/T 19580-2027",
        name="卓越绩效评价准则（GB/T 19580-2027，征求意见稿）",
        published_on=date(2027, 1, 1),
        total_points=1000,
    )
    db.session.add(version)
    db.session.commit()
    vid = version.id
    yield version
    db.session.rollback()
    approved = db.session.scalar(select(CriteriaVersion.id).where(CriteriaVersion.id != vid))
    db.session.execute(
        update(AwardCycle)
        .where(AwardCycle.criteria_version_id == vid)
        .values(criteria_version_id=approved)
    )
    db.session.execute(delete(CriteriaVersion).where(CriteriaVersion.id == vid))
    db.session.commit()


def draft_cycle(db, year=2031, **kw) -> AwardCycle:
    return f.cycle(
        db.session,
        year=year,
        stage="draft",
        opens_on=date(year, 3, 1),
        deadline=date(year, 5, 31),
        **kw,
    )


def _users(app, db):
    f.user(app, "office", "Office")
    f.user(app, "committee1", "Committee")
    db.session.commit()


def test_an_unapproved_criteria_version_cannot_be_bound_to_a_cycle_that_opens_m7(
    app, db, as_api, unapproved
):
    """M-7: on main the cycle opened with an unapproved version; now the move is refused
    until the Committee records its approval, then it goes through."""
    _users(app, db)
    version = unapproved
    cycle = draft_cycle(db, criteria_version_id=version.id)
    db.session.commit()
    with pytest.raises(RuleViolation) as refused:
        advance_stage(cycle.id)
    assert refused.value.rule == "M-7" and "GB/T 19580-2027" in str(refused.value)
    db.session.expire_all()
    assert db.session.get(AwardCycle, cycle.id).stage == "draft"

    office = as_api("office").post(
        f"/api/v1/criteria_version/{version.id}/approve", json={"reference": "纪要"}
    )
    assert office.status_code == 403  # the Committee approves, not the Office
    committee = as_api("committee1")
    empty = committee.post(f"/api/v1/criteria_version/{version.id}/approve", json={})
    assert empty.status_code == 422 and "reference" in empty.json["fields"]
    done = committee.post(
        f"/api/v1/criteria_version/{version.id}/approve",
        json={"reference": "伊食安质委纪〔2031〕1号"},
    )
    assert done.status_code == 200 and done.json["approved_by"] == "committee1", done.json
    again = committee.post(
        f"/api/v1/criteria_version/{version.id}/approve", json={"reference": "再次"}
    )
    assert again.status_code == 422 and again.json["rule"] == "M-7"
    db.session.expire_all()
    assert advance_stage(cycle.id).from_stage == "draft"


def test_an_unapproved_procedure_keeps_the_cycle_in_its_draft_m7(app, db, browser):
    """M-7: the procedure approved on the Committee's screen, with who, when and reference."""
    _users(app, db)
    cycle = draft_cycle(db, procedure_approved_at=None, procedure_approved_by=None)
    db.session.commit()
    with pytest.raises(RuleViolation) as refused:
        advance_stage(cycle.id)
    assert refused.value.rule == "M-7" and "评审程序尚未经委员会批准" in str(refused.value)
    b = browser("committee1")
    isolate(app, b.client)
    path = f"/awardcycleview/approve_procedure/{cycle.id}"
    blank = b.client.post(path, data={"csrf_token": b.csrf(path), "reference": ""})
    assert blank.status_code == 200 and "M-7" in blank.get_data(as_text=True)
    done = b.client.post(
        path,
        data={"csrf_token": b.csrf(path), "reference": "伊食安质委纪〔2031〕2号"},
        follow_redirects=True,
    )
    assert "已记录委员会对本届评审程序的批准" in done.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(AwardCycle, cycle.id)
    assert stored.procedure_approved_by == "committee1"
    assert stored.procedure_approval_ref == "伊食安质委纪〔2031〕2号"
    assert db.session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "procedure_approved", AuditEntry.cycle_id == cycle.id)
    )
    assert advance_stage(cycle.id).from_stage == "draft"


def test_an_open_cycle_cannot_be_rebound_to_an_unapproved_version_m7(app, db, unapproved):
    version = unapproved
    cycle = f.cycle(db.session, year=2032)
    cycle.criteria_version_id = version.id
    cycle.criteria_version = version
    with pytest.raises(RuleViolation) as refused:
        approvals.check_cycle(cycle)
    assert refused.value.rule == "M-7"


def test_the_stage_page_names_the_missing_approval_before_the_move_m7(app, db):
    from app.services.workflow import missing_preconditions

    cycle = draft_cycle(db, year=2033, procedure_approved_at=None)
    assert any("评审程序尚未经委员会批准" in m for m in missing_preconditions(cycle))
