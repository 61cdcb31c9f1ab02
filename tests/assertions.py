"""Assertions shared by the API tests."""


def assert_error(response, status: int) -> dict:
    """The response is an error of ``status`` in the common shape; returns its body."""
    assert response.status_code == status, response.json
    body = response.json
    assert body["code"] == status
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert isinstance(body["message"], str) and body["message"]
    return body
