"""Case statistics for an area subtree or a department over a period."""

from flask_smorest import Blueprint

from api.auth import auth_required
from api.context import actor, db
from api.i18n import current_locale
from api.resources.stats.schemas import CaseStatsQuerySchema, CaseStatsSchema
from services.stats import case_statistics

blp = Blueprint("stats", __name__, url_prefix="/api/v1/stats", description="Statistics")

DEFINITIONS = """
Who: dispatchers and admins for their area subtree, emergency officers (read only) for theirs,
department handlers for their department's cases; residents and grid workers get 403.

The cases counted are those **created** in [from, to) (default: this month in Asia/Shanghai; at
most 366 days) in the caller's scope, within `area` (a subtree) and `department` if given. An
area outside the caller's scope yields fewer (or no) cases, never more.

- `counts`: cases per current status; `total`: all of them.
- `close_rate` = closed ÷ (total − rejected − merged); null when that is 0.
- `on_time_rate` = closed cases never flagged overdue ÷ closed. Flagged: the SLA scan found the
  running filing or disposal deadline passed (the case is overdue now, or its timeline has an
  "overdue" entry; an extension granted afterwards does not erase it).
- `avg_handling_hours`, `p90_handling_hours`: closed_at − created_at of closed cases in natural
  hours; the 90th percentile by nearest rank.
- `rework_rate` = closed cases with at least one failed verification ÷ closed.
- `self_resolution_share` = cases self-resolved by grid workers (小事不出网格) ÷ total.
- `groups` (with `group_by`): the same figures per category (minor class), per area at `level`
  (district/street/community/grid, via the area path), per department, per source, or per day
  (Asia/Shanghai; days without cases are absent). Rates without a denominator are null.
- `top_overdue`: up to 10 open cases flagged overdue now, in scope and filters but whatever
  their creation date, longest past their running deadline first.
"""


@blp.route("/cases")
@auth_required(blp)
@blp.arguments(CaseStatsQuerySchema, location="query")
@blp.response(200, CaseStatsSchema)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
@blp.doc(description=DEFINITIONS)
def cases(args):
    """Case statistics: counts, close and on-time rates, handling times, top overdue"""
    return case_statistics(db(), actor=actor(), locale=current_locale(), **args)
