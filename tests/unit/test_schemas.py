"""api.schemas building blocks: whole-value patterns, encodable text and passwords."""

from __future__ import annotations

import marshmallow as ma
import pytest

from api.resources.auth.schemas import LoginSchema
from api.schemas import FullMatch, password_field, text


class _Sample(ma.Schema):
    code = ma.fields.String(validate=FullMatch(r"^[0-9]{3}$"))
    name = text(1, 10)
    password = password_field()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"code": "123\n"}, "code"),
        ({"code": "1234"}, "code"),
        ({"name": "a\x00b"}, "name"),
        ({"name": "\ud800"}, "name"),
        ({"name": "x" * 11}, "name"),
        ({"password": "Passw0rd\udfff"}, "password"),
        ({"password": "p" * 129}, "password"),
    ],
)
def test_bad_values_are_refused(data, field):
    with pytest.raises(ma.ValidationError) as caught:
        _Sample().load(data)
    assert set(caught.value.messages) == {field}


def test_good_values_pass_unchanged():
    data = {"code": "123", "name": "张三 😀\tx", "password": "密码 with spaces 1"}
    assert _Sample().load(data) == data


def test_full_match_still_documents_its_pattern():
    assert FullMatch(r"^[0-9]{3}$").regex.pattern == "^[0-9]{3}$"


def test_login_refuses_a_password_that_cannot_be_hashed():
    with pytest.raises(ma.ValidationError) as caught:
        LoginSchema().load({"username": "someone", "password": "x\ud800"})
    assert "password" in caught.value.messages
