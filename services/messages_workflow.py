"""Messages of the closed loop's core (the use cases add their own modules)."""

WORKFLOW_MESSAGES: dict[str, tuple[str, str]] = {
    "case_action_not_allowed": (
        "案件当前状态（{status}）不允许此操作（{action}）。",
        "The case is {status}; {action} is not possible now.",
    ),
    "case_version_conflict": (
        "案件已被他人处理，请刷新后重试。",
        "Someone else acted on this case first; reload it and try again.",
    ),
    "case_not_on_duty": (
        "只有在该网格值守的网格员可以核查。",
        "Only a grid worker on duty in this grid may verify it.",
    ),
    "version_required": (
        "请提供案件版本（If-Match 请求头或 version 字段）。",
        "Send the case's version (If-Match header or a version field).",
    ),
    "version_invalid": ("案件版本格式不正确。", "The version is not valid."),
}
