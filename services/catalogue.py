"""Administering the event catalogue and routing a category to its department.

The catalogue is platform-wide: only platform administrators create and change categories.
Per-area department overrides sit in the area tree, so an administrator may set them within
their own area (a district administrator for their district).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services import audit
from services.actors import Actor
from services.authz import Action, Target, require
from services.catalogue_rules import (
    check_minor_code,
    is_fallback,
    major_kind,
    validate_time_limits,
)
from services.errors import Conflict, NotFound, ValidationFailed
from services.models.areas import Area, Department
from services.models.catalogue import Category, CategoryDepartmentOverride
from services.queries.areas import find_department_by_code, get_area_by_code
from services.queries.catalogue import find_category, get_category

UNSET: Any = object()
PLATFORM = Target(area_path=None)


@dataclass(frozen=True)
class CategoryChanges:
    """Fields of a category; UNSET leaves a field as it is, None clears the default department."""

    name_zh: str = UNSET
    name_en: str = UNSET
    default_department_code: str | None = UNSET
    time_limits: dict[str, Any] = UNSET
    resident_selectable: bool = UNSET
    photo_required: bool = UNSET
    sort_order: int = UNSET
    active: bool = UNSET


def summary(category: Category) -> dict[str, Any]:
    department = category.default_department
    return {
        "code": category.code,
        "name_zh": category.name_zh,
        "name_en": category.name_en,
        "kind": str(category.kind),
        "default_department": department.code if department else None,
        "time_limits": category.time_limits or None,
        "resident_selectable": category.resident_selectable,
        "photo_required": category.photo_required,
        "sort_order": category.sort_order,
        "active": category.active,
    }


def _working_department(session: Session, code: str, field: str) -> Department:
    """A department that can receive new work."""
    department = find_department_by_code(session, code)
    if department is None:
        raise ValidationFailed(fields={field: "department_unknown"})
    if not department.active:
        raise ValidationFailed(fields={field: "department_inactive"})
    return department


def _apply(session: Session, category: Category, changes: CategoryChanges) -> None:
    for name in ("name_zh", "name_en", "resident_selectable", "photo_required", "sort_order"):
        value = getattr(changes, name)
        if value is not UNSET:
            setattr(category, name, value.strip() if isinstance(value, str) else value)
    if changes.active is not UNSET:
        category.active = changes.active
    if changes.default_department_code is not UNSET:
        code = changes.default_department_code
        department = _working_department(session, code, "default_department_code") if code else None
        category.default_department = department
        category.default_department_id = department.id if department else None
    if changes.time_limits is not UNSET:
        category.time_limits = validate_time_limits(changes.time_limits)


def _check_shape(category: Category, is_major: bool) -> None:
    if is_major:
        routed = category.default_department_id is not None or bool(category.time_limits)
        if routed or category.photo_required:
            raise ValidationFailed("category_major_has_no_routing")
    elif not category.time_limits:
        raise ValidationFailed(fields={"time_limits": "category_needs_time_limits"})
    if is_fallback(category.code) and not (category.active and category.resident_selectable):
        raise ValidationFailed("category_fallback_required")


def create_category(
    session: Session,
    *,
    actor: Actor,
    code: str,
    parent_code: str | None,
    changes: CategoryChanges,
) -> Category:
    """A major class (no parent; kind from its code) or a minor class under a major class."""
    require(actor, Action.CATEGORY_MANAGE, PLATFORM)
    category = Category(
        code=code, resident_selectable=True, photo_required=False, active=True, sort_order=0
    )
    if parent_code is None:
        category.kind = major_kind(code)
    else:
        parent = find_category(session, parent_code)
        if parent is None:
            raise ValidationFailed(fields={"parent_code": "category_parent_unknown"})
        if parent.parent_id is not None:
            raise ValidationFailed(fields={"parent_code": "category_parent_not_major"})
        check_minor_code(code, parent.code)
        category.parent, category.parent_id, category.kind = parent, parent.id, parent.kind
    category.time_limits = {}
    _apply(session, category, changes)
    _check_shape(category, is_major=parent_code is None)
    taken = Conflict("category_code_taken", fields={"code": "category_code_taken"})
    if find_category(session, code) is not None:
        raise taken
    try:
        with session.begin_nested():
            session.add(category)
            session.flush()
    except IntegrityError:
        raise taken from None
    audit.record(
        session,
        actor,
        "category.created",
        object_type="category",
        object_id=category.id,
        after={**summary(category), "parent": parent_code},
    )
    session.commit()
    return category


def update_category(
    session: Session, *, actor: Actor, code: str, changes: CategoryChanges
) -> Category:
    """Change names, routing, limits, flags or order; the code and the parent never change
    (reports keep referring to them)."""
    require(actor, Action.CATEGORY_MANAGE, PLATFORM)
    category = get_category(session, code)
    before = summary(category)
    _apply(session, category, changes)
    _check_shape(category, is_major=category.parent_id is None)
    old, new = audit.changes(before, summary(category))
    if new:
        audit.record(
            session,
            actor,
            "category.updated",
            object_type="category",
            object_id=category.id,
            before=old,
            after=new,
        )
    session.commit()
    return category


def _override_target(session: Session, actor: Actor, code: str, area_code: str):
    category = get_category(session, code)
    area = get_area_by_code(session, area_code)
    require(actor, Action.CATEGORY_MANAGE, Target(area_path=area.path))
    if category.parent_id is None:
        raise ValidationFailed("category_override_needs_minor")
    return category, area


def _find_override(session: Session, category: Category, area: Area):
    return session.scalar(
        select(CategoryDepartmentOverride)
        .where(
            CategoryDepartmentOverride.category_id == category.id,
            CategoryDepartmentOverride.area_id == area.id,
        )
        .with_for_update(of=CategoryDepartmentOverride)
        .execution_options(populate_existing=True)
    )


def _record_override(session, actor, action, category, area, before, after) -> None:
    audit.record(
        session,
        actor,
        action,
        object_type="category_override",
        object_id=f"{category.code}@{area.code}",
        area_path=area.path,
        before=before,
        after=after,
    )


def set_override(
    session: Session, *, actor: Actor, code: str, area_code: str, department_code: str
) -> CategoryDepartmentOverride:
    """In ``area_code``'s subtree, reports of this minor class go to this department. The
    department must be active and have jurisdiction over the area."""
    category, area = _override_target(session, actor, code, area_code)
    if not area.active:
        raise ValidationFailed(fields={"area_code": "area_inactive"})
    department = _working_department(session, department_code, "department_code")
    if department.area is not None and not department.area.contains_path(area.path):
        raise ValidationFailed(fields={"department_code": "department_outside_area"})
    override = _find_override(session, category, area)
    before = {"department": override.department.code} if override else None
    if override is None:
        override = CategoryDepartmentOverride(category_id=category.id, area_id=area.id)
        override.area = area
        session.add(override)
    override.department, override.department_id = department, department.id
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        # Another administrator set the same override at the same moment.
        raise Conflict() from None
    after = {"department": department.code}
    if before != after:
        _record_override(session, actor, "category.override_set", category, area, before, after)
    session.commit()
    return override


def remove_override(session: Session, *, actor: Actor, code: str, area_code: str) -> None:
    """Drop an area's override: the next override up the tree (or the default) applies again.
    The row is configuration, not someone's report; the audit entry keeps what it was."""
    category, area = _override_target(session, actor, code, area_code)
    override = _find_override(session, category, area)
    if override is None:
        raise NotFound(what="category_override")
    before = {"department": override.department.code}
    session.delete(override)
    _record_override(session, actor, "category.override_removed", category, area, before, None)
    session.commit()


def ancestor_paths(path: str) -> list[str]:
    """``/a/b/c/`` → ``["/a/", "/a/b/", "/a/b/c/"]``: the area itself and everything above it."""
    codes = [c for c in path.split("/") if c]
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def resolve_department(session: Session, category: Category, area: Area) -> Department | None:
    """Who handles ``category`` in ``area``: the override on the deepest area along the area's
    path wins, else the category's default department. Deactivated departments receive no new
    work, so an override naming one is passed over for the next one up; None means nobody is
    set and a dispatcher chooses."""
    overrides = session.scalars(
        select(CategoryDepartmentOverride)
        .join(Area, CategoryDepartmentOverride.area_id == Area.id)
        .where(
            CategoryDepartmentOverride.category_id == category.id,
            Area.path.in_(ancestor_paths(area.path)),
        )
    ).all()
    for override in sorted(overrides, key=lambda o: len(o.area.path), reverse=True):
        if override.department.active:
            return override.department
    default = category.default_department
    return default if default is not None and default.active else None
