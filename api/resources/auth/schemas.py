"""Bodies of the sign-in endpoints."""

import marshmallow as ma
from marshmallow import validate

from api.schemas import password_field, text


class LoginSchema(ma.Schema):
    username = text(1, 64, required=True)
    password = password_field(required=True)


class TokenPairSchema(ma.Schema):
    access_token = ma.fields.String(required=True)
    refresh_token = ma.fields.String(required=True)
    token_type = ma.fields.String(required=True, metadata={"example": "Bearer"})
    expires_in = ma.fields.Integer(required=True, metadata={"description": "seconds"})
    refresh_expires_in = ma.fields.Integer(required=True, metadata={"description": "seconds"})


class OtpRequestSchema(ma.Schema):
    phone = ma.fields.String(
        required=True,
        validate=validate.Length(min=5, max=32),
        metadata={"description": "Mainland mobile number, e.g. 13812345678 or +8613812345678"},
    )


class OtpSentSchema(ma.Schema):
    expires_in = ma.fields.Integer(required=True, metadata={"description": "seconds"})
    resend_after = ma.fields.Integer(required=True, metadata={"description": "seconds"})


class OtpVerifySchema(OtpRequestSchema):
    code = ma.fields.String(required=True, validate=validate.Regexp(r"^[0-9]{6}$"))


class OtpLoginSchema(TokenPairSchema):
    new_user = ma.fields.Boolean(required=True, metadata={"description": "account just created"})


class RefreshSchema(ma.Schema):
    refresh_token = ma.fields.String(required=True, validate=validate.Length(min=1, max=200))
