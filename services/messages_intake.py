"""Messages of multi-source intake: sources, API keys, events, mapping, geocoding (zh-CN, en).

Merged into ``services.messages.CATALOGUE``.
"""

from __future__ import annotations

INTAKE_MESSAGES: dict[str, tuple[str, str]] = {
    "api_key_missing": ("缺少 X-Api-Key 请求头。", "The X-Api-Key header is missing."),
    "api_key_invalid": ("API 密钥无效或已停用。", "The API key is invalid or inactive."),
    "intake_source_name_taken": ("来源名称已存在。", "This source name is already in use."),
    "intake_source_name_invalid": (
        "来源名称只能包含小写字母、数字和连字符（2–32 位）。",
        "A source name has 2–32 lowercase letters, digits or hyphens.",
    ),
    "intake_source_kind_invalid": (
        "来源类型须为 hotline、police_110、digital_city 或 other。",
        "The source must be hotline, police_110, digital_city or other.",
    ),
    "intake_source_inactive": ("该来源已停用。", "This source is inactive."),
    "intake_area_unknown": ("区域不存在或已撤销。", "No such active area."),
    "intake_replay_mismatch": (
        "该来源的事件编号 {external_id} 已用于不同的内容。",
        "External id {external_id} of this source was already used for a different event.",
    ),
    "intake_outside_area": (
        "事件位置不在该来源的受理区域内。",
        "The event's location is outside this source's area.",
    ),
    "intake_location_required": (
        "须提供坐标或地址。",
        "Give coordinates or an address.",
    ),
    "intake_address_not_found": (
        "无法根据地址确定位置，请提供坐标。",
        "The address could not be located; send coordinates.",
    ),
    "geocoder_unavailable": (
        "地址解析服务暂不可用，请稍后重试或提供坐标。",
        "The geocoding service is unavailable; retry later or send coordinates.",
    ),
    "intake_category_or_text": (
        "须提供分类编码或事件文本之一。",
        "Give a category code or the event's text.",
    ),
    "intake_event_reported": (
        "已通过{source}受理，编号 {number}。",
        "Received through {source}; number {number}.",
    ),
    "intake_source_unknown": ("接入来源不存在。", "No such intake source."),
    "mapping_pattern_invalid": (
        "匹配关键词须为 1–100 个字符。",
        "A pattern has 1–100 characters.",
    ),
    "mapping_category_not_selectable": (
        "只能映射到启用的小类。",
        "A mapping must name an active minor category.",
    ),
}

INTAKE_OBJECTS: dict[str, tuple[str, str]] = {
    "intake_source": ("接入来源", "Intake source"),
    "intake_event": ("接入事件", "Intake event"),
    "category_mapping": ("分类映射", "Category mapping"),
    "caller_phone": ("来电号码", "Caller phone number"),
}
