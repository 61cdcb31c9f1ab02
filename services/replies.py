"""Standard replies (标准回复): templates per action and category that staff fill for a case.

Templates name their blanks as ``{number}``, ``{category}``, ``{department}``, ``{due_date}``;
only those names are accepted on save. Rendering substitutes them literally (never
``str.format``: a template is data, not code) and leaves anything else untouched.

Templates are platform-wide like the catalogue, so only platform administrators manage them;
every change is audited, and a removed template is deactivated, not deleted.
"""

from __future__ import annotations

import re
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from services import audit
from services.actors import Actor
from services.authz import Action, require
from services.errors import NotFound, PermissionDenied, ValidationFailed
from services.models.accounts import Role
from services.models.areas import Department
from services.models.catalogue import Category
from services.models.workflow import ReplyTemplate
from services.queries.reports import get_report_for_staff

PLACEHOLDERS = ("number", "category", "department", "due_date")
READER_ROLES = frozenset({Role.ADMIN, Role.DISPATCHER, Role.DEPARTMENT_HANDLER})
SHANGHAI = ZoneInfo("Asia/Shanghai")
_TOKEN = re.compile(r"\{([^{}]*)\}")
_TEXT_FIELDS = ("text_zh", "text_en")


def check_template(field: str, text: str) -> None:
    """Every ``{…}`` names a known placeholder and no brace is left unpaired."""
    names = _TOKEN.findall(text)
    unknown = sorted({name for name in names if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationFailed(
            fields={field: "reply_unknown_placeholder"},
            names=", ".join(unknown),
            known=", ".join(PLACEHOLDERS),
        )
    if "{" in _TOKEN.sub("", text) or "}" in _TOKEN.sub("", text):
        raise ValidationFailed(fields={field: "reply_bad_template"})


def fill(text: str, values: dict[str, str]) -> str:
    return _TOKEN.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _manage(actor: Actor) -> None:
    # Like the catalogue they belong with: no area, so platform-wide administrators only.
    require(actor, Action.CATEGORY_MANAGE)


def _category(session: Session, code: str | None) -> Category | None:
    if code is None:
        return None
    category = session.scalar(select(Category).where(Category.code == code))
    if category is None:
        raise ValidationFailed(fields={"category": "reply_unknown_category"})
    return category


def reply_view(reply: ReplyTemplate, category_code: str | None) -> dict[str, Any]:
    return {
        "id": reply.id,
        "action": reply.action,
        "category": category_code,
        "title": reply.title,
        "text_zh": reply.text_zh,
        "text_en": reply.text_en,
        "active": reply.active,
        "created_at": reply.created_at,
    }


def _snapshot(reply: ReplyTemplate, category_code: str | None) -> dict[str, Any]:
    view = reply_view(reply, category_code)
    return {k: v for k, v in view.items() if k not in ("id", "created_at")}


def _code_of(session: Session, reply: ReplyTemplate) -> str | None:
    if reply.category_id is None:
        return None
    return session.scalar(select(Category.code).where(Category.id == reply.category_id))


def list_replies(
    session: Session,
    *,
    actor: Actor,
    action: str | None = None,
    category: str | None = None,
    include_inactive: bool = False,
) -> list[dict[str, Any]]:
    """Templates for an action (all actions without one): with ``category``, that category's
    and the general ones, category-specific first; without, all of them. Inactive templates
    only for administrators who ask."""
    if not actor.roles & READER_ROLES:
        raise PermissionDenied()
    if include_inactive:
        _manage(actor)
    stmt = select(ReplyTemplate, Category.code).outerjoin(
        Category, Category.id == ReplyTemplate.category_id
    )
    if action is not None:
        stmt = stmt.where(ReplyTemplate.action == action)
    if category is not None:
        wanted = _category(session, category)
        stmt = stmt.where(
            (ReplyTemplate.category_id == wanted.id) | ReplyTemplate.category_id.is_(None)
        )
    if not include_inactive:
        stmt = stmt.where(ReplyTemplate.active.is_(True))
    general_last = case((ReplyTemplate.category_id.is_(None), 1), else_=0)
    stmt = stmt.order_by(
        ReplyTemplate.action, general_last, Category.code, ReplyTemplate.title, ReplyTemplate.id
    )
    return [reply_view(reply, code) for reply, code in session.execute(stmt)]


def create_reply(
    session: Session,
    *,
    actor: Actor,
    action: str,
    title: str,
    text_zh: str,
    text_en: str,
    category: str | None = None,
) -> dict[str, Any]:
    _manage(actor)
    for field, text in (("text_zh", text_zh), ("text_en", text_en)):
        check_template(field, text)
    found = _category(session, category)
    reply = ReplyTemplate(
        action=action,
        category_id=found.id if found else None,
        title=title,
        text_zh=text_zh,
        text_en=text_en,
    )
    session.add(reply)
    session.flush()
    audit.record(
        session,
        actor,
        "reply.create",
        object_type="reply",
        object_id=reply.id,
        after=_snapshot(reply, category),
    )
    view = reply_view(reply, category)
    session.commit()
    return view


def _get(session: Session, reply_id: uuid.UUID) -> ReplyTemplate:
    reply = session.get(ReplyTemplate, reply_id)
    if reply is None:
        raise NotFound(what="reply")
    return reply


def update_reply(
    session: Session, *, actor: Actor, reply_id: uuid.UUID, **changes: Any
) -> dict[str, Any]:
    """Change any of action, category (null: general), title, texts, active."""
    _manage(actor)
    reply = _get(session, reply_id)
    code = _code_of(session, reply)
    before = _snapshot(reply, code)
    for field in _TEXT_FIELDS:
        if field in changes:
            check_template(field, changes[field])
    if "category" in changes:
        code = changes.pop("category")
        found = _category(session, code)
        reply.category_id = found.id if found else None
    for field in ("action", "title", "active", *_TEXT_FIELDS):
        if field in changes:
            setattr(reply, field, changes[field])
    old, new = audit.changes(before, _snapshot(reply, code))
    if new:
        audit.record(
            session,
            actor,
            "reply.update",
            object_type="reply",
            object_id=reply.id,
            before=old,
            after=new,
        )
    view = reply_view(reply, code)
    session.commit()
    return view


def deactivate_reply(session: Session, *, actor: Actor, reply_id: uuid.UUID) -> None:
    """Remove a template from use; the row stays for the record."""
    _manage(actor)
    reply = _get(session, reply_id)
    if reply.active:
        reply.active = False
        audit.record(
            session,
            actor,
            "reply.delete",
            object_type="reply",
            object_id=reply.id,
            before={"active": True},
            after={"active": False},
        )
    session.commit()


def _due_date(report) -> str | None:
    due = report.disposal_due_at or report.filing_due_at
    return due.astimezone(SHANGHAI).date().isoformat() if due else None


def render_reply(
    session: Session, *, actor: Actor, reply_id: uuid.UUID, report_id: uuid.UUID, locale: str
) -> dict[str, Any]:
    """The template filled for a case the caller may read, in the caller's locale."""
    if not actor.roles & READER_ROLES:
        raise PermissionDenied()
    reply = _get(session, reply_id)
    if not reply.active:
        raise NotFound(what="reply")
    report = get_report_for_staff(session, actor, report_id)
    english = locale == "en"
    department = session.get(Department, report.department_id) if report.department_id else None
    values = {
        "number": report.number,
        "category": report.category.name_en if english else report.category.name_zh,
        "department": department.name if department else None,
        "due_date": _due_date(report),
    }
    text = fill(reply.text_en if english else reply.text_zh, {k: v for k, v in values.items() if v})
    return {
        "id": reply.id,
        "report_id": report.id,
        "locale": "en" if english else "zh-CN",
        "text": text,
    }
