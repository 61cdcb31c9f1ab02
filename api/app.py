"""The composition root: ``create_app`` builds and wires everything, once per process."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

from flask import Flask, Request
from flask.sessions import SecureCookieSessionInterface
from flask_smorest import Api
from werkzeug.middleware.proxy_fix import ProxyFix

from api.auth import SECURITY_SCHEME
from api.commands import register_commands
from api.config import Config
from api.content import install_content_type_check
from api.context import EXTENSION, Container, close_session
from api.docs import register_docs_assets
from api.errors import ErrorSchema, install_error_handlers
from api.observability import configure_logging, install_request_id
from api.ratelimit import install_rate_limits
from api.resources import register_resources
from api.resources.intake.routes import API_KEY_SCHEME
from media.pipeline import PillowImageProcessor
from media.storage import build_media_store
from notifications.sms import build_sms_sender
from services.accounts import AuthKit, AuthPolicy
from services.calendar_hours import parse_working_hours
from services.db import make_engine, make_session_factory
from services.geo.geocoding import build_geocoder
from services.geo.locator_cache import LocatorCache
from services.passwords import PasswordHasher
from services.policies import MediaPolicy, ReportPolicy
from services.tokens import TokenCodec

API_PREFIX = "/api/v1"
API_DESCRIPTION = """\
Backend of the city's one-network unified management platform (一网统管).

Residents report problems, grid workers patrol and verify, dispatchers file and dispatch,
departments dispose, and the emergency office alerts. Authenticate with a bearer token from
`POST /api/v1/auth/login` (staff) or `POST /api/v1/auth/otp/verify` (residents). Every error has
the same JSON shape; messages are in zh-CN unless `Accept-Language` prefers English.
"""


class NoCookieSessions(SecureCookieSessionInterface):
    def open_session(self, app, request):
        return None  # Flask then uses a null session

    def save_session(self, app, session, response):
        return None


class OnegridRequest(Request):
    def _get_file_stream(
        self, total_content_length, content_type, filename=None, content_length=None
    ):
        # An uploaded photo is read whole right after parsing, and the body limit (checked
        # before parsing) bounds it: keep it in memory instead of spooling it to a temporary
        # file and reading it back.
        return io.BytesIO()


class OnegridApi(Api):
    ERROR_SCHEMA = ErrorSchema


def _hasher(config: Config) -> PasswordHasher:
    if config.password_hash_profile == "fast":
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


def _auth_kit(config: Config) -> AuthKit:
    policy = AuthPolicy(
        max_failed_logins=config.max_failed_logins,
        lockout=dt.timedelta(minutes=config.lockout_minutes),
        otp_ttl=dt.timedelta(minutes=config.otp_ttl_minutes),
        otp_max_attempts=config.otp_max_attempts,
        otp_resend_interval=dt.timedelta(seconds=config.otp_resend_seconds),
        otp_daily_limit=config.otp_daily_limit,
    )
    codec = TokenCodec(
        config.secret_key,
        access_ttl=dt.timedelta(minutes=config.access_token_minutes),
        refresh_ttl=dt.timedelta(days=config.refresh_token_days),
    )
    otp_key = ("otp:" + config.secret_key).encode()
    return AuthKit(codec=codec, hasher=_hasher(config), otp_key=otp_key, policy=policy)


def _media_policy(config: Config) -> MediaPolicy:
    return MediaPolicy(
        max_bytes=config.media_max_bytes,
        max_pixels=config.media_max_pixels,
        original_days=config.media_original_days,
        url_ttl_seconds=config.media_url_ttl_seconds,
        unattached_after=dt.timedelta(hours=config.media_unattached_hours),
    )


def _report_policy(config: Config) -> ReportPolicy:
    return ReportPolicy(
        reports_per_hour=config.reports_per_hour,
        nearby_radius_m=config.nearby_radius_m,
        nearby_days=config.nearby_days,
        duplicate_radius_m=config.duplicate_radius_m,
        duplicate_window=dt.timedelta(hours=config.duplicate_hours),
        location_mismatch_m=config.location_mismatch_m,
        phash_max_distance=config.phash_max_distance,
    )


def _flask_settings(config: Config, instance: Path) -> dict:
    return {
        "ONEGRID": config,
        "SECRET_KEY": config.secret_key,
        "TESTING": config.env == "test",
        "MAX_CONTENT_LENGTH": config.max_body_bytes,
        "API_TITLE": "onegrid",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": API_PREFIX,
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": f"{API_PREFIX}/docs/assets/",
        "OPENAPI_SWAGGER_UI_CONFIG": {"persistAuthorization": True, "deepLinking": True},
        "ONEGRID_MEDIA_ROOT": config.media_root or str(instance / "media"),
    }


def create_app(config: Config | None = None) -> Flask:
    """Build the application: configuration, database, adapters, routes, docs, error handling."""
    config = (config or Config.from_env()).validate()
    app = Flask("api", instance_path=config.instance_path, static_folder=None)
    instance = Path(app.instance_path)
    os.makedirs(instance, exist_ok=True)
    configure_logging(config.log_level)
    app.config.update(_flask_settings(config, instance))
    # No cookie sessions: the API is stateless (bearer tokens); skip Flask's per-request work.
    app.session_interface = NoCookieSessions()
    app.request_class = OnegridRequest
    app.json.sort_keys = False
    app.json.ensure_ascii = False  # Chinese text as UTF-8, not \u escapes
    if config.proxy_count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.proxy_count, x_proto=1, x_host=1)

    database_url = config.database_url or f"sqlite:///{instance / 'onegrid.db'}"
    engine = make_engine(database_url)
    app.extensions[EXTENSION] = Container(
        config=config,
        engine=engine,
        session_factory=make_session_factory(engine),
        read_session_factory=make_session_factory(engine, readonly=True),
        auth=_auth_kit(config),
        sms=build_sms_sender(config.sms_provider),
        working_hours=parse_working_hours(config.working_hours),
        locator=LocatorCache(max_distance_m=config.locate_max_distance_m),
        media_store=build_media_store(config, instance),
        images=PillowImageProcessor(
            max_bytes=config.media_max_bytes, max_pixels=config.media_max_pixels
        ),
        media_policy=_media_policy(config),
        report_policy=_report_policy(config),
    )
    container = app.extensions[EXTENSION]
    # Offline geocoding reads the areas through whatever session factory the container holds.
    container.geocoder = build_geocoder(
        config.geocoder,
        session_factory=lambda: container.read_session_factory(),
        url=config.geocoder_url,
        api_key=config.geocoder_api_key,
        timeout_s=config.geocoder_timeout_s,
    )
    app.teardown_appcontext(close_session)
    install_request_id(app)
    install_content_type_check(app)

    api = OnegridApi(
        app,
        spec_kwargs={
            "info": {"description": API_DESCRIPTION},
            "servers": [{"url": "/", "description": "this server"}],
        },
    )
    api.spec.components.security_scheme("bearerAuth", SECURITY_SCHEME)
    api.spec.components.security_scheme("apiKey", API_KEY_SCHEME)
    register_resources(api)
    app.extensions[EXTENSION].limiter = install_rate_limits(app, config)
    register_docs_assets(app, API_PREFIX)
    # After flask-smorest's own handler, so ours shapes every error.
    install_error_handlers(app)
    register_commands(app)
    return app
