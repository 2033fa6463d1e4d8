"""Issue 15: every screen button has an endpoint under the one pattern
`/api/v1/<resource>/<pk>/<action>`, calling the same use case with the same permission: the
cycle's shortlist (M-19.2), group proposal (M-10, M-19) and group closing (M-19.2), and the
recovery's "recovered today" (M-26). A walk over every screen action and custom POST route
fails when a future button has no endpoint.

Runs on SQLite and PostgreSQL (`--db=postgres -m db`)."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.enums import ApplicationStatus as S
from app.domain.enums import ReviewStage, Stage
from app.extensions import db as _db
from app.services import aftercare
from models import Application, AwardCycle, Recovery, ReviewAssignment, ReviewGroup, RevocationCase
from tests import factories as f
from tests.app.test_after_builders import award
from tests.app.test_scoring_close import _submit_all
from tests.app.test_scoring_scene import application as scene_application
from tests.app.test_scoring_scene import build
from tests.app.test_scoring_scene import reviewer as scene_reviewer
from tests.app.test_workflow_builders import Entry, application, new_cycle, review

pytestmark = pytest.mark.db

MISSING = 987654


def _users(app):
    for name, role in (("office", "Office"), ("committee1", "Committee")):
        f.user(app, name, role)
    _db.session.commit()


def _status(app_id) -> str:
    _db.session.expire_all()
    return _db.session.get(Application, app_id).status


def _refused_the_same_way(api, path, body, stale_body=None):
    """403 for the Committee (no such button), 404 for a missing row, 409 for a stale
    version (when the resource has one): the one error body every time."""
    refused = api("committee1").post(path, json=body)
    assert refused.status_code == 403
    missing = api("office").post(path.replace("/" + path.split("/")[4] + "/", f"/{MISSING}/"))
    assert missing.status_code == 404
    if stale_body is not None:
        stale = api("office").post(path, json=stale_body)
        assert stale.status_code == 409, stale.get_data(as_text=True)
        assert set(stale.json) >= {"message", "rule", "fields"}
        assert isinstance(stale.json["version"], int)


# --- the cycle's shortlist (M-19.2) ------------------------------------------------------------
def _material_scene(year, stage=Stage.MATERIAL_REVIEW):
    entries = [Entry("a1", "award", "800"), Entry("a2", "award", "700")]
    cycle = new_cycle(year, stage=stage.value)
    for e in entries:
        application(cycle, e, S.ELIGIBLE)
    review(cycle, ReviewStage.MATERIAL, {e.app.id: (e.material, "250") for e in entries})
    _db.session.commit()
    return cycle, {e.key: e.app.id for e in entries}


def test_the_shortlist_button_has_an_endpoint_m19_2(app, db, api):
    _users(app)
    cycle, ids = _material_scene(2071)
    path = f"/api/v1/award_cycle/{cycle.id}/shortlist"
    body = {"application_ids": [ids["a1"]], "note": "择优"}
    _refused_the_same_way(api, path, body, {**body, "version": cycle.version + 3})
    assert _status(ids["a1"]) == S.ELIGIBLE.value  # refusals changed nothing

    done = api("office").post(path, json=body)
    assert done.status_code == 200, done.get_data(as_text=True)
    assert [x["application_id"] for x in done.json["shortlisted"]] == [ids["a1"]]
    assert _status(ids["a1"]) == S.SHORTLISTED.value
    assert _status(ids["a2"]) == S.NOT_SHORTLISTED.value


def test_the_shortlist_endpoint_is_refused_outside_material_review_naming_the_rule_m17(
    app, db, api
):
    _users(app)
    cycle, ids = _material_scene(2072, stage=Stage.ELIGIBILITY)
    resp = api("office").post(
        f"/api/v1/award_cycle/{cycle.id}/shortlist", json={"application_ids": [ids["a1"]]}
    )
    assert resp.status_code == 422
    assert resp.json["rule"].startswith("M-") and resp.json["rule"] in resp.json["message"]
    assert _status(ids["a1"]) == S.ELIGIBLE.value


# --- proposing the review groups (M-10, M-19) ------------------------------------------------
def _groups() -> int:
    _db.session.expire_all()
    return _db.session.scalar(select(func.count()).select_from(ReviewGroup))


def test_the_propose_groups_button_has_an_endpoint_m10(app, db, api):
    _users(app)
    cycle = f.cycle(db.session, stage="eligibility", year=2073)
    for _ in range(3):
        scene_reviewer(app, db.session, industries="C")
    a = scene_application(db.session, cycle, industry_code="C")
    db.session.commit()
    before = _groups()
    path = f"/api/v1/award_cycle/{cycle.id}/propose_groups"
    _refused_the_same_way(
        api, path, {"stage": "material"}, {"stage": "material", "version": cycle.version + 1}
    )

    office = api("office")
    plan = office.post(path, json={"stage": "material", "group_size": 3})
    assert plan.status_code == 200, plan.get_data(as_text=True)
    assert plan.json["accepted"] is False and plan.json["fingerprint"]
    assert [g["applications"] for g in plan.json["groups"]] == [[a.number]]
    assert _groups() == before  # a plan changes nothing

    wrong = office.post(path, json={"stage": "material", "accept": True, "fingerprint": "x"})
    assert wrong.status_code == 422 and wrong.json["rule"] == "M-10"
    accepted = office.post(
        path,
        json={"stage": "material", "accept": True, "fingerprint": plan.json["fingerprint"]},
    )
    assert accepted.status_code == 200, accepted.get_data(as_text=True)
    assert accepted.json["accepted"] is True and len(accepted.json["groups"]) == 1
    assert _groups() == before + 1
    assert db.session.scalar(
        select(func.count())
        .select_from(ReviewAssignment)
        .where(ReviewAssignment.application_id == a.id)
    )


def test_the_propose_groups_endpoint_is_refused_before_eligibility_naming_the_rule_m17(
    app, db, api
):
    _users(app)
    cycle = f.cycle(db.session, stage="draft", year=2074)
    db.session.commit()
    resp = api("office").post(f"/api/v1/award_cycle/{cycle.id}/propose_groups", json={})
    assert resp.status_code == 422 and resp.json["rule"].startswith("M-")
    bad = api("office").post(
        f"/api/v1/award_cycle/{cycle.id}/propose_groups", json={"group_size": "three"}
    )
    assert bad.status_code in (400, 422) and set(bad.json) >= {"message", "rule", "fields"}


# --- closing the stage's groups (M-19.2) -------------------------------------------------------
def test_the_close_groups_button_has_an_endpoint_m19_2(app, db, api):
    _users(app)
    scene = build(app, db, year=2075)
    _submit_all(db, scene, [50, 60, 70])
    path = f"/api/v1/award_cycle/{scene.cycle.id}/close_groups"
    _refused_the_same_way(api, path, {}, {"version": scene.cycle.version + 2})
    db.session.expire_all()
    assert db.session.get(ReviewGroup, scene.group.id).closed_at is None

    done = api("office").post(path, json={})
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.json["closed"] == [scene.group.name] and done.json["refused"] == []
    db.session.expire_all()
    assert db.session.get(ReviewGroup, scene.group.id).closed_at is not None


def test_the_close_groups_endpoint_is_refused_outside_a_review_stage_m17(app, db, api):
    _users(app)
    scene = build(app, db, cycle_stage="eligibility", year=2076)
    resp = api("office").post(f"/api/v1/award_cycle/{scene.cycle.id}/close_groups", json={})
    assert resp.status_code == 422 and resp.json["rule"].startswith("M-")
    db.session.expire_all()
    assert db.session.get(ReviewGroup, scene.group.id).closed_at is None


# --- the recovery's "recovered today" (M-26) ---------------------------------------------------
def test_the_mark_recovered_button_has_an_endpoint_m26(app, db, api):
    _users(app)
    a = award(db.session, 2023)
    case = RevocationCase(
        award_id=a.id,
        ground="accident",
        evidence="2025年8月发生较大生产安全事故，应急管理局认定负有责任",
        status="reviewed",
        opened_on=date(2025, 1, 10),
        opened_by="office",
    )
    db.session.add(case)
    db.session.commit()
    aftercare.take_step(
        case.id, "approve", {"Office"}, approved_on=date(2025, 3, 3), document_no="文号"
    )
    plaque = db.session.scalar(
        select(Recovery).where(Recovery.revocation_case_id == case.id, Recovery.item == "牌匾")
    )
    path = f"/api/v1/recovery/{plaque.id}/mark_recovered"
    _refused_the_same_way(api, path, {})
    db.session.expire_all()
    assert db.session.get(Recovery, plaque.id).recovered is False

    done = api("office").post(path, json={})
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.json["recovered_on"] == date.today().isoformat()
    db.session.expire_all()
    assert db.session.get(Recovery, plaque.id).recovered_on == date.today()

    again = api("office").post(path, json={})
    assert again.status_code == 422 and again.json["rule"] == "M-26"


# --- every button, one endpoint ----------------------------------------------------------------
# Screen action or route name -> the endpoint's action, where the names differ. `None`: not a
# button on a record (a list export: the API's list is the same data).
ACTION_ENDPOINT = {
    "export_xlsx": None,
    "advance_stage": "advance",
    "amend_settings": "amend",
    "create_awards": "awards",
    "export_summary": "summary.xlsx",
    "summary_xlsx": "summary.xlsx",
    "run_eligibility": "eligibility",
    "close_group": "close",
    "publish_notice": "publish",
    "resolve_objection": "resolve",
    "accept_report": "accept",
    "send_back_report": "send_back",
    "verify_case": "verify",
    "review_case": "review",
    "approve_case": "approve",
    "dismiss_case": "dismiss",
}
# Custom POST routes of the screens without a record: the API's collection endpoint.
COLLECTION_ENDPOINT = {
    "ApplicationDocumentView.upload": "/api/v1/application_document/upload",
    "FollowUpReportView.generate": "/api/v1/follow_up_report/generate",
    "NotificationView.preferences": "/api/v1/notification/preferences",
    "ApplicantAccountView.invite": "/api/v1/applicant_account/invite",  # issue 18
    "IssuedDocumentView.draft": "/api/v1/issued_document/draft",  # issue 19
}
FAB_ROUTES = {"add", "edit", "delete", "action", "action_post", "this_form_post"}


def _api_routes(app) -> set[str]:
    return {
        rule.rule.replace("<int:pk>", "{pk}")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.methods & {"POST", "PUT", "GET"}
    }


def test_every_screen_button_has_an_endpoint_under_the_one_pattern(app):
    """Every `@action` of every screen and every custom POST route of a screen has an API
    endpoint `/api/v1/<resource>/{pk}/<action>` (issue 15); a new button without one fails."""
    from app.api import snake
    from views.base import AwardModelView

    routes = _api_routes(app)
    missing = []
    for view in app.appbuilder.baseviews:
        if not isinstance(view, AwardModelView):
            continue
        resource = snake(view.datamodel.obj.__name__)
        for name in view.actions:
            target = ACTION_ENDPOINT.get(name, name)
            if target is None:
                assert f"/api/v1/{resource}/" in routes, resource
                continue
            if f"/api/v1/{resource}/{{pk}}/{target}" not in routes:
                missing.append(f"{type(view).__name__} action {name}")
    for rule in app.url_map.iter_rules():
        view_name, _, method = rule.endpoint.partition(".")
        if rule.rule.startswith("/api/") or "POST" not in rule.methods or method in FAB_ROUTES:
            continue
        view = next((v for v in app.appbuilder.baseviews if type(v).__name__ == view_name), None)
        if not isinstance(view, AwardModelView):
            continue
        if rule.endpoint in COLLECTION_ENDPOINT:
            if COLLECTION_ENDPOINT[rule.endpoint] not in routes:
                missing.append(rule.endpoint)
            continue
        resource = snake(view.datamodel.obj.__name__)
        target = ACTION_ENDPOINT.get(method, method)
        if f"/api/v1/{resource}/{{pk}}/{target}" not in routes:
            missing.append(f"{rule.endpoint} ({rule.rule})")
    assert not missing, missing


def test_the_new_endpoints_are_in_the_openapi_document_with_their_body(app, db, api):
    f.user(app, "admin", "Admin")
    db.session.commit()
    paths = api("admin").get("/api/v1/_openapi").json["paths"]
    for path, field in (
        ("/api/v1/award_cycle/{pk}/shortlist", "application_ids"),
        ("/api/v1/award_cycle/{pk}/propose_groups", "fingerprint"),
        ("/api/v1/award_cycle/{pk}/close_groups", "version"),
        ("/api/v1/recovery/{pk}/mark_recovered", None),
    ):
        schema = paths[path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert "properties" in schema and (field is None or field in schema["properties"])
    assert "/api/v1/follow_up_report/generate" in paths
    assert AwardCycle  # the resource the cycle's endpoints act on
