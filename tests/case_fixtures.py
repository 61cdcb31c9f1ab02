"""Fixtures of the case (closed loop) API tests: the report world, a district dispatcher
signed in, a resident's reported case (helpers: tests/case_factories.py).

Load with ``pytest_plugins = ("tests.report_fixtures", "tests.case_fixtures")``.
"""

from __future__ import annotations

import pytest

from tests.case_factories import make_dispatcher, reported_case
from tests.factories import login


@pytest.fixture
def dispatcher(session, world):
    return make_dispatcher(session, world["district"])


@pytest.fixture
def staff(client, dispatcher):
    """The district dispatcher's Authorization header."""
    return login(client, dispatcher)


@pytest.fixture
def case(session, world, resident):
    return reported_case(session, world, reporter=resident)
