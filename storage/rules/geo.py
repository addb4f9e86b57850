"""The geofence: distance on the Earth and the rules that decide whether a location proves presence.

Pure functions with injected time; the bot extracts the facts from a Telegram message and the
rules here decide.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


class Verdict(StrEnum):
    """Outcome of checking a location against a desk."""

    OK = "ok"
    FORWARDED = "forwarded"
    VENUE = "venue"
    STALE = "stale"
    INVALID = "invalid"
    TOO_FAR = "too_far"
    IMPRECISE = "imprecise"
    NO_DESK_LOCATION = "no_desk_location"
    NOT_LIVE = "not_live"


@dataclass(frozen=True, slots=True)
class LocationFacts:
    """What a location message says, independent of Telegram's types."""

    latitude: float
    longitude: float
    sent_at: datetime
    forwarded: bool = False
    venue: bool = False
    live: bool = False
    accuracy_m: float | None = None


@dataclass(frozen=True, slots=True)
class LocationCheck:
    """The verdict with the distance to the desk (None when it could not be measured)."""

    verdict: Verdict
    distance_m: float | None = None
    accuracy_m: float | None = None  # set when the fix was too imprecise to decide

    @property
    def ok(self) -> bool:
        """Whether the location proves presence at the desk."""
        return self.verdict is Verdict.OK


def check_location(
    facts: LocationFacts,
    desk_lat: float | None,
    desk_lon: float | None,
    radius_m: float,
    now: datetime,
    max_age: timedelta,
    *,
    require_live: bool = False,
) -> LocationCheck:
    """Decide whether ``facts`` prove presence at a desk.

    1. A forwarded location or a venue is somebody else's place or a chosen place: refused.
       Where the installation requires a live location, a one-shot location is refused too:
       Telegram's apps send a pin placed on the map and a GPS fix alike (coordinates only, no
       accuracy), whereas a live location comes from the phone's location service.
    2. Coordinates outside the valid range are refused.
    3. A location older than ``max_age`` (or dated in the future beyond it) is refused.
    4. A desk without coordinates cannot be verified: refused with its own verdict.
    5. Otherwise the distance decides against the radius; it is always reported.
    6. A fix inside the radius whose accuracy (Telegram's ``horizontal_accuracy``) is worse
       than the radius does not prove presence: the officer may be anywhere in a circle
       larger than the desk's. Refused, saying how imprecise it was. A location without an
       accuracy is judged by its distance alone: that is how the apps send every one-shot
       location, a GPS fix included.
    """
    if facts.forwarded:
        return LocationCheck(Verdict.FORWARDED)
    if facts.venue:
        return LocationCheck(Verdict.VENUE)
    if require_live and not facts.live:
        return LocationCheck(Verdict.NOT_LIVE)
    if not (-90.0 <= facts.latitude <= 90.0 and -180.0 <= facts.longitude <= 180.0):
        return LocationCheck(Verdict.INVALID)
    if abs(now - facts.sent_at) > max_age:
        return LocationCheck(Verdict.STALE)
    if desk_lat is None or desk_lon is None:
        return LocationCheck(Verdict.NO_DESK_LOCATION)
    distance = distance_m(facts.latitude, facts.longitude, desk_lat, desk_lon)
    if distance > radius_m:
        return LocationCheck(Verdict.TOO_FAR, distance)
    if facts.accuracy_m is not None and facts.accuracy_m > radius_m:
        return LocationCheck(Verdict.IMPRECISE, distance, facts.accuracy_m)
    return LocationCheck(Verdict.OK, distance)
