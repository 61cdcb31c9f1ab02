"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError

from services.errors import ValidationFailed

MIN_LENGTH = 8
MAX_LENGTH = 128


class PasswordHasher:
    """argon2id with tunable cost; tests use a cheap one, production the library defaults."""

    def __init__(self, *, time_cost: int = 3, memory_cost: int = 65536, parallelism: int = 4):
        self._argon = _Argon2(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
        # Verified against when the username is unknown, so both paths cost the same.
        self._dummy = self._argon.hash("onegrid-dummy-password")

    def hash(self, password: str) -> str:
        return self._argon.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._argon.verify(password_hash or self._dummy, password) and bool(
                password_hash
            )
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._argon.check_needs_rehash(password_hash)


def check_password_policy(password: str, *, field_name: str = "password") -> None:
    """At least 8 characters, at most 128, with both letters and digits."""
    ok = (
        MIN_LENGTH <= len(password) <= MAX_LENGTH
        and any(c.isalpha() for c in password)
        and any(c.isdigit() for c in password)
    )
    if not ok:
        raise ValidationFailed(fields={field_name: "password_weak"}, min=MIN_LENGTH)
