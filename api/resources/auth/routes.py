"""Sign-in endpoints; rate-limited per client address on top of the per-account rules."""

from dataclasses import asdict

from flask import g, request
from flask_smorest import Blueprint

from api.auth import auth_required
from api.context import actor, container, db
from api.ratelimit import rate_limited
from api.resources.auth.schemas import (
    LoginSchema,
    OtpLoginSchema,
    OtpRequestSchema,
    OtpSentSchema,
    OtpVerifySchema,
    RefreshSchema,
    TokenPairSchema,
)
from services import accounts, otp

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Sign in and out")


@blp.route("/login", methods=["POST"])
@rate_limited("login")
@blp.arguments(LoginSchema)
@blp.response(200, TokenPairSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(423, response="LOCKED")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def login(body):
    """Staff sign-in with username and password

    Five consecutive failures lock the account for 15 minutes (configurable).
    """
    ua = request.user_agent.string
    return accounts.login(db(), auth=container().auth, actor=actor(), user_agent=ua, **body)


@blp.route("/otp", methods=["POST"])
@rate_limited("otp")
@blp.arguments(OtpRequestSchema)
@blp.response(202, OtpSentSchema)
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
@blp.alt_response(503, response="SERVICE_UNAVAILABLE")
def request_otp(body):
    """Send a resident a 6-digit sign-in code by SMS

    One code per number per minute and ten per day; a code is valid for five minutes.
    """
    c = container()
    return otp.request_otp(db(), auth=c.auth, sms=c.sms, actor=actor(), phone=body["phone"])


@blp.route("/otp/verify", methods=["POST"])
@rate_limited("otp")
@blp.arguments(OtpVerifySchema)
@blp.response(200, OtpLoginSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def verify_otp(body):
    """Resident sign-in with the SMS code; the account is created on first sign-in"""
    pair, created = otp.verify_otp(
        db(), auth=container().auth, actor=actor(), user_agent=request.user_agent.string, **body
    )
    return {**asdict(pair), "new_user": created}


@blp.route("/refresh", methods=["POST"])
@rate_limited("login")
@blp.arguments(RefreshSchema)
@blp.response(200, TokenPairSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def refresh(body):
    """Exchange a refresh token for a new token pair (the old refresh token stops working)"""
    return accounts.refresh(db(), auth=container().auth, actor=actor(), **body)


@blp.route("/logout", methods=["POST"])
@auth_required(blp)
@blp.response(204)
def logout():
    """End this session: its access and refresh tokens stop working at once"""
    accounts.logout(db(), actor=actor(), session_id=g.session_id)
