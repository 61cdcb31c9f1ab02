"""The upload body and the view of a photo."""

import marshmallow as ma
from flask_smorest.fields import Upload

from services.models.media import MediaPurpose


class MediaUploadSchema(ma.Schema):
    file = Upload(
        required=True,
        metadata={
            "description": "One photo: JPEG, PNG, WebP or HEIC/HEIF, detected from its bytes "
            "(the file name and declared content type are ignored)."
        },
    )


class MediaPurposeFormSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # other form fields were always ignored

    purpose = ma.fields.Enum(
        MediaPurpose,
        by_value=True,
        load_default=MediaPurpose.REPORT,
        metadata={
            "description": "`report` (default): a photo of a problem; `disposal`: a "
            "department's after-photo; `verification`: a grid worker's on-site check. The last "
            "two are for staff only."
        },
    )


class MediaExifSchema(ma.Schema):
    lat = ma.fields.Float(
        allow_none=True, metadata={"description": "WGS-84 latitude from the photo's GPS"}
    )
    lng = ma.fields.Float(allow_none=True, metadata={"description": "WGS-84 longitude"})
    taken_at = ma.fields.DateTime(
        allow_none=True, metadata={"description": "when the photo was taken (DateTimeOriginal)"}
    )


class MediaSchema(ma.Schema):
    """A photo as clients see it; URLs are signed and expire."""

    id = ma.fields.UUID(required=True)
    display_url = ma.fields.String(
        required=True, metadata={"description": "long edge ≤ 1600 px, no metadata; expires"}
    )
    thumbnail_url = ma.fields.String(
        required=True, metadata={"description": "long edge ≤ 320 px, no metadata; expires"}
    )
    width = ma.fields.Integer(required=True, metadata={"description": "after EXIF orientation"})
    height = ma.fields.Integer(required=True)
    sha256 = ma.fields.String(required=True, metadata={"description": "of the original bytes"})
    mime = ma.fields.String(required=True, metadata={"example": "image/jpeg"})
    created_at = ma.fields.DateTime(required=True)
    attached = ma.fields.Boolean(
        required=True,
        metadata={"description": "part of a report; unattached uploads are removed after 24 h"},
    )
    exif = ma.fields.Nested(
        MediaExifSchema,
        metadata={"description": "the uploader only; null values where absent or degenerate"},
    )
    original_url = ma.fields.String(
        metadata={"description": "the original with its EXIF: staff of the report only"}
    )
