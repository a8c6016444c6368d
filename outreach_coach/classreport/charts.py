"""Charts for the class report (matplotlib, rendered to inline SVG without touching pyplot or
the backend)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from io import StringIO
from typing import Any


def figure_html(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def _new_figure(height: float) -> Any:
    from matplotlib.figure import Figure  # imported late: `check` never needs matplotlib

    return Figure(figsize=(7.5, height), layout="constrained")


def bar_chart(labels: Sequence[str], values: Sequence[float], xlabel: str, name: str) -> str:
    figure = _new_figure(0.45 * len(labels) + 1.0)
    axes = figure.add_subplot()
    positions = range(len(labels))
    bars = axes.barh(positions, values, color="#3f6fb5")
    axes.bar_label(bars, labels=[f"{v:.0f}%" for v in values], padding=3)
    axes.set_yticks(list(positions), labels=list(labels))
    axes.invert_yaxis()
    axes.set_xlim(0, 110)
    axes.set_xlabel(xlabel)
    axes.spines[["top", "right"]].set_visible(False)
    summary = ", ".join(
        f"{label} {value:.0f}%" for label, value in zip(labels, values, strict=True)
    )
    return _svg(figure, name, f"{xlabel}: {summary}")


def histogram(scores: Sequence[float]) -> str:
    figure = _new_figure(2.8)
    axes = figure.add_subplot()
    axes.hist(scores, bins=list(range(0, 101, 10)), color="#3f6fb5", edgecolor="white")
    axes.set_xlabel("Score (0-100)")
    axes.set_ylabel("Drafts")
    axes.set_xticks(list(range(0, 101, 10)))
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure, "scores", "Histogram of draft scores in steps of 10")


def _svg(figure: Any, name: str, label: str) -> str:
    """The figure as an inline <svg> element with ids made unique to this chart."""
    from matplotlib import rc_context

    buffer = StringIO()
    # Text stays text (smaller, selectable); a fixed salt makes the output reproducible.
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "outreach-coach"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # Several charts share one page, so their internal ids must not collide.
    svg = re.sub(r'id="([^"]+)"', rf'id="{name}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{name}-\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{name}-\1"', svg)
    return svg.replace("<svg ", f"<svg role='img' aria-label='{escape(label)}' ", 1)
