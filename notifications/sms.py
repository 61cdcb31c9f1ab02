"""SMS senders: the development logger, and the factory that picks one from configuration."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from notifications.fakes import RecordingSmsSender
from services.phones import mask_phone
from services.ports import SmsResult, SmsSender

logger = logging.getLogger(__name__)


class LoggingSmsSender:
    """Development only: writes the message (including login codes) to the log, sends nothing."""

    def send(
        self, *, phone: str, template: str, params: Mapping[str, str], reference: str
    ) -> SmsResult:
        logger.warning(
            "SMS (not sent, development) to %s template=%s params=%s ref=%s",
            mask_phone(phone),
            template,
            dict(params),
            reference,
        )
        return SmsResult(accepted=True, provider_message_id=f"log-{reference}")


def build_sms_sender(provider: str) -> SmsSender:
    if provider == "log":
        return LoggingSmsSender()
    if provider == "fake":
        return RecordingSmsSender()
    raise ValueError(f"unknown SMS provider {provider!r}")
