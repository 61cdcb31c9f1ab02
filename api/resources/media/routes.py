"""Photos: upload one (as `wx.uploadFile` sends it) and read it back."""

import functools
import uuid

from flask import request
from flask_smorest import Blueprint

from api.auth import auth_required
from api.content import accepts
from api.context import actor, container, db
from api.resources.media.schemas import MediaPurposeFormSchema, MediaSchema, MediaUploadSchema
from services import media

blp = Blueprint("media", __name__, url_prefix="/api/v1/media", description="Photos")

# Room for the multipart envelope around a photo of the largest accepted size.
_ENVELOPE_BYTES = 64 * 1024


def _photo_body_limit(view):
    """Raise the body limit for this view to one photo (before its arguments are read)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        request.max_content_length = container().media_policy.max_bytes + _ENVELOPE_BYTES
        return view(*args, **kwargs)

    return wrapper


@blp.route("", methods=["POST"])
@accepts("multipart/form-data")
@auth_required(blp)
@_photo_body_limit
@blp.arguments(MediaPurposeFormSchema(), location="form")
@blp.arguments(MediaUploadSchema(), location="files")
@blp.response(201, MediaSchema)
@blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
@blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
@blp.alt_response(503, response="SERVICE_UNAVAILABLE")
def upload(form, files):
    """Upload one photo

    Send `multipart/form-data` with the photo in the field `file`. JPEG, PNG, WebP and
    HEIC/HEIF are accepted, up to 20 MB and 50 megapixels by default; the format is read from
    the bytes. The answer carries signed, expiring URLs of a display image (≤ 1600 px) and a
    thumbnail (≤ 320 px), both stripped of all metadata, and, for the uploader only, what the
    photo's EXIF said (GPS position, time taken). Sending the same bytes again returns the same
    photo. Photos not attached to a report within 24 hours are removed. The optional form
    field `purpose` says what the photo is for (`disposal` and `verification`: staff only).
    """
    c = container()
    photo = media.upload_media(
        db(),
        actor=actor(),
        data=files["file"].read(),
        images=c.images,
        store=c.media_store,
        policy=c.media_policy,
        purpose=form["purpose"],
    )
    return media.media_view(
        c.media_store, c.media_policy, photo, include_exif=True, include_original=False
    )


@blp.route("/<uuid:media_id>")
@auth_required(blp)
@blp.response(200, MediaSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get(media_id: uuid.UUID):
    """One photo: for its uploader, and for staff who may read its report

    The original's URL is given to staff of the report's area or department only.
    """
    c = container()
    return media.get_media(
        db(), actor=actor(), media_id=media_id, store=c.media_store, policy=c.media_policy
    )
