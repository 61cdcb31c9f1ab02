"""Every resource's blueprint, registered on the Api in one place."""

from __future__ import annotations

from flask_smorest import Api

from api.resources.audit.routes import blp as audit_blp
from api.resources.auth.routes import blp as auth_blp
from api.resources.me.routes import blp as me_blp
from api.resources.ops.routes import blp as ops_blp
from api.resources.users.routes import blp as users_blp

BLUEPRINTS = (ops_blp, auth_blp, me_blp, users_blp, audit_blp)


def register_resources(api: Api) -> None:
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
