"""Choosing the language of a reply and rendering catalogue messages in it."""

import pytest

from services.messages import CATALOGUE, DEFAULT_LOCALE, LOCALES, negotiate, render


@pytest.mark.parametrize("header", [None, "", "   ", "*", "fr", "de-DE,fr;q=0.8", "garbage;;,,"])
def test_negotiate_defaults_to_simplified_chinese(header):
    assert negotiate(header) == DEFAULT_LOCALE == "zh-CN"


@pytest.mark.parametrize(
    "header",
    ["en", "EN", "en-US", "en-GB", "en-US,en;q=0.9", "fr, en;q=0.5", "de;q=0.9, en-US;q=0.8"],
)
def test_negotiate_picks_english_when_it_is_the_best_supported_choice(header):
    assert negotiate(header) == "en"


@pytest.mark.parametrize("header", ["zh", "zh-CN", "zh-TW", "zh-Hant-HK", "zh-cn,en;q=0.9"])
def test_negotiate_maps_every_chinese_variant_to_simplified_chinese(header):
    assert negotiate(header) == "zh-CN"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh;q=0.5, en;q=0.8", "en"),
        ("en;q=0.5, zh;q=0.8", "zh-CN"),
        ("en;q=0.1, zh-TW;q=0.2", "zh-CN"),
        ("zh-CN;q=0.3, en;q=1", "en"),
        ("zh, en", "zh-CN"),  # equal weights: the order of the header decides
        ("en, zh", "en"),
    ],
)
def test_negotiate_orders_languages_by_q_value(header, expected):
    assert negotiate(header) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en; q=0.1, zh; q=0.9", "zh-CN"),  # whitespace around ';' is allowed by RFC 9110
        ("zh ;q=0.2 , en ; q=0.7", "en"),
        ("en;Q=0.1, zh;q=0.9", "zh-CN"),
    ],
)
def test_negotiate_reads_q_values_written_with_optional_whitespace(header, expected):
    assert negotiate(header) == expected


@pytest.mark.parametrize("header", ["en;q=0", "en;q=0.000, fr", "en;q=0, zh;q=0"])
def test_negotiate_never_picks_a_language_the_client_refuses_with_q_zero(header):
    assert negotiate(header) == "zh-CN"


def test_negotiate_prefers_an_acceptable_language_over_a_refused_one():
    assert negotiate("zh;q=0, en;q=0.1") == "en"


@pytest.mark.parametrize("header", ["en;q=abc", "en;q=nan", "en;q=2", "en;q=-1", "en;q=inf"])
def test_negotiate_ignores_english_with_an_invalid_q_value(header):
    assert negotiate(header) == "zh-CN"


def test_negotiate_copes_with_a_huge_header():
    assert negotiate("fr;q=0.1," * 2000 + "en") == "en"


def test_render_in_chinese_by_default():
    assert render("account_disabled") == "账号已停用。"


def test_render_in_english_when_asked():
    assert render("account_disabled", "en") == "This account is disabled."


def test_render_fills_placeholders_in_both_languages():
    assert render("account_locked", "zh-CN", minutes=15) == (
        "连续登录失败次数过多，账号已锁定，请 15 分钟后再试。"
    )
    assert "15 more minutes" in render("account_locked", "en", minutes=15)


def test_render_names_the_missing_object_in_each_language():
    assert render("not_found", "zh-CN", what="user") == "用户不存在。"
    assert render("not_found", "en", what="user") == "User not found."


def test_render_of_an_unknown_object_says_resource():
    assert render("not_found", "en", what="spaceship") == "Resource not found."


def test_render_unknown_key_falls_back_to_the_generic_error():
    assert render("no_such_key") == CATALOGUE["error"][0]
    assert render("no_such_key", "en") == "The request could not be processed."


def test_render_unknown_locale_falls_back_to_chinese():
    assert render("account_disabled", "fr") == "账号已停用。"


def test_render_without_its_params_returns_the_template_instead_of_failing():
    assert render("account_locked", "en") == CATALOGUE["account_locked"][1]


def test_render_ignores_extra_params():
    assert render("account_disabled", "en", minutes=3) == "This account is disabled."


def test_every_message_exists_in_both_locales():
    assert LOCALES == ("zh-CN", "en")
    for key, (zh, en) in CATALOGUE.items():
        assert zh.strip() and en.strip(), key
        assert zh != en, key
