"""The OpenAPI document and the Swagger UI served from the app itself."""

from __future__ import annotations

import re
import uuid

import pytest

SPEC_URL = "/api/v1/openapi.json"
METHODS = {"get", "put", "post", "patch", "delete"}
# Served by the docs machinery, not operations of the API.
NOT_OPERATIONS = {"/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs/assets/<path:filename>"}


@pytest.fixture(scope="module")
def spec(app):
    response = app.test_client().get(SPEC_URL)
    assert response.status_code == 200
    return response.json


def _operations(spec):
    return [
        (path, method, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def _resolve(spec, response):
    if "$ref" in response:
        name = response["$ref"].rsplit("/", 1)[-1]
        return spec["components"]["responses"][name]
    return response


def _ids(spec):
    return [f"{m.upper()} {p}" for p, m, _ in _operations(spec)]


def test_document_is_openapi_3_with_the_bearer_scheme(spec):
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] == "onegrid"
    scheme = spec["components"]["securitySchemes"]["bearerAuth"]
    assert scheme == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


def test_the_document_lists_the_operations_we_serve(spec):
    ops = {(p, m) for p, m, _ in _operations(spec)}
    for expected in [
        ("/api/v1/auth/login", "post"),
        ("/api/v1/users", "get"),
        ("/api/v1/users", "post"),
        ("/api/v1/users/{user_id}", "patch"),
        ("/api/v1/users/{user_id}/disable", "post"),
        ("/api/v1/users/{user_id}/enable", "post"),
        ("/api/v1/audit", "get"),
    ]:
        assert expected in ops


def test_every_api_route_of_the_app_is_documented(app, spec):
    documented = {(re.sub(r"\{(\w+)\}", r"\1", p), m) for p, m, _ in _operations(spec)}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule in NOT_OPERATIONS:
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"\1", rule.rule)
        for method in rule.methods & {m.upper() for m in METHODS}:
            assert (path, method.lower()) in documented, f"{method} {rule.rule} is undocumented"


def test_every_operation_has_a_summary_and_a_tag(spec):
    for path, method, op in _operations(spec):
        assert op.get("summary", "").strip(), f"{method.upper()} {path} has no summary"
        assert op.get("tags"), f"{method.upper()} {path} has no tag"


def test_every_api_operation_documents_a_client_error(spec):
    for path, method, op in _operations(spec):
        codes = set(op["responses"])
        if path.startswith("/api/v1/"):
            assert any(c.startswith("4") for c in codes), f"{method.upper()} {path}: no 4xx"
        else:
            # Probes answer 200 or 5xx; they still document the error shape.
            assert "default" in codes


def test_error_responses_use_the_common_error_shape(spec):
    for path, method, op in _operations(spec):
        for code, response in op["responses"].items():
            if code[0] in "45" or code == "default":
                content = _resolve(spec, response)["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (
                    f"{method.upper()} {path} {code}"
                )


def _call_without_token(client, path, method):
    url = re.sub(r"\{\w+\}", str(uuid.uuid4()), path)
    return client.open(url, method=method.upper(), json={})


def test_operations_that_need_auth_declare_security_and_401(client, spec):
    checked = 0
    for path, method, op in _operations(spec):
        response = _call_without_token(client, path, method)
        needs_auth = response.status_code == 401
        security = op.get("security")
        # External intake sources authenticate with an API key instead of a bearer token.
        declares = security in ([{"bearerAuth": []}], [{"apiKey": []}])
        assert needs_auth == declares, f"{method.upper()} {path}: {response.status_code}"
        if declares:
            assert "401" in op["responses"], f"{method.upper()} {path} does not document 401"
            bearer = security == [{"bearerAuth": []}]
            challenge = "Bearer" if bearer else 'ApiKey header="X-Api-Key"'
            assert response.headers["WWW-Authenticate"] == challenge
            checked += 1
    assert checked >= 8


def test_docs_page_uses_local_assets(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in html
    assert SPEC_URL in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()


def test_docs_assets_are_served_by_the_app(client):
    response = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert response.status_code == 200
    assert "javascript" in response.mimetype
    assert len(response.get_data()) > 100_000
    response.close()


def test_unknown_docs_asset_is_404(client):
    assert client.get("/api/v1/docs/assets/nope.js").status_code == 404
    assert client.get("/api/v1/docs/assets/../../../etc/passwd").status_code == 404
