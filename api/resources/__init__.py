"""Every resource's blueprint, registered on the Api in one place."""

from __future__ import annotations

from flask_smorest import Api

from api.resources.areas.locate import blp as locate_blp
from api.resources.areas.routes import blp as areas_blp
from api.resources.audit.routes import blp as audit_blp
from api.resources.auth.routes import blp as auth_blp
from api.resources.calendar.routes import blp as calendar_blp
from api.resources.categories.routes import blp as categories_blp
from api.resources.departments.assignments import blp as assignments_blp
from api.resources.departments.routes import blp as departments_blp
from api.resources.files.routes import blp as files_blp
from api.resources.me.reports import blp as me_reports_blp
from api.resources.me.routes import blp as me_blp
from api.resources.media.routes import blp as media_blp
from api.resources.ops.routes import blp as ops_blp
from api.resources.reports.read import blp as reports_read_blp
from api.resources.reports.submit import blp as reports_submit_blp
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
    reports_read_blp,
)


def register_resources(api: Api) -> None:
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
