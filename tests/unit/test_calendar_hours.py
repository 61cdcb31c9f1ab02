"""Working hours come from ONEGRID_WORKING_HOURS and are checked before the app starts."""

import datetime as dt

import pytest

from api.config import Config, ConfigError
from services.calendar_hours import DEFAULT_WORKING_HOURS, WorkingHours, parse_working_hours


def test_default_working_hours_are_nine_to_half_past_five_with_a_lunch_break():
    assert str(DEFAULT_WORKING_HOURS) == "09:00-12:00,13:30-17:30"
    assert DEFAULT_WORKING_HOURS.per_day == dt.timedelta(hours=7)
    assert DEFAULT_WORKING_HOURS.day_end == dt.time(17, 30)
    assert Config.from_env({}).working_hours == "09:00-12:00,13:30-17:30"


@pytest.mark.parametrize(
    ("text", "labels", "per_day"),
    [
        ("08:30-12:00, 14:00-18:00", ["08:30-12:00", "14:00-18:00"], 7.5),
        ("9:00-17:00", ["09:00-17:00"], 8),
        ("08:00-12:00,12:00-13:00", ["08:00-12:00", "12:00-13:00"], 5),
    ],
)
def test_working_hours_are_parsed_into_ordered_periods(text, labels, per_day):
    hours = parse_working_hours(text)
    assert hours.labels() == labels
    assert hours.per_day == dt.timedelta(hours=per_day)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not a period"),
        ("9-17", "not a period"),
        ("09:00-12:00;13:30-17:30", "not a period"),
        ("12:00-09:00", "does not end after it starts"),
        ("09:00-09:00", "does not end after it starts"),
        ("13:30-17:30,09:00-12:00", "in order"),
        ("09:00-12:00,11:00-14:00", "overlap"),
        ("25:00-26:00", "not a valid time"),
        ("09:60-10:00", "not a valid time"),
        (",".join(["01:00-01:30"] * 7), "at most"),
    ],
)
def test_unusable_working_hours_are_refused_with_a_reason(text, message):
    with pytest.raises(ValueError, match=message):
        parse_working_hours(text)


def test_config_reads_working_hours_from_the_environment():
    config = Config.from_env({"ONEGRID_WORKING_HOURS": "08:30-12:00,14:00-18:00"}).validate()
    assert parse_working_hours(config.working_hours).labels() == ["08:30-12:00", "14:00-18:00"]


def test_config_refuses_unusable_working_hours_naming_the_variable():
    with pytest.raises(ConfigError, match=r"ONEGRID_WORKING_HOURS: .*does not end after"):
        Config.from_env({"ONEGRID_WORKING_HOURS": "17:30-09:00"}).validate()


def test_periods_with_a_time_zone_are_refused():
    with pytest.raises(ValueError, match="without a time zone"):
        WorkingHours(((dt.time(9, tzinfo=dt.UTC), dt.time(17, tzinfo=dt.UTC)),))
    with pytest.raises(ValueError, match="at least one"):
        WorkingHours(())


def test_the_app_hands_the_configured_hours_to_the_services(test_config, tmp_path):
    from dataclasses import replace

    from api.app import create_app

    app = create_app(
        replace(test_config, instance_path=str(tmp_path), working_hours="08:00-12:00,14:00-18:00")
    )
    assert app.extensions["onegrid"].working_hours.labels() == ["08:00-12:00", "14:00-18:00"]
