"""JWT access tokens and opaque refresh tokens."""

import datetime as dt
import time
import uuid

import jwt
import pytest

from services.errors import AuthenticationFailed
from services.tokens import TokenCodec, hash_secret, same_hash

SECRET = "unit-test-secret-that-is-long-enough-even-for-hs512-0123456789abcdef"
USER = uuid.UUID("11111111-1111-4111-8111-111111111111")
SID = uuid.UUID("22222222-2222-4222-8222-222222222222")


@pytest.fixture
def codec():
    return TokenCodec(SECRET)


def _forge(secret: str = SECRET, algorithm: str = "HS256", drop: tuple = (), **overrides):
    """A token signed like ours, with some claims changed or left out."""
    now = dt.datetime.now(dt.UTC)
    claims = {
        "iss": "onegrid",
        "sub": str(USER),
        "sid": str(SID),
        "typ": "access",
        "iat": now,
        "exp": now + dt.timedelta(minutes=5),
    }
    claims.update(overrides)
    for name in drop:
        claims.pop(name)
    return jwt.encode(claims, secret, algorithm=algorithm)


def _refused(codec: TokenCodec, token) -> AuthenticationFailed:
    with pytest.raises(AuthenticationFailed) as caught:
        codec.decode_access(token)
    return caught.value


def test_access_token_roundtrip_returns_user_and_session(codec):
    claims = codec.decode_access(codec.issue_access(USER, SID))
    assert claims.user_id == USER
    assert claims.session_id == SID


def test_access_tokens_for_the_same_session_are_distinct(codec):
    assert codec.issue_access(USER, SID) != codec.issue_access(USER, SID)


def test_access_token_expires_after_its_ttl(codec):
    token = jwt.decode(codec.issue_access(USER, SID), options={"verify_signature": False})
    assert token["exp"] - token["iat"] == 15 * 60


def test_expired_access_token_is_refused():
    expired = TokenCodec(SECRET, access_ttl=dt.timedelta(seconds=-1)).issue_access(USER, SID)
    assert _refused(TokenCodec(SECRET), expired).key == "token_invalid"


def test_a_verified_token_is_still_refused_once_it_expires(codec, monkeypatch):
    user_id, session_id = uuid.uuid4(), uuid.uuid4()
    token = codec.issue_access(user_id, session_id)
    assert codec.decode_access(token).session_id == session_id  # verified and remembered
    later = time.time() + codec.access_ttl.total_seconds() + 1
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(AuthenticationFailed):
        codec.decode_access(token)


def test_token_signed_with_another_secret_is_refused(codec):
    other = TokenCodec("another-secret-that-is-also-long-enough-0123456789abcdef")
    assert _refused(codec, other.issue_access(USER, SID)).key == "token_invalid"


def test_token_from_another_issuer_is_refused(codec):
    other = TokenCodec(SECRET, issuer="someone-else")
    assert _refused(codec, other.issue_access(USER, SID)).key == "token_invalid"


@pytest.mark.parametrize("typ", ["refresh", "id", "", ["access"]])
def test_token_of_another_type_is_refused(codec, typ):
    assert _refused(codec, _forge(typ=typ)).key == "token_invalid"


@pytest.mark.parametrize("claim", ["exp", "iat", "sub", "sid", "typ", "iss"])
def test_token_missing_a_required_claim_is_refused(codec, claim):
    assert _refused(codec, _forge(drop=(claim,))).key == "token_invalid"


@pytest.mark.parametrize(
    "overrides",
    [
        {"sub": "not-a-uuid"},
        {"sid": "not-a-uuid"},
        {"sub": 42},
        {"sid": 42},
        {"sid": ["22222222-2222-4222-8222-222222222222"]},
        {"sid": {"id": 1}},
    ],
)
def test_signed_token_with_malformed_ids_is_refused(codec, overrides):
    assert _refused(codec, _forge(**overrides)).key == "token_invalid"


def test_unsigned_token_is_refused(codec):
    unsigned = jwt.encode({"sub": str(USER), "sid": str(SID), "typ": "access"}, None, "none")
    assert _refused(codec, unsigned).key == "token_invalid"


def test_token_signed_with_another_algorithm_is_refused(codec):
    assert _refused(codec, _forge(algorithm="HS512")).key == "token_invalid"


@pytest.mark.parametrize(
    "garbage", ["", "abc", "a.b.c", "Bearer x", "é" * 50, "x" * 5000, None, 12345, b"\xff"]
)
def test_garbage_access_token_is_refused(codec, garbage):
    assert _refused(codec, garbage).key == "token_invalid"


def test_refresh_token_splits_into_its_session_and_a_secret_stored_only_as_hash(codec):
    token, stored = codec.new_refresh(SID)
    sid, secret = codec.split_refresh(token)
    assert sid == SID
    assert token == f"{SID}.{secret}"
    assert stored == hash_secret(secret)
    assert secret not in stored


def test_refresh_tokens_for_one_session_differ(codec):
    assert codec.new_refresh(SID)[0] != codec.new_refresh(SID)[0]


@pytest.mark.parametrize(
    "malformed",
    [
        "",
        ".",
        "abc",
        "abc.def",
        "not-a-uuid.secretsecretsecret",
        str(SID),  # the session part alone
        f"{SID}.",  # no secret
        f"{SID}.short",
        f"{SID}.{'x' * 43}.extra",
        f"{SID}.{'!' * 43}",
    ],
)
def test_malformed_refresh_token_is_refused(codec, malformed):
    with pytest.raises(AuthenticationFailed) as caught:
        codec.split_refresh(malformed)
    assert caught.value.key == "refresh_invalid"


def test_same_hash_compares_hashes():
    assert same_hash(hash_secret("a"), hash_secret("a")) is True
    assert same_hash(hash_secret("a"), hash_secret("b")) is False
