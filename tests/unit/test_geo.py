"""The geofence: haversine distance and the rules a check-in location must pass (fresh, own and
not forwarded, no venue, precise enough, within the desk's radius)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from storage.rules.geo import LocationCheck, LocationFacts, Verdict, check_location, distance_m

MONAS = (-6.175392, 106.827153)
BUNDARAN_HI = (-6.194967, 106.823017)
NOW = datetime(2024, 11, 27, 3, 0, tzinfo=UTC)
MAX_AGE = timedelta(minutes=1)
RADIUS = 150.0


def facts(lat: float, lon: float, *, age: timedelta = timedelta(seconds=5),
          **flags: bool) -> LocationFacts:
    """A location sent ``age`` before NOW."""
    return LocationFacts(latitude=lat, longitude=lon, sent_at=NOW - age, **flags)


def check(location: LocationFacts, desk: tuple[float | None, float | None] = MONAS,
          radius: float = RADIUS) -> LocationCheck:
    return check_location(location, desk[0], desk[1], radius, NOW, MAX_AGE)


def offset_north(point: tuple[float, float], metres: float) -> tuple[float, float]:
    """A point ``metres`` due north (one degree of latitude is ~111.2 km on the mean sphere)."""
    return point[0] + metres / 111_195.08, point[1]


# --- distance ------------------------------------------------------------------------------


def test_monas_to_bundaran_hi() -> None:
    # Reference: ~2.22 km (2,224 m on the mean-radius sphere).
    assert distance_m(*MONAS, *BUNDARAN_HI) == pytest.approx(2224, rel=0.01)


def test_distance_is_symmetric() -> None:
    assert distance_m(*MONAS, *BUNDARAN_HI) == pytest.approx(distance_m(*BUNDARAN_HI, *MONAS))


def test_one_degree_of_longitude_on_the_equator() -> None:
    assert distance_m(0.0, 0.0, 0.0, 1.0) == pytest.approx(111_195, rel=0.001)


def test_one_degree_of_latitude() -> None:
    assert distance_m(-6.0, 106.8, -7.0, 106.8) == pytest.approx(111_195, rel=0.001)


def test_longitude_shrinks_with_latitude() -> None:
    at_60 = distance_m(60.0, 10.0, 60.0, 11.0)
    assert at_60 == pytest.approx(111_195 * math.cos(math.radians(60)), rel=0.005)


def test_zero_distance() -> None:
    assert distance_m(*MONAS, *MONAS) == 0.0


def test_antipodes_are_half_the_circumference() -> None:
    assert distance_m(0.0, 0.0, 0.0, 180.0) == pytest.approx(math.pi * 6_371_008.8, rel=1e-9)


# --- location verdicts ---------------------------------------------------------------------


def test_inside_radius_is_ok_with_distance() -> None:
    lat, lon = offset_north(MONAS, 100)
    result = check(facts(lat, lon))
    assert result.verdict is Verdict.OK
    assert result.ok
    assert result.distance_m == pytest.approx(100, abs=1)


def test_exactly_on_the_desk_is_ok() -> None:
    result = check(facts(*MONAS))
    assert result.ok
    assert result.distance_m == 0.0


def test_just_outside_radius_is_too_far() -> None:
    lat, lon = offset_north(MONAS, 160)
    result = check(facts(lat, lon))
    assert result.verdict is Verdict.TOO_FAR
    assert not result.ok
    assert result.distance_m == pytest.approx(160, abs=1)


def test_two_km_away_reports_how_far() -> None:
    result = check(facts(*BUNDARAN_HI))
    assert result.verdict is Verdict.TOO_FAR
    assert result.distance_m == pytest.approx(2224, rel=0.01)


def test_a_fix_less_precise_than_the_radius_proves_nothing() -> None:
    lat, lon = offset_north(MONAS, 20)
    result = check(LocationFacts(lat, lon, NOW, accuracy_m=RADIUS + 1))
    assert result.verdict is Verdict.IMPRECISE and not result.ok
    assert result.accuracy_m == RADIUS + 1
    assert result.distance_m == pytest.approx(20, abs=1)


def test_a_fix_as_precise_as_the_radius_is_ok() -> None:
    lat, lon = offset_north(MONAS, 20)
    assert check(LocationFacts(lat, lon, NOW, accuracy_m=RADIUS)).ok
    assert check(LocationFacts(lat, lon, NOW, accuracy_m=None)).ok  # older clients send none


def test_far_away_says_how_far_whatever_the_accuracy() -> None:
    result = check(LocationFacts(*BUNDARAN_HI, NOW, accuracy_m=5000))
    assert result.verdict is Verdict.TOO_FAR


def test_larger_radius_accepts_the_same_place() -> None:
    result = check(facts(*BUNDARAN_HI), radius=3000)
    assert result.verdict is Verdict.OK
    assert result.distance_m == pytest.approx(2224, rel=0.01)


def test_forwarded_location_is_refused_before_distance() -> None:
    result = check(facts(*MONAS, forwarded=True))  # right on the desk, but forwarded
    assert result.verdict is Verdict.FORWARDED
    assert result.distance_m is None
    assert not result.ok


def test_forwarded_is_checked_before_everything_else() -> None:
    result = check(facts(91.0, 0.0, age=timedelta(hours=2), forwarded=True, venue=True))
    assert result.verdict is Verdict.FORWARDED


def test_venue_is_refused() -> None:
    result = check(facts(*MONAS, venue=True))
    assert result.verdict is Verdict.VENUE
    assert result.distance_m is None


def test_old_location_is_stale() -> None:
    result = check(facts(*MONAS, age=timedelta(minutes=5)))
    assert result.verdict is Verdict.STALE
    assert result.distance_m is None


def test_age_at_the_limit_is_accepted() -> None:
    assert check(facts(*MONAS, age=MAX_AGE)).ok
    assert check(facts(*MONAS, age=MAX_AGE + timedelta(seconds=1))).verdict is Verdict.STALE


def test_location_dated_far_in_the_future_is_stale() -> None:
    result = check(facts(*MONAS, age=-timedelta(minutes=10)))
    assert result.verdict is Verdict.STALE


def test_small_clock_skew_into_the_future_is_accepted() -> None:
    assert check(facts(*MONAS, age=-timedelta(seconds=20))).ok


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(91.0, 106.8), (-90.5, 106.8), (-6.2, 180.5), (-6.2, -181.0), (math.nan, 106.8),
     (-6.2, math.inf)],
)
def test_invalid_coordinates(lat: float, lon: float) -> None:
    result = check(facts(lat, lon))
    assert result.verdict is Verdict.INVALID
    assert result.distance_m is None


def test_desk_without_location_cannot_verify() -> None:
    result = check(facts(*MONAS), desk=(None, None))
    assert result.verdict is Verdict.NO_DESK_LOCATION
    assert result.distance_m is None
    assert check(facts(*MONAS), desk=(MONAS[0], None)).verdict is Verdict.NO_DESK_LOCATION


def test_live_location_follows_the_same_rules() -> None:
    assert check(facts(*MONAS, live=True)).ok
    assert check(facts(*BUNDARAN_HI, live=True)).verdict is Verdict.TOO_FAR


def test_where_live_is_required_a_one_shot_location_is_refused() -> None:
    one_shot = facts(*MONAS)
    refused = check_location(one_shot, *MONAS, RADIUS, NOW, MAX_AGE, require_live=True)
    assert refused.verdict is Verdict.NOT_LIVE and refused.distance_m is None
    live = facts(*MONAS, live=True)
    assert check_location(live, *MONAS, RADIUS, NOW, MAX_AGE, require_live=True).ok
    assert check(one_shot).ok  # not required: accepted on its distance
