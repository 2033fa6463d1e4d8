"""Schemathesis against /api/v1/_openapi as each role (issue 9): every operation, with generated
valid and invalid input, through the WSGI app (no network) on a fresh copy of the demo data.

No answer is a 5xx, and every answer is documented: its status code, its content type, its
body's schema. The examples are few and derandomized, so the run is the same every time and fits
CI; AWARD_FUZZ_EXAMPLES and AWARD_FUZZ_NEGATIVE raise them for a deeper run by hand."""

import os
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.errors import SchemathesisError
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.extensions import db
from tests import factories
from tests.conftest import DEMO_PASSWORD

ROLES = ("admin", "office", "reviewer1", "committee1", "recommender1")
POSITIVE = int(os.environ.get("AWARD_FUZZ_EXAMPLES", "3"))
NEGATIVE = int(os.environ.get("AWARD_FUZZ_NEGATIVE", "1"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def login(client, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    resp = client.post(
        "/api/v1/security/login",
        json={"username": username, "password": password, "provider": "db"},
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return {"Authorization": f"Bearer {resp.json['access_token']}"}


@pytest.fixture(scope="module")
def schema(app):
    """The OpenAPI document as the app serves it; reading it needs a signed-in user."""
    with app.app_context():
        factories.user(app, "openapi-reader", "Office")
        db.session.commit()
        db.session.remove()
    headers = login(app.test_client(), "openapi-reader")
    return schemathesis.openapi.from_wsgi("/api/v1/_openapi", app, headers=headers)


def refused(client, operation, headers) -> bool:
    """One plain call: a 403 means the role may not use the operation at all, whatever the
    input (FAB checks the permission first), so one example of it is enough."""
    path = re.sub(r"{\w+}", "1", operation.full_path)
    method = operation.method.upper()
    body = {} if method in ("POST", "PUT", "PATCH") else None
    return client.open(path, method=method, headers=headers, json=body).status_code == 403


def fuzz(operation, mode: GenerationMode, examples: int, headers) -> list[str]:
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        run()
    except (AssertionError, BaseExceptionGroup, SchemathesisError) as exc:
        found = getattr(exc, "exceptions", None) or [exc]
        return [
            f"{operation.label} [{mode.value}] {type(e).__name__}: "
            + " | ".join(line.strip() for line in str(e).strip().splitlines()[:8] if line.strip())
            for e in found
        ]
    return []


@pytest.mark.parametrize("username", ROLES)
def test_every_api_operation_answers_as_documented_and_never_with_a_5xx(
    app, schema, demo, username
):
    client = app.test_client()
    headers = login(client, username)
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        if refused(client, operation, headers):
            failures += fuzz(operation, GenerationMode.POSITIVE, 1, headers)
            continue
        failures += fuzz(operation, GenerationMode.POSITIVE, POSITIVE, headers)
        if NEGATIVE:
            failures += fuzz(operation, GenerationMode.NEGATIVE, NEGATIVE, headers)
    assert operations > 250
    assert not failures, f"{username}: {len(failures)} 处不符：\n" + "\n".join(failures[:40])


def test_an_out_of_range_or_malformed_id_is_a_404_and_a_bad_token_a_401(app, demo):
    """FAB-NOTES: a 500 for an out-of-range id (SQLite and PostgreSQL), 422 for a bad JWT."""
    client = app.test_client()
    headers = login(client, "office")
    for path in (
        "/api/v1/organization/99999999999",
        "/api/v1/organization/2147483648",
        "/api/v1/award_cycle/99999999999/ranking",
        "/documents/99999999999/download",
    ):
        assert client.get(path, headers=headers).status_code in (404, 302), path
    for method in ("put", "delete"):
        for pk in ("99999999999", "abc", "-1"):
            resp = getattr(client, method)(f"/api/v1/organization/{pk}", headers=headers, json={})
            assert resp.status_code == 404, (method, pk, resp.status_code)
            assert resp.is_json
    for token in ("not-a-jwt", "a.b.c", ""):
        resp = client.get("/api/v1/organization/", headers={"Authorization": f"Bearer {token}"})
        assert resp.status_code == 401, (token, resp.status_code)
    resp = client.post("/api/v1/security/refresh", headers=headers)
    assert resp.status_code == 401  # an access token where a refresh token belongs


def test_a_body_naming_a_row_that_does_not_exist_creates_nothing(app, demo):
    """marshmallow-sqlalchemy built a new related row from an unknown id or a dict."""
    from sqlalchemy import func, select

    from models import AwardCycle, Organization

    client = app.test_client()
    headers = login(client, "office")

    def count(model):
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(model))

    cycles, orgs = count(AwardCycle), count(Organization)
    for cycle in (99999, {"id": 99999, "year": 2099}, "x", None, 10**12, True):
        resp = client.post(
            "/api/v1/application/",
            headers=headers,
            json={"cycle": cycle, "prize": "award", "applicant_kind": "organization",
                  "organization": {"name": "新建的组织"}},
        )  # fmt: skip
        assert resp.status_code in (400, 422), resp.get_data(as_text=True)
    for prize in ("grand", "\x00", ""):
        resp = client.post(
            "/api/v1/application/", headers=headers, json={"prize": prize, "cycle": 1}
        )
        assert resp.status_code in (400, 422)
    assert (count(AwardCycle), count(Organization)) == (cycles, orgs)


def test_the_openapi_document_is_served_to_every_signed_in_user_and_nobody_else(app, demo):
    client = app.test_client()
    assert client.get("/api/v1/_openapi").status_code == 401
    for username in ROLES:
        doc = client.get("/api/v1/_openapi", headers=login(client, username)).json
        operation = doc["paths"]["/api/v1/organization/{pk}"]["put"]
        assert {"400", "401", "403", "404", "422"} <= set(operation["responses"])
        upload = doc["paths"]["/api/v1/application_document/upload"]["post"]
        assert "multipart/form-data" in upload["requestBody"]["content"]
