"""This module draws the board pack's charts as PNG images with matplotlib.

A `Figure` made directly (never through pyplot) draws with the Agg backend when it is
saved as PNG: no window system, no global state, safe in a server. matplotlib is imported
when a chart is drawn, so starting the service does not wait for it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from notifications.board_pack import Pack

# Red, amber and green as boards read them, and grey for no update.
COLOURS = {"on track": "#2e7d32", "at risk": "#f9a825", "off track": "#c62828"}
NO_UPDATE_COLOUR = "#9e9e9e"
DPI = 110


def rag_by_area(pack: Pack) -> bytes:
    """A horizontal stacked bar per priority area: its open actions by RAG, and no update."""
    areas = [s for s in pack.areas if sum(s.now.values()) > 0]
    names = [s.name for s in areas]
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.5, 0.4 * max(len(names), 2) + 1.6), dpi=DPI)
    axes = figure.subplots()
    left = [0] * len(areas)
    for standing, colour in (*COLOURS.items(), ("no update", NO_UPDATE_COLOUR)):
        values = [s.now[standing] for s in areas]
        axes.barh(names, values, left=left, color=colour, label=standing)
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.invert_yaxis()
    axes.set_xlabel("open actions")
    axes.set_title(f"RAG by priority area, {pack.meeting:%d %B %Y}")
    # Under the chart, in one row, where it hides none of the bars.
    figure.legend(loc="lower center", ncol=4, fontsize="small", frameon=False)
    figure.tight_layout(rect=(0, 0.07, 1, 1))
    return _png(figure)


def completion_over_time(pack: Pack) -> bytes:
    """Actions complete at each board meeting, against the actions in the plan."""
    dates = [f"{m:%d %b %y}" for m, _, _ in pack.completion]
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.5, 3.0), dpi=DPI)
    axes = figure.subplots()
    axes.plot(dates, [done for _, done, _ in pack.completion], marker="o", label="complete")
    axes.plot(
        dates, [total for _, _, total in pack.completion], linestyle="--", label="in the plan"
    )
    axes.set_ylim(bottom=0)
    axes.set_ylabel("actions")
    axes.set_title("Completion over time (at each board meeting)")
    axes.legend(loc="upper left", fontsize="small")
    figure.tight_layout()
    return _png(figure)


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
