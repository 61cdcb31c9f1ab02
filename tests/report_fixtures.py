"""Fixtures of the report tests: the shaped report world and a signed-in resident.

Load with ``pytest_plugins = ("tests.report_fixtures",)`` in a test module.
"""

from __future__ import annotations

import pytest

from tests.factories import login_resident, make_resident
from tests.report_factories import make_report_world


@pytest.fixture
def world(session):
    return make_report_world(session)


@pytest.fixture
def resident(session, world):
    return make_resident(session)


@pytest.fixture
def headers(client, sms, resident):
    return login_resident(client, sms, resident.phone)
