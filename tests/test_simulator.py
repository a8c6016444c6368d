"""The reply-all storm simulator: the model's arithmetic, its text and plot, and its widget."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from outreach_coach import simulator
from outreach_coach.simulator import (
    COLUMNS,
    StormSimulator,
    describe_storm,
    plot_storm,
    repliers,
    reply_all_deliveries,
    reply_minutes,
    show_storm_table,
    simulate_storm,
    storm_figures,
    storm_report,
    storm_table,
)


def test_frame_has_one_row_per_minute_and_the_documented_columns() -> None:
    frame = simulate_storm(150, 0.2, 60)
    assert list(frame.columns) == list(COLUMNS)
    assert list(frame["minute"]) == list(range(61))
    assert frame.attrs == {"list_size": 150, "reply_share": 0.2, "minutes": 60}


@pytest.mark.parametrize(("size", "share"), [(2, 0.5), (40, 0.1), (150, 0.2), (500, 0.9)])
def test_every_reply_all_lands_in_every_inbox(size: int, share: float) -> None:
    frame = simulate_storm(size, share, 90)
    expected = [reply_all_deliveries(size, r) for r in frame["replies_so_far"]]
    assert list(frame["deliveries_so_far"]) == expected
    assert list(frame["one_to_one_so_far"]) == [size + r for r in frame["replies_so_far"]]
    assert frame.loc[0, "deliveries"] == size  # the original message, at minute 0


def test_totals_grow_with_list_size_times_replies() -> None:
    small = storm_figures(simulate_storm(100, 0.2, 180))
    large = storm_figures(simulate_storm(200, 0.2, 180))
    assert (small.replies, large.replies) == (20, 40)
    assert small.total_deliveries == 100 * 21
    assert large.total_deliveries == 200 * 41
    # Twice the list, twice the replies: about four times the messages.
    assert large.total_deliveries / small.total_deliveries == pytest.approx(3.9, abs=0.1)


def test_nobody_replying_leaves_only_the_original() -> None:
    figures = storm_figures(simulate_storm(300, 0.0, 60))
    assert (figures.replies, figures.total_deliveries, figures.per_inbox) == (0, 300, 1)


def test_replies_come_early_and_taper_off() -> None:
    times = reply_minutes(40)
    assert times == sorted(times) and times[0] >= 1
    first_quarter = sum(t <= 10 for t in times)
    assert first_quarter > len(times) / 2


def test_the_time_window_cuts_late_replies() -> None:
    short = storm_figures(simulate_storm(400, 0.2, 10))
    whole = storm_figures(simulate_storm(400, 0.2, 1440))
    assert short.repliers == whole.repliers == 80
    assert short.replies < whole.replies == 80


def test_repliers_round_halves_up() -> None:
    assert repliers(5, 0.5) == 3
    assert repliers(3, 1.0) == 3


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((0, 0.1, 60), ValueError),
        ((10, -0.1, 60), ValueError),
        ((10, 1.5, 60), ValueError),
        ((10, 0.1, 0), ValueError),
        ((10.5, 0.1, 60), TypeError),
        ((10, 0.1, "60"), TypeError),
        ((True, 0.1, 60), TypeError),
    ],
)
def test_bad_inputs_are_refused_with_a_reason(args: tuple, error: type) -> None:
    with pytest.raises(error, match=r"list_size|reply_share|minutes"):
        simulate_storm(*args)


def test_description_states_the_numbers_with_separators() -> None:
    text = describe_storm(storm_figures(simulate_storm(150, 0.2, 60)))
    assert "Total landed in inboxes: 4,650." in text
    assert "30 × 150 inboxes = 4,500 deliveries" in text
    assert "Each quiet recipient's inbox: 31 messages" in text
    assert storm_report(150, 0.2, 60) == text


def test_table_compares_list_sizes() -> None:
    table = storm_table([10, 100], 0.1, 60)
    assert list(table.index) == [10, 100]
    assert list(table["messages in inboxes"]) == [20, 1100]
    assert list(table["if sent one to one"]) == [11, 110]
    assert "32,000" in show_storm_table([400]).to_html()


def test_plot_has_two_labelled_panels() -> None:
    figure = plot_storm(simulate_storm(50, 0.3, 30))
    assert isinstance(figure, Figure)
    top, bottom = figure.axes
    assert "50 people" in top.get_title(loc="left")
    assert "inboxes" in bottom.get_ylabel()
    assert len(bottom.get_legend().get_texts()) == 2


def test_widget_has_stable_classes_and_draws_on_start() -> None:
    sim = StormSimulator()
    assert "oc-sim" in sim._dom_classes
    for widget, css in [
        (sim.list_size, "oc-sim-list-size"),
        (sim.reply_share, "oc-sim-reply-share"),
        (sim.minutes, "oc-sim-minutes"),
        (sim.numbers, "oc-sim-figures"),
        (sim.plot, "oc-sim-plot"),
    ]:
        assert css in widget._dom_classes
    assert sim.png.startswith(b"\x89PNG") and "<img" in sim.plot.value
    assert "4,650" in sim.numbers.value
    assert sim.last_error is None


def test_moving_sliders_updates_the_figures() -> None:
    sim = StormSimulator(list_size=150, reply_share=0.2, minutes=60)
    before_png = sim.png
    sim.list_size.value = 300
    assert "18,300" in sim.numbers.value  # 300 × (1 + 60)
    assert sim.figures is not None and sim.figures.total_deliveries == 18_300
    sim.reply_share.value = 0.0
    assert "<b>300</b> messages landed" in sim.numbers.value
    sim.minutes.value = 5
    assert sim.figures.minutes == 5
    assert sim.png != before_png


def test_a_failing_update_is_shown_and_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    sim = StormSimulator()

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("plot <exploded>")

    monkeypatch.setattr(simulator, "plot_storm", broken)
    sim.list_size.value = 42  # must not raise
    assert isinstance(sim.last_error, RuntimeError)
    assert sim.error_box.layout.display != "none"
    assert "plot &lt;exploded&gt;" in sim.error_box.value
    monkeypatch.undo()
    sim.list_size.value = 43
    assert sim.error_box.layout.display == "none"
    assert sim.figures is not None and sim.figures.list_size == 43
