"""The outside world as the domain sees it; adapters in notifications/ and media/ implement it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SmsResult:
    accepted: bool
    provider_message_id: str | None = None
    error: str | None = None


class SmsSender(Protocol):
    """Sends one text message made from a provider-side template and its parameters."""

    def send(
        self, *, phone: str, template: str, params: Mapping[str, str], reference: str
    ) -> SmsResult:
        """``reference`` is our id for the message, passed to the provider for reconciliation."""
        ...
