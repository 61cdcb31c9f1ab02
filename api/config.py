"""Configuration: the only module that reads environment variables (and ``.env``)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum

from services.calendar_hours import parse_working_hours

DEV_SECRET_KEY = "onegrid-development-secret-key-change-me"
MIN_SECRET_LENGTH = 32


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says which variable and why."""


class Env(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


@dataclass(frozen=True)
class Config:
    """Every setting, with its ``ONEGRID_*`` variable named in ``ENV_VARS``."""

    env: Env = Env.DEVELOPMENT
    database_url: str | None = None  # None: SQLite file in the instance folder
    secret_key: str = DEV_SECRET_KEY
    instance_path: str | None = None  # None: ./instance beside the code
    media_root: str | None = None  # None: <instance>/media
    log_level: str = "INFO"
    # proxies in front of us whose X-Forwarded-For may be trusted (0: use the socket address)
    proxy_count: int = 0
    max_body_bytes: int = 1024 * 1024
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    max_failed_logins: int = 5
    lockout_minutes: int = 15
    otp_ttl_minutes: int = 5
    otp_max_attempts: int = 5
    otp_resend_seconds: int = 60
    otp_daily_limit: int = 10
    ratelimit_storage_uri: str = "memory://"  # e.g. redis://127.0.0.1:6379/0
    ratelimit_enabled: bool = True
    login_rate_limit: str = "20 per minute"
    otp_rate_limit: str = "10 per minute"
    sms_provider: str = "log"  # log: codes go to the log (development); fake: recorded in memory
    # argon2 cost; "fast" only for tests
    password_hash_profile: str = "standard"
    # a point in no grid goes to the nearest grid within this many metres (0: never)
    locate_max_distance_m: int = 100
    # working periods of a working day, Asia/Shanghai wall-clock time (deadlines count these)
    working_hours: str = "09:00-12:00,13:30-17:30"
    # GET /areas/{id}/geojson refuses subtrees with more areas than this
    areas_geojson_max_features: int = 5000
    # photos: where files live (local | s3), limits, how long originals are kept
    media_storage: str = "local"
    media_max_bytes: int = 20 * 1024 * 1024
    media_max_pixels: int = 50_000_000
    # originals (with their EXIF) are kept this many days for staff; 0: not kept; -1: forever
    media_original_days: int = 365
    media_url_ttl_seconds: int = 900  # signed file URLs expire after this
    media_unattached_hours: int = 24  # uploads attached to nothing are removed after this
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None  # MinIO, Alibaba OSS …; None: AWS
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None  # None: boto3's default credential chain
    s3_secret_access_key: str | None = None
    s3_prefix: str = ""
    # reports
    reports_per_hour: int = 20  # per user; more answer 429
    nearby_radius_m: int = 250  # GET /reports/nearby looks this far
    nearby_days: int = 30
    duplicate_radius_m: int = 50  # same category this close and recent: suspected duplicate
    duplicate_hours: int = 72
    location_mismatch_m: int = 500  # given location vs photo GPS further apart: flagged
    phash_max_distance: int = 6  # differing bits of the photo hashes for a near-identical photo
    # intake: addresses of external events to points (offline | nominatim | baidu)
    geocoder: str = "offline"  # offline: area names in the address, no network
    geocoder_url: str | None = None  # nominatim: the server (default nominatim.openstreetmap.org)
    geocoder_api_key: str | None = None  # baidu: the ak
    geocoder_timeout_s: int = 5
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.env is Env.PRODUCTION

    def validate(self) -> Config:
        if self.is_production and (
            self.secret_key == DEV_SECRET_KEY or len(self.secret_key) < MIN_SECRET_LENGTH
        ):
            raise ConfigError(
                f"ONEGRID_SECRET_KEY must be set to a random value of at least "
                f"{MIN_SECRET_LENGTH} characters in production"
            )
        if self.is_production and self.password_hash_profile != "standard":
            raise ConfigError("ONEGRID_PASSWORD_HASH_PROFILE must be 'standard' in production")
        if not 0 <= self.locate_max_distance_m <= 10_000:
            raise ConfigError("ONEGRID_LOCATE_MAX_DISTANCE_M must be between 0 and 10000 metres")
        try:
            parse_working_hours(self.working_hours)
        except ValueError as exc:
            raise ConfigError(f"ONEGRID_WORKING_HOURS: {exc}") from None
        if not 1 <= self.areas_geojson_max_features <= 100_000:
            raise ConfigError("ONEGRID_AREAS_GEOJSON_MAX_FEATURES must be between 1 and 100000")
        if self.media_storage not in {"local", "s3"}:
            raise ConfigError(f"ONEGRID_MEDIA_STORAGE: unknown storage {self.media_storage!r}")
        if self.media_storage == "s3" and not self.s3_bucket:
            raise ConfigError("ONEGRID_S3_BUCKET must be set when ONEGRID_MEDIA_STORAGE is s3")
        if self.media_max_bytes < 1 or self.media_max_pixels < 1:
            raise ConfigError("ONEGRID_MEDIA_MAX_BYTES and ONEGRID_MEDIA_MAX_PIXELS must be > 0")
        if self.media_original_days < -1:
            raise ConfigError("ONEGRID_MEDIA_ORIGINAL_DAYS must be -1 (forever), 0 or more")
        if not 10 <= self.media_url_ttl_seconds <= 7 * 24 * 3600:
            raise ConfigError("ONEGRID_MEDIA_URL_TTL_SECONDS must be between 10 and 604800")
        if self.geocoder not in {"offline", "nominatim", "baidu"}:
            raise ConfigError(f"ONEGRID_GEOCODER: unknown geocoder {self.geocoder!r}")
        if self.geocoder == "baidu" and not self.geocoder_api_key:
            raise ConfigError("ONEGRID_GEOCODER_API_KEY must be set when ONEGRID_GEOCODER is baidu")
        if not 1 <= self.geocoder_timeout_s <= 60:
            raise ConfigError("ONEGRID_GEOCODER_TIMEOUT_S must be between 1 and 60 seconds")
        if self.sms_provider not in {"log", "fake"}:
            raise ConfigError(f"ONEGRID_SMS_PROVIDER: unknown provider {self.sms_provider!r}")
        return self

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, dotenv: bool = True) -> Config:
        """Read ``ONEGRID_*`` variables; a ``.env`` file in the working directory is honoured."""
        if environ is None:
            if dotenv:
                from dotenv import load_dotenv

                load_dotenv(os.path.join(os.getcwd(), ".env"), override=False)
            environ = os.environ
        values: dict[str, object] = {}
        for f in fields(cls):
            if f.name == "extra":
                continue
            name = f"ONEGRID_{f.name.upper()}"
            raw = environ.get(name)
            if raw is None or raw == "":
                continue
            values[f.name] = _parse(name, raw, f.type)
        if "PORT" in environ:
            values["extra"] = {"port": environ["PORT"]}
        return cls(**values)

    @classmethod
    def for_tests(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Config:
        """Test settings: cheap hashing, fake SMS; ONEGRID_TEST_DATABASE_URL picks the database."""
        environ = os.environ if environ is None else environ
        base = cls(
            env=Env.TEST,
            database_url=environ.get("ONEGRID_TEST_DATABASE_URL") or None,
            secret_key="test-secret-key-that-is-long-enough-0123456789",
            sms_provider="fake",
            password_hash_profile="fast",
            log_level="WARNING",
        )
        return replace(base, **overrides)


def _parse(name: str, raw: str, annotation: object) -> object:
    kind = str(annotation)
    try:
        if kind == "Env":
            return Env(raw.strip().lower())
        if kind == "bool":
            lowered = raw.strip().lower()
            if lowered not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
                raise ValueError(raw)
            return lowered in {"1", "true", "yes", "on"}
        if kind == "int":
            return int(raw)
    except ValueError:
        raise ConfigError(f"{name}: cannot use {raw!r}") from None
    return raw
