"""The reply-all storm: how one message to a long list fills every inbox on it.

The model is deliberately simple and deterministic, so a learner sees the same numbers each run:

* the sender writes one message to `list_size` people at once;
* a share of them (`reply_share`) answer with Reply All, each once;
* their replies arrive quickly at first and then taper off (an exponential curve with a mean
  delay of `mean_delay` minutes, the way a thread cools down);
* every reply-all lands in every other inbox on the thread: the other recipients and the sender,
  that is `list_size` inboxes per reply.

So after `r` replies the thread has put `list_size * (1 + r)` messages into inboxes. For
comparison the model also counts what the same replies would cost if each person had received
a personal note and answered the sender alone: `list_size + r`.

`simulate_storm`, `storm_figures`, `describe_storm` and `plot_storm` are plain functions;
`StormSimulator` is the widget that wires sliders to them.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

import ipywidgets as widgets
from IPython.display import HTML

from .views import ErrorBox, run_guarded

try:  # neither exists in the browser (JupyterLite): there the lesson says what to do instead
    import pandas as pd
    from matplotlib.figure import Figure
    from pandas.io.formats.style import Styler
except ModuleNotFoundError:
    pd = Figure = Styler = None

NOT_IN_BROWSER = (
    "The reply-all storm simulator and its table need pandas and matplotlib, which the browser "
    "version of the course does not have. To try them, take this lesson with the course "
    "installed (run ./start.sh in the course folder, as its README says) or on Binder. "
    "Everything else in this lesson works here."
)


def _not_in_browser_html() -> str:
    return (
        "<div class='oc-sim-unavailable' role='note'><b>Not in the browser:</b> "
        f"{escape(NOT_IN_BROWSER)}</div>"
    )


MAX_LIST_SIZE = 5000
MAX_MINUTES = 24 * 60
DEFAULT_MEAN_DELAY = 12.0

COLUMNS = (
    "minute",
    "replies",
    "replies_so_far",
    "deliveries",
    "deliveries_so_far",
    "per_inbox_so_far",
    "one_to_one_so_far",
)


def _check_inputs(list_size: int, reply_share: float, minutes: int, mean_delay: float) -> None:
    # Learners reach these through sliders, but notebooks and tests call them directly too:
    # say plainly what range is allowed instead of returning nonsense.
    if isinstance(list_size, bool) or not isinstance(list_size, int):
        raise TypeError(f"list_size must be a whole number of people, got {list_size!r}")
    if not 1 <= list_size <= MAX_LIST_SIZE:
        raise ValueError(f"list_size must be between 1 and {MAX_LIST_SIZE:,}, got {list_size}")
    share_is_number = isinstance(reply_share, int | float) and not isinstance(reply_share, bool)
    if not share_is_number or not 0.0 <= reply_share <= 1.0:
        raise ValueError(f"reply_share must be a share between 0 and 1, got {reply_share!r}")
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise TypeError(f"minutes must be a whole number, got {minutes!r}")
    if not 1 <= minutes <= MAX_MINUTES:
        raise ValueError(f"minutes must be between 1 and {MAX_MINUTES:,}, got {minutes}")
    if not mean_delay > 0:
        raise ValueError(f"mean_delay must be a positive number of minutes, got {mean_delay!r}")


def reply_all_deliveries(list_size: int, replies: int) -> int:
    """Messages landed in inboxes after the original and `replies` reply-alls to a list."""
    # The original reaches every recipient; each reply-all reaches the other recipients and the
    # sender: list_size inboxes either way.
    return list_size * (1 + replies)


def repliers(list_size: int, reply_share: float) -> int:
    """How many people on the list answer with Reply All (rounded to whole people)."""
    # round() rounds halves to even; people come in whole numbers, so round halves up.
    return min(list_size, math.floor(list_size * reply_share + 0.5))


def reply_minutes(count: int, mean_delay: float = DEFAULT_MEAN_DELAY) -> list[int]:
    """The minute (1, 2, ...) in which each of `count` repliers hits Reply All, earliest first."""
    # Evenly spaced quantiles of an exponential delay: deterministic, fast at first, then a tail.
    times = []
    for k in range(count):
        quantile = (k + 0.5) / count
        delay = -mean_delay * math.log(1.0 - quantile)
        times.append(max(1, math.ceil(delay)))
    return times


def simulate_storm(
    list_size: int,
    reply_share: float,
    minutes: int = 60,
    *,
    mean_delay: float = DEFAULT_MEAN_DELAY,
) -> pd.DataFrame:
    """Minute-by-minute replies and inbox deliveries of a message sent to a whole list at once."""
    _check_inputs(list_size, reply_share, minutes, mean_delay)
    per_minute = [0] * (minutes + 1)
    for minute in reply_minutes(repliers(list_size, reply_share), mean_delay):
        if minute <= minutes:
            per_minute[minute] += 1
    frame = pd.DataFrame({"minute": range(minutes + 1), "replies": per_minute})
    frame["replies_so_far"] = frame["replies"].cumsum()
    # Minute 0 is the original message landing in every inbox on the list.
    frame["deliveries"] = frame["replies"] * list_size
    frame.loc[0, "deliveries"] = list_size
    frame["deliveries_so_far"] = frame["deliveries"].cumsum()
    # A recipient who stays quiet sees the original plus every reply.
    frame["per_inbox_so_far"] = 1 + frame["replies_so_far"]
    frame["one_to_one_so_far"] = list_size + frame["replies_so_far"]
    frame.attrs.update(list_size=list_size, reply_share=reply_share, minutes=minutes)
    return frame.loc[:, list(COLUMNS)]


@dataclass(frozen=True)
class StormFigures:
    """The headline numbers of one simulated storm."""

    list_size: int
    reply_share: float
    minutes: int
    repliers: int
    replies: int
    original_deliveries: int
    reply_deliveries: int
    total_deliveries: int
    per_inbox: int
    one_to_one_deliveries: int

    @property
    def storm_factor(self) -> float:
        """How many times more messages the reply-all thread delivered than one-to-one notes."""
        return self.total_deliveries / self.one_to_one_deliveries


def storm_figures(frame: pd.DataFrame) -> StormFigures:
    """Sum up a frame from simulate_storm into the numbers the lesson talks about."""
    list_size = int(frame.attrs["list_size"])
    last = frame.iloc[-1]
    replies = int(last["replies_so_far"])
    return StormFigures(
        list_size=list_size,
        reply_share=float(frame.attrs["reply_share"]),
        minutes=int(frame.attrs["minutes"]),
        repliers=repliers(list_size, float(frame.attrs["reply_share"])),
        replies=replies,
        original_deliveries=list_size,
        reply_deliveries=replies * list_size,
        total_deliveries=int(last["deliveries_so_far"]),
        per_inbox=int(last["per_inbox_so_far"]),
        one_to_one_deliveries=int(last["one_to_one_so_far"]),
    )


def describe_storm(figures: StormFigures) -> str:
    """The figures as a few plain sentences (also the text alternative to the plot)."""
    f = figures
    people = "person" if f.list_size == 1 else "people"
    lines = [
        f"List: {f.list_size:,} {people}; {f.reply_share:.0%} of them hit Reply All "
        f"({f.repliers:,} {'reply' if f.repliers == 1 else 'replies'} in all).",
        f"Within {f.minutes} minutes: {f.replies:,} reply-all messages sent.",
        f"Original message: {f.original_deliveries:,} deliveries.",
        f"Replies: {f.replies:,} × {f.list_size:,} inboxes = {f.reply_deliveries:,} deliveries.",
        f"Total landed in inboxes: {f.total_deliveries:,}.",
        f"Each quiet recipient's inbox: {f.per_inbox:,} messages from this one thread.",
        f"Same replies sent to the sender alone: {f.one_to_one_deliveries:,} deliveries "
        f"({f.storm_factor:.1f}× fewer).",
    ]
    return "\n".join(lines)


def plot_storm(frame: pd.DataFrame, *, width: float = 8.0, height: float = 5.5) -> Figure:
    """Two panels: reply-alls sent each minute, and messages landed in inboxes so far."""
    figures = storm_figures(frame)
    # A bare Figure (no pyplot) keeps the widget free of global state and of backend surprises.
    figure = Figure(figsize=(width, height), layout="constrained")
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(1, 2))
    top.bar(frame["minute"], frame["replies"], width=0.9, color="#4c72b0")
    top.set_ylabel("reply-alls\nthat minute")
    top.set_title(
        f"{figures.list_size:,} people on the list, {figures.reply_share:.0%} reply all",
        loc="left",
    )
    bottom.step(
        frame["minute"],
        frame["deliveries_so_far"],
        where="post",
        color="#c44e52",
        linewidth=2.5,
        label="one message to the whole list (reply-all)",
    )
    bottom.step(
        frame["minute"],
        frame["one_to_one_so_far"],
        where="post",
        color="#55a868",
        linewidth=2,
        linestyle="--",
        label="personal notes, replies to the sender alone",
    )
    bottom.set_xlabel("minutes after the message was sent")
    bottom.set_ylabel("messages landed\nin inboxes so far")
    bottom.set_xlim(0, figures.minutes)
    bottom.set_ylim(bottom=0)
    bottom.yaxis.set_major_formatter("{x:,.0f}")
    # The reply-all line climbs along the top and the one-to-one line hugs the bottom: the
    # middle right is where the legend covers neither.
    bottom.legend(loc="center right", frameon=False)
    bottom.annotate(
        f"{figures.total_deliveries:,}",
        xy=(figures.minutes, figures.total_deliveries),
        xytext=(-4, -6),
        textcoords="offset points",
        ha="right",
        va="top",
        color="#c44e52",
        fontweight="bold",
    )
    return figure


def figure_png(figure: Figure, dpi: int = 90) -> bytes:
    """A matplotlib figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def plot_alt(figures: StormFigures) -> str:
    """The plot in one sentence, for readers who cannot see it (the image's text alternative)."""
    f = figures
    return (
        f"Plot of a reply-all storm: {f.list_size:,} people on the list, {f.reply_share:.0%} "
        f"reply all. The top panel shows reply-alls sent each minute ({f.replies:,} in "
        f"{f.minutes} minutes); the bottom one shows messages landed in inboxes climbing to "
        f"{f.total_deliveries:,}, against {f.one_to_one_deliveries:,} for personal notes."
    )


def plot_html(png: bytes, alt: str) -> str:
    """The plot as an <img> with its text alternative (ipywidgets' Image widget cannot take one)."""
    source = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return (
        f"<img class='oc-sim-plot-image' src='{source}' alt='{escape(alt)}' "
        "style='max-width:100%;height:auto'>"
    )


def number_box(slider: widgets.ValueWidget, label: str, scale: int = 1) -> widgets.BoundedIntText:
    """A labelled number box kept equal to a slider (times scale).

    ipywidgets gives a slider's handle no accessible name and Python cannot add one, so the
    label belongs to this box, a plain number input that screen readers can name and use.
    """
    box = widgets.BoundedIntText(
        value=round(slider.value * scale),
        min=round(slider.min * scale),
        max=round(slider.max * scale),
        step=max(1, round(slider.step * scale)),
        description=label,
        style={"description_width": "14em"},
        layout=widgets.Layout(width="20em", max_width="100%"),
    )
    box.add_class("oc-sim-number")

    def to_box(change: dict) -> None:
        if round(change["new"] * scale) != box.value:
            box.value = round(change["new"] * scale)

    def to_slider(change: dict) -> None:
        if round(slider.value * scale) != change["new"]:
            slider.value = change["new"] / scale if scale != 1 else change["new"]

    slider.observe(to_box, names="value")
    box.observe(to_slider, names="value")
    return box


def figures_html(figures: StormFigures) -> str:
    """The figures as an HTML list, the total in bold."""
    items = "".join(f"<li>{escape(line)}</li>" for line in describe_storm(figures).splitlines())
    return (
        "<div class='oc-sim-numbers'>"
        f"<p><b>{figures.total_deliveries:,}</b> messages landed in inboxes.</p>"
        f"<ul>{items}</ul></div>"
    )


class StormSimulator(widgets.VBox):
    """Sliders for list size, reply-all share and minutes, with the plot and figures they drive."""

    def __init__(
        self,
        list_size: int = 150,
        reply_share: float = 0.2,
        minutes: int = 60,
        *,
        max_list_size: int = 500,
    ):
        if pd is None:
            super().__init__([widgets.HTML(_not_in_browser_html())])
            self.add_class("oc-sim")
            return
        self.last_error: BaseException | None = None
        self.frame: pd.DataFrame | None = None
        self.figures: StormFigures | None = None
        layout = widgets.Layout(width="20em", max_width="100%")
        self.list_size = widgets.IntSlider(
            value=list_size,
            min=2,
            max=max(max_list_size, list_size),
            step=1,
            layout=layout,
            continuous_update=False,
            readout=False,  # the labelled number box in front of it shows (and takes) the value
        )
        self.reply_share = widgets.FloatSlider(
            value=reply_share,
            min=0.0,
            max=1.0,
            step=0.01,
            layout=layout,
            continuous_update=False,
            readout=False,  # the labelled number box in front of it shows (and takes) the value
        )
        self.minutes = widgets.IntSlider(
            value=minutes,
            min=5,
            max=180,
            step=5,
            layout=layout,
            continuous_update=False,
            readout=False,  # the labelled number box in front of it shows (and takes) the value
        )
        self.numbers = widgets.HTML()
        self.png = b""
        self.plot = widgets.HTML()
        self.error_box = ErrorBox("oc-sim-error")
        for widget, css in (
            (self.list_size, "oc-sim-list-size"),
            (self.reply_share, "oc-sim-reply-share"),
            (self.minutes, "oc-sim-minutes"),
            (self.numbers, "oc-sim-figures"),
            (self.plot, "oc-sim-plot"),
        ):
            widget.add_class(css)
        self.number_boxes = [
            number_box(self.list_size, "People on the list"),
            number_box(self.reply_share, "Share who hit Reply All (%)", scale=100),
            number_box(self.minutes, "Minutes after sending"),
        ]
        rows = [
            widgets.HBox([box, slider], layout=widgets.Layout(flex_flow="row wrap"))
            for slider, box in zip(
                (self.list_size, self.reply_share, self.minutes), self.number_boxes, strict=True
            )
        ]
        super().__init__(
            [
                widgets.HTML(
                    "<b>Try it:</b> type a number in a box or move the slider beside it; the "
                    "plot and numbers follow."
                ),
                *rows,
                self.error_box,
                self.numbers,
                self.plot,
            ]
        )
        self.add_class("oc-sim")
        for slider in (self.list_size, self.reply_share, self.minutes):
            slider.observe(self._on_change, names="value")
        self.update()

    def _on_change(self, _change: dict) -> None:
        self.update()

    def update(self) -> StormFigures | None:
        """Re-run the simulation for the sliders' values and redraw (errors shown, not raised)."""
        return run_guarded(self, "drawing the reply storm", self._update)

    def _update(self) -> StormFigures:
        frame = simulate_storm(
            int(self.list_size.value), float(self.reply_share.value), int(self.minutes.value)
        )
        figures = storm_figures(frame)
        figure = plot_storm(frame)
        self.png = figure_png(figure)
        self.plot.value = plot_html(self.png, plot_alt(figures))
        self.numbers.value = figures_html(figures)
        self.frame, self.figures = frame, figures
        return figures


def storm_report(list_size: int, reply_share: float, minutes: int = 60) -> str:
    """The figures of one storm as text: simulate, sum up and describe in one call."""
    if pd is None:
        return NOT_IN_BROWSER
    return describe_storm(storm_figures(simulate_storm(list_size, reply_share, minutes)))


def storm_table(
    list_sizes: Iterable[int] = (25, 50, 100, 200, 400), reply_share: float = 0.2, minutes: int = 60
) -> pd.DataFrame:
    """One row per list size: replies and deliveries after `minutes`, reply-all vs one-to-one."""
    rows = []
    for size in list_sizes:
        f = storm_figures(simulate_storm(size, reply_share, minutes))
        rows.append(
            {
                "people on the list": f.list_size,
                "reply-alls": f.replies,
                "messages in inboxes": f.total_deliveries,
                "in each quiet inbox": f.per_inbox,
                "if sent one to one": f.one_to_one_deliveries,
            }
        )
    return pd.DataFrame(rows).set_index("people on the list")


def show_storm_table(
    list_sizes: Iterable[int] = (25, 50, 100, 200, 400), reply_share: float = 0.2, minutes: int = 60
) -> Styler | HTML:
    """storm_table with thousands separators, for display in a notebook (in the browser, a
    note saying where it works)."""
    if pd is None:
        return HTML(_not_in_browser_html())
    return storm_table(list_sizes, reply_share, minutes).style.format("{:,}")
