"""Messages of disposal, verification, reopening, extensions, supervision and self-resolution."""

DISPOSAL_MESSAGES: dict[str, tuple[str, str]] = {
    "case_photos_required": (
        "请至少上传一张照片。",
        "At least one photo is required.",
    ),
    "case_verify_photo_required": (
        "核查通过需至少上传一张现场照片。",
        "A passed verification needs at least one on-site photo.",
    ),
    "case_reason_required": ("请填写原因。", "Give the reason."),
    "case_reopen_once": (
        "该案件已重新打开过一次，不能再次打开。",
        "This case was already reopened once; it cannot be reopened again.",
    ),
    "case_reopen_expired": (
        "案件办结已超过 7 天，不能重新打开。",
        "The case was closed more than 7 days ago; it can no longer be reopened.",
    ),
    "extension_due_naive": (
        "截止时间须包含时区。",
        "The deadline must include a time zone.",
    ),
    "extension_due_not_later": (
        "延期后的截止时间须晚于当前截止时间和当前时间。",
        "The new deadline must be later than the current deadline and than now.",
    ),
    "extension_due_too_far": (
        "延期不能超过一年。",
        "An extension cannot reach more than a year ahead.",
    ),
    "extension_pending": (
        "该案件已有待审批的延期申请。",
        "This case already has an extension request waiting for a decision.",
    ),
    "extension_decided": (
        "该延期申请已处理。",
        "This extension request was already decided.",
    ),
    "media_purpose_staff_only": (
        "只有工作人员可以上传处置或核查照片。",
        "Only staff may upload disposal or verification photos.",
    ),
}

DISPOSAL_OBJECTS: dict[str, tuple[str, str]] = {
    "extension": ("延期申请", "Extension request"),
}
