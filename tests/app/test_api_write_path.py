"""Issue 15: one write path through the REST API - versions returned and checked (409), decision
fields read-only to generic CRUD, a committed change never answered as failed, one error body.

Runs on SQLite and PostgreSQL (`--db=postgres -m db`)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from app.extensions import db as _db
from models import AwardCycle, Objection, PublicNotice, ScoreLine, Scoresheet
from tests import factories as f
from tests.app.test_scoring_scene import build, item_codes
from tests.clients import rest

pytestmark = pytest.mark.db


def _office(app):
    f.user(app, "office", "Office")
    f.user(app, "admin", "Admin")
    _db.session.commit()


def _error_body(resp) -> dict:
    body = resp.json
    assert isinstance(body, dict), resp.get_data(as_text=True)
    assert {"message", "rule", "fields"} <= set(body), body
    assert isinstance(body["message"], str) and body["message"]
    return body


# --- versions: returned by GET, checked on PUT, 409 when stale ------------------------------


def test_get_returns_each_rows_version_and_a_stale_put_is_409_concurrency(app, db, api):
    """Two API clients read the same cycle; the second one's save over the first is refused
    with 409 and the current version, and the first one's change stands (no last-writer-wins)."""
    _office(app)
    cycle = f.cycle(db.session, year=2081)
    db.session.commit()
    first, second = rest(app, api, "office"), rest(app, api, "admin")

    listed = first.get("/api/v1/award_cycle/")
    assert listed.status_code == 200
    row = next(r for r in listed.json["result"] if r["id"] == cycle.id)
    assert row["version"] == 1
    shown = second.get(f"/api/v1/award_cycle/{cycle.id}")
    assert shown.status_code == 200 and shown.json["result"]["version"] == 1

    ok = first.put(f"/api/v1/award_cycle/{cycle.id}", json={"name": "甲的名称", "version": 1})
    assert ok.status_code == 200, ok.get_data(as_text=True)
    assert second.get(f"/api/v1/award_cycle/{cycle.id}").json["result"]["version"] == 2

    stale = second.put(f"/api/v1/award_cycle/{cycle.id}", json={"name": "乙的名称", "version": 1})
    assert stale.status_code == 409
    body = _error_body(stale)
    assert "已被他人修改" in body["message"] and body["version"] == 2
    _db.session.expire_all()
    assert _db.session.get(AwardCycle, cycle.id).name == "甲的名称"

    again = second.put(f"/api/v1/award_cycle/{cycle.id}", json={"name": "乙的名称", "version": 2})
    assert again.status_code == 200


def test_a_bad_version_is_refused_naming_the_field(app, db, api):
    _office(app)
    cycle = f.cycle(db.session, year=2082)
    db.session.commit()
    resp = rest(app, api, "office").put(
        f"/api/v1/award_cycle/{cycle.id}", json={"name": "x", "version": "abc"}
    )
    assert resp.status_code == 422
    assert "version" in _error_body(resp)["fields"]


def test_a_pure_api_client_reads_saves_and_submits_a_scoresheet_m19_2(app, db, api):
    """Only documented endpoints: list one's sheets (with their versions), read a sheet's
    lines, save them with the version, submit with the version the save answered."""
    scene = build(app, db, year=2083)
    codes = item_codes(db.session, scene.cycle)
    client = rest(app, api, scene.usernames[0])

    listed = client.get("/api/v1/scoresheet/")
    assert listed.status_code == 200
    (row,) = listed.json["result"]
    assert row["version"] == 1
    sheet_id = row["id"]
    entry = client.get(f"/api/v1/scoresheet/{sheet_id}/entry")
    assert entry.status_code == 200, entry.get_data(as_text=True)
    assert entry.json["version"] == 1
    assert [line["item"] for line in entry.json["lines"]] and {
        line["item"] for line in entry.json["lines"]
    } == set(codes)

    lines = [{"item": code, "percent": 80} for code in codes]
    saved = client.put(
        f"/api/v1/scoresheet/{sheet_id}/save", json={"version": row["version"], "lines": lines}
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)
    stale = client.post(f"/api/v1/scoresheet/{sheet_id}/submit", json={"version": 1})
    assert stale.status_code == 409 and _error_body(stale)["version"] == saved.json["version"]
    submitted = client.post(
        f"/api/v1/scoresheet/{sheet_id}/submit", json={"version": saved.json["version"]}
    )
    assert submitted.status_code == 200 and submitted.json["status"] == "submitted"


# --- a committed change is never answered as failed ----------------------------------------


def test_a_saved_score_is_answered_as_saved_when_reading_it_back_fails_m19_2(
    app, db, api, monkeypatch
):
    """The database drops after the commit, while the answer is built: the client is told the
    change is stored (200), not `500 …数据未改变`."""
    from app.api_actions import scoring as scoring_api

    scene = build(app, db, year=2084)
    code = item_codes(db.session, scene.cycle)[0]
    sheet = scene.sheet(db.session, 0)
    sheet_id, version = sheet.id, sheet.version
    client = rest(app, api, scene.usernames[0])

    def connection_lost(_sheet):
        raise OperationalError("SELECT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(scoring_api, "sheet_body", connection_lost)
    resp = client.put(
        f"/api/v1/scoresheet/{sheet_id}/save",
        json={"version": version, "lines": [{"item": code, "percent": 75}]},
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.json["id"] == sheet_id and resp.json["version"] == version + 1
    assert "未改变" not in resp.json["message"]
    _db.session.expire_all()
    percents = _db.session.scalars(
        select(ScoreLine.percent).where(ScoreLine.scoresheet_id == sheet_id)
    ).all()
    assert 75 in percents


def test_a_generic_put_is_answered_as_saved_when_reading_it_back_fails(app, db, api, monkeypatch):
    _office(app)
    cycle = f.cycle(db.session, year=2085)
    db.session.commit()
    client = rest(app, api, "office")
    api_view = next(
        v
        for v in app.appbuilder.baseviews
        if getattr(v, "resource_name", "") == "award_cycle" and hasattr(v, "edit_model_schema")
    )

    schema = api_view.edit_model_schema
    original, calls = schema.dump, []

    def connection_lost_after_commit(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # FAB's merge of the body, before the commit
            return original(*args, **kwargs)
        raise OperationalError("SELECT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(schema, "dump", connection_lost_after_commit)
    resp = client.put(f"/api/v1/award_cycle/{cycle.id}", json={"name": "新名称", "version": 1})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.json["version"] == 2
    _db.session.expire_all()
    assert _db.session.get(AwardCycle, cycle.id).name == "新名称"


# --- decision fields: read-only to generic CRUD ---------------------------------------------


def _resolved_objection(session, year=2086) -> Objection:
    cycle = f.cycle(session, year=year, stage="public_notice")
    today = date.today()
    notice = PublicNotice(
        cycle_id=cycle.id,
        title="公示",
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=4),
        how_to_object="实名",
        published_at=None,
    )
    session.add(notice)
    session.flush()
    obj = Objection(
        notice_id=notice.id,
        objector_name="赵",
        objector_contact="139",
        content="异议",
        received_on=today,
        status="resolved",
        resolution="已核实",
        resolved_on=today,
        resolved_by="office",
    )
    session.add(obj)
    session.commit()
    return obj


def test_a_resolved_objection_cannot_be_unresolved_through_put_m19_6(app, db, api):
    """The finding: `PUT /api/v1/objection/<pk> {"resolved_on": null}` un-resolved it (200),
    then `resolve` answered 500."""
    _office(app)
    obj = _resolved_objection(db.session)
    client = rest(app, api, "office")
    resp = client.put(f"/api/v1/objection/{obj.id}", json={"resolved_on": None})
    assert resp.status_code == 422
    body = _error_body(resp)
    assert body["rule"] == "M-19.6" and "resolved_on" in body["fields"]
    _db.session.expire_all()
    assert _db.session.get(Objection, obj.id).resolved_on == date.today()
    again = client.post(f"/api/v1/objection/{obj.id}/resolve", json={"resolution": "x"})
    assert again.status_code == 422 and "处理完毕" in again.json["message"]


def test_resolving_an_objection_without_its_date_is_refused_not_a_500_m19_6(app, db, api):
    """A resolved objection whose date was lost (an older record): the refusal still reads."""
    _office(app)
    obj = _resolved_objection(db.session, year=2087)
    obj.resolved_on = None
    db.session.commit()
    resp = rest(app, api, "office").post(f"/api/v1/objection/{obj.id}/resolve", json={})
    assert resp.status_code == 422 and "日期未记录" in resp.json["message"]


def test_every_decision_field_is_read_only_to_generic_post_and_put_m3(app, demo, api):
    """Walk every resource: POST or PUT naming a decision field is refused (422, the field
    named) and nothing is stored."""
    from app.api import AwardApi
    from app.services.decisions import decision_fields

    def snapshot():
        """(resource path, model, pk or None, field, value before, row count) to try."""
        plan = []
        with app.app_context():
            for view in app.appbuilder.baseviews:
                if not isinstance(view, AwardApi):
                    continue
                model = view.datamodel.obj
                pk_col = model.__mapper__.primary_key[0]
                row = _db.session.scalar(select(model).order_by(pk_col).limit(1))
                count = len(_db.session.scalars(select(pk_col)).all())
                for field in sorted(decision_fields(model)):
                    if "can_put" in view.base_permissions and row is not None:
                        pk = getattr(row, pk_col.key)
                        if isinstance(pk, int):
                            plan.append((view.resource_name, model, pk, field, getattr(row, field)))
                    if "can_post" in view.base_permissions:
                        plan.append((view.resource_name, model, None, field, count))
        return plan

    client = api("admin")
    plan = snapshot()
    for resource, _model, pk, field, _before in plan:
        if pk is None:
            resp = client.post(f"/api/v1/{resource}/", json={field: None})
        else:
            resp = client.put(f"/api/v1/{resource}/{pk}", json={field: None})
        assert resp.status_code in (400, 422), (resource, pk, field, resp.status_code)
        assert field in (_error_body(resp)["fields"] or {}), (resource, field)
    with app.app_context():
        for resource, model, pk, field, before in plan:
            if pk is None:
                pk_col = model.__mapper__.primary_key[0]
                assert len(_db.session.scalars(select(pk_col)).all()) == before, resource
            else:
                assert getattr(_db.session.get(model, pk), field) == before, (resource, field)
    assert len(plan) > 20


def test_decision_fields_cover_every_status_outcome_total_and_decision_stamp():
    """The list is derived per model; this keeps a new table's status from slipping through."""
    from app.extensions import db
    from app.services.decisions import EXEMPT, decision_fields

    for table in db.metadata.sorted_tables:
        mapper = next((m for m in db.Model.registry.mappers if m.local_table is table), None)
        if mapper is None:
            continue
        model = mapper.class_
        fields = decision_fields(model)
        for column in table.columns:
            key = column.key
            if column.foreign_keys or key in EXEMPT.get(model.__name__, set()):
                continue
            if key in ("status", "outcome", "total") or (
                key.endswith(("_at", "_by")) and key not in ("created_at", "updated_at")
            ):
                assert key in fields, (model.__name__, key)


# --- one error body, one status per kind ----------------------------------------------------


def test_every_api_error_has_one_body(app, db, api):
    _office(app)
    f.user(app, "committee1", "Committee")
    cycle = f.cycle(db.session, year=2088)
    db.session.commit()
    office = rest(app, api, "office")
    missing = office.get("/api/v1/award_cycle/999999")
    assert missing.status_code == 404 and _error_body(missing)["rule"] is None
    unknown = office.put(f"/api/v1/award_cycle/{cycle.id}", json={"no_such_field": 1})
    assert unknown.status_code in (400, 422)
    assert "no_such_field" in _error_body(unknown)["fields"]
    forbidden = rest(app, api, "committee1").put(f"/api/v1/award_cycle/{cycle.id}", json={})
    assert forbidden.status_code == 403 and "权限" in _error_body(forbidden)["message"]
    refused = office.post(f"/api/v1/award_cycle/{cycle.id}/advance", json={"from_stage": "x"})
    assert refused.status_code == 422 and _error_body(refused)["rule"]


def test_atomic_maps_a_stale_row_to_the_named_conflict(app, db):
    from app.domain.errors import StaleRecord
    from app.services.transactions import atomic

    cycle = f.cycle(db.session, year=2089)
    db.session.commit()
    cycle_id = cycle.id

    @atomic
    def rename():
        row = _db.session.get(AwardCycle, cycle_id)
        with _db.engine.begin() as conn:  # someone else saves meanwhile
            conn.execute(
                AwardCycle.__table__.update()
                .where(AwardCycle.id == cycle_id)
                .values(version=AwardCycle.version + 1)
            )
        row.name = "改名"

    with pytest.raises(StaleRecord) as caught:
        rename()
    assert caught.value.status == 409


def test_scoresheet_entry_is_in_the_openapi_document(app, db, api):
    _office(app)
    paths = rest(app, api, "office").get("/api/v1/_openapi").json["paths"]
    assert "/api/v1/scoresheet/{pk}/entry" in paths
    assert "version" in str(paths["/api/v1/scoresheet/{pk}/save"])


def test_the_scoresheet_list_shows_versions_to_its_reviewer_only(app, db, api):
    scene = build(app, db, year=2090)
    mine = rest(app, api, scene.usernames[0]).get("/api/v1/scoresheet/").json["result"]
    other = scene.sheet(db.session, 1)
    assert all(r["id"] != other.id for r in mine)
    resp = rest(app, api, scene.usernames[0]).get(f"/api/v1/scoresheet/{other.id}/entry")
    assert resp.status_code == 404
    assert _db.session.get(Scoresheet, other.id) is not None


def test_an_unqualified_reviewer_is_refused_with_the_sub_rule_and_its_fields_m10_3(app, db, api):
    """The API names the sub-rule (M-10.3, not M-10) and the reviewer's offending field."""
    from tests.app.test_scoring_scene import reviewer

    _office(app)
    scene = build(app, db, year=2095)
    junior = reviewer(app, db.session, quality_work_since=date(2024, 1, 1))
    db.session.commit()
    resp = rest(app, api, "office").post(
        "/api/v1/review_group_member/",
        json={"group": scene.group.id, "reviewer": junior.id, "is_leader": False},
    )
    assert resp.status_code == 422, resp.get_data(as_text=True)
    body = _error_body(resp)
    assert body["rule"] == "M-10.3a"  # the line of the years of work (M-10.3)
    assert "quality_work_since" in body["fields"]


def test_the_objection_screen_cannot_unresolve_either_m19_6(app, db, browser):
    """Generic CRUD on the screens too: the edit form of a resolved objection has no decision
    date, and a crafted `resolved_on` is not stored."""
    _office(app)
    obj = _resolved_objection(db.session, year=2096)
    b = browser("office")
    form = b.get(f"/objectionview/edit/{obj.id}").get_data(as_text=True)
    assert 'name="resolution"' in form and 'name="resolved_on"' not in form
    b.post(
        f"/objectionview/edit/{obj.id}",
        {"resolution": "已核实", "resolved_on": ""},
        token_from=f"/objectionview/edit/{obj.id}",
    )
    _db.session.expire_all()
    assert _db.session.get(Objection, obj.id).resolved_on == date.today()


def test_a_screen_form_that_changes_a_decision_field_is_refused_m3(app, db):
    """The shared save (app/services/records.py) refuses a changed decision field, whatever
    form or body set it."""
    from app.services import records
    from app.services.decisions import DecisionField

    obj = _resolved_objection(db.session, year=2097)
    obj.resolved_on = None
    with pytest.raises(DecisionField) as caught:
        records.save(obj, adding=False)
    assert caught.value.rule == "M-19.6" and "resolved_on" in caught.value.fields
    _db.session.expire_all()
    assert _db.session.get(Objection, obj.id).resolved_on == date.today()
