"""The digest chart: staffed share per child unit and reports by category, as a PNG.

Drawn off the event loop by the caller, possibly for several recipients at once: a bare
``Figure`` (no pyplot, whose global figure registry threads would share) rendered to PNG.

It is read on a phone and forwarded on its own (to WhatsApp groups), so:

1. the title carries the scope and the period (the caption does not travel with it);
2. the panels are stacked in a portrait picture of 1024×1280 pixels (the largest Telegram
   shows without scaling it down), with text of at least 13 points;
3. every unit carries its percentage as a label, and a unit at 0 % gets a thin red stub, so
   "nobody came" is seen rather than missed as an absent bar.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure

MAX_BARS = 12  # the worst units; more would not be readable on a phone
SIZE_INCHES, DPI = (6.4, 8.0), 160  # 1024×1280 px: portrait, as a phone shows it
TEXT_PT, TITLE_PT = 13, 15
ZERO_STUB = 1.2  # width (in %) of the stub drawn for a unit at 0 %


def digest_figure(title: str, units: list[tuple[str, float]],
                  categories: list[tuple[str, int]], share_label: str, category_label: str,
                  empty_label: str) -> Figure:
    """Two panels, one above the other: staffed share (%) of the worst units, and reports
    per category (steps 1-3 of the module docstring)."""
    shown = units[:MAX_BARS]
    fig = Figure(figsize=SIZE_INCHES, dpi=DPI)
    top, bottom = fig.subplots(2, 1, gridspec_kw={"height_ratios": [3, 2]})
    fig.suptitle(title, fontsize=TITLE_PT, fontweight="bold")
    if shown:
        names = [name[:24] for name, _ in reversed(shown)]
        values = [round(share * 100, 1) for _, share in reversed(shown)]
        colours = ["#c0392b" if v < 50 else "#e67e22" if v < 90 else "#27ae60"
                   for v in values]
        top.barh(names, [max(v, ZERO_STUB) for v in values], color=colours)
        top.set_xlim(0, 100)
        for y, value in enumerate(values):
            top.text(min(max(value, ZERO_STUB) + 1.5, 86), y, f"{value:.0f}%", va="center",
                     fontsize=TEXT_PT, fontweight="bold" if value == 0 else "normal")
    else:
        top.text(0.5, 0.5, empty_label, ha="center", va="center", fontsize=TEXT_PT)
        top.set_axis_off()
    top.set_title(share_label, fontsize=TEXT_PT + 1)
    top.tick_params(axis="both", labelsize=TEXT_PT)
    if categories:
        labels = [name[:18] for name, _ in categories]
        bottom.barh(labels[::-1], [count for _, count in categories][::-1], color="#2c3e50")
        bottom.xaxis.get_major_locator().set_params(integer=True)
        bottom.tick_params(axis="both", labelsize=TEXT_PT)
    else:
        bottom.text(0.5, 0.5, empty_label, ha="center", va="center", fontsize=TEXT_PT)
        bottom.set_axis_off()
    bottom.set_title(category_label, fontsize=TEXT_PT + 1)
    fig.tight_layout()
    return fig


def digest_chart(title: str, units: list[tuple[str, float]], categories: list[tuple[str, int]],
                 share_label: str, category_label: str, empty_label: str) -> bytes:
    """:func:`digest_figure` as PNG bytes."""
    fig = digest_figure(title, units, categories, share_label, category_label, empty_label)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
