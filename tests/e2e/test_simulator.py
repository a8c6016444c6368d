"""Lesson 01's reply-all simulator: move the list-size slider three ways (typing in the number
box beside it, the keyboard, dragging the handle) and the figures and the plot follow."""

from __future__ import annotations

import pytest

from .course import simulator_lesson
from .pages import FEEDBACK_TIMEOUT_MS, RENDER_TIMEOUT_MS, expect, open_lab_and_run, open_voila

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(150)]

LIST_SIZE = ".oc-sim-list-size"
FIGURES = ".oc-sim-figures"
PLOT = ".oc-sim-plot img"
READOUT_VALUE = 300


def _slider_value(page, css: str) -> float:
    """The value the browser shows for a slider (its handle's aria-valuenow)."""
    return float(page.locator(f"{css} .noUi-handle").first.get_attribute("aria-valuenow"))


def _expected_total(page) -> int:
    """Messages in inboxes for the sliders' current values, computed here by the course model."""
    from outreach_coach.simulator import simulate_storm, storm_figures

    frame = simulate_storm(
        int(_slider_value(page, LIST_SIZE)),
        _slider_value(page, ".oc-sim-reply-share"),
        int(_slider_value(page, ".oc-sim-minutes")),
    )
    return storm_figures(frame).total_deliveries


def _plot_src(page) -> str:
    return page.locator(PLOT).first.get_attribute("src") or ""


def _expect_update(page, before_value: float, before_src: str) -> None:
    """The slider moved, the kernel's figures match its new value, and the plot was redrawn."""
    # A value typed in the number box reaches the slider through the kernel: wait for it.
    page.wait_for_function(
        """([css, old]) => {
          const handle = document.querySelector(css + ' .noUi-handle');
          return handle && Number(handle.getAttribute('aria-valuenow')) !== old;
        }""",
        arg=[LIST_SIZE, before_value],
        timeout=FEEDBACK_TIMEOUT_MS,
    )
    value = _slider_value(page, LIST_SIZE)
    assert value != before_value, f"the list-size slider did not move from {before_value}"
    expect(page.get_by_label("People on the list").first).to_have_value(str(int(value)))
    total = _expected_total(page)
    expect(page.locator(FIGURES).first).to_contain_text(
        f"{total:,} messages landed in inboxes", timeout=FEEDBACK_TIMEOUT_MS
    )
    page.wait_for_function(
        """([css, old]) => {
          const img = document.querySelector(css);
          return img && img.src !== old && img.complete && img.naturalWidth > 0;
        }""",
        arg=[PLOT, before_src],
        timeout=FEEDBACK_TIMEOUT_MS,
    )


@pytest.mark.parametrize("app", ["lab", "voila"])
def test_list_size_slider_drives_figures_and_plot(page, recorder, request, app):
    lesson = simulator_lesson()
    server = request.getfixturevalue(app)
    if app == "lab":
        open_lab_and_run(page, server, lesson)
    else:
        open_voila(page, server, lesson, FIGURES)
    sim = page.locator(LIST_SIZE).first
    sim.wait_for(state="visible", timeout=RENDER_TIMEOUT_MS)
    expect(page.locator(FIGURES).first).to_contain_text(f"{_expected_total(page):,} messages")
    page.locator(PLOT).first.wait_for(state="visible")

    # 1. Type a number into the box beside the slider (its name is the slider's label).
    before, src = _slider_value(page, LIST_SIZE), _plot_src(page)
    box = page.get_by_label("People on the list").first
    box.click()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(str(READOUT_VALUE))
    page.keyboard.press("Enter")
    _expect_update(page, before, src)
    assert _slider_value(page, LIST_SIZE) == READOUT_VALUE

    # 2. The keyboard, on the focused handle.
    before, src = _slider_value(page, LIST_SIZE), _plot_src(page)
    handle = sim.locator(".noUi-handle")
    handle.focus()
    page.keyboard.press("ArrowRight")
    _expect_update(page, before, src)

    # 3. Drag the handle to the left end of the track.
    before, src = _slider_value(page, LIST_SIZE), _plot_src(page)
    track = sim.locator(".noUi-base").bounding_box()
    grip = handle.bounding_box()
    assert track and grip, "the slider is not laid out"
    page.mouse.move(grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2)
    page.mouse.down()
    page.mouse.move(track["x"] + 2, grip["y"] + grip["height"] / 2, steps=8)
    page.mouse.up()
    _expect_update(page, before, src)
    assert _slider_value(page, LIST_SIZE) < before

    assert page.locator(".oc-sim-error").first.inner_text().strip() == ""
    assert recorder.dialogs == []
