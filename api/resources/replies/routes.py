"""Standard replies (标准回复): administrators keep them, dispatchers and handlers fill them in."""

import uuid

from flask_smorest import Blueprint

from api.auth import auth_required
from api.context import actor, db
from api.i18n import current_locale
from api.resources.replies.schemas import (
    RenderedReplySchema,
    ReplyCreateSchema,
    ReplyQuerySchema,
    ReplyRenderSchema,
    ReplySchema,
    ReplyUpdateSchema,
)
from services import replies
from services.models.accounts import Role

blp = Blueprint("replies", __name__, url_prefix="/api/v1/replies", description="Standard replies")


@blp.route("")
@auth_required(blp)
@blp.arguments(ReplyQuerySchema, location="query")
@blp.response(200, ReplySchema(many=True))
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def list_all(args):
    """Standard replies for an action: the category's own first, then the general ones

    Dispatchers, department handlers and administrators.
    """
    return replies.list_replies(db(), actor=actor(), **args)


@blp.route("", methods=["POST"])
@auth_required(blp, Role.ADMIN)
@blp.arguments(ReplyCreateSchema)
@blp.response(201, ReplySchema)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def create(body):
    """Add a standard reply (platform administrators)"""
    return replies.create_reply(db(), actor=actor(), **body)


@blp.route("/<uuid:reply_id>", methods=["PATCH"])
@auth_required(blp, Role.ADMIN)
@blp.arguments(ReplyUpdateSchema)
@blp.response(200, ReplySchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def update(body, reply_id: uuid.UUID):
    """Change a standard reply (platform administrators)"""
    return replies.update_reply(db(), actor=actor(), reply_id=reply_id, **body)


@blp.route("/<uuid:reply_id>", methods=["DELETE"])
@auth_required(blp, Role.ADMIN)
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
def delete(reply_id: uuid.UUID):
    """Withdraw a standard reply; it is kept, inactive, for the record"""
    replies.deactivate_reply(db(), actor=actor(), reply_id=reply_id)


@blp.route("/<uuid:reply_id>/render", methods=["POST"])
@auth_required(blp)
@blp.arguments(ReplyRenderSchema)
@blp.response(200, RenderedReplySchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def render(body, reply_id: uuid.UUID):
    """A standard reply filled in for a case I may read, in my language"""
    return replies.render_reply(
        db(), actor=actor(), reply_id=reply_id, locale=current_locale(), **body
    )
