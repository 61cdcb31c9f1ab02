"""Messages of triage: filing, rejecting, merging, duplicate decisions and dispatching."""

TRIAGE_MESSAGES: dict[str, tuple[str, str]] = {
    "case_location_outside": (
        "该位置不在本市网格范围内。",
        "This location is outside the city's grids.",
    ),
    "case_location_out_of_scope": (
        "该位置不在您的管辖区域内，请联系上级调度员。",
        "This location is outside your area; ask a dispatcher above you.",
    ),
    "merge_into_self": ("案件不能合并到自身。", "A case cannot be merged into itself."),
    "merge_target_unknown": (
        "要合并到的案件不存在或不在您的管辖区域内。",
        "The case to merge into does not exist or is outside your area.",
    ),
    "merge_target_not_open": (
        "案件 {number} 已办结或已合并，不能作为合并目标。",
        "Case {number} is no longer open; it cannot take a merge.",
    ),
    "duplicate_already_decided": (
        "该疑似重复已处理（{status}）。",
        "This suspected duplicate was already decided ({status}).",
    ),
    "case_department_unknown": ("部门不存在。", "Unknown department."),
    "due_at_naive": ("期限须包含时区。", "The deadline needs a time zone offset."),
    "due_at_out_of_range": (
        "期限须晚于当前时间，且不超过一年。",
        "The deadline must be in the future and at most a year ahead.",
    ),
}

TRIAGE_OBJECTS: dict[str, tuple[str, str]] = {
    "duplicate": ("疑似重复记录", "Suspected duplicate"),
}
