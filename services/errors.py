"""Domain errors: each names a message in the catalogue and maps to one HTTP status in api/."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error a use case raises on purpose.

    ``key`` names a message in ``services.messages``; ``params`` fill its placeholders;
    ``fields`` maps input field names to message keys for validation errors.
    """

    key = "error"

    def __init__(
        self,
        key: str | None = None,
        /,
        *,
        fields: dict[str, str] | None = None,
        retry_after: int | None = None,
        details: dict[str, Any] | None = None,
        **params: Any,
    ) -> None:
        self.key = key or self.key
        self.params = params
        self.fields = fields or {}
        self.retry_after = retry_after
        self.details = details or {}
        super().__init__(f"{self.key} {params}" if params else self.key)


class NotFound(DomainError):
    key = "not_found"


class PermissionDenied(DomainError):
    key = "permission_denied"


class AuthenticationFailed(DomainError):
    key = "authentication_failed"


class AccountLocked(DomainError):
    key = "account_locked"


class Conflict(DomainError):
    key = "conflict"


class InvalidTransition(Conflict):
    key = "invalid_transition"


class ValidationFailed(DomainError):
    key = "validation_failed"


class PayloadTooLarge(DomainError):
    key = "payload_too_large"


class UnsupportedMedia(DomainError):
    key = "unsupported_media"


class RateLimited(DomainError):
    key = "rate_limited"


class ServiceUnavailable(DomainError):
    key = "service_unavailable"
