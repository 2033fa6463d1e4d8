"""Score entry through the screen and the API (M-19.2, M-25): the reviewer's own sheet only,
never a conflicted application, refusals change nothing, a stale form loses nothing."""

import re
from decimal import Decimal

from sqlalchemy import select

from app.services import scoring
from models import InterestDeclaration, Scoresheet, StageScore
from tests.app.test_scoring_scene import all_at


def _text(resp):
    return resp.get_data(as_text=True)


def _fresh(db, sheet_id) -> Scoresheet:
    db.session.expire_all()
    return db.session.get(Scoresheet, sheet_id)


def _form(sheet, **percents) -> dict:
    data = {"version": str(sheet.version)}
    data.update({f"percent-{code.replace('_', '.')}": v for code, v in percents.items()})
    return data


def test_the_entry_page_shows_23_items_in_7_categories_with_live_totals_and_no_internet(
    db, scene, as_user
):
    sheet = scene.sheet(db.session, 0)
    page = _text(as_user("rv1").get(f"/scoresheetview/entry/{sheet.id}"))
    assert page.count('class="form-control input-sm score-percent"') == 23
    assert page.count('class="award-card score-category"') == 7
    assert 'data-points="15' in page and "scoring.js" in page
    assert "评分指南" in page and "第 6 段" in page
    assert not re.search(r'(src|href)="(https?:)?//', page)  # the intranet has no internet


def test_saving_through_the_screen_computes_the_points_on_the_server(db, scene, as_user):
    sheet = scene.sheet(db.session, 0)
    version = sheet.version
    b = as_user("rv1")
    path = f"/scoresheetview/entry/{sheet.id}"
    data = _form(sheet, **{"4_4_3": "35", "4_1_2": "100"})
    data["strengths-4.4.3"] = "知识管理体系完善"
    resp = b.post(f"/scoresheetview/save/{sheet.id}", data, token_from=path, follow_redirects=True)
    assert "评分已保存为草稿" in _text(resp)
    assert "55.25" in _text(resp)
    saved = _fresh(db, sheet.id)
    assert saved.total == Decimal("55.25") and saved.version == version + 1


def test_a_bad_percent_on_the_screen_is_refused_and_the_form_keeps_what_was_typed(
    db, scene, as_user
):
    sheet = scene.sheet(db.session, 0)
    path = f"/scoresheetview/entry/{sheet.id}"
    data = _form(sheet, **{"4_1_2": "37"})
    data["strengths-4.1.2"] = "高层领导亲自推进"
    resp = as_user("rv1").post(f"/scoresheetview/save/{sheet.id}", data, token_from=path)
    page = _text(resp)
    assert resp.status_code == 200 and "M-19.2" in page and "4.1.2" in page
    assert "高层领导亲自推进" in page and "37（无效）" in page
    assert _fresh(db, sheet.id).version == sheet.version


def test_a_stale_form_is_refused_and_shows_the_newer_values_and_the_unsaved_input(
    db, scene, as_user
):
    sheet = scene.sheet(db.session, 0)
    b = as_user("rv1")
    path = f"/scoresheetview/entry/{sheet.id}"
    token = b.csrf(path)
    old = _form(sheet, **{"4_1_2": "20"})
    # The same reviewer saves from another window first.
    scoring.save(sheet.id, scene.actor(0), sheet.version, {"4.1.2": {"percent": 80}})
    resp = b.client.post(f"/scoresheetview/save/{sheet.id}", data={**old, "csrf_token": token})
    page = _text(resp)
    assert "未生效" in page and "您刚才填写：20" in page
    assert '<option value="80" selected>' in page
    line = next(x for x in _fresh(db, sheet.id).lines if x.item.code == "4.1.2")
    assert line.percent == 80


def test_submitting_on_the_screen_needs_every_item_then_locks_the_sheet(db, scene, as_user):
    sheet = scene.sheet(db.session, 0)
    b = as_user("rv1")
    path = f"/scoresheetview/entry/{sheet.id}"
    data = {"version": str(sheet.version)}
    data.update(
        {f"percent-{c}": e["percent"] for c, e in all_at(db.session, scene.cycle, 60).items()}
    )
    data["percent-4.7.7"] = ""
    page = _text(b.post(f"/scoresheetview/submit/{sheet.id}", data, token_from=path))
    assert "4.7.7" in page and "未评分" in page
    assert _fresh(db, sheet.id).status == "draft"
    data["percent-4.7.7"] = "60"
    page = _text(
        b.post(f"/scoresheetview/submit/{sheet.id}", data, token_from=path, follow_redirects=True)
    )
    assert "已提交并锁定" in page and 'id="btn-save"' not in page
    assert _fresh(db, sheet.id).total == Decimal("600")
    resp = b.post(f"/scoresheetview/save/{sheet.id}", data, token_from=path)
    assert "已提交并锁定" in _text(resp) or "锁定" in _text(resp)
    assert _fresh(db, sheet.id).total == Decimal("600")


def test_another_reviewers_sheet_is_404_on_the_screen_and_the_api_and_stays_unchanged_M_25(
    db, scene, as_user, as_api
):
    theirs = scene.sheet(db.session, 1)
    mine = scene.sheet(db.session, 0)
    b = as_user("rv1")
    assert b.get(f"/scoresheetview/entry/{theirs.id}").status_code == 404
    assert b.get(f"/scoresheetview/show/{theirs.id}").status_code == 404
    resp = b.post(
        f"/scoresheetview/save/{theirs.id}",
        _form(theirs, **{"4_1_2": "50"}),
        token_from=f"/scoresheetview/entry/{mine.id}",
    )
    assert resp.status_code == 404
    client = as_api("rv1")
    body = {"version": theirs.version, "lines": [{"item": "4.1.2", "percent": 50}]}
    assert client.put(f"/api/v1/scoresheet/{theirs.id}/save", json=body).status_code == 404
    assert client.post(f"/api/v1/scoresheet/{theirs.id}/submit", json=body).status_code == 404
    assert client.get(f"/api/v1/scoresheet/{theirs.id}").status_code == 404
    after = _fresh(db, theirs.id)
    assert after.version == theirs.version and all(x.percent is None for x in after.lines)


def test_a_conflicted_application_is_invisible_to_the_reviewer_everywhere_M_25(
    db, scene, as_user, as_api
):
    sheet = scene.sheet(db.session, 1)
    db.session.add(
        InterestDeclaration(
            reviewer_id=scene.reviewers[1].id,
            organization_id=scene.app.organization_id,
            kind="employment",
            source="declared",
        )
    )
    db.session.commit()
    b = as_user("rv2")
    assert scene.app.number not in _text(b.get("/scoresheetview/list/"))
    assert scene.app.number not in _text(b.get("/applicationview/list/"))
    assert b.get(f"/scoresheetview/show/{sheet.id}").status_code == 404
    assert b.get(f"/scoresheetview/entry/{sheet.id}").status_code == 404
    assert b.get(f"/applicationview/show/{scene.app.id}").status_code == 404
    client = as_api("rv2")
    assert client.get(f"/api/v1/scoresheet/{sheet.id}").status_code == 404
    assert client.get(f"/api/v1/application/{scene.app.id}").status_code == 404
    body = {"version": sheet.version, "lines": [{"item": "4.1.2", "percent": 50}]}
    assert client.put(f"/api/v1/scoresheet/{sheet.id}/save", json=body).status_code == 404
    listed = client.get("/api/v1/scoresheet/").json
    assert sheet.id not in [row["id"] for row in listed["result"]]


def test_the_api_saves_submits_and_the_office_reopens_with_a_reason(db, scene, as_api):
    sheet = scene.sheet(db.session, 0)
    client = as_api("rv1")
    bad = {"version": sheet.version, "lines": [{"item": "4.1.2", "percent": 42}]}
    resp = client.put(f"/api/v1/scoresheet/{sheet.id}/save", json=bad)
    assert resp.status_code == 422 and resp.json["rule"] == "M-19.2"
    resp = client.put(
        f"/api/v1/scoresheet/{sheet.id}/save",
        json={"version": sheet.version, "lines": {"4.4.3": {"percent": 35}}},
    )
    assert resp.status_code == 200 and resp.json["total"] == "5.25"
    version = resp.json["version"]
    lines = [{"item": c, "percent": 50} for c in all_at(db.session, scene.cycle, 50)]
    resp = client.post(
        f"/api/v1/scoresheet/{sheet.id}/submit", json={"version": version, "lines": lines}
    )
    assert resp.status_code == 200 and resp.json["status"] == "submitted"
    assert resp.json["total"] == "500.00"
    assert (
        client.post(f"/api/v1/scoresheet/{sheet.id}/reopen", json={"reason": "x"}).status_code
        == 403
    )
    office = as_api("office")
    resp = office.post(f"/api/v1/scoresheet/{sheet.id}/reopen", json={})
    assert resp.status_code == 422
    resp = office.post(f"/api/v1/scoresheet/{sheet.id}/reopen", json={"reason": "请复核 4.7"})
    assert resp.status_code == 200 and resp.json["status"] == "draft"
    assert resp.json["reopened_reason"] == "请复核 4.7"


def test_the_office_reopens_on_the_screen_and_the_reviewer_sees_the_reason(db, scene, as_user):
    sheet = scene.sheet(db.session, 0)
    scoring.submit(sheet.id, scene.actor(0), sheet.version, all_at(db.session, scene.cycle, 55))
    office = as_user("office")
    path = f"/scoresheetview/entry/{sheet.id}"
    assert "退回评分表" in _text(office.get(path))
    action = f"/scoresheetview/action/reopen/{sheet.id}"
    assert "退回理由" in _text(office.post(action, {}, token_from=path))
    office.post(action, {"reason": "结果类条款缺少数据"}, token_from=path)
    page = _text(as_user("rv1").get(path))
    assert "市质评办退回理由" in page and "结果类条款缺少数据" in page
    assert _fresh(db, sheet.id).status == "draft"


def test_the_leader_sees_the_groups_sheets_only_after_the_group_is_closed_M_25(
    db, scene, as_user, as_api
):
    member_sheet = scene.sheet(db.session, 1)
    leader = as_user("rv1")
    assert leader.get(f"/scoresheetview/entry/{member_sheet.id}").status_code == 404
    for i, p in enumerate((60, 65, 70)):
        s = scene.sheet(db.session, i)
        scoring.submit(s.id, scene.actor(i), s.version, all_at(db.session, scene.cycle, p))
    group_page = f"/reviewgroupview/composition/{scene.group.id}"
    assert (
        as_user("rv2")
        .post(
            f"/reviewgroupview/action/close_group/{scene.group.id}",
            {},
            token_from=f"/scoresheetview/entry/{member_sheet.id}",
        )
        .status_code
        == 403
    )
    office = as_user("office")
    resp = office.post(
        f"/reviewgroupview/action/close_group/{scene.group.id}",
        {},
        token_from=group_page,
        follow_redirects=True,
    )
    assert "已计算 1 份申报的阶段得分" in _text(resp)
    db.session.expire_all()
    assert db.session.scalar(select(StageScore.total)) == Decimal("650")
    page = _text(leader.get(f"/scoresheetview/entry/{member_sheet.id}"))
    assert "650.00" in page and "不能修改" in page  # the member's sheet, read only
    assert "偏离提示" in _text(leader.get(group_page))
    assert "偏离提示" not in _text(as_user("rv2").get(group_page))


def test_closing_a_group_through_the_api_is_refused_until_everyone_submitted(db, scene, as_api):
    office = as_api("office")
    resp = office.post(f"/api/v1/review_group/{scene.group.id}/close")
    assert resp.status_code == 422 and resp.json["rule"] == "M-19.2"
    assert scene.reviewers[0].name in resp.json["message"]
    assert as_api("rv1").post(f"/api/v1/review_group/{scene.group.id}/close").status_code == 403
    for i in range(3):
        s = scene.sheet(db.session, i)
        scoring.submit(s.id, scene.actor(i), s.version, all_at(db.session, scene.cycle, 50))
    resp = office.post(f"/api/v1/review_group/{scene.group.id}/close")
    assert resp.status_code == 200
    assert Decimal(resp.json["stage_scores"][0]["total"]) == Decimal("500")
