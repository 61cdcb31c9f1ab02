"""JWT access tokens and opaque rotating refresh tokens."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import re
import secrets
import time
import uuid
from dataclasses import dataclass

import jwt

from services.db import utcnow
from services.errors import AuthenticationFailed

ALGORITHM = "HS256"
REFRESH_SECRET_BYTES = 32
# What secrets.token_urlsafe(REFRESH_SECRET_BYTES) produces: 43 URL-safe base64 characters.
_REFRESH_SECRET = re.compile(r"[A-Za-z0-9_-]{43}")


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int
    token_type: str = "Bearer"


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    expires_at: float = 0.0  # POSIX seconds


# Verified tokens remembered per process: a phone sends the same token for 15 minutes, and
# verifying the signature again each time costs more than the rest of authentication. Expiry is
# still checked on every use, and revocation lives in the database, which is read every time.
_VERIFIED_CACHE_SIZE = 4096


class TokenCodec:
    def __init__(
        self,
        secret: str,
        *,
        access_ttl: dt.timedelta = dt.timedelta(minutes=15),
        refresh_ttl: dt.timedelta = dt.timedelta(days=30),
        issuer: str = "onegrid",
    ) -> None:
        self._secret = secret
        self.access_ttl = access_ttl
        self.refresh_ttl = refresh_ttl
        self._issuer = issuer
        self._verified = functools.lru_cache(maxsize=_VERIFIED_CACHE_SIZE)(self._verify)

    def issue_access(self, user_id: uuid.UUID, session_id: uuid.UUID) -> str:
        now = utcnow()
        claims = {
            "iss": self._issuer,
            "sub": str(user_id),
            "sid": str(session_id),
            "typ": "access",
            "iat": now,
            "exp": now + self.access_ttl,
            "jti": secrets.token_hex(8),
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def decode_access(self, token: str) -> AccessClaims:
        claims = self._verified(token)
        if claims.expires_at <= time.time():
            raise AuthenticationFailed("token_invalid")
        return claims

    def _verify(self, token: str) -> AccessClaims:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                issuer=self._issuer,
                options={"require": ["exp", "iat", "sub", "sid", "typ"]},
            )
            if claims["typ"] != "access":
                raise AuthenticationFailed("token_invalid")
            return AccessClaims(
                uuid.UUID(claims["sub"]), uuid.UUID(claims["sid"]), float(claims["exp"])
            )
        except (jwt.PyJWTError, ValueError, TypeError, AttributeError):
            # AttributeError: uuid.UUID() of a non-string claim, e.g. a numeric "sid".
            raise AuthenticationFailed("token_invalid") from None

    @staticmethod
    def new_refresh(session_id: uuid.UUID) -> tuple[str, str]:
        """A refresh token ``<session>.<secret>`` and the hash to store for it."""
        secret = secrets.token_urlsafe(REFRESH_SECRET_BYTES)
        return f"{session_id}.{secret}", hash_secret(secret)

    @staticmethod
    def split_refresh(token: str) -> tuple[uuid.UUID, str]:
        """The session and secret of a refresh token; anything we could not have issued fails.

        A malformed secret must fail here: were it compared with the stored hash, it would count
        as a reused token and end the session of whoever really holds it.
        """
        session_part, _, secret = token.partition(".")
        if not _REFRESH_SECRET.fullmatch(secret):
            raise AuthenticationFailed("refresh_invalid")
        try:
            return uuid.UUID(session_part), secret
        except ValueError:
            raise AuthenticationFailed("refresh_invalid") from None


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def same_hash(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)
