"""The catalogue of user-facing messages, zh-CN first and English second."""

from __future__ import annotations

DEFAULT_LOCALE = "zh-CN"
LOCALES = ("zh-CN", "en")

# key -> (zh-CN, en); placeholders use str.format names.
CATALOGUE: dict[str, tuple[str, str]] = {
    "error": ("请求无法处理。", "The request could not be processed."),
    "not_found": ("{what}不存在。", "{what_en} not found."),
    "route_not_found": ("请求的地址不存在。", "The requested URL was not found."),
    "method_not_allowed": ("该地址不支持 {method} 方法。", "Method {method} is not allowed here."),
    "payload_too_large": (
        "请求体过大，最大 {limit} 字节。",
        "The request body is too large; the limit is {limit} bytes.",
    ),
    "unsupported_media": ("不支持的内容类型。", "Unsupported media type."),
    "bad_request": ("请求格式错误。", "The request is malformed."),
    "invalid_json": ("请求体不是有效的 JSON。", "The request body is not valid JSON."),
    "validation_failed": ("请求参数校验失败。", "The request did not pass validation."),
    "internal_error": (
        "服务器内部错误，请稍后重试（请求编号 {request_id}）。",
        "Internal server error; please try again later (request id {request_id}).",
    ),
    "service_unavailable": ("服务暂不可用。", "The service is unavailable."),
    "not_ready": ("服务尚未就绪：{reason}", "The service is not ready: {reason}"),
    "permission_denied": ("无权执行此操作。", "You are not allowed to do this."),
    "conflict": ("操作与当前状态冲突。", "The request conflicts with the current state."),
    "invalid_transition": ("当前状态不允许此操作。", "This action is not allowed in this state."),
    "rate_limited": (
        "操作过于频繁，请 {retry_after} 秒后再试。",
        "Too many requests; try again in {retry_after} seconds.",
    ),
    # authentication
    "unauthenticated": ("请先登录。", "Authentication is required."),
    "token_invalid": ("登录凭证无效或已过期，请重新登录。", "The token is invalid or expired."),
    "session_revoked": ("登录已失效，请重新登录。", "This session has ended; please log in."),
    "authentication_failed": ("用户名或密码错误。", "Wrong username or password."),
    "account_locked": (
        "连续登录失败次数过多，账号已锁定，请 {minutes} 分钟后再试。",
        "Too many failed logins; the account is locked for {minutes} more minutes.",
    ),
    "account_disabled": ("账号已停用。", "This account is disabled."),
    "staff_use_password": (
        "工作人员请使用账号密码登录。",
        "Staff sign in with username and password.",
    ),
    "refresh_invalid": ("刷新凭证无效或已过期。", "The refresh token is invalid or expired."),
    "otp_invalid": ("验证码错误或已过期。", "The code is wrong or has expired."),
    "otp_too_many_attempts": (
        "验证码尝试次数过多，请重新获取。",
        "Too many attempts; request a new code.",
    ),
    "otp_too_soon": (
        "验证码发送过于频繁，请 {retry_after} 秒后再试。",
        "A code was sent recently; try again in {retry_after} seconds.",
    ),
    "otp_daily_limit": (
        "该号码今日获取验证码次数已达上限。",
        "This number has reached today's limit of codes.",
    ),
    "otp_send_failed": ("验证码短信发送失败，请稍后重试。", "The code could not be sent."),
    # field-level
    "phone_invalid": (
        "请输入有效的中国大陆手机号码。",
        "Enter a valid mainland China mobile number.",
    ),
    "password_weak": (
        "密码至少 {min} 位，且须同时包含字母和数字。",
        "The password needs at least {min} characters with letters and digits.",
    ),
    "username_taken": ("用户名已被使用。", "This username is taken."),
    "phone_taken": ("该手机号已被其他账号使用。", "This phone number belongs to another account."),
    "area_unknown": ("区域编码不存在。", "Unknown area code."),
    "department_unknown": ("部门编码不存在。", "Unknown department code."),
    "staff_needs_scope": (
        "工作人员必须绑定区域或部门。",
        "A staff account must be bound to an area or a department.",
    ),
    "handler_needs_department": (
        "部门处置人员必须绑定部门。",
        "A department handler must belong to a department.",
    ),
    "resident_not_staff": (
        "居民角色不能与工作人员角色同时授予。",
        "The resident role cannot be combined with staff roles.",
    ),
    "cannot_disable_self": ("不能停用自己的账号。", "You cannot disable your own account."),
    "production_seed": ("生产环境不能写入演示数据。", "Demo data is refused in production."),
}

# Names of objects for NotFound messages.
OBJECTS: dict[str, tuple[str, str]] = {
    "user": ("用户", "User"),
    "area": ("区域", "Area"),
    "department": ("部门", "Department"),
    "audit_entry": ("审计记录", "Audit entry"),
    "resource": ("资源", "Resource"),
}


def negotiate(accept_language: str | None) -> str:
    """Pick zh-CN or en from an Accept-Language value; zh-CN unless English is preferred."""
    if not accept_language:
        return DEFAULT_LOCALE
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        tag, *params = (p.strip() for p in part.split(";"))
        weight = _weight(params)
        # q=0 means "not acceptable" (RFC 9110 §12.4.2); a malformed q-value is treated alike.
        if weight > 0:
            ranked.append((-weight, index, tag.lower()))
    for _, _, tag in sorted(ranked):
        if tag.startswith("zh"):
            return "zh-CN"
        if tag.startswith("en"):
            return "en"
    return DEFAULT_LOCALE


def _weight(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                weight = float(value.strip())
            except ValueError:
                return 0.0
            return weight if 0.0 <= weight <= 1.0 else 0.0
    return 1.0


def render(key: str, locale: str = DEFAULT_LOCALE, **params: object) -> str:
    """The message for ``key`` in ``locale``; unknown keys fall back to the generic error."""
    zh, en = CATALOGUE.get(key, CATALOGUE["error"])
    template = en if locale == "en" else zh
    what = params.get("what")
    if isinstance(what, str):
        zh_name, en_name = OBJECTS.get(what, OBJECTS["resource"])
        params = {**params, "what": zh_name, "what_en": en_name}
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
