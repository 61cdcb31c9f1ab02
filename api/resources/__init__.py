"""Every resource's blueprint, registered on the Api in one place."""

from __future__ import annotations

from flask_smorest import Api

from api.resources.areas.locate import blp as locate_blp
from api.resources.areas.routes import blp as areas_blp
from api.resources.audit.routes import blp as audit_blp
from api.resources.auth.routes import blp as auth_blp
from api.resources.calendar.routes import blp as calendar_blp
from api.resources.cases.caller import blp as cases_caller_blp
from api.resources.cases.disposal import blp as cases_disposal_blp
from api.resources.cases.extensions import blp as cases_extensions_blp
from api.resources.cases.self_resolved import blp as cases_self_resolved_blp
from api.resources.cases.triage import blp as cases_triage_blp
from api.resources.categories.routes import blp as categories_blp
from api.resources.departments.assignments import blp as assignments_blp
from api.resources.departments.routes import blp as departments_blp
from api.resources.files.routes import blp as files_blp
from api.resources.intake.admin import blp as intake_admin_blp
from api.resources.intake.routes import blp as intake_blp
from api.resources.me.reports import blp as me_reports_blp
from api.resources.me.routes import blp as me_blp
from api.resources.media.routes import blp as media_blp
from api.resources.ops.routes import blp as ops_blp
from api.resources.replies.routes import blp as replies_blp
from api.resources.reports.read import blp as reports_read_blp
from api.resources.reports.submit import blp as reports_submit_blp
from api.resources.stats.routes import blp as stats_blp
from api.resources.tasks.routes import blp as tasks_blp
from api.resources.users.routes import blp as users_blp

# locate before areas: /areas/locate must not be read as an area id.
BLUEPRINTS = (
    ops_blp,
    auth_blp,
    me_blp,
    me_reports_blp,
    users_blp,
    audit_blp,
    locate_blp,
    areas_blp,
    departments_blp,
    assignments_blp,
    categories_blp,
    calendar_blp,
    files_blp,
    media_blp,
    # before the other reports blueprints: /reports/nearby must not be read as a report id.
    reports_submit_blp,
    cases_self_resolved_blp,
    reports_read_blp,
    intake_blp,
    intake_admin_blp,
    cases_triage_blp,
    cases_caller_blp,
    cases_disposal_blp,
    cases_extensions_blp,
    tasks_blp,
    stats_blp,
    replies_blp,
)


def register_resources(api: Api) -> None:
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
