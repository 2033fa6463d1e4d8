"""Issue 15: every screen button has an endpoint under one pattern,
`/api/v1/<resource>/<pk>/<action>`, with its request body in the OpenAPI document; the old
paths keep working as deprecated aliases (CONTRACT); actions take `version` (409 when stale).

Runs on SQLite and PostgreSQL (`--db=postgres -m db`)."""

import re

import pytest

from app.domain.enums import ApplicationStatus as S
from app.domain.enums import ReviewStage, Stage
from app.extensions import db as _db
from models import Application, AwardCycle
from tests import factories as f
from tests.app.test_workflow_builders import Entry, application, new_cycle, review

pytestmark = pytest.mark.db

ONE_PATTERN = re.compile(r"^/api/v1/[a-z_]+/\{pk\}/[a-z_.]+$")


def _users(app):
    for name, role in (("office", "Office"), ("committee1", "Committee"), ("admin", "Admin")):
        f.user(app, name, role)
    _db.session.commit()


def _tie(year):
    """Three award finalists, the second and third equal on every score: a tie at the quota."""
    entries = [
        Entry("a1", "award", "800", "850"),
        Entry("a2", "award", "700", "800", results="300"),
        Entry("a3", "award", "700", "800", results="300"),
    ]
    cycle = new_cycle(year, stage=Stage.COMPREHENSIVE.value)
    for e in entries:
        application(cycle, e, S.FINALIST)
    review(cycle, ReviewStage.MATERIAL, {e.app.id: (e.material, "250") for e in entries})
    review(cycle, ReviewStage.ONSITE, {e.app.id: (e.onsite, e.results) for e in entries})
    _db.session.commit()
    return cycle, {e.key: e.app.id for e in entries}


def test_the_committees_tie_decision_has_an_endpoint_m19_5(app, db, api):
    _users(app)
    cycle, ids = _tie(2092)
    office = api("office")
    ranked = office.post(f"/api/v1/award_cycle/{cycle.id}/rank", json={})
    assert ranked.status_code == 200, ranked.get_data(as_text=True)
    assert ranked.json["prizes"]["award"]["unresolved_tie"]

    path = f"/api/v1/award_cycle/{cycle.id}/decide_tie"
    assert api("committee1").post(path, json={}).status_code == 403
    no_reason = office.post(path, json={"application_ids": [ids["a3"]]})
    assert no_reason.status_code == 422 and "理由" in no_reason.json["message"]
    assert set(no_reason.json) >= {"message", "rule", "fields"}

    stale = office.post(
        path, json={"application_ids": [ids["a3"]], "reason": "委员会议定", "version": 0}
    )
    assert stale.status_code == 409 and isinstance(stale.json["version"], int)

    decided = office.post(path, json={"application_ids": [ids["a3"]], "reason": "委员会议定"})
    assert decided.status_code == 200, decided.get_data(as_text=True)
    assert [p["application_id"] for p in decided.json["proposed"]] == [ids["a3"]]
    _db.session.expire_all()
    assert _db.session.get(Application, ids["a3"]).status == S.PROPOSED.value
    assert _db.session.get(Application, ids["a2"]).status == S.FINALIST.value


def test_a_stale_version_on_an_action_is_409_and_changes_nothing_m17(app, db, api):
    _users(app)
    cycle = f.cycle(db.session, year=2093)
    db.session.commit()
    version = cycle.version
    resp = api("office").post(
        f"/api/v1/award_cycle/{cycle.id}/advance", json={"version": version + 5}
    )
    assert resp.status_code == 409
    assert resp.json["version"] == version and "已被他人修改" in resp.json["message"]
    _db.session.expire_all()
    assert _db.session.get(AwardCycle, cycle.id).stage == "applications_open"


def test_the_new_paths_and_the_deprecated_aliases_answer_alike_m19_1(app, db, api):
    _users(app)
    cycle = f.cycle(db.session, year=2094)
    org = f.organization(db.session)
    app_row = Application(
        cycle_id=cycle.id,
        number="2094-ZLJ-001",
        prize="award",
        applicant_kind="organization",
        organization_id=org.id,
        status="submitted",
    )
    db.session.add(app_row)
    db.session.commit()
    office = api("office")
    new = office.get(f"/api/v1/application/{app_row.id}/eligibility")
    old = office.get(f"/api/v1/application_action/{app_row.id}/eligibility")
    assert new.status_code == old.status_code == 200
    assert new.json["application_id"] == old.json["application_id"] == app_row.id
    for path in (
        f"/api/v1/award_cycle/{cycle.id}/confirm_eligible",
        f"/api/v1/award_cycle_action/{cycle.id}/confirm_eligible",
    ):
        resp = office.post(path, json={"note": "x"})
        assert resp.status_code in (200, 422), (path, resp.status_code)
        assert set(resp.json) >= {"message", "rule", "fields"} or resp.status_code == 200
    for path in (
        f"/api/v1/award_cycle/{cycle.id}/summary.xlsx",
        f"/api/v1/award_cycle_action/{cycle.id}/summary.xlsx",
    ):
        assert office.get(path).status_code == 200, path


def test_every_action_is_documented_under_one_pattern_with_its_body(app, db, api):
    """/api/v1/_openapi lists each action at /api/v1/<resource>/{pk}/<action>, with a request
    body schema for each POST or PUT; the old patterns are marked deprecated."""
    _users(app)
    spec = api("admin").get("/api/v1/_openapi").json
    paths = spec["paths"]
    for path in (
        "/api/v1/award_cycle/{pk}/decide_tie",
        "/api/v1/award_cycle/{pk}/confirm_eligible",
        "/api/v1/award_cycle/{pk}/summary.xlsx",
        "/api/v1/application/{pk}/eligibility",
        "/api/v1/application/{pk}/eligibility_outcome",
        "/api/v1/application/{pk}/eligibility_judgement",
        "/api/v1/application/{pk}/eligibility_supplement",
        "/api/v1/follow_up_report/{pk}/send_back",
        "/api/v1/scoresheet/{pk}/save",
        "/api/v1/objection/{pk}/resolve",
    ):
        assert path in paths, path
    missing_body = []
    for path, ops in paths.items():
        if "/{pk}/" not in path:
            continue
        for method in ("post", "put", "get"):
            op = ops.get(method)
            if op is None or op.get("deprecated"):
                continue
            assert ONE_PATTERN.match(path), path
            if method == "get":
                continue
            schema = (
                op.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema", {})
            )
            # A body-less action documents an empty object: still an explicit schema.
            if "properties" not in schema and "multipart/form-data" not in str(op):
                missing_body.append(f"{method.upper()} {path}")
    assert not missing_body, missing_body
    outcome = paths["/api/v1/application/{pk}/eligibility_outcome"]["post"]
    props = outcome["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert {"outcome", "version"} <= set(props)
    for old in (
        "/api/v1/application_action/{pk}/eligibility/outcome",
        "/api/v1/award_cycle_action/{pk}/confirm_eligible",
        "/api/v1/follow_up_report/{pk}/send-back",
    ):
        assert paths[old]["post"].get("deprecated") is True, old
    assert "409" in spec["components"]["responses"]
    body = spec["components"]["responses"]["422"]["content"]["application/json"]["schema"]
    assert {"message", "rule", "fields"} <= set(body["properties"])
