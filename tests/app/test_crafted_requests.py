"""Crafted requests found by fuzzing (issue 15, item 7): each is refused with a Chinese message
naming what is wrong (400/404), JSON `{"message", "rule", "fields"}` on the API and a page in
the app's layout on screens - never a 500."""

import re

import pytest
from sqlalchemy import select

from models import Scoresheet

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _token(b) -> str:
    return CSRF.search(b.get("/userinfoeditview/form").get_data(as_text=True)).group(1)


def _own_scoresheet(app, username) -> int:
    from app.extensions import db
    from models import Reviewer

    with app.app_context():
        user_id = app.appbuilder.sm.find_user(username=username).id
        return db.session.scalar(
            select(Scoresheet.id)
            .join(Reviewer, Scoresheet.reviewer_id == Reviewer.id)
            .where(Reviewer.user_id == user_id)
            .order_by(Scoresheet.id)
            .limit(1)
        )


def _chinese_page(resp) -> str:
    text = resp.get_data(as_text=True)
    assert re.search(r"[\u4e00-\u9fff]", text), text[:300]
    assert "伊宁市政府质量奖" in text  # the app's layout, not the server's bare page
    return text


def test_a_several_rows_action_posted_for_one_row_is_a_400_not_a_500(app, demo, browser):
    """`/scoresheetview/action/export_xlsx/<pk>`: FAB handed the action one row where it takes
    a list (TypeError: 'Scoresheet' object is not iterable)."""
    b = browser("reviewer1")
    pk = _own_scoresheet(app, "reviewer1")
    assert pk is not None
    resp = b.client.post(f"/scoresheetview/action/export_xlsx/{pk}", data={"csrf_token": _token(b)})
    assert resp.status_code == 400
    assert "勾选" in _chinese_page(resp)


def test_a_one_row_action_posted_for_several_rows_is_a_400_not_a_500(app, demo, browser):
    """The reverse: an action shown only on a record's page (`multiple=False`) posted from the
    list with several rows."""
    from app.extensions import db
    from views.base import AwardModelView

    b = browser("admin")
    tried = 0
    for view in app.appbuilder.baseviews:
        if not isinstance(view, AwardModelView):
            continue
        with app.app_context():
            key = view.datamodel.obj.__mapper__.primary_key[0]
            pks = list(db.session.scalars(select(key).limit(2)))
        for name in [n for n, a in view.actions.items() if not a.multiple]:
            resp = b.client.post(
                f"{view.route_base}/action_post",
                data={"action": name, "rowid": [str(p) for p in pks], "csrf_token": _token(b)},
            )
            assert resp.status_code == 400, (view, name, resp.status_code)
            assert "详情页" in _chinese_page(resp)
            tried += 1
    assert tried >= 5


def test_the_generic_download_route_of_flask_appbuilder_is_closed(app, demo, browser):
    """`/<view>/download/<filename>` sent any file of UPLOAD_FOLDER (IndexError,
    FileNotFoundError on a missing one) to every role that can read. Documents keep their own
    route (`/documents/<pk>/download`, scoped and logged)."""
    generic = [
        r.rule for r in app.url_map.iter_rules() if r.rule.endswith("/download/<string:filename>")
    ]
    assert len(generic) > 40
    upload_dir = app.config["UPLOAD_FOLDER"]
    with open(f"{upload_dir}/x_sep_report.pdf", "wb") as file:
        file.write(b"%PDF-1.4 secret")
    for username in ("admin", "office", "reviewer1"):
        b = browser(username)
        for rule in generic:
            for name in ("x_sep_report.pdf", "x", "..%2Fconfig.py"):
                path = rule.replace("<string:filename>", name)
                resp = b.get(path)
                assert resp.status_code == 404, (username, path, resp.status_code)
        assert "不存在" in _chinese_page(resp)
    assert any(r.rule == "/documents/<int:pk>/download" for r in app.url_map.iter_rules())


@pytest.mark.parametrize("q", ["((((((((((((((((((((", "1e%2B5", "(page:-1)", "(page_size:1e9)"])
def test_a_malformed_rison_query_on_any_api_resource_is_a_400_with_the_error_body(
    app, demo, api, q
):
    """`?q=` that prison cannot parse (RecursionError, ValueError on an exponent) was a 500
    `Fatal error` on list, item and `_info`."""
    client = api("reviewer1")
    pk = _own_scoresheet(app, "reviewer1")
    for path in ("/api/v1/scoresheet/", f"/api/v1/scoresheet/{pk}", "/api/v1/scoresheet/_info",
                 "/api/v1/application/"):  # fmt: skip
        resp = client.get(f"{path}?q={q}")
        assert resp.status_code == 400, (path, q, resp.status_code, resp.get_data(as_text=True))
        body = resp.get_json()
        assert set(body) >= {"message", "rule", "fields"}
        assert re.search(r"[\u4e00-\u9fff]", body["message"])


@pytest.mark.parametrize(
    "query",
    [
        "_oc_ScoresheetView=id;drop table x&_od_ScoresheetView=asc",
        "_oc_ScoresheetView=reviewer.password&_od_ScoresheetView=desc",
        "page_ScoresheetView=-1",
        "page_ScoresheetView=abc",
        "psize_ScoresheetView=1000000000",
    ],
)
def test_a_crafted_order_or_page_on_a_list_page_is_a_400(app, demo, browser, query):
    """`_oc_<View>` named any SQL text as the order column (CompileError, a 500)."""
    b = browser("reviewer1")
    resp = b.get(f"/scoresheetview/list/?{query}")
    assert resp.status_code == 400, resp.status_code
    assert "请求参数" in _chinese_page(resp)
    assert (
        b.get("/scoresheetview/list/?_oc_ScoresheetView=id&_od_ScoresheetView=desc").status_code
        == 200
    )


@pytest.mark.parametrize("value", ["85.5", "abc", "-1e309"])
def test_a_search_on_a_decimal_column_answers_with_a_page(app, demo, browser, value):
    """PostgreSQL: `numeric = character varying`, a 500 for any search on a total or amount."""
    b = browser("office")
    resp = b.get(f"/stagescoreview/list/?_flt_0_total={value}")
    assert resp.status_code == 200, resp.status_code


def test_a_flag_filter_other_than_y_is_a_400(app, demo, browser):
    """PostgreSQL: `boolean = character varying` for any text but "y"."""
    b = browser("office")
    assert b.get("/disqualificationview/list/?_flt_0_active=y").status_code == 200
    resp = b.get("/disqualificationview/list/?_flt_0_active=abc")
    assert resp.status_code == 400
    assert "请求参数" in _chinese_page(resp)
