"""The score page's automatic draft save (M-19.2): the same save use case as the form, answered
in JSON, CSRF-protected, own sheet only (M-25), and a stale version refused (no lost update);
the page shows the group's deadline and the band guide in sight."""

from datetime import date, timedelta
from decimal import Decimal

from app.services import scoring
from models import Scoresheet
from tests.clients import web

JSON = {"Accept": "application/json"}


def _fresh(db, sheet_id) -> Scoresheet:
    db.session.expire_all()
    return db.session.get(Scoresheet, sheet_id)


def test_an_automatic_save_goes_through_the_save_use_case_and_answers_the_new_version_m19_2(
    app, db, scene, browser
):
    sheet = scene.sheet(db.session, 0)
    b = web(app, browser, "rv1")
    path, version = f"/scoresheetview/entry/{sheet.id}", sheet.version
    data = {"version": str(version), "percent-4.4.3": "35", "strengths-4.4.3": "台账完整"}
    resp = b.post(f"/scoresheetview/save/{sheet.id}", data, token_from=path, headers=JSON)
    assert resp.status_code == 200 and resp.is_json
    body = resp.get_json()
    saved = _fresh(db, sheet.id)
    assert body["version"] == saved.version == version + 1
    assert Decimal(body["total"]) == saved.total == Decimal("5.25")
    assert body["message"] == "草稿已自动保存"


def test_an_automatic_save_without_the_csrf_token_changes_nothing(app, db, scene, browser):
    sheet = scene.sheet(db.session, 0)
    b = web(app, browser, "rv1")
    data = {"version": str(sheet.version), "percent-4.4.3": "35"}
    resp = b.client.post(f"/scoresheetview/save/{sheet.id}", data=data, headers=JSON)
    assert resp.status_code == 400
    assert _fresh(db, sheet.id).version == sheet.version


def test_a_stale_automatic_save_is_refused_with_409_and_keeps_the_newer_score_m19_2(
    app, db, scene, browser
):
    sheet = scene.sheet(db.session, 0)
    b = web(app, browser, "rv1")
    path = f"/scoresheetview/entry/{sheet.id}"
    token, version = b.csrf(path), sheet.version
    scoring.save(sheet.id, scene.actor(0), version, {"4.1.2": {"percent": 80}})
    data = {"version": str(version), "percent-4.1.2": "20", "csrf_token": token}
    resp = b.client.post(f"/scoresheetview/save/{sheet.id}", data=data, headers=JSON)
    assert resp.status_code == 409 and resp.get_json()["rule"]
    line = next(x for x in _fresh(db, sheet.id).lines if x.item.code == "4.1.2")
    assert line.percent == 80


def test_a_bad_percent_in_an_automatic_save_is_refused_naming_the_rule_m19_2(
    app, db, scene, browser
):
    sheet = scene.sheet(db.session, 0)
    b = web(app, browser, "rv1")
    path = f"/scoresheetview/entry/{sheet.id}"
    data = {"version": str(sheet.version), "percent-4.1.2": "37"}
    resp = b.post(f"/scoresheetview/save/{sheet.id}", data, token_from=path, headers=JSON)
    assert resp.status_code == 422
    body = resp.get_json()
    assert body["rule"] == "M-19.2" and "4.1.2" in body["message"]
    assert _fresh(db, sheet.id).version == sheet.version


def test_another_reviewers_sheet_cannot_be_saved_automatically_m25(app, db, scene, browser):
    sheet = scene.sheet(db.session, 1)
    b = web(app, browser, "rv1")
    own = scene.sheet(db.session, 0)
    token = b.csrf(f"/scoresheetview/entry/{own.id}")
    data = {"version": str(sheet.version), "percent-4.1.2": "20", "csrf_token": token}
    resp = b.client.post(f"/scoresheetview/save/{sheet.id}", data=data, headers=JSON)
    assert resp.status_code == 404
    assert _fresh(db, sheet.id).version == sheet.version


def test_the_score_page_shows_the_groups_deadline_and_days_left_m19_2(app, db, scene, browser):
    scene.group.due_on = date.today() + timedelta(days=6)
    db.session.commit()
    sheet = scene.sheet(db.session, 0)
    page = web(app, browser, "rv1").get(f"/scoresheetview/entry/{sheet.id}").get_data(True)
    assert 'id="sheet-deadline"' in page
    assert str(scene.group.due_on) in page and "剩余 6 天" in page


def test_the_score_page_flags_an_overdue_group_m19_2(app, db, scene, browser):
    scene.group.due_on = date.today() - timedelta(days=4)
    db.session.commit()
    sheet = scene.sheet(db.session, 0)
    page = web(app, browser, "rv1").get(f"/scoresheetview/entry/{sheet.id}").get_data(True)
    assert "已逾期 4 天" in page


def test_the_band_guide_is_open_and_each_item_has_its_band_line_m19_2(app, db, scene, browser):
    sheet = scene.sheet(db.session, 0)
    page = web(app, browser, "rv1").get(f"/scoresheetview/entry/{sheet.id}").get_data(True)
    assert 'id="band-guide" open' in page
    assert page.count('class="band-hint small"') == 23
    assert page.count('class="comment-state"') == 7
