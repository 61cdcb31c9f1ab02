"""Messages of the media stores and signed file links (zh-CN, en); merged into the catalogue."""

from __future__ import annotations

STORAGE_MESSAGES: dict[str, tuple[str, str]] = {
    "storage_unavailable": (
        "文件存储暂不可用，请稍后重试。",
        "File storage is unavailable; please try again later.",
    ),
    "storage_key_invalid": ("文件路径不合法。", "The file path is not valid."),
    "download_name_invalid": (
        "下载文件名不合法：须为 1–255 个字符，且不含斜杠、引号或控制字符。",
        "The download name must be 1-255 characters without slashes, quotes or control characters.",
    ),
    "file_not_found": ("文件不存在或已被删除。", "The file does not exist or was removed."),
    "file_link_invalid": (
        "文件链接无效，请重新获取。",
        "The file link is not valid; please get a new one.",
    ),
    "file_link_expired": (
        "文件链接已过期，请重新获取。",
        "The file link has expired; please get a new one.",
    ),
}
