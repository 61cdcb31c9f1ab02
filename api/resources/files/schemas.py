"""The query of a signed file link."""

import marshmallow as ma

from media.store_keys import MAX_DOWNLOAD_NAME_LENGTH


class FileLinkArgsSchema(ma.Schema):
    """What the store signed: when the link expires, the signature and the download name."""

    expires = ma.fields.Integer(
        required=True,
        strict=False,
        validate=ma.validate.Range(min=0, max=2**40),
        metadata={"description": "Unix time after which the link is refused"},
    )
    sig = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=128),
        metadata={"description": "HMAC-SHA256 of the key, the expiry and the download name"},
    )
    dl = ma.fields.String(
        validate=ma.validate.Length(min=1, max=MAX_DOWNLOAD_NAME_LENGTH),
        metadata={"description": "File name to download as (part of the signature)"},
    )
