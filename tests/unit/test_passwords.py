"""The password policy and argon2 hashing."""

import pytest

from services.errors import ValidationFailed
from services.passwords import MAX_LENGTH, MIN_LENGTH, PasswordHasher, check_password_policy
from tests.factories import FAST_HASHER


@pytest.mark.parametrize(
    "password",
    ["abcdefg1", "Passw0rd-for-tests", "密码密码密码密码1", "a1" * (MAX_LENGTH // 2)],
)
def test_policy_accepts_letters_and_digits_of_a_sensible_length(password):
    check_password_policy(password)


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("abcdef1", "too short"),
        ("", "empty"),
        ("abcdefgh", "no digit"),
        ("12345678", "no letter"),
        ("!@#$%^&*()", "neither letters nor digits"),
        ("a1" * (MAX_LENGTH // 2) + "x", "too long"),
    ],
)
def test_policy_refuses_weak_passwords(password, why):
    with pytest.raises(ValidationFailed) as caught:
        check_password_policy(password)
    assert caught.value.fields == {"password": "password_weak"}, why
    assert caught.value.params == {"min": MIN_LENGTH}


def test_policy_names_the_field_it_was_given():
    with pytest.raises(ValidationFailed) as caught:
        check_password_policy("short", field_name="new_password")
    assert caught.value.fields == {"new_password": "password_weak"}


def test_hash_is_argon2id_and_never_the_password():
    digest = FAST_HASHER.hash("Passw0rd-for-tests")
    assert digest.startswith("$argon2id$")
    assert "Passw0rd-for-tests" not in digest


def test_same_password_hashes_differently_each_time():
    assert FAST_HASHER.hash("Passw0rd1") != FAST_HASHER.hash("Passw0rd1")


def test_verify_accepts_the_right_password():
    assert FAST_HASHER.verify(FAST_HASHER.hash("Passw0rd1"), "Passw0rd1") is True


def test_verify_refuses_a_wrong_password():
    assert FAST_HASHER.verify(FAST_HASHER.hash("Passw0rd1"), "Passw0rd2") is False


def test_verify_is_case_sensitive():
    assert FAST_HASHER.verify(FAST_HASHER.hash("Passw0rd1"), "passw0rd1") is False


def test_verify_against_no_hash_is_false():
    assert FAST_HASHER.verify(None, "Passw0rd1") is False


def test_verify_against_no_hash_is_false_even_for_the_internal_dummy_password():
    # Unknown users are checked against a dummy hash; its password must not open anything.
    assert FAST_HASHER.verify(None, "onegrid-dummy-password") is False
    assert FAST_HASHER.verify("", "onegrid-dummy-password") is False


@pytest.mark.parametrize("stored", ["not-a-hash", "$argon2id$broken", "plaintext-password"])
def test_verify_against_a_corrupt_hash_is_false(stored):
    assert FAST_HASHER.verify(stored, stored) is False


def test_hash_made_with_weaker_parameters_needs_rehash():
    strong = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    assert strong.needs_rehash(FAST_HASHER.hash("Passw0rd1")) is True
    assert strong.needs_rehash(strong.hash("Passw0rd1")) is False
