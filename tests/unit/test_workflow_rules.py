"""The closed loop's state machine: every action from every status, and who may take it."""

from __future__ import annotations

import pytest

from services.errors import Conflict, InvalidTransition
from services.models.accounts import Role
from services.models.reports import ReportStatus
from services.workflow_rules import (
    TRANSITIONS,
    CaseAction,
    allowed_actions,
    next_status,
    role_for,
    transition_for,
)

A, S, R = CaseAction, ReportStatus, Role
OPEN_AFTER_FILING = {S.FILED, S.DISPATCHED, S.IN_PROGRESS, S.RESOLVED}
# action -> {source: target}; a target of None keeps the state. Everything else is refused.
EXPECTED: dict[CaseAction, dict[ReportStatus, ReportStatus]] = {
    A.FILE: {S.REPORTED: S.FILED},
    A.REJECT: {S.REPORTED: S.REJECTED},
    A.MERGE: {S.REPORTED: S.MERGED, S.FILED: S.MERGED},
    A.DISPATCH: {S.FILED: S.DISPATCHED},
    A.ACCEPT: {S.DISPATCHED: S.IN_PROGRESS},
    A.RETURN: {S.DISPATCHED: S.FILED},
    A.RESOLVE: {S.IN_PROGRESS: S.RESOLVED},
    A.VERIFY_PASS: {S.RESOLVED: S.CLOSED},
    A.VERIFY_FAIL: {S.RESOLVED: S.IN_PROGRESS},
    A.REOPEN: {S.CLOSED: S.RESOLVED},
    A.REQUEST_EXTENSION: {S.DISPATCHED: S.DISPATCHED, S.IN_PROGRESS: S.IN_PROGRESS},
    A.APPROVE_EXTENSION: {S.DISPATCHED: S.DISPATCHED, S.IN_PROGRESS: S.IN_PROGRESS},
    A.REFUSE_EXTENSION: {S.DISPATCHED: S.DISPATCHED, S.IN_PROGRESS: S.IN_PROGRESS},
    A.SUPERVISE: {s: s for s in OPEN_AFTER_FILING},
}
DISPATCHERS = {R.DISPATCHER, R.ADMIN}
ROLES: dict[CaseAction, set[Role]] = {
    A.FILE: DISPATCHERS,
    A.REJECT: DISPATCHERS,
    A.MERGE: DISPATCHERS,
    A.DISPATCH: DISPATCHERS,
    A.ACCEPT: {R.DEPARTMENT_HANDLER},
    A.RETURN: {R.DEPARTMENT_HANDLER},
    A.RESOLVE: {R.DEPARTMENT_HANDLER},
    A.VERIFY_PASS: {R.GRID_WORKER},
    A.VERIFY_FAIL: {R.GRID_WORKER},
    A.REOPEN: {R.RESIDENT},
    A.REQUEST_EXTENSION: {R.DEPARTMENT_HANDLER},
    A.APPROVE_EXTENSION: DISPATCHERS,
    A.REFUSE_EXTENSION: DISPATCHERS,
    A.SUPERVISE: DISPATCHERS,
}
TERMINAL = {S.REJECTED, S.MERGED}


def test_the_tables_cover_every_action():
    assert set(EXPECTED) == set(CaseAction) == set(TRANSITIONS) == set(ROLES)


@pytest.mark.parametrize(
    ("action", "status"),
    [pytest.param(a, s, id=f"{a}-{s}") for a in CaseAction for s in ReportStatus],
)
def test_every_action_from_every_status_moves_as_designed_or_is_refused(action, status):
    allowed = EXPECTED[action]
    if status in allowed:
        assert next_status(action, status) is allowed[status]
        assert transition_for(action, status).action is action
    else:
        with pytest.raises(InvalidTransition) as raised:
            next_status(action, status)
        assert raised.value.key == "case_action_not_allowed"
        assert raised.value.details == {"current": {"status": str(status)}}
        assert raised.value.params == {"action": str(action), "status": str(status)}


def test_an_invalid_transition_is_a_conflict():
    assert issubclass(InvalidTransition, Conflict)


@pytest.mark.parametrize("status", sorted(TERMINAL))
def test_rejected_and_merged_cases_allow_nothing(status):
    assert allowed_actions(status, frozenset(Role)) == []


@pytest.mark.parametrize(
    ("action", "role"),
    [pytest.param(a, r, id=f"{a}-{r}") for a in CaseAction for r in Role],
)
def test_each_action_admits_exactly_its_roles(action, role):
    expected = role if role in ROLES[action] else None
    assert role_for(action, frozenset({role})) == expected


def test_role_for_names_the_first_role_in_the_fixed_order():
    both = frozenset({R.ADMIN, R.DISPATCHER})
    first = min(both, key=list(Role).index)
    assert role_for(A.FILE, both) is first
    # Extra roles that do not allow the action do not matter.
    assert role_for(A.FILE, frozenset({R.RESIDENT, R.DISPATCHER})) is R.DISPATCHER
    assert role_for(A.FILE, frozenset()) is None


@pytest.mark.parametrize("status", list(ReportStatus))
@pytest.mark.parametrize("role", list(Role))
def test_allowed_actions_is_the_intersection_of_state_and_role(status, role):
    expected = [a for a in CaseAction if status in EXPECTED[a] and role in ROLES[a]]
    assert allowed_actions(status, frozenset({role})) == expected


def test_a_dispatcher_triages_a_reported_case():
    assert allowed_actions(S.REPORTED, frozenset({R.DISPATCHER})) == [A.FILE, A.REJECT, A.MERGE]
    assert allowed_actions(S.FILED, frozenset({R.DISPATCHER})) == [
        A.MERGE,
        A.DISPATCH,
        A.SUPERVISE,
    ]


def test_only_the_reporter_role_reopens_and_only_a_closed_case():
    assert allowed_actions(S.CLOSED, frozenset({R.RESIDENT})) == [A.REOPEN]
    assert allowed_actions(S.CLOSED, frozenset(Role) - {R.RESIDENT}) == []


def test_actions_and_statuses_accept_their_string_values():
    assert next_status("file", "reported") is S.FILED
    with pytest.raises(ValueError):
        next_status("fly", "reported")
