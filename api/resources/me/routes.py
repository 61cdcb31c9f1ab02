"""GET and PATCH /api/v1/me."""

from flask_smorest import Blueprint

from api.auth import auth_required
from api.context import actor, db
from api.resources.me.schemas import MeUpdateSchema, UserSchema
from services import accounts
from services.queries.users import find_user

blp = Blueprint("me", __name__, url_prefix="/api/v1/me", description="The signed-in user")


@blp.route("")
@auth_required(blp)
@blp.response(200, UserSchema)
def get_me():
    """Who am I: profile, roles, area and department"""
    return find_user(db(), actor().user_id)


@blp.route("", methods=["PATCH"])
@auth_required(blp)
@blp.arguments(MeUpdateSchema)
@blp.response(200, UserSchema)
def update_me(body):
    """Change my display name or language"""
    return accounts.update_me(db(), actor=actor(), **body)
