"""Locale of the current request and zh-CN renderings of marshmallow's field messages."""

from __future__ import annotations

import re

from flask import has_request_context, request

from services.messages import DEFAULT_LOCALE, negotiate, render

_FIELD_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Missing data for required field\.$"), "缺少必填字段。"),
    (re.compile(r"^Unknown field\.$"), "未知字段。"),
    (re.compile(r"^Field may not be null\.$"), "不能为空值。"),
    (re.compile(r"^Not a valid string\.$"), "不是有效的字符串。"),
    (re.compile(r"^Not a valid integer\.$"), "不是有效的整数。"),
    (re.compile(r"^Not a valid number\.$"), "不是有效的数字。"),
    (re.compile(r"^Not a valid boolean\.$"), "不是有效的布尔值。"),
    (re.compile(r"^Not a valid UUID\.$"), "不是有效的 UUID。"),
    (re.compile(r"^Not a valid datetime\.$"), "不是有效的日期时间。"),
    (re.compile(r"^Not a valid aware datetime\.$"), "不是带时区的有效日期时间。"),
    (re.compile(r"^Not a valid date\.$"), "不是有效的日期。"),
    (re.compile(r"^Not a valid list\.$"), "不是有效的列表。"),
    (re.compile(r"^Invalid input type\.$"), "输入类型无效。"),
    (re.compile(r"^Invalid JSON body\.$"), "请求体不是有效的 JSON。"),
    (re.compile(r"^Must be one of: (.*)\.$"), r"必须是以下之一：\1。"),
    (re.compile(r"^Length must be between (\d+) and (\d+)\.$"), r"长度必须在 \1 到 \2 之间。"),
    (re.compile(r"^Shorter than minimum length (\d+)\.$"), r"长度不能少于 \1。"),
    (re.compile(r"^Longer than maximum length (\d+)\.$"), r"长度不能超过 \1。"),
    (
        re.compile(r"^Must be greater than or equal to (\S+) and less than or equal to (\S+)\.$"),
        r"必须在 \1 到 \2 之间。",
    ),
    (re.compile(r"^Must be greater than or equal to (\S+)\.$"), r"不能小于 \1。"),
    (re.compile(r"^Must be less than or equal to (\S+)\.$"), r"不能大于 \1。"),
    (re.compile(r"^String does not match expected pattern\.$"), "格式不正确。"),
    (re.compile(r"^Not a valid mapping type\.$"), "不是有效的对象。"),
]


def current_locale() -> str:
    if not has_request_context():
        return DEFAULT_LOCALE
    return negotiate(request.headers.get("Accept-Language"))


def message(key: str, **params: object) -> str:
    return render(key, current_locale(), **params)


def translate_field_messages(errors: object, locale: str) -> object:
    """Walk marshmallow's nested error dict, rendering known English messages in zh-CN."""
    if locale == "en":
        return errors
    if isinstance(errors, dict):
        return {k: translate_field_messages(v, locale) for k, v in errors.items()}
    if isinstance(errors, list):
        return [translate_field_messages(v, locale) for v in errors]
    if isinstance(errors, str):
        for pattern, replacement in _FIELD_MESSAGES:
            if pattern.match(errors):
                return pattern.sub(replacement, errors)
    return errors
