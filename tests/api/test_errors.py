"""Every failure has one JSON shape, a request id, and a message in the caller's language."""

import logging

import pytest

from api.app import create_app


def assert_error_shape(response, status):
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.json
    assert body["code"] == status
    assert isinstance(body["status"], str) and body["status"]
    assert isinstance(body["message"], str) and body["message"]
    assert body["request_id"] == response.headers["X-Request-ID"]
    return body


def test_unknown_route_is_404_in_the_common_shape(client):
    body = assert_error_shape(client.get("/api/v1/no-such-thing"), 404)
    assert body["message"] == "请求的地址不存在。"


def test_unknown_route_speaks_english_when_asked(client):
    response = client.get("/api/v1/no-such-thing", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert assert_error_shape(response, 404)["message"] == "The requested URL was not found."


def test_wrong_method_is_405_with_allow_header(client):
    response = client.delete("/api/v1/auth/login")
    body = assert_error_shape(response, 405)
    assert "DELETE" in body["message"]
    assert "POST" in response.headers["Allow"]


def test_oversized_body_is_413_and_names_the_limit(client, container):
    limit = container.config.max_body_bytes
    response = client.post(
        "/api/v1/auth/login",
        data=b'{"username": "' + b"a" * (limit + 10) + b'"}',
        content_type="application/json",
    )
    body = assert_error_shape(response, 413)
    assert str(limit) in body["message"]


def test_malformed_json_is_400_with_a_clear_message(client):
    response = client.post("/api/v1/auth/login", data="{not json", content_type="application/json")
    body = assert_error_shape(response, 400)
    assert body["errors"] == {"json": ["请求体不是有效的 JSON。"]}


def test_validation_errors_name_each_field_in_chinese_by_default(client):
    response = client.post("/api/v1/auth/login", json={"username": 5, "extra": 1})
    body = assert_error_shape(response, 422)
    assert body["message"] == "请求参数校验失败。"
    fields = body["errors"]["json"]
    assert fields["username"] == ["不是有效的字符串。"]
    assert fields["password"] == ["缺少必填字段。"]
    assert fields["extra"] == ["未知字段。"]


def test_validation_errors_in_english(client):
    response = client.post("/api/v1/auth/login", json={}, headers={"Accept-Language": "en"})
    body = assert_error_shape(response, 422)
    assert body["errors"]["json"]["password"] == ["Missing data for required field."]


def test_a_json_array_instead_of_an_object_is_refused(client):
    response = client.post("/api/v1/auth/login", json=["admin", "secret"])
    assert_error_shape(response, 422)


def test_client_request_id_is_echoed_and_hostile_ones_are_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "phone-abc.123"})
    assert response.headers["X-Request-ID"] == "phone-abc.123"
    response = client.get("/healthz", headers={"X-Request-ID": "evil line <script>" + "x" * 100})
    generated = response.headers["X-Request-ID"]
    assert " " not in generated and len(generated) == 32


@pytest.fixture
def failing_app(test_config):
    app = create_app(test_config)

    @app.route("/api/v1/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    return app


def test_unexpected_exception_is_500_without_trace_and_logged_with_request_id(failing_app, caplog):
    with caplog.at_level(logging.ERROR):
        response = failing_app.test_client().get(
            "/api/v1/boom", headers={"X-Request-ID": "req-500"}
        )
    body = assert_error_shape(response, 500)
    assert "req-500" in body["message"]
    assert "secret internal detail" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    logged = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert logged and logged[-1].request_id == "req-500"
    assert logged[-1].exc_info and "secret internal detail" in str(logged[-1].exc_info[1])


def test_log_lines_outside_requests_carry_a_dash(caplog):
    with caplog.at_level(logging.INFO):
        logging.getLogger("onegrid.test").info("hello")
    assert caplog.records[-1].request_id == "-"
