"""The ``s3_server`` fixture: one moto server per test session, started on first use.

Load it with ``pytest_plugins = ("tests.s3_plugin",)`` in a test module (a plugin is registered
once, so every module shares the same server).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.s3_server import S3Server, start_s3_server


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """The session's local S3-compatible server, stopped when the session ends."""
    server = start_s3_server()
    yield server
    server.stop()
