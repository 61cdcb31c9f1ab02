"""The app answers: probes, docs, and the unauthenticated error shape."""


def test_healthz_is_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_reports_database_at_head(client, dialect):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["status"] == "ready"
    assert response.json["database"] == dialect
    assert response.json["migration_current"] == response.json["migration_head"]


def test_me_without_token_is_401_in_the_common_shape(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    body = response.json
    assert body["code"] == 401
    assert body["status"] == "Unauthorized"
    assert body["message"] == "请先登录。"
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert response.headers["WWW-Authenticate"] == "Bearer"
