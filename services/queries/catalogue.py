"""Reading the event catalogue: the public tree, single categories and area overrides."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.actors import Actor
from services.authz import Action, require_some, scope_clause
from services.catalogue_rules import FALLBACK_CATEGORY_CODE
from services.errors import AuthenticationFailed, NotFound
from services.models.areas import Area
from services.models.catalogue import Category, CategoryDepartmentOverride, CategoryKind


@dataclass(frozen=True)
class CategoryFilter:
    kind: CategoryKind | None = None
    resident_selectable: bool | None = None
    include_inactive: bool = False


@dataclass(frozen=True)
class CategoryNode:
    """A major class with its minor classes (a minor class alone has no children)."""

    category: Category
    children: list[Category] = field(default_factory=list)


def find_category(session: Session, code: str) -> Category | None:
    return session.scalar(select(Category).where(Category.code == code))


def get_category(session: Session, code: str) -> Category:
    category = find_category(session, code)
    if category is None:
        raise NotFound(what="category")
    return category


def fallback_category(session: Session) -> Category:
    """The category a report gets when the resident does not know which one fits."""
    return get_category(session, FALLBACK_CATEGORY_CODE)


def _may_see_inactive(actor: Actor) -> None:
    if actor.user_id is None:
        raise AuthenticationFailed("unauthenticated")
    require_some(actor, Action.CATEGORY_MANAGE)


def _visible(category: Category, filters: CategoryFilter) -> bool:
    if not filters.include_inactive and not category.active:
        return False
    if filters.kind is not None and category.kind is not filters.kind:
        return False
    return filters.resident_selectable is None or (
        category.resident_selectable is filters.resident_selectable
    )


def catalogue_tree(session: Session, actor: Actor, filters: CategoryFilter) -> list[CategoryNode]:
    """Major classes with their minor classes, in display order. Public; inactive categories
    only for administrators. A major class is listed when it passes the filters itself (a
    resident_selectable filter applies to both levels) and, for the public, has at least one
    listed minor class: an empty group is nothing to choose from."""
    if filters.include_inactive:
        _may_see_inactive(actor)
    rows = session.scalars(select(Category).order_by(Category.sort_order, Category.code)).all()
    children: dict[object, list[Category]] = {}
    for row in rows:
        if row.parent_id is not None and _visible(row, filters):
            children.setdefault(row.parent_id, []).append(row)
    return [
        CategoryNode(row, children.get(row.id, []))
        for row in rows
        if row.parent_id is None
        and _visible(row, filters)
        and (children.get(row.id) or filters.include_inactive)
    ]


def category_detail(session: Session, code: str) -> CategoryNode:
    """One category, active or not (old reports still name it); a major class comes with its
    active minor classes."""
    category = get_category(session, code)
    children: list[Category] = []
    if category.parent_id is None:
        children = list(
            session.scalars(
                select(Category)
                .where(Category.parent_id == category.id, Category.active.is_(True))
                .order_by(Category.sort_order, Category.code)
            )
        )
    return CategoryNode(category, children)


def list_overrides(session: Session, actor: Actor, code: str) -> list[CategoryDepartmentOverride]:
    """A category's per-area departments within the administrator's area, by area path."""
    require_some(actor, Action.CATEGORY_MANAGE)
    category = get_category(session, code)
    stmt = (
        select(CategoryDepartmentOverride)
        .join(Area, CategoryDepartmentOverride.area_id == Area.id)
        .where(
            CategoryDepartmentOverride.category_id == category.id,
            scope_clause(actor, Action.CATEGORY_MANAGE, area_paths=(Area.path,)),
        )
        .order_by(Area.path)
    )
    return list(session.scalars(stmt))
