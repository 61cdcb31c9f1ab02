"""Messages of the case statistics and the standard replies."""

STATS_MESSAGES: dict[str, tuple[str, str]] = {
    "stats_period_incomplete": (
        "请同时给出统计周期的起止时间，或都不给（默认本月）。",
        "Give both ends of the period, or neither (this month).",
    ),
    "stats_naive_datetime": ("时间须包含时区。", "The time needs a time zone offset."),
    "stats_period_inverted": ("结束时间须晚于开始时间。", "The end must come after the start."),
    "stats_period_too_long": (
        "统计周期不能超过 {days} 天。",
        "The period may not be longer than {days} days.",
    ),
    "stats_unknown_area": ("区域不存在。", "Unknown area."),
    "stats_unknown_department": ("部门不存在。", "Unknown department."),
    "stats_unknown_level": (
        "区域层级须为区县、街道、社区或网格。",
        "The area level must be district, street, community or grid.",
    ),
    "reply_unknown_placeholder": (
        "未知的占位符：{names}；可用：{known}。",
        "Unknown placeholders: {names}; known: {known}.",
    ),
    "reply_bad_template": (
        "模板格式错误：花括号须成对出现，占位符形如 {{number}}。",
        "The template is malformed: braces must pair up, placeholders look like {{number}}.",
    ),
    "reply_unknown_category": ("分类不存在。", "Unknown category."),
}

STATS_OBJECTS: dict[str, tuple[str, str]] = {
    "reply": ("标准回复", "Standard reply"),
}
