"""Messages of photo uploads and their cleanup (zh-CN, en); merged into the catalogue."""

from __future__ import annotations

UPLOAD_MESSAGES: dict[str, tuple[str, str]] = {
    "upload_file_missing": (
        "请在表单字段 file 中上传一张照片。",
        "Send one photo in the multipart field `file`.",
    ),
    "upload_file_empty": ("上传的文件是空的。", "The uploaded file is empty."),
    "uploads_too_frequent": (
        "上传照片过于频繁（每小时最多 {limit} 张），请 {retry_after} 秒后再试。",
        "Too many photos (at most {limit} an hour); try again in {retry_after} seconds.",
    ),
}

# Names of objects for NotFound messages.
UPLOAD_OBJECTS: dict[str, tuple[str, str]] = {
    "media": ("照片", "Photo"),
}
