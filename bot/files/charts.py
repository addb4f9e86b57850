"""The digest chart: staffed share per child unit and reports by category, as a PNG.

Drawn off the event loop by the caller, possibly for several recipients at once: a bare
``Figure`` (no pyplot, whose global figure registry threads would share) rendered to PNG.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure

MAX_BARS = 15  # the worst units; more would not be readable on a phone


def digest_chart(title: str, units: list[tuple[str, float]], categories: list[tuple[str, int]],
                 share_label: str, category_label: str, empty_label: str) -> bytes:
    """Two panels: staffed share (%) of the worst units, and reports per category."""
    shown = units[:MAX_BARS]
    fig = Figure(figsize=(10, 5.2), dpi=100)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    fig.suptitle(title, fontsize=12, fontweight="bold")
    if shown:
        names = [name[:22] for name, _ in reversed(shown)]
        values = [round(share * 100, 1) for _, share in reversed(shown)]
        colours = ["#c0392b" if v < 50 else "#e67e22" if v < 90 else "#27ae60"
                   for v in values]
        left.barh(names, values, color=colours)
        left.set_xlim(0, 100)
        for y, value in enumerate(values):
            left.text(min(value + 1, 88), y, f"{value:.0f}%", va="center", fontsize=8)
    else:
        left.text(0.5, 0.5, empty_label, ha="center", va="center")
        left.set_axis_off()
    left.set_title(share_label, fontsize=10)
    left.tick_params(axis="y", labelsize=8)
    if categories:
        labels = [name[:18] for name, _ in categories]
        right.bar(labels, [count for _, count in categories], color="#2c3e50")
        right.tick_params(axis="x", labelrotation=60, labelsize=8)
        right.yaxis.get_major_locator().set_params(integer=True)
    else:
        right.text(0.5, 0.5, empty_label, ha="center", va="center")
        right.set_axis_off()
    right.set_title(category_label, fontsize=10)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
