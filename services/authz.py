"""The one place that decides whether an actor may do an action to an object.

A grant gives a role an action within a scope. ``can`` answers for one object; ``scope_clause``
turns the same grants into a SQL condition so that list queries show exactly what ``can`` allows.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, false, or_, true

from services.actors import Actor
from services.errors import PermissionDenied
from services.models.accounts import STAFF_ROLES, Role
from services.queries.areas import in_subtree, path_in_subtree


class Action(StrEnum):
    USER_READ = "user.read"
    USER_MANAGE = "user.manage"
    AUDIT_READ = "audit.read"
    AREA_MANAGE = "area.manage"
    DEPARTMENT_READ = "department.read"
    DEPARTMENT_MANAGE = "department.manage"
    ASSIGNMENT_READ = "assignment.read"
    ASSIGNMENT_MANAGE = "assignment.manage"
    CATEGORY_MANAGE = "category.manage"
    CALENDAR_MANAGE = "calendar.manage"
    REPORT_CREATE = "report.create"
    REPORT_READ = "report.read"  # a report, its photos (display/thumbnail) and timeline
    REPORT_READ_REPORTER = "report.read_reporter"  # who reported it (not anonymous reports)
    REPORT_READ_ANONYMOUS = "report.read_anonymous"  # who reported an anonymous report
    MEDIA_READ_ORIGINAL = "media.read_original"  # the original photo with its EXIF
    CASE_TRIAGE = "case.triage"  # file, reject, merge, dispatch, supervise, decide extensions
    CASE_DISPOSE = "case.dispose"  # accept, return, resolve, request an extension
    CASE_VERIFY = "case.verify"  # on-site verification (also: on duty in the case's grid)
    CASE_REOPEN = "case.reopen"  # the reporter, once, within 7 days of closing
    STATS_READ = "stats.read"  # case statistics of an area subtree or a department


class Scope(StrEnum):
    GLOBAL = "global"  # anywhere
    AREA = "area"  # objects in the actor's area subtree (unbound staff: everywhere)
    DEPARTMENT = "department"  # objects of the actor's department
    OWN = "own"  # objects the actor owns


@dataclass(frozen=True)
class Grant:
    role: Role
    scope: Scope


_STAFF_IN_AREA = tuple(
    Grant(role, Scope.AREA)
    for role in (Role.ADMIN, Role.DISPATCHER, Role.GRID_WORKER, Role.EMERGENCY_OFFICER)
)

# Objects without an area (the catalogue, the calendar, unbound accounts) are reachable through
# an AREA grant only by platform-wide actors: area-bound admins manage their subtree alone.
GRANTS: dict[Action, tuple[Grant, ...]] = {
    Action.USER_READ: (Grant(Role.ADMIN, Scope.AREA),),
    Action.USER_MANAGE: (Grant(Role.ADMIN, Scope.AREA),),
    Action.AUDIT_READ: (Grant(Role.ADMIN, Scope.AREA),),
    Action.AREA_MANAGE: (Grant(Role.ADMIN, Scope.AREA),),
    # The department directory (names, public service numbers) is open to every staff member:
    # dispatchers route work to departments outside their own area.
    Action.DEPARTMENT_READ: tuple(Grant(role, Scope.GLOBAL) for role in sorted(STAFF_ROLES)),
    Action.DEPARTMENT_MANAGE: (Grant(Role.ADMIN, Scope.AREA),),
    Action.ASSIGNMENT_READ: _STAFF_IN_AREA,
    Action.ASSIGNMENT_MANAGE: (Grant(Role.ADMIN, Scope.AREA), Grant(Role.DISPATCHER, Scope.AREA)),
    Action.CATEGORY_MANAGE: (Grant(Role.ADMIN, Scope.AREA),),
    Action.CALENDAR_MANAGE: (Grant(Role.ADMIN, Scope.AREA),),
    # Anyone signed in may report: residents, grid workers on patrol, staff.
    Action.REPORT_CREATE: tuple(Grant(role, Scope.GLOBAL) for role in sorted(Role)),
    Action.REPORT_READ: (
        *_STAFF_IN_AREA,
        Grant(Role.DEPARTMENT_HANDLER, Scope.DEPARTMENT),
        Grant(Role.RESIDENT, Scope.OWN),
    ),
    Action.REPORT_READ_REPORTER: (
        Grant(Role.ADMIN, Scope.AREA),
        Grant(Role.DISPATCHER, Scope.AREA),
    ),
    Action.REPORT_READ_ANONYMOUS: (Grant(Role.ADMIN, Scope.AREA),),
    Action.CASE_TRIAGE: (Grant(Role.ADMIN, Scope.AREA), Grant(Role.DISPATCHER, Scope.AREA)),
    Action.CASE_DISPOSE: (Grant(Role.DEPARTMENT_HANDLER, Scope.DEPARTMENT),),
    Action.CASE_VERIFY: (Grant(Role.GRID_WORKER, Scope.AREA),),
    Action.CASE_REOPEN: (Grant(Role.RESIDENT, Scope.OWN),),
    # Grid workers see their grids' cases, not the statistics.
    Action.STATS_READ: (
        Grant(Role.ADMIN, Scope.AREA),
        Grant(Role.DISPATCHER, Scope.AREA),
        Grant(Role.EMERGENCY_OFFICER, Scope.AREA),
        Grant(Role.DEPARTMENT_HANDLER, Scope.DEPARTMENT),
    ),
    Action.MEDIA_READ_ORIGINAL: (
        *_STAFF_IN_AREA,
        Grant(Role.DEPARTMENT_HANDLER, Scope.DEPARTMENT),
    ),
}


@dataclass(frozen=True)
class Target:
    """What authorisation needs to know about an object."""

    area_path: str | None = None
    department_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None


def _grants(actor: Actor, action: Action) -> list[Grant]:
    return [g for g in GRANTS.get(action, ()) if g.role in actor.roles]


def can(actor: Actor, action: Action, target: Target | None = None) -> bool:
    target = target or Target()
    for grant in _grants(actor, action):
        match grant.scope:
            case Scope.GLOBAL:
                return True
            case Scope.AREA:
                if actor.is_platform_wide:
                    return True
                if actor.area_path and path_in_subtree(target.area_path, actor.area_path):
                    return True
            case Scope.DEPARTMENT:
                if actor.department_id and target.department_id == actor.department_id:
                    return True
            case Scope.OWN:
                if actor.user_id and target.owner_id == actor.user_id:
                    return True
    return False


def require(actor: Actor, action: Action, target: Target | None = None) -> None:
    if not can(actor, action, target):
        raise PermissionDenied()


def require_some(actor: Actor, action: Action) -> None:
    """For listings: the actor holds some grant for ``action``; rows are then scoped by SQL."""
    if not _grants(actor, action):
        raise PermissionDenied()


def scope_clause(
    actor: Actor,
    action: Action,
    *,
    area_paths: tuple[ColumnElement, ...] = (),
    department_col: ColumnElement | None = None,
    owner_col: ColumnElement | None = None,
) -> ColumnElement[bool]:
    """The SQL condition selecting the rows ``can`` would allow.

    ``area_paths`` are the columns that place a row in the area tree (any of them may match).
    """
    clauses: list[ColumnElement[bool]] = []
    for grant in _grants(actor, action):
        match grant.scope:
            case Scope.GLOBAL:
                return true()
            case Scope.AREA:
                if actor.is_platform_wide:
                    return true()
                if actor.area_path:
                    clauses.extend(in_subtree(col, actor.area_path) for col in area_paths)
            case Scope.DEPARTMENT:
                if actor.department_id and department_col is not None:
                    clauses.append(department_col == actor.department_id)
            case Scope.OWN:
                if actor.user_id and owner_col is not None:
                    clauses.append(owner_col == actor.user_id)
    return or_(*clauses) if clauses else false()
