"""Recording fakes of the outbound channels, for tests and local runs without providers."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

from services.ports import SmsResult


@dataclass(frozen=True)
class SentSms:
    phone: str
    template: str
    params: dict[str, str]
    reference: str


@dataclass
class RecordingSmsSender:
    """Keeps every message; ``fail_next`` makes the next sends be refused by the 'provider'."""

    sent: list[SentSms] = field(default_factory=list)
    fail_next: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def send(
        self, *, phone: str, template: str, params: Mapping[str, str], reference: str
    ) -> SmsResult:
        with self._lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                return SmsResult(accepted=False, error="fake provider refused")
            self.sent.append(SentSms(phone, template, dict(params), reference))
            return SmsResult(accepted=True, provider_message_id=f"fake-{len(self.sent)}")

    def last_to(self, phone: str) -> SentSms | None:
        return next((m for m in reversed(self.sent) if m.phone == phone), None)

    def clear(self) -> None:
        with self._lock:
            self.sent.clear()
            self.fail_next = 0
