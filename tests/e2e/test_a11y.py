"""Accessibility, tested: axe-core on every lesson and an exercise workbench in JupyterLab and
Voilà, the workbench by keyboard alone, and the layout at 800 px.

axe-core comes from the npm registry (tools/test.sh installs it into .cache/npm). It is injected
with Playwright and run on the course's own content only: in JupyterLab the notebook's rendered
Markdown and cell outputs (JupyterLab's menus, side bars and toolbars are its own, not the
course's, and are left out), in Voilà the rendered cells. Violations of impact "serious" or
"critical" fail the test; each is listed with its rule, the elements and axe's help link.

One exclusion: the handles of the simulator's sliders. ipywidgets renders them as
<div role="slider"> with no accessible name and offers no way to add one from Python; each
slider has a number box beside it, named for screen readers, that sets the same value, and axe
checks those boxes like everything else.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tools.build_course import course_path

from .course import first_exercise
from .pages import (
    FEEDBACK_TIMEOUT_MS,
    RENDER_TIMEOUT_MS,
    expect,
    open_lab_and_run,
    open_voila,
    workbench,
)
from .servers import REPO

pytestmark = [pytest.mark.e2e, pytest.mark.a11y, pytest.mark.timeout(300)]

AXE_JS = Path(os.environ.get("OC_AXE_JS", REPO / ".cache/npm/node_modules/axe-core/axe.min.js"))
BLOCKING = ("serious", "critical")
LESSONS = [path for path, _ in course_path() if path.startswith("lessons/")]
PAGES = [*LESSONS, first_exercise().path]
COMPARER_LESSON = "lessons/05_professional_writing.ipynb"
NARROW = {"width": 800, "height": 900}
MAX_TABS = 40  # from the top of a Voilà page to the draft box, with room to spare
# The course's content in each view (see the module docstring).
LAB_SCOPE = [
    ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell .jp-RenderedMarkdown",
    ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea",
]
VOILA_SCOPE = ["#rendered_cells"]
EXCLUDE = [".oc-sim .noUi-handle"]

_RUN_AXE_JS = """
async ([include, exclude]) => {
  const present = include.filter((selector) => document.querySelector(selector));
  const result = await axe.run(
    { include: present, exclude: exclude.filter((s) => document.querySelector(s)) },
    { resultTypes: ['violations'], runOnly: { type: 'tag',
      values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } },
  );
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => n.target.join(' ') + ' :: ' + n.failureSummary).slice(0, 5),
  }));
}
"""


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(
            f"axe-core is missing ({AXE_JS}). Install it with\n"
            "    npm install --prefix .cache/npm axe-core\n"
            "(bash tools/test.sh does this), or point OC_AXE_JS at axe.min.js.",
            pytrace=False,
        )
    return AXE_JS.read_text(encoding="utf-8")


def blocking_violations(page, axe_source: str, scope: list[str]) -> list[dict]:
    """axe's serious and critical violations inside the scope's elements."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    found = page.evaluate(_RUN_AXE_JS, [scope, EXCLUDE])
    return [v for v in found if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"- {v['impact']} {v['id']}: {v['help']} ({v['helpUrl']})\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_violations_in_jupyterlab(page, lab, axe_source, path) -> None:
    open_lab_and_run(page, lab, path)
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output").first.wait_for()
    violations = blocking_violations(page, axe_source, LAB_SCOPE)
    assert violations == [], f"{path} in JupyterLab:\n{describe(violations)}"


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_violations_in_voila(page, voila, axe_source, path) -> None:
    open_voila(page, voila, path, "#rendered_cells h1")
    violations = blocking_violations(page, axe_source, VOILA_SCOPE)
    assert violations == [], f"{path} in Voilà:\n{describe(violations)}"


def _tab_until(page, selector: str, limit: int = MAX_TABS) -> int:
    """Press Tab until the element matching selector has the focus; returns the presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement?.matches(s)", selector):
            return presses
    focused = page.evaluate("() => document.activeElement?.outerHTML.slice(0, 120)")
    raise AssertionError(f"{limit} Tab presses never reached {selector} (focus: {focused})")


def _keyboard_check(page, box) -> None:
    """Type into the focused draft box, Tab to "Check my rewrite", press Enter, see a verdict."""
    area = box.locator(".oc-draft textarea")
    expect(area).to_be_focused()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("Hi Beatriz, written with the keyboard alone.")
    _tab_until(page, ".oc-check, .oc-check *", limit=3)
    page.keyboard.press("Enter")
    status = box.locator(".oc-status")
    expect(status).to_contain_text("Not ready to send yet", timeout=FEEDBACK_TIMEOUT_MS)
    expect(status.locator("[role=status]")).to_have_count(1)
    expect(area).to_have_value("Hi Beatriz, written with the keyboard alone.")


def test_workbench_by_keyboard_alone_in_voila(page, voila) -> None:
    open_voila(page, voila, first_exercise().path, ".oc-workbench")
    box = workbench(page)
    page.locator("body").focus()
    _tab_until(page, ".oc-draft textarea")
    _keyboard_check(page, box)


def test_workbench_by_keyboard_alone_in_jupyterlab(page, lab) -> None:
    open_lab_and_run(page, lab, first_exercise().path)
    box = workbench(page)
    box.locator(".oc-header").click()  # a learner's click on the page, then only keys
    _tab_until(page, ".oc-draft textarea")
    _keyboard_check(page, box)


# A few pixels: ipywidgets' 2 px margin pushes a 100%-wide textarea's border past its box at
# any width (left as it is; see the report), which is not the layout breaking at 800 px.
_LAYOUT_JS = """
([container, parts]) => {
  const SLACK = 3;
  const panel = document.querySelector(container);
  const edge = panel.getBoundingClientRect();
  const out = { scroll: panel.scrollWidth, client: panel.clientWidth, cut: [] };
  for (const selector of parts) {
    for (const node of document.querySelectorAll(selector)) {
      const box = node.getBoundingClientRect();
      // Inside the panel, and not hidden by an ancestor that clips its overflow.
      const where = `${selector} [${Math.round(box.left)}, ${Math.round(box.right)}]`;
      if (box.left < edge.left - 1 || box.right > edge.right + 1) {
        out.cut.push(`${where} outside [${Math.round(edge.left)}, ${Math.round(edge.right)}]`);
      }
      for (let up = node.parentElement; up && up !== panel; up = up.parentElement) {
        const limit = up.getBoundingClientRect();
        const cut = box.left < limit.left - SLACK || box.right > limit.right + SLACK;
        if (cut && getComputedStyle(up).overflowX !== 'visible') {
          const name = `${up.tagName.toLowerCase()}.${[...up.classList].join('.')}`;
          const span = `[${Math.round(limit.left)}, ${Math.round(limit.right)}]`;
          out.cut.push(`${where} clipped by ${name} ${span}`);
        }
      }
    }
  }
  return out;
}
"""
# What must be whole at 800 px: the draft box and every button of the workbench, both sides
# of the comparer.
LAYOUT_PARTS = {
    ".oc-workbench": [".oc-draft textarea", ".oc-workbench button", ".oc-category"],
    ".oc-pairs": [".oc-pair-select", ".oc-pair-before", ".oc-pair-after"],
}


@pytest.mark.parametrize(
    ("path", "widget"),
    [("exercise", ".oc-workbench"), (COMPARER_LESSON, ".oc-pairs")],
)
@pytest.mark.parametrize("app", ["lab", "voila"])
def test_layout_holds_at_800_px(page, request, app, path, widget) -> None:
    """No sideways scrolling and nothing cut off, with JupyterLab's file browser open."""
    path = first_exercise().path if path == "exercise" else path
    server = request.getfixturevalue(app)
    page.set_viewport_size(NARROW)
    if app == "lab":
        open_lab_and_run(page, server, path)
        container = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer"
    else:
        open_voila(page, server, path, widget)
        container = "html"
    page.locator(widget).first.wait_for(state="visible", timeout=RENDER_TIMEOUT_MS)
    page.locator(widget).first.scroll_into_view_if_needed()
    sizes = page.evaluate(_LAYOUT_JS, [container, LAYOUT_PARTS[widget]])
    assert sizes["scroll"] <= sizes["client"], f"{path} scrolls sideways at 800 px: {sizes}"
    assert sizes["cut"] == [], f"{path}: cut off at 800 px: {sizes['cut']}"
