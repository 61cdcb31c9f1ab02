"""Geocoders: the offline one on area names, and geopy's Nominatim and Baidu with HTTP
intercepted by ``responses`` (no network)."""

from __future__ import annotations

import re
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from api.config import Config, ConfigError
from services.errors import ServiceUnavailable
from services.geo.coords import wgs84_to_bd09
from services.geo.geocoding import GeopyGeocoder, OfflineGeocoder, build_geocoder
from tests.geo_factories import make_shaped_tree


@pytest.fixture
def offline(session):
    @contextmanager
    def same_session():
        yield session

    return OfflineGeocoder(same_session)


def test_offline_geocoder_answers_the_deepest_area_the_address_names(session, offline):
    areas = make_shaped_tree(session)
    place = offline.geocode("江苏省宿迁市宿城区幸福街道幸福社区第2网格 3 号楼")
    assert place.label == "第2网格"
    assert (place.lng, place.lat) == (areas["grid2"].centroid_lng, areas["grid2"].centroid_lat)
    street = offline.geocode("宿城区幸福街道某小区")
    assert street.label == "幸福街道" and street.lng == areas["street"].centroid_lng


def test_offline_geocoder_finds_nothing_in_an_address_naming_no_area(session, offline):
    make_shaped_tree(session)
    assert offline.geocode("北京市朝阳区") is None
    assert offline.geocode("   ") is None


def test_offline_geocoder_ignores_retired_areas(session, offline):
    areas = make_shaped_tree(session)
    areas["grid2"].active = False
    session.flush()
    assert offline.geocode("幸福社区第2网格").label == "幸福社区"


NOMINATIM_ANSWER = [
    {
        "place_id": 1,
        "lat": "33.9631",
        "lon": "118.2755",
        "display_name": "幸福路, 宿城区, 宿迁市, 江苏省, 中国",
        "type": "residential",
    }
]


@responses.activate
def test_nominatim_is_asked_with_the_address_and_its_answer_parsed():
    responses.add(
        responses.GET,
        re.compile(r"https://geo\.example\.org/search.*"),
        json=NOMINATIM_ANSWER,
    )
    geocoder = GeopyGeocoder("nominatim", url="https://geo.example.org", user_agent="test-ua")
    place = geocoder.geocode("宿迁市幸福路")
    assert (place.lng, place.lat) == (118.2755, 33.9631) and "幸福路" in place.label
    request = responses.calls[0].request
    query = parse_qs(urlsplit(request.url).query)
    assert query["q"] == ["宿迁市幸福路"] and query["format"] == ["json"]
    assert request.headers["User-Agent"] == "test-ua"


@responses.activate
def test_nominatim_without_a_result_answers_none():
    responses.add(responses.GET, re.compile(r"https://nominatim\.openstreetmap\.org/.*"), json=[])
    assert GeopyGeocoder("nominatim").geocode("nowhere") is None


@responses.activate
def test_baidu_answers_in_bd09_and_is_converted_to_wgs84():
    lng, lat = 118.2755, 33.9631
    bd_lng, bd_lat = wgs84_to_bd09(lng, lat)
    responses.add(
        responses.GET,
        re.compile(r"https://api\.map\.baidu\.com/geocoding/v3/.*"),
        json={"status": 0, "result": {"location": {"lng": bd_lng, "lat": bd_lat}, "level": "道路"}},
    )
    place = GeopyGeocoder("baidu", api_key="ak-123").geocode("宿迁市幸福路")
    assert place.lng == pytest.approx(lng, abs=1e-5) and place.lat == pytest.approx(lat, abs=1e-5)
    query = parse_qs(urlsplit(responses.calls[0].request.url).query)
    assert query["ak"] == ["ak-123"] and query["address"] == ["宿迁市幸福路"]


@responses.activate
def test_baidu_with_a_refused_key_is_unavailable():
    responses.add(
        responses.GET,
        re.compile(r"https://api\.map\.baidu\.com/.*"),
        json={"status": 200, "message": "APP不存在，AK有误请检查再重试"},
    )
    with pytest.raises(ServiceUnavailable) as raised:
        GeopyGeocoder("baidu", api_key="wrong").geocode("宿迁市幸福路")
    assert raised.value.key == "geocoder_unavailable"


@pytest.mark.parametrize(
    "answer",
    [
        {"body": requests.exceptions.ConnectTimeout("slow")},
        {"body": requests.exceptions.ConnectionError("down")},
        {"status": 503, "body": "busy"},
        {"status": 200, "body": "<html>not json</html>"},
    ],
    ids=["timeout", "connection refused", "503", "not json"],
)
@responses.activate
def test_nominatim_failures_are_service_unavailable(answer, caplog):
    responses.add(responses.GET, re.compile(r"https://nominatim\.openstreetmap\.org/.*"), **answer)
    with pytest.raises(ServiceUnavailable):
        GeopyGeocoder("nominatim", timeout_s=1).geocode("宿迁市幸福路 12 号")
    assert "幸福路" not in caplog.text  # never the address in the log


def test_build_geocoder_picks_the_configured_one():
    assert isinstance(build_geocoder("offline", session_factory=None), OfflineGeocoder)
    nominatim = build_geocoder("nominatim", session_factory=None, url="geo.example.org")
    assert isinstance(nominatim, GeopyGeocoder) and nominatim.provider == "nominatim"
    with pytest.raises(ValueError):
        build_geocoder("baidu", session_factory=None)


@pytest.mark.parametrize(
    "settings",
    [
        {"geocoder": "google"},
        {"geocoder": "baidu"},
        {"geocoder_timeout_s": 0},
        {"geocoder_timeout_s": 61},
    ],
)
def test_bad_geocoder_settings_are_refused(settings):
    with pytest.raises(ConfigError):
        Config.for_tests(**settings).validate()


def test_geocoder_settings_are_read_from_the_environment():
    config = Config.from_env(
        {
            "ONEGRID_GEOCODER": "baidu",
            "ONEGRID_GEOCODER_API_KEY": "ak",
            "ONEGRID_GEOCODER_TIMEOUT_S": "3",
        },
        dotenv=False,
    ).validate()
    assert (config.geocoder, config.geocoder_api_key, config.geocoder_timeout_s) == (
        "baidu",
        "ak",
        3,
    )
