"""Messages of the photo pipeline: refused formats, polyglots, limits, corrupt files (zh-CN, en).

Merged into ``services.messages.CATALOGUE``.
"""

from __future__ import annotations

MEDIA_MESSAGES: dict[str, tuple[str, str]] = {
    "image_empty": ("文件为空，请重新选择照片。", "The file is empty; choose a photo again."),
    "image_too_large": (
        "照片过大，最大 {limit_mb} MB（{limit} 字节）。",
        "The photo is too large; the limit is {limit_mb} MB ({limit} bytes).",
    ),
    "image_format_unsupported": (
        "不支持的文件格式（检测到 {format}），请上传 JPEG、PNG、WebP 或 HEIC 照片。",
        "Unsupported file format ({format} detected); upload a JPEG, PNG, WebP or HEIC photo.",
    ),
    "image_format_unknown": (
        "无法识别的文件格式，请上传 JPEG、PNG、WebP 或 HEIC 照片。",
        "Unrecognised file format; upload a JPEG, PNG, WebP or HEIC photo.",
    ),
    "image_polyglot": (
        "照片中夹带了非图片内容（{found}），已拒收。",
        "The photo carries content that is not part of an image ({found}) and was refused.",
    ),
    "image_too_many_pixels": (
        "照片尺寸过大（{width}×{height}），最多 {limit} 像素。",
        "The photo is too big ({width}×{height}); the limit is {limit} pixels.",
    ),
    "image_corrupt": (
        "照片文件已损坏或不完整，请重新上传。",
        "The photo is damaged or incomplete; upload it again.",
    ),
}
