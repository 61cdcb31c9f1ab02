"""Per-request access to the session, the current actor and the adapters built in create_app."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, g, request
from flask_limiter import Limiter
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.config import Config
from services.accounts import AuthKit
from services.actors import Actor
from services.calendar_hours import DEFAULT_WORKING_HOURS, WorkingHours
from services.geo.locator_cache import LocatorCache
from services.policies import MediaPolicy, ReportPolicy
from services.ports import Geocoder, ImageProcessor, MediaStore, SmsSender

EXTENSION = "onegrid"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class Container:
    """Everything create_app built; tests may swap ``session_factory`` for a savepoint-bound one."""

    config: Config
    engine: Engine
    session_factory: sessionmaker
    read_session_factory: sessionmaker
    auth: AuthKit
    sms: SmsSender
    locator: LocatorCache
    media_store: MediaStore
    images: ImageProcessor
    geocoder: Geocoder | None = None  # built in create_app (offline by default)
    limiter: Limiter | None = None
    working_hours: WorkingHours = DEFAULT_WORKING_HOURS
    media_policy: MediaPolicy = field(default_factory=MediaPolicy)
    report_policy: ReportPolicy = field(default_factory=ReportPolicy)


def container() -> Container:
    return current_app.extensions[EXTENSION]


def db() -> Session:
    """The request's session, opened on first use and closed when the request ends."""
    if "db_session" not in g:
        c = container()
        # Safe methods only read; their sessions skip SQLite's write lock.
        factory = c.read_session_factory if request.method in SAFE_METHODS else c.session_factory
        g.db_session = factory()
    return g.db_session


def close_session(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        # Closing rolls back whatever a use case did not commit: views never commit.
        session.close()


def request_id() -> str | None:
    return g.get("request_id")


def client_ip() -> str | None:
    return request.remote_addr


def actor() -> Actor:
    """The authenticated actor, or an anonymous one carrying the request id and client address."""
    found = g.get("actor")
    if found is not None:
        return found
    return Actor.anonymous(request_id=request_id(), ip=client_ip())
