"""Duty windows: parsing a desk's duty hours, their canonical text, and evaluation at injected
times in the desk's zone (on duty or not, short or staffed, weekday and date rules)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from storage.rules.duty import (
    DAY_MIN,
    Schedule,
    Window,
    current_span,
    daily,
    desk_state,
    format_duty_hours,
    on_duty,
    parse_duty_hours,
)

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")


def wib(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """An aware moment on a Jakarta wall clock."""
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


# --- parsing -------------------------------------------------------------------------------


def test_parse_simple_window() -> None:
    assert parse_duty_hours("08:00-14:00") == (Window(8 * 60, 14 * 60),)


def test_parse_window_crossing_midnight_ends_next_day() -> None:
    (window,) = parse_duty_hours("20:00-08:00")
    assert window.start == 20 * 60
    assert window.end == DAY_MIN + 8 * 60


def test_parse_all_day() -> None:
    assert parse_duty_hours("00:00-24:00") == (Window(0, DAY_MIN),)


def test_parse_several_windows_are_sorted() -> None:
    assert parse_duty_hours("13:00-17:00; 07:00-11:00") == (
        Window(7 * 60, 11 * 60),
        Window(13 * 60, 17 * 60),
    )


def test_parse_dash_means_no_duty() -> None:
    assert parse_duty_hours("-") == ()
    assert parse_duty_hours(" - ") == ()


def test_parse_accepts_single_digit_hour_and_spaces() -> None:
    assert parse_duty_hours(" 8:00 - 14:00 ") == (Window(8 * 60, 14 * 60),)


@pytest.mark.parametrize(
    ("spec", "canonical"),
    [
        ("08:00-14:00", "08:00-14:00"),
        ("8:00-14:00", "08:00-14:00"),
        ("20:00-08:00", "20:00-08:00"),
        ("00:00-24:00", "00:00-24:00"),
        ("12:00-24:00", "12:00-24:00"),
        ("20:00-02:00;07:00-11:00", "07:00-11:00;20:00-02:00"),
        (" 07:00 - 11:00 ;13:00-17:00", "07:00-11:00;13:00-17:00"),
        ("-", "-"),
    ],
)
def test_format_is_canonical_and_round_trips(spec: str, canonical: str) -> None:
    windows = parse_duty_hours(spec)
    assert format_duty_hours(windows) == canonical
    assert parse_duty_hours(canonical) == windows


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ("25:00-26:00", "invalid time"),
        ("08:60-09:00", "invalid time"),
        ("08:00-24:30", "invalid time"),
        ("24:00-08:00", "invalid time"),
        ("08:00-08:00", "empty"),
        ("08:00-12:00;11:00-14:00", "overlap"),
        ("08:00-12:00;08:00-12:00", "overlap"),
        ("20:00-08:00;07:00-09:00", "overlap"),
        ("00:00-24:00;08:00-09:00", "overlap"),
        ("garbage", "HH:MM-HH:MM"),
        ("08:00", "HH:MM-HH:MM"),
        ("08-14", "HH:MM-HH:MM"),
        ("08:00-14:00;", "HH:MM-HH:MM"),
        ("", "empty"),
        ("   ", "empty"),
    ],
)
def test_parse_errors(spec: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_duty_hours(spec)


def test_adjacent_windows_do_not_overlap() -> None:
    # One ends exactly when the next begins: allowed, end is exclusive.
    assert format_duty_hours(parse_duty_hours("08:00-12:00;12:00-16:00")) == (
        "08:00-12:00;12:00-16:00"
    )
    # A night window ending exactly when the morning one starts: also fine.
    assert len(parse_duty_hours("20:00-08:00;08:00-12:00")) == 2


# --- evaluation ----------------------------------------------------------------------------


def test_boundaries_start_inclusive_end_exclusive() -> None:
    windows = parse_duty_hours("08:00-14:00")
    day = (2024, 11, 27)
    assert not on_duty(windows, wib(*day, 7, 59), WIB)
    assert on_duty(windows, wib(*day, 8, 0), WIB)
    assert on_duty(windows, wib(*day, 13, 59), WIB)
    assert on_duty(windows, wib(*day, 13, 59) + timedelta(seconds=59), WIB)
    assert not on_duty(windows, wib(*day, 14, 0), WIB)


def test_span_of_a_day_window() -> None:
    span = current_span(parse_duty_hours("08:00-14:00"), wib(2024, 11, 27, 10), WIB)
    assert span is not None
    assert span.start == wib(2024, 11, 27, 8)
    assert span.end == wib(2024, 11, 27, 14)


def test_cross_midnight_seen_in_the_evening() -> None:
    span = current_span(parse_duty_hours("20:00-08:00"), wib(2024, 11, 27, 23), WIB)
    assert span is not None
    assert span.start == wib(2024, 11, 27, 20)
    assert span.end == wib(2024, 11, 28, 8)


def test_cross_midnight_seen_the_next_morning() -> None:
    span = current_span(parse_duty_hours("20:00-08:00"), wib(2024, 11, 28, 3), WIB)
    assert span is not None
    assert span.start == wib(2024, 11, 27, 20)
    assert span.end == wib(2024, 11, 28, 8)


def test_cross_midnight_boundaries() -> None:
    windows = parse_duty_hours("20:00-08:00")
    assert on_duty(windows, wib(2024, 11, 28, 0), WIB)
    assert on_duty(windows, wib(2024, 11, 28, 7, 59), WIB)
    assert not on_duty(windows, wib(2024, 11, 28, 8), WIB)
    assert not on_duty(windows, wib(2024, 11, 28, 12), WIB)
    assert not on_duty(windows, wib(2024, 11, 28, 19, 59), WIB)
    assert on_duty(windows, wib(2024, 11, 28, 20), WIB)


def test_all_day_is_always_on_duty() -> None:
    windows = parse_duty_hours("00:00-24:00")
    start = wib(2024, 11, 27, 0)
    for quarter in range(4 * 24 * 2):  # two days in 15-minute steps
        assert on_duty(windows, start + timedelta(minutes=15 * quarter), WIB)
    span = current_span(windows, wib(2024, 11, 27, 23, 59), WIB)
    assert span is not None
    assert (span.start, span.end) == (wib(2024, 11, 27, 0), wib(2024, 11, 28, 0))


def test_no_duty_is_never_on_duty() -> None:
    assert not on_duty(parse_duty_hours("-"), wib(2024, 11, 27, 10), WIB)


def test_several_windows_gap_is_off_duty() -> None:
    windows = parse_duty_hours("07:00-11:00;13:00-17:00")
    assert on_duty(windows, wib(2024, 11, 27, 10), WIB)
    assert not on_duty(windows, wib(2024, 11, 27, 12), WIB)
    span = current_span(windows, wib(2024, 11, 27, 16), WIB)
    assert span is not None and span.start == wib(2024, 11, 27, 13)


def test_same_instant_read_in_each_indonesian_zone() -> None:
    windows = parse_duty_hours("08:00-14:00")
    instant = datetime(2024, 11, 27, 6, 30, tzinfo=UTC)  # 13:30 WIB, 14:30 WITA, 15:30 WIT
    assert on_duty(windows, instant, WIB)
    assert not on_duty(windows, instant, WITA)
    assert not on_duty(windows, instant, WIT)
    early = datetime(2024, 11, 27, 0, 30, tzinfo=UTC)  # 07:30 WIB, 08:30 WITA, 09:30 WIT
    assert not on_duty(windows, early, WIB)
    assert on_duty(windows, early, WITA)
    assert on_duty(windows, early, WIT)


def test_span_is_in_the_desk_zone() -> None:
    instant = datetime(2024, 11, 27, 0, 30, tzinfo=UTC)
    span = current_span(parse_duty_hours("08:00-14:00"), instant, WIT)
    assert span is not None
    assert span.start == datetime(2024, 11, 26, 23, 0, tzinfo=UTC)
    assert span.start.utcoffset() == timedelta(hours=9)


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        on_duty(parse_duty_hours("08:00-14:00"), datetime(2024, 11, 27, 10), WIB)


# --- desk state ----------------------------------------------------------------------------


def test_desk_short_when_on_duty_and_understaffed() -> None:
    state = desk_state(daily("08:00-14:00", 2), WIB, 1, wib(2024, 11, 27, 10))
    assert state.on_duty
    assert state.short
    assert state.min_staff == 2
    assert state.span is not None and state.span.start == wib(2024, 11, 27, 8)


def test_desk_not_short_when_staffed() -> None:
    state = desk_state(daily("08:00-14:00", 1), WIB, 1, wib(2024, 11, 27, 10))
    assert state.on_duty
    assert not state.short


def test_desk_not_short_off_duty() -> None:
    state = desk_state(daily("08:00-14:00", 1), WIB, 0, wib(2024, 11, 27, 15))
    assert not state.on_duty
    assert not state.short
    assert state.min_staff == 0


def test_desk_with_min_staff_zero_is_never_short() -> None:
    state = desk_state(daily("00:00-24:00", 0), WIB, 0, wib(2024, 11, 27, 10))
    assert state.on_duty
    assert not state.short


def test_desk_state_reads_duty_hours_in_the_desk_zone() -> None:
    instant = datetime(2024, 11, 27, 6, 30, tzinfo=UTC)
    assert desk_state(daily("08:00-14:00"), WIB, 0, instant).short
    assert not desk_state(daily("08:00-14:00"), WIT, 0, instant).short


def test_desk_state_rejects_bad_duty_hours() -> None:
    with pytest.raises(ValueError):
        desk_state(daily("nonsense"), WIB, 0, wib(2024, 11, 27, 10))


# --- schedules with day rules --------------------------------------------------------------

# Wednesday 27 November 2024 was the day of the Pilkada vote.
VOTING_DAY = Schedule("08:00-14:00", 1, (("2024-11-27", "00:00-24:00", 3),
                                         ("3", "08:00-12:00", None),
                                         ("7", "-", None)))


def test_date_rule_beats_weekday_rule() -> None:
    state = desk_state(VOTING_DAY, WIB, 2, wib(2024, 11, 27, 23))
    assert state.on_duty and state.short and state.min_staff == 3


def test_weekday_rule_keeps_the_desk_min_staff() -> None:
    wednesday = wib(2024, 12, 4, 11)
    state = desk_state(VOTING_DAY, WIB, 0, wednesday)
    assert state.on_duty and state.min_staff == 1
    assert not desk_state(VOTING_DAY, WIB, 0, wib(2024, 12, 4, 13)).on_duty


def test_rule_of_no_duty_and_the_daily_hours_otherwise() -> None:
    assert not desk_state(VOTING_DAY, WIB, 0, wib(2024, 12, 1, 10)).on_duty  # Sunday
    assert desk_state(VOTING_DAY, WIB, 0, wib(2024, 12, 2, 13)).on_duty  # Monday: daily


def test_night_window_follows_the_rule_of_the_day_it_started() -> None:
    night = Schedule("-", 1, (("2024-11-26", "20:00-08:00", 2),))
    span = current_span(night, wib(2024, 11, 27, 3), WIB)
    assert span is not None
    assert (span.start, span.end, span.min_staff) == (
        wib(2024, 11, 26, 20), wib(2024, 11, 27, 8), 2)
    assert current_span(night, wib(2024, 11, 27, 21), WIB) is None
