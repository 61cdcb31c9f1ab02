"""The closed loop's state machine: which action moves a case from which states to which, and
which roles may take it. Pure (no database); services/workflow.py applies it.

    reported ──file──▶ filed ──dispatch──▶ dispatched ──accept──▶ in_progress ──resolve──▶ resolved
       │  └─reject─▶ rejected     ▲              │                    ▲                     │
       └──merge──▶ merged         └────return────┘                    └──verify_fail────────┤
                                                                                             │
                         closed ◀──────────────────verify_pass───────────────────────────────┘
                           └──reopen (resident, once, within 7 days)──▶ resolved

Actions without a target (supervise, extensions) keep the state and are only timeline entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from services.errors import InvalidTransition
from services.models.accounts import Role
from services.models.reports import ReportStatus

S = ReportStatus


class CaseAction(StrEnum):
    FILE = "file"  # 立案
    REJECT = "reject"  # 不予立案
    MERGE = "merge"  # a duplicate of another case
    DISPATCH = "dispatch"  # 派遣
    ACCEPT = "accept"  # the department takes it
    RETURN = "return"  # 退回: the department sends it back to the dispatcher
    RESOLVE = "resolve"  # 处置完成
    VERIFY_PASS = "verify_pass"  # 核查通过 → closed
    VERIFY_FAIL = "verify_fail"  # 核查不通过 → rework
    REOPEN = "reopen"  # the resident is not satisfied
    REQUEST_EXTENSION = "request_extension"  # 延期申请
    APPROVE_EXTENSION = "approve_extension"
    REFUSE_EXTENSION = "refuse_extension"
    SUPERVISE = "supervise"  # 督办


DISPATCHERS = frozenset({Role.DISPATCHER, Role.ADMIN})
HANDLERS = frozenset({Role.DEPARTMENT_HANDLER})
WORKERS = frozenset({Role.GRID_WORKER})
RESIDENTS = frozenset({Role.RESIDENT})

OPEN_AFTER_FILING = frozenset({S.FILED, S.DISPATCHED, S.IN_PROGRESS, S.RESOLVED})


@dataclass(frozen=True)
class Transition:
    action: CaseAction
    sources: frozenset[ReportStatus]
    target: ReportStatus | None  # None: the state does not change
    roles: frozenset[Role]


def _t(action, sources, target, roles) -> Transition:
    return Transition(action, frozenset(sources), target, roles)


A = CaseAction
TRANSITIONS: dict[CaseAction, Transition] = {
    t.action: t
    for t in (
        _t(A.FILE, {S.REPORTED}, S.FILED, DISPATCHERS),
        _t(A.REJECT, {S.REPORTED}, S.REJECTED, DISPATCHERS),
        _t(A.MERGE, {S.REPORTED, S.FILED}, S.MERGED, DISPATCHERS),
        _t(A.DISPATCH, {S.FILED}, S.DISPATCHED, DISPATCHERS),
        _t(A.ACCEPT, {S.DISPATCHED}, S.IN_PROGRESS, HANDLERS),
        _t(A.RETURN, {S.DISPATCHED}, S.FILED, HANDLERS),
        _t(A.RESOLVE, {S.IN_PROGRESS}, S.RESOLVED, HANDLERS),
        _t(A.VERIFY_PASS, {S.RESOLVED}, S.CLOSED, WORKERS),
        _t(A.VERIFY_FAIL, {S.RESOLVED}, S.IN_PROGRESS, WORKERS),
        _t(A.REOPEN, {S.CLOSED}, S.RESOLVED, RESIDENTS),
        _t(A.REQUEST_EXTENSION, {S.DISPATCHED, S.IN_PROGRESS}, None, HANDLERS),
        _t(A.APPROVE_EXTENSION, {S.DISPATCHED, S.IN_PROGRESS}, None, DISPATCHERS),
        _t(A.REFUSE_EXTENSION, {S.DISPATCHED, S.IN_PROGRESS}, None, DISPATCHERS),
        _t(A.SUPERVISE, OPEN_AFTER_FILING, None, DISPATCHERS),
    )
}


def transition_for(action: CaseAction, current: ReportStatus) -> Transition:
    """The transition ``action`` makes from ``current``, or InvalidTransition (409)."""
    rule = TRANSITIONS[CaseAction(action)]
    if ReportStatus(current) not in rule.sources:
        raise InvalidTransition(
            "case_action_not_allowed",
            action=str(action),
            status=str(current),
            details={"current": {"status": str(current)}},
        )
    return rule


def next_status(action: CaseAction, current: ReportStatus) -> ReportStatus:
    rule = transition_for(action, current)
    return rule.target if rule.target is not None else ReportStatus(current)


def role_for(action: CaseAction, roles: frozenset[Role]) -> Role | None:
    """The actor's role that allows ``action`` (the first in a fixed order), or None."""
    allowed = TRANSITIONS[CaseAction(action)].roles & roles
    return min(allowed, key=list(Role).index) if allowed else None


def allowed_actions(current: ReportStatus, roles: frozenset[Role]) -> list[CaseAction]:
    """What these roles could do to a case in ``current`` (before area/department checks)."""
    return [
        rule.action
        for rule in TRANSITIONS.values()
        if ReportStatus(current) in rule.sources and rule.roles & roles
    ]
