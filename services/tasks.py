"""A staff member's work queues (``GET /api/v1/tasks``): the counts of every queue their roles
give them, and one page of the queue they asked for (by default the first with work in it).

Dispatchers and admins: to_file, duplicates, returned, extensions, overdue, to_dispatch (their
area). Department handlers: to_accept, in_progress, rework (their department). Grid workers:
to_verify (resolved cases in the grids they are on duty in). Residents have no queues.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.actors import Actor
from services.errors import PermissionDenied, ValidationFailed
from services.models.reports import Report
from services.queries.tasks import TaskQueue, TaskRow, count_queue, list_queue, queues_for


def _item(row: TaskRow, locale: str) -> dict[str, Any]:
    report: Report = row.report
    category = report.category
    return {
        "id": report.id,
        "number": report.number,
        "status": str(report.status),
        "category": {
            "code": category.code,
            "name": category.name_en if locale == "en" else category.name_zh,
        },
        "area_name": row.area_name,
        "deadline": row.deadline,
        "overdue": report.overdue,
        "version": report.version,
        "created_at": report.created_at,
    }


def list_tasks(
    session: Session,
    *,
    actor: Actor,
    queue: TaskQueue | str | None = None,
    page: int = 1,
    page_size: int = 20,
    locale: str = "zh-CN",
) -> dict[str, Any]:
    """``{queue, counts, items, total, page, page_size}`` for the actor's queues.

    PermissionDenied when the actor has no queue (residents); ValidationFailed when ``queue``
    is not one of theirs.
    """
    mine = queues_for(actor)
    if not actor.is_staff or not mine:
        raise PermissionDenied()
    if queue is not None and queue not in mine:
        raise ValidationFailed(
            fields={"queue": "task_queue_not_yours"}, queues=", ".join(str(q) for q in mine)
        )
    counts = {str(q): count_queue(session, actor, q) for q in mine}
    if queue is None:
        queue = next((q for q in mine if counts[str(q)]), mine[0])
    chosen = TaskQueue(queue)
    rows = list_queue(session, actor, chosen, page=page, page_size=page_size)
    return {
        "queue": chosen,
        "counts": counts,
        "items": [_item(row, locale) for row in rows],
        "total": counts[str(chosen)],
        "page": page,
        "page_size": page_size,
    }
