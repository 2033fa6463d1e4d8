"""The OpenAPI document (/api/v1/_openapi, CONTRACT.md) is built once per version and address
and kept on the app (app/openapi.py), and stays the document FAB's own endpoint would build,
corrected (issue 9, issue 20 item 3: a FAB method replaced is held to FAB's by a test)."""

from flask_appbuilder.api.manager import OpenApi as FabOpenApi

import app.openapi as openapi
from tests import factories as f


def _fab_get():
    """FAB's own `OpenApi.get`, under its `safe` and `protect` decorators."""
    fab_get = FabOpenApi.get
    while hasattr(fab_get, "__wrapped__"):
        fab_get = fab_get.__wrapped__
    return fab_get


def test_the_served_document_is_the_one_fabs_endpoint_builds_corrected(app, db, api):
    f.user(app, "admin", "Admin")
    db.session.commit()
    served = api("admin").get("/api/v1/_openapi")
    assert served.status_code == 200
    view = next(v for v in app.appbuilder.baseviews if isinstance(v, openapi.OpenApi))
    with app.test_request_context("/api/v1/_openapi", base_url="http://localhost/"):
        fab_answer = _fab_get()(view, "v1")
        assert fab_answer.status_code == 200, "FAB 的 OpenApi.get 不再给出文档：核对 app/openapi.py"
        expected = openapi.correct(fab_answer.json)
    assert served.json == expected, (
        "FAB 生成 OpenAPI 文档的方式变了（flask_appbuilder.api.manager.OpenApi.get）："
        "让 app/openapi.build_document 与之一致"
    )


def test_the_document_is_built_once_and_an_unknown_version_is_still_not_found(
    app, db, api, monkeypatch
):
    f.user(app, "admin", "Admin")
    db.session.commit()
    app.extensions.pop("award_openapi", None)
    built = []
    real = openapi.build_document
    monkeypatch.setattr(openapi, "build_document", lambda v: built.append(v) or real(v))
    client = api("admin")
    first = client.get("/api/v1/_openapi").json
    second = client.get("/api/v1/_openapi").json
    assert first == second and "/api/v1/organization/{pk}" in first["paths"]
    assert built == ["v1"]
    assert client.get("/api/v2/_openapi").status_code == 404
    assert built == ["v1", "v2"]
