"""Work queues: the cases waiting for me, by queue, sorted by deadline."""

from flask_smorest import Blueprint

from api.auth import auth_required
from api.context import actor, db
from api.i18n import current_locale
from api.resources.tasks.schemas import TaskPageSchema, TaskQuerySchema
from services.tasks import list_tasks

blp = Blueprint("tasks", __name__, url_prefix="/api/v1/tasks", description="Work queues")


@blp.route("")
@auth_required(blp)
@blp.arguments(TaskQuerySchema, location="query")
@blp.response(200, TaskPageSchema)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def list_all(args):
    """My work queues: counts per queue and one page of a queue, by deadline

    Staff only; each role has its queues, scoped to the caller's area, department or grids on
    duty. Items are sorted by the running deadline (none last), then oldest first.
    """
    return list_tasks(db(), actor=actor(), locale=current_locale(), **args)
