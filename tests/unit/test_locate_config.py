"""ONEGRID_LOCATE_MAX_DISTANCE_M: how far a point in no grid may be from the grid it is given."""

import pytest

from api.config import Config, ConfigError


def test_default_is_100_metres():
    assert Config.from_env({}).locate_max_distance_m == 100


def test_is_read_from_the_environment():
    assert Config.from_env({"ONEGRID_LOCATE_MAX_DISTANCE_M": "250"}).locate_max_distance_m == 250


@pytest.mark.parametrize("raw", ["-1", "10001"])
def test_out_of_range_values_are_refused(raw):
    with pytest.raises(ConfigError, match="ONEGRID_LOCATE_MAX_DISTANCE_M"):
        Config.from_env({"ONEGRID_LOCATE_MAX_DISTANCE_M": raw}).validate()


def test_non_numbers_are_refused():
    with pytest.raises(ConfigError, match="ONEGRID_LOCATE_MAX_DISTANCE_M"):
        Config.from_env({"ONEGRID_LOCATE_MAX_DISTANCE_M": "100m"})


def test_the_app_builds_its_locator_with_the_configured_distance(tmp_path):
    from api.app import create_app

    config = Config.for_tests(
        {}, database_url=f"sqlite:///{tmp_path / 'x.db'}", locate_max_distance_m=30
    )
    assert create_app(config).extensions["onegrid"].locator.max_distance_m == 30
