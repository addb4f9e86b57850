"""Times as users read them (``bot.texts.fmt_time``): local clock, zone name, date if needed;
``14.05`` in Indonesian (a period between hours and minutes), ``14:05`` in English."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.texts import fmt_datetime, fmt_time

JAKARTA, MAKASSAR = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")


def test_a_time_on_the_same_local_day_has_no_date() -> None:
    moment = datetime(2026, 11, 22, 7, 5, tzinfo=UTC)  # 14.05 in Jakarta
    assert fmt_time("id", moment, JAKARTA) == "14.05 WIB"
    assert fmt_time("id", moment, JAKARTA, now=datetime(2026, 11, 22, 16, 0, tzinfo=UTC)) \
        == "14.05 WIB"


def test_a_time_on_another_local_day_gets_its_date() -> None:
    moment = datetime(2026, 11, 21, 13, 0, tzinfo=UTC)  # 20.00 on 21 November in Jakarta
    now = datetime(2026, 11, 21, 17, 30, tzinfo=UTC)  # already 00.30 on the 22nd there
    assert fmt_time("id", moment, JAKARTA, now) == "21/11 20.00 WIB"
    # Single-digit days and months keep their zeros.
    assert fmt_time("id", datetime(2026, 3, 4, 1, 2, tzinfo=UTC), MAKASSAR,
                    datetime(2026, 3, 5, 1, 2, tzinfo=UTC)) == "04/03 09.02 WITA"


def test_indonesian_times_use_a_period_and_english_ones_a_colon() -> None:
    moment = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)  # 08.00 in Jakarta
    assert fmt_time("id", moment, JAKARTA) == "08.00 WIB"
    assert fmt_time("en", moment, JAKARTA) == "08:00 WIB"
    assert fmt_datetime("id", moment, JAKARTA) == "22/11/2026 08.00 WIB"
    assert fmt_datetime("en", moment, JAKARTA) == "22/11/2026 08:00 WIB"


def test_a_duration_under_a_minute_is_not_zero_minutes() -> None:
    from datetime import timedelta

    from bot.texts import fmt_duration

    assert fmt_duration("id", timedelta(seconds=20)) == "kurang dari 1 menit"
    assert fmt_duration("en", timedelta(0)) == "under a minute"
    assert fmt_duration("id", timedelta(minutes=1)) == "1 menit"
    assert fmt_duration("id", timedelta(hours=2, minutes=5)) == "2 jam 5 menit"
