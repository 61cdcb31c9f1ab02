"""GET /api/v1/files/<key>: the local media store's files behind signed, expiring links.

No bearer token: whoever holds a valid link may read the file until it expires (that is how a
mini-program's <image> tag or a browser fetches it). With an S3 store the links point at the
bucket, and this route answers 404. HEAD is answered too (Flask adds it).
"""

from flask import send_file
from flask_smorest import Blueprint

from api.context import container
from api.resources.files.schemas import FileLinkArgsSchema
from media.storage import LocalMediaStore
from media.store_keys import content_disposition
from services.errors import NotFound

blp = Blueprint("files", __name__, url_prefix="/api/v1/files", description="Signed file links")

_BINARY = {"type": "string", "format": "binary"}
_HEADERS = {
    "Cache-Control": {
        "description": "private, max-age=<seconds until the link expires>",
        "schema": {"type": "string"},
    },
    "Content-Disposition": {
        "description": "inline, or attachment with the signed file name",
        "schema": {"type": "string"},
    },
}


@blp.route("/<path:key>")
@blp.arguments(FileLinkArgsSchema, location="query")
@blp.response(200, _BINARY, content_type="image/*", headers=_HEADERS)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(404, response="NOT_FOUND")
def read(args, key: str):
    """Read a file through a signed link (the signature is the authorisation)"""
    store = container().media_store
    if not isinstance(store, LocalMediaStore):
        raise NotFound("file_not_found")
    found = store.open_signed(
        key, expires=args["expires"], signature=args["sig"], download_name=args.get("dl")
    )
    try:
        response = send_file(
            found.path,
            mimetype=found.content_type,
            conditional=True,
            etag=True,
            max_age=found.max_age,
        )
    except FileNotFoundError:  # removed since open_signed looked
        raise NotFound("file_not_found") from None
    response.headers["Content-Disposition"] = content_disposition(found.download_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Images only: nothing in a served file may run as a page of our origin.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.cache_control.public = False
    response.cache_control.private = True
    del response.headers["Expires"]  # max-age says it; a date would trust the client clock
    return response
