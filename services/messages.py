"""The catalogue of user-facing messages, zh-CN first and English second."""

from __future__ import annotations

from services.messages_areas import AREA_MESSAGES
from services.messages_disposal import DISPOSAL_MESSAGES, DISPOSAL_OBJECTS
from services.messages_intake import INTAKE_MESSAGES, INTAKE_OBJECTS
from services.messages_media import MEDIA_MESSAGES
from services.messages_report_read import REPORT_READ_MESSAGES, REPORT_READ_OBJECTS
from services.messages_reports import REPORT_MESSAGES
from services.messages_stats import STATS_MESSAGES, STATS_OBJECTS
from services.messages_storage import STORAGE_MESSAGES
from services.messages_tasks import TASK_MESSAGES
from services.messages_triage import TRIAGE_MESSAGES, TRIAGE_OBJECTS
from services.messages_uploads import UPLOAD_MESSAGES, UPLOAD_OBJECTS
from services.messages_workflow import WORKFLOW_MESSAGES

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
    # the working calendar
    "calendar_date_invalid": (
        "日期无效，格式为 YYYY-MM-DD。",
        "Not a valid date; use YYYY-MM-DD.",
    ),
    "calendar_kind_unknown": (
        "类型必须是 holiday（放假）或 workday（上班）。",
        "The kind must be holiday or workday.",
    ),
    "calendar_name_invalid": (
        "名称必须是 1–50 个可见字符，不含控制字符。",
        "The name must be 1–50 visible characters without control characters.",
    ),
    "calendar_year_out_of_range": (
        "年份必须在 {min} 到 {max} 之间。",
        "The year must be between {min} and {max}.",
    ),
    "calendar_day_outside_year": ("该日期不在导入的年份内。", "This date is not in the year."),
    "calendar_day_duplicate": ("同一日期出现了多次。", "This date appears more than once."),
    "calendar_mixed_years": (
        "文件中的日期跨越多个年份，请按年份分别导入或注明 year。",
        "The dates span several years; import one year at a time or state the year.",
    ),
    "calendar_import_empty": ("没有可导入的日期。", "There are no days to import."),
    "calendar_import_too_large": (
        "一次最多导入 {max} 天。",
        "At most {max} days can be imported at once.",
    ),
    "calendar_file_invalid": (
        "无法读取日程文件：{reason}",
        "The schedule file cannot be read: {reason}",
    ),
    "calendar_field_unknown": ("未知字段。", "Unknown field."),
    "calendar_file_row_invalid": (
        "该行应包含 date、kind、name 三项。",
        "Expected a date, a kind and a name.",
    ),
    "calendar_out_of_range": (
        "日期计算超出了支持的范围。",
        "The date calculation is out of the supported range.",
    ),
    # locating points in grids
    "too_many_points": (
        "一次最多定位 {limit} 个点，请分批提交。",
        "At most {limit} points can be located per request; split the batch.",
    ),
    "lng_out_of_range": ("经度必须是 -180 到 180 之间的数字。", "Longitude must be -180 to 180."),
    "lat_out_of_range": ("纬度必须是 -90 到 90 之间的数字。", "Latitude must be -90 to 90."),
    # departments, grid assignments and the event catalogue
    "department_code_taken": ("部门编码已被使用。", "This department code is taken."),
    "department_inactive": (
        "部门已停用，不能接收新的工作。",
        "This department is deactivated and cannot receive new work.",
    ),
    "department_outside_area": (
        "该部门的辖区不包含此区域。",
        "The department's jurisdiction does not cover this area.",
    ),
    "service_phone_invalid": (
        "请输入有效的电话号码：固定电话（如 0527-84000001）、手机号码或服务热线。",
        "Enter a valid phone number: a landline such as 0527-84000001, a mobile or a hotline.",
    ),
    "assignment_needs_active_grid": (
        "只能分配到启用中的网格。",
        "Workers can be assigned to active grids only.",
    ),
    "assignment_user_unknown": ("用户不存在。", "Unknown user."),
    "assignment_user_not_worker": ("该用户不是网格员。", "This user is not a grid worker."),
    "assignment_user_inactive": ("该用户已停用。", "This user is disabled."),
    "assignment_user_outside_area": (
        "该网格员所属区域不包含此网格。",
        "The worker's area does not contain this grid.",
    ),
    "assignment_exists": (
        "该网格员已在此网格任职。",
        "This worker is already assigned to this grid.",
    ),
    "category_code_taken": ("类别编码已被使用。", "This category code is taken."),
    "category_code_invalid": (
        "类别编码不正确：大类为两位数字（部件 01–49，事件 51–99），小类为大类编码加两位数字。",
        "Codes are two digits for a major class (components 01–49, events 51–99) and the"
        " major class's code plus two digits for a minor class.",
    ),
    "category_parent_unknown": ("上级类别不存在。", "Unknown parent category."),
    "category_parent_not_major": ("上级必须是大类。", "The parent must be a major class."),
    "category_major_has_no_routing": (
        "大类不设处置部门、时限和拍照要求，请在小类上设置。",
        "Major classes carry no department, time limits or photo rule; set them on minor classes.",
    ),
    "category_needs_time_limits": ("小类必须设置处置时限。", "A minor class needs time limits."),
    "time_limits_invalid": (
        "时限设置不正确（{where}）。",
        "The time limits are incomplete or out of range ({where}).",
    ),
    "time_limits_out_of_order": (
        "{phase} 阶段：紧急程度越高，时限不能越长。",
        "{phase}: a more urgent case cannot have a longer time limit.",
    ),
    "category_fallback_required": (
        "“其他”是兜底类别，不能停用。",
        "The fallback category (Other) cannot be deactivated.",
    ),
    "category_override_needs_minor": (
        "只能为小类设置区域处置部门。",
        "Area departments can be set on minor classes only.",
    ),
    "area_inactive": ("区域已停用。", "This area is retired."),
}

CATALOGUE.update(AREA_MESSAGES)
CATALOGUE.update(MEDIA_MESSAGES)
CATALOGUE.update(REPORT_MESSAGES)
CATALOGUE.update(STORAGE_MESSAGES)
CATALOGUE.update(REPORT_READ_MESSAGES)
CATALOGUE.update(UPLOAD_MESSAGES)
CATALOGUE.update(WORKFLOW_MESSAGES)
CATALOGUE.update(DISPOSAL_MESSAGES)
CATALOGUE.update(TRIAGE_MESSAGES)
CATALOGUE.update(INTAKE_MESSAGES)
CATALOGUE.update(TASK_MESSAGES)
CATALOGUE.update(STATS_MESSAGES)

# Names of objects for NotFound messages.
OBJECTS: dict[str, tuple[str, str]] = {
    "user": ("用户", "User"),
    "area": ("区域", "Area"),
    "department": ("部门", "Department"),
    "audit_entry": ("审计记录", "Audit entry"),
    "calendar_day": ("日历设置", "Calendar override"),
    "category": ("类别", "Category"),
    "grid_assignment": ("网格任职", "Grid assignment"),
    "category_override": ("区域处置部门", "Area department override"),
    "resource": ("资源", "Resource"),
}
OBJECTS.update(REPORT_READ_OBJECTS)
OBJECTS.update(TRIAGE_OBJECTS)
OBJECTS.update(UPLOAD_OBJECTS)
OBJECTS.update(DISPOSAL_OBJECTS)
OBJECTS.update(INTAKE_OBJECTS)
OBJECTS.update(STATS_OBJECTS)


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
