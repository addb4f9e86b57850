"""Texts of risk areas (*rawan*): the mark on a desk in ``/rekap`` and the count of short ones
on a unit, the digest's line of empty time at risk-area desks, and the export's column."""

from __future__ import annotations

ID = {
    "rawan.mark": "⚠ rawan: {labels}",
    "rawan.units": "⚠ {count} posko rawan kurang",
    "rawan.digest": "⚠ Posko rawan ({desks} posko): kosong {duration} dalam {episodes} kali",
    "rawan.digest.none": "⚠ Posko rawan ({desks} posko): tidak pernah kosong",
    "export.col.rawan": "Rawan",
}

EN = {
    "rawan.mark": "⚠ risk area: {labels}",
    "rawan.units": "⚠ {count} risk-area desks short",
    "rawan.digest": "⚠ Risk-area desks ({desks}): empty {duration} in {episodes} episodes",
    "rawan.digest.none": "⚠ Risk-area desks ({desks}): never empty",
    "export.col.rawan": "Risk area",
}
