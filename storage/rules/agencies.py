"""Partner agencies and which of them hears of which report: the routing table.

A posko bersama seats the local government beside the election bodies, the police, the army
and the disaster agency. Their liaisons (members with the role ``partner``) get the reports
whose category their agency handles. The table below is the default; an operator adds
agencies (``POSKO_AGENCIES``) and changes the agencies of a category (``POSKO_REPORT_ROUTES``),
both parsed here so the settings, the CLI and the tests read them one way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# Key → short name, as shown on buttons and in reports ("Teruskan ke Bawaslu").
DEFAULT_AGENCIES: Mapping[str, str] = MappingProxyType({
    "kpu": "KPU",  # PPK at the kecamatan, PPS at the kelurahan
    "bawaslu": "Bawaslu",  # Panwascam, PKD
    "polri": "Polri",  # Polsek, Bhabinkamtibmas
    "tni": "TNI",  # Koramil, Babinsa
    "bpbd": "BPBD",
    "satpol_pp": "Satpol PP",
})

# Category (as in storage.incidents.CATEGORIES) → the agencies that handle it.
DEFAULT_ROUTES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "netralitas": ("bawaslu",),
    "politik_uang": ("bawaslu",),
    "sara_hoaks": ("bawaslu", "polri"),
    "kampanye_apk": ("bawaslu", "satpol_pp"),
    "kamtib": ("polri", "tni"),
    "hak_pilih": ("kpu",),
    "logistik": ("kpu",),
    "lokasi_tps": ("kpu", "bpbd"),  # a TPS under water moves: the KPU decides, BPBD helps
    "listrik_internet": (),
    "pungut_hitung": ("kpu",),
    "penyelenggara": ("bawaslu",),
    "kondusif": (),
    "lainnya": (),
})

_KEY = re.compile(r"^[a-z][a-z0-9_]{1,19}$")
NAME_MAX = 40


class RoutingError(ValueError):
    """A setting of agencies or routes that cannot be read; the message says which part."""


@dataclass(frozen=True, slots=True)
class Routing:
    """The agencies an installation knows and the agencies of each report category."""

    agencies: Mapping[str, str] = field(default_factory=lambda: DEFAULT_AGENCIES)
    routes: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: DEFAULT_ROUTES)

    def agencies_for(self, category: str) -> tuple[str, ...]:
        """The agencies whose liaisons get a report of ``category``."""
        return self.routes.get(category, ())

    def name(self, agency: str) -> str:
        """The agency's short name (its key, for an agency no longer configured)."""
        return self.agencies.get(agency, agency)


def _pairs(text: str, what: str) -> list[tuple[str, str]]:
    pairs = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        key, sep, value = part.partition("=")
        if not sep:
            raise RoutingError(f"{part!r} is not {what}")
        pairs.append((key.strip().lower(), value.strip()))
    return pairs


def parse_agencies(text: str) -> dict[str, str]:
    """The defaults plus ``key=Name;key=Name`` (a known key renames that agency)."""
    agencies = dict(DEFAULT_AGENCIES)
    for key, name in _pairs(text, "key=Name"):
        if not _KEY.match(key):
            raise RoutingError(f"agency key {key!r} must be 2-20 of a-z, 0-9, "
                               "_ and start with a letter")
        if not name or len(name) > NAME_MAX or any(c in name for c in "<>&\n"):
            raise RoutingError(f"the name of {key!r} must be 1-{NAME_MAX} "
                               "characters without < > &")
        agencies[key] = name
    return agencies


def parse_routes(text: str, agencies: Mapping[str, str], categories: tuple[str, ...]
                 ) -> dict[str, tuple[str, ...]]:
    """The defaults with each ``category=agency+agency`` given replacing that category's
    agencies (``category=`` alone: no agency)."""
    routes = {category: DEFAULT_ROUTES.get(category, ()) for category in categories}
    for category, value in _pairs(text, "category=agency+agency"):
        if category not in categories:
            raise RoutingError(f"unknown category {category!r} "
                               f"(one of {', '.join(categories)})")
        chosen = tuple(dict.fromkeys(a.strip().lower() for a in value.split("+") if a.strip()))
        unknown = [a for a in chosen if a not in agencies]
        if unknown:
            raise RoutingError(f"unknown agency {unknown[0]!r} for "
                               f"{category} (one of {', '.join(agencies)})")
        routes[category] = chosen
    return routes


def routing(agencies_text: str, routes_text: str, categories: tuple[str, ...]) -> Routing:
    """The routing an installation's two settings describe."""
    agencies = parse_agencies(agencies_text)
    return Routing(MappingProxyType(agencies),
                   MappingProxyType(parse_routes(routes_text, agencies, categories)))
