"""Every write is in the audit log (M-3): who, when, from where (screen, API, CLI), the record
and each changed field's old and new value, whatever path made the change."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from models import (
    Application,
    AuditEntry,
    ConsultingEngagement,
    InterestDeclaration,
    Reviewer,
    ReviewGroup,
    ReviewGroupMember,
)
from tests import factories as f


def entries(db, object_type, action=None):
    stmt = select(AuditEntry).where(AuditEntry.object_type == object_type)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return list(db.session.scalars(stmt.order_by(AuditEntry.id)))


def only(db, object_type, action):
    found = entries(db, object_type, action)
    assert len(found) == 1, [(e.action, e.summary) for e in entries(db, object_type)]
    return found[0]


def _reviewer(db, code="R-AUD-1", name="审计测试专家"):
    r = Reviewer(code=code, name=name, industries="C")
    db.session.add(r)
    db.session.flush()
    return r


def test_creating_an_application_writes_an_entry_with_its_values_M_3(app, db):
    cycle = f.cycle(db.session)
    org = f.organization(db.session)
    application = Application(
        cycle_id=cycle.id,
        number="2030-AUD-1",
        prize="award",
        applicant_kind="organization",
        organization_id=org.id,
    )
    db.session.add(application)
    db.session.commit()
    entry = only(db, "Application", "db_insert")
    assert entry.object_id == application.id
    assert entry.application_id == application.id and entry.cycle_id == cycle.id
    assert entry.details["changes"]["number"] == {"old": None, "new": "2030-AUD-1"}
    assert entry.details["table"] == "application" and entry.details["label"] == "2030-AUD-1"
    assert entry.origin == "cli" and "2030-AUD-1" in entry.summary


def test_changing_cycle_settings_through_the_api_writes_old_and_new_values_M_3(
    app, db, api, browser
):
    f.user(app, "office", "Office")
    cycle = f.cycle(db.session, name="旧名称")
    db.session.commit()
    resp = api("office").put(f"/api/v1/award_cycle/{cycle.id}", json={"name": "新名称"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    entry = only(db, "AwardCycle", "db_update")
    assert entry.details["changes"]["name"] == {"old": "旧名称", "new": "新名称"}
    assert (entry.username, entry.origin, entry.cycle_id) == ("office", "api", cycle.id)
    page = browser("office").get(f"/auditentryview/show/{entry.id}").get_data(as_text=True)
    assert "接口" in page and "新名称" in page


def test_an_interest_declared_on_a_screen_is_recorded_with_the_screen_as_origin_M_25(
    app, db, browser
):
    f.user(app, "office", "Office")
    org = f.organization(db.session)
    reviewer = _reviewer(db)
    db.session.commit()
    browser("office").post(
        "/interestdeclarationview/add",
        {"reviewer": str(reviewer.id), "organization": str(org.id), "kind": "relative"},
    )
    declaration = db.session.scalar(select(InterestDeclaration))
    assert declaration is not None
    entry = only(db, "InterestDeclaration", "db_insert")
    assert (entry.username, entry.origin, entry.object_id) == ("office", "screen", declaration.id)
    assert entry.details["changes"]["kind"] == {"old": None, "new": "relative"}
    assert entry.details["changes"]["organization_id"] == {"old": None, "new": org.id}


def test_group_members_interests_and_consulting_are_recorded_on_insert_update_delete_M_25(app, db):
    """M-25, M-3: who sits in a group and what conflicts were declared, and every change to it."""
    cycle = f.cycle(db.session)
    org = f.organization(db.session)
    reviewer = _reviewer(db)
    group = ReviewGroup(cycle_id=cycle.id, name="第一评审组", stage="material")
    db.session.add(group)
    db.session.flush()
    member = ReviewGroupMember(group_id=group.id, reviewer_id=reviewer.id)
    declaration = InterestDeclaration(
        reviewer_id=reviewer.id, organization_id=org.id, kind="employment", note="曾任职"
    )
    consulting = ConsultingEngagement(
        reviewer_id=reviewer.id, organization_id=org.id, started_on=date(2029, 1, 1)
    )
    db.session.add_all([member, declaration, consulting])
    db.session.commit()
    assert only(db, "ReviewGroupMember", "db_insert").details["changes"]["reviewer_id"] == {
        "old": None,
        "new": reviewer.id,
    }
    assert (
        only(db, "InterestDeclaration", "db_insert").details["changes"]["note"]["new"] == "曾任职"
    )
    member.is_leader = True
    declaration.note = "曾任职（已离职）"
    consulting.ended_on = date(2029, 6, 30)
    db.session.commit()
    assert only(db, "ReviewGroupMember", "db_update").details["changes"]["is_leader"] == {
        "old": False,
        "new": True,
    }
    assert only(db, "InterestDeclaration", "db_update").details["changes"]["note"] == {
        "old": "曾任职",
        "new": "曾任职（已离职）",
    }
    assert only(db, "ConsultingEngagement", "db_update").details["changes"]["ended_on"] == {
        "old": None,
        "new": "2029-06-30",
    }
    db.session.delete(member)
    db.session.delete(declaration)
    db.session.delete(consulting)
    db.session.commit()
    gone = only(db, "InterestDeclaration", "db_delete")
    assert gone.details["changes"]["note"] == {"old": "曾任职（已离职）", "new": None}
    assert only(db, "ReviewGroupMember", "db_delete").object_id == member.id
    assert only(db, "ConsultingEngagement", "db_delete")


def test_users_and_their_roles_are_recorded_and_password_hashes_masked_M_3(app, db):
    sm = app.appbuilder.sm
    user = f.user(app, "clerk9", "Office")
    created = only(db, "User", "db_insert")
    changes = created.details["changes"]
    assert changes["username"]["new"] == "clerk9"
    assert changes["password"]["new"] == "******"
    assert changes["roles"] == {"old": [], "new": ["Office"]}
    user.roles = [sm.find_role("Committee")]
    db.session.commit()
    changed = only(db, "User", "db_update")
    assert changed.details["changes"]["roles"] == {"old": ["Office"], "new": ["Committee"]}
    sm.reset_password(user.id, "Another-passw0rd")
    db.session.commit()
    reset = entries(db, "User", "db_update")[-1]
    assert reset.details["changes"]["password"] == {"old": "******", "new": "******"}
    assert "pbkdf2" not in str(reset.details) and "scrypt" not in str(reset.details)


def test_a_role_losing_a_permission_is_recorded_M_3(app, db):
    sm = app.appbuilder.sm
    role = sm.add_role("审计测试角色")
    role.permissions = [sm.add_permission_view_menu("can_list", "AuditTestView")]
    db.session.commit()
    role.permissions = []
    db.session.commit()
    change = entries(db, "Role", "db_update")[-1]
    assert change.details["changes"]["permissions"]["new"] == []
    assert change.details["changes"]["permissions"]["old"]
    db.session.delete(role)
    db.session.commit()


def test_captured_entries_and_decisions_chain_into_one_verified_log_M_3(app, db):
    """Entries of the session's capture and of `audit.record` in one transaction chain in order."""
    from app.services import audit

    org = f.organization(db.session)
    audit.record("test_decision", org, "一项决定", reason="理由")
    org.name = "又改名"
    db.session.flush()
    audit.record("test_decision", org, "第二项决定", reason="理由")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["award", "verify-audit"])
    assert result.exit_code == 0, result.output
    actions = [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["db_insert", "test_decision", "db_update", "test_decision"]


def test_bulk_update_and_delete_statements_are_recorded_row_by_row_M_3(app, db):
    """Statements that bypass the unit of work (`session.execute(update(...))`) are no way
    around the log; a statement that changes nothing (a version lock) writes nothing."""
    from sqlalchemy import delete, update

    from models import Organization

    org = f.organization(db.session, name="批量前公司")
    db.session.commit()
    db.session.execute(
        update(Organization).where(Organization.id == org.id).values(version=Organization.version)
    )
    assert entries(db, "Organization", "db_update") == []
    db.session.execute(
        update(Organization).where(Organization.id == org.id).values(name="批量后公司")
    )
    db.session.commit()
    changed = only(db, "Organization", "db_update")
    assert changed.details["changes"]["name"] == {"old": "批量前公司", "new": "批量后公司"}
    assert changed.details["bulk"] is True and changed.object_id == org.id
    db.session.execute(delete(Organization).where(Organization.id == org.id))
    db.session.commit()
    gone = only(db, "Organization", "db_delete")
    assert gone.details["changes"]["name"] == {"old": "批量后公司", "new": None}
    assert app.test_cli_runner().invoke(args=["award", "verify-audit"]).exit_code == 0


def test_the_origin_of_a_change_outside_a_request_is_the_cli_or_a_cron_job(app, db):
    """`remind` and `followups` run from cron: their changes are a job's, other commands the CLI's."""
    import click

    from app.services import audit

    assert audit.current_origin() == "cli"
    with click.Context(click.Command("remind"), info_name="remind"):
        assert audit.current_origin() == "job"
    with click.Context(click.Command("sync-roles"), info_name="sync-roles"):
        assert audit.current_origin() == "cli"
    with app.test_request_context("/api/v1/application/"):
        assert audit.current_origin() == "api"
    with app.test_request_context("/applicationview/list/"):
        assert audit.current_origin() == "screen"


def test_a_sheets_sums_as_submitted_are_in_its_audited_submit_and_return_M_3_M_19_2(app, db):
    """Closing a group reads the stored sums, so they are audited like the points: the submit's
    entry for the sheet carries them (old none, new the sums), the return to draft clears them
    in its own entry; the chain's MAC covers the entries' details (audit.MAC_FIELDS)."""
    from app.services import scoring
    from tests.app.test_scoring_scene import all_at, build

    scene = build(app, db)
    sheet = scene.sheet(db.session, 0)
    scoring.submit(sheet.id, scene.actor(0), sheet.version, all_at(db.session, scene.cycle, 50))
    scoring.reopen(sheet.id, scoring.Actor("office"), "请复核")
    changed = [
        e.details["changes"]["category_sums"]
        for e in entries(db, "Scoresheet", "db_update")
        if e.object_id == sheet.id and "category_sums" in e.details["changes"]
    ]
    assert [c["old"] is None for c in changed] == [True, False]
    submitted = changed[0]["new"]
    assert sum(Decimal(v) for v in submitted.values()) == 500 and changed[1]["new"] is None
