"""Messages of submitting reports, duplicates, nearby reports and support (zh-CN, en).

Merged into ``services.messages.CATALOGUE``.
"""

from __future__ import annotations

from services.models.reports import ReportStatus


def status_text_key(status: ReportStatus | str) -> str:
    """The message key of a status in plain language (the texts are in messages_report_read)."""
    return f"report_status_{ReportStatus(status).value}"


REPORT_MESSAGES: dict[str, tuple[str, str]] = {
    "report_event_reported": (
        "您的上报已提交，编号 {number}。",
        "Your report was submitted as number {number}.",
    ),
    "category_unknown": ("类别不存在。", "Unknown category."),
    "category_not_selectable": (
        "该类别不能用于提交上报，请选择具体的小类或“其他”。",
        "This category cannot be chosen; pick a specific subcategory or Other.",
    ),
    "source_not_allowed": (
        "不能使用该来源提交上报。",
        "You cannot submit reports from this source.",
    ),
    "location_required": (
        "请提供位置：开启定位，或上传带有位置信息的照片。",
        "A location is needed: share your location or add a photo that has one.",
    ),
    "media_count": ("请上传 1–{max} 张照片。", "Add 1 to {max} photos."),
    "media_ids_repeated": ("同一张照片不能重复添加。", "The same photo is listed more than once."),
    "media_unknown": (
        "照片不存在或已过期，请重新上传。",
        "A photo was not found or has expired; upload it again.",
    ),
    "media_attached": (
        "照片已用于另一条上报。",
        "A photo is already part of another report.",
    ),
    "idempotency_key_reused": (
        "该请求编号已用于内容不同的请求。",
        "This Idempotency-Key was already used for a different request.",
    ),
    "reports_per_hour": (
        "每小时最多提交 {limit} 条上报，请 {retry_after} 秒后再试。",
        "At most {limit} reports per hour; try again in {retry_after} seconds.",
    ),
    "cannot_support_own": ("不能附议自己提交的上报。", "You cannot support your own report."),
    "report_not_open": (
        "该上报已办结或未予受理，不能再附议。",
        "This report is closed or was not accepted; it can no longer be supported.",
    ),
}
