"""Free text of external events → categories, through an admin-edited keyword table.

A mapping says "text containing PATTERN is category C". Mappings of the event's own source are
tried before global ones; within each, by ascending priority, then the longer pattern (the more
specific), then the older row. No match: the fallback category 5699 ("other").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services import audit
from services.actors import Actor
from services.authz import Action, Target, can, require, require_some
from services.catalogue_rules import FALLBACK_CATEGORY_CODE
from services.errors import NotFound, ValidationFailed
from services.models.areas import Area
from services.models.catalogue import Category
from services.models.workflow import CategoryMapping, IntakeSource
from services.queries.catalogue import find_category

MAX_PATTERN_LENGTH = 100


@dataclass(frozen=True)
class MappingView:
    id: uuid.UUID
    pattern: str
    category_code: str
    priority: int
    source_id: uuid.UUID | None


def map_text(session: Session, *, source_id: uuid.UUID | None, text: str) -> Category | None:
    """The category of the first matching active mapping, else the fallback (None if the
    catalogue has no fallback)."""
    folded = (text or "").casefold()
    rows = session.execute(
        select(CategoryMapping.pattern, Category)
        .join(Category, Category.id == CategoryMapping.category_id)
        .where(
            CategoryMapping.active.is_(True),
            Category.active.is_(True),
            (CategoryMapping.source_id == source_id) | CategoryMapping.source_id.is_(None),
        )
        .order_by(
            CategoryMapping.source_id.is_(None),  # false (this source's own) sorts first
            CategoryMapping.priority,
            func.length(CategoryMapping.pattern).desc(),
            CategoryMapping.id,
        )
    ).all()
    for pattern, category in rows:
        if pattern.casefold() in folded:
            return category
    return find_category(session, FALLBACK_CATEGORY_CODE)


def _target(session: Session, source_id: uuid.UUID | None) -> Target:
    """A source's own mappings belong to the source's area; global ones to the platform."""
    if source_id is None:
        return Target()
    path = session.scalar(
        select(Area.path)
        .join(IntakeSource, IntakeSource.area_id == Area.id)
        .where(IntakeSource.id == source_id)
    )
    if path is None:
        raise ValidationFailed(fields={"source_id": "intake_source_unknown"})
    return Target(area_path=path)


def list_mappings(
    session: Session, actor: Actor, *, source_id: uuid.UUID | None = None
) -> list[MappingView]:
    """Active mappings the actor may edit, in the order they are tried (global ones last)."""
    require_some(actor, Action.CATEGORY_MANAGE)
    query = (
        select(CategoryMapping, Category.code)
        .join(Category, Category.id == CategoryMapping.category_id)
        .where(CategoryMapping.active.is_(True))
    )
    if source_id is not None:
        query = query.where(CategoryMapping.source_id == source_id)
    rows = session.execute(
        query.order_by(
            CategoryMapping.source_id.is_(None),
            CategoryMapping.source_id,
            CategoryMapping.priority,
            func.length(CategoryMapping.pattern).desc(),
            CategoryMapping.id,
        )
    ).all()
    targets: dict[uuid.UUID | None, bool] = {}
    visible = []
    for row, code in rows:
        if row.source_id not in targets:
            targets[row.source_id] = can(
                actor, Action.CATEGORY_MANAGE, _target(session, row.source_id)
            )
        if targets[row.source_id]:
            visible.append(_view(row, code))
    return visible


def _view(row: CategoryMapping, code: str) -> MappingView:
    return MappingView(row.id, row.pattern, code, row.priority, row.source_id)


def create_mapping(
    session: Session,
    *,
    actor: Actor,
    pattern: str,
    category_code: str,
    priority: int = 100,
    source_id: uuid.UUID | None = None,
) -> MappingView:
    text = (pattern or "").strip()
    if not 1 <= len(text) <= MAX_PATTERN_LENGTH:
        raise ValidationFailed(fields={"pattern": "mapping_pattern_invalid"})
    target = _target(session, source_id)
    require(actor, Action.CATEGORY_MANAGE, target)
    category = find_category(session, category_code)
    if category is None or category.parent_id is None or not category.active:
        raise ValidationFailed(fields={"category_code": "mapping_category_not_selectable"})
    row = CategoryMapping(
        source_id=source_id, pattern=text, category_id=category.id, priority=priority
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "category_mapping.created",
        object_type="category_mapping",
        object_id=row.id,
        area_path=target.area_path,
        after={
            "pattern": text,
            "category": category.code,
            "priority": priority,
            "source_id": str(source_id) if source_id else None,
        },
    )
    session.commit()
    return _view(row, category.code)


def delete_mapping(session: Session, *, actor: Actor, mapping_id: uuid.UUID) -> None:
    """Retire a mapping (kept, inactive, for the record)."""
    row = session.get(CategoryMapping, mapping_id)
    if row is None or not row.active:
        raise NotFound(what="category_mapping")
    target = _target(session, row.source_id)
    if not can(actor, Action.CATEGORY_MANAGE, target):
        raise NotFound(what="category_mapping")
    row.active = False
    audit.record(
        session,
        actor,
        "category_mapping.deleted",
        object_type="category_mapping",
        object_id=row.id,
        area_path=target.area_path,
        before={"pattern": row.pattern, "active": True},
        after={"active": False},
    )
    session.commit()
