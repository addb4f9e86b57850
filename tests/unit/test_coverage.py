"""Coverage of duty spans by shifts: staffed time, empty time and short episodes."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from storage.rules.coverage import coverage
from storage.rules.duty import DutySpan

WIB = ZoneInfo("Asia/Jakarta")


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=WIB)


def test_coverage_counts_staffed_time_and_episodes() -> None:
    span = DutySpan(at(8), at(14), 1)
    shifts = [(at(8, 10), at(10)), (at(10), at(12, 30)), (at(13), at(15))]
    cov = coverage([span], shifts)
    # 08:00-08:10 empty, 08:10-12:30 staffed (hand-over at 10:00 seamless), 12:30-13:00
    # empty, 13:00-14:00 staffed.
    assert cov.duty == 6 * 3600
    assert cov.staffed == (260 + 60) * 60
    assert cov.empty == 40 * 60 and cov.episodes == 2
    assert cov.share == pytest.approx(320 / 360)


def test_short_handover_gap_is_not_an_episode_and_min_staff_counts() -> None:
    span = DutySpan(at(8), at(10), 2)
    gap = [(at(8), at(9)), (at(9) + timedelta(seconds=30), at(10)), (at(8), at(10))]
    cov = coverage([span], gap)
    assert cov.empty == 30 and cov.episodes == 0  # 30 s with one of two present
    alone = coverage([span], [(at(8), at(10))])
    assert alone.staffed == 0 and alone.episodes == 1 and alone.empty == 7200
