"""What the course does where pandas, matplotlib and file locks do not exist (the JupyterLite
site, tools/build_lite.py): tables drawn in HTML, a plain note instead of the simulator, saves
without a lock file, and the course folder on the browser's drive."""

import subprocess
import sys
from pathlib import Path

from outreach_coach import files, storage
from outreach_coach.lesson_views import HtmlTable, messages_table, personalization_table

ROOT = Path(__file__).resolve().parent.parent

WITHOUT_PANDAS = """
import sys
sys.modules["pandas"] = None          # import pandas now fails as it does in the browser
sys.modules["matplotlib"] = None
from outreach_coach.lesson_views import messages_table, personalization_table
from outreach_coach.simulator import StormSimulator, show_storm_table, storm_report
table = messages_table()
print(type(table).__name__, len(table.rows))
print(table._repr_html_()[:400])
print(type(personalization_table()).__name__)
print(StormSimulator().children[0].value)
print(storm_report(150, 0.2))
print(show_storm_table().data)
"""


def _run_without_pandas() -> str:
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_PANDAS],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    return result.stdout


def test_lesson_tables_and_simulator_without_pandas_or_matplotlib() -> None:
    out = _run_without_pandas()
    frame = messages_table()
    assert f"HtmlTable {len(frame)}" in out
    assert "<th scope='col'>kind</th>" in out
    assert f"<th scope='row'>{frame.index[0]}</th>" in out
    assert "HtmlTable" in out.splitlines()[2]
    assert out.count("Not in the browser") == 2  # the simulator and the table say so
    assert out.count("need pandas and matplotlib") == 3


def test_the_html_table_has_the_dataframes_cells_escaped() -> None:
    frame = personalization_table()
    table = HtmlTable(((1, "<b>Hi</b>", "x & y"),), ("opening", "note"), "")
    html = table._repr_html_()
    assert "&lt;b&gt;Hi&lt;/b&gt;" in html and "x &amp; y" in html
    assert list(frame.index) == list(range(1, len(frame) + 1))


def test_in_the_browser_saves_take_no_lock_file(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(storage.store, "IN_BROWSER", True)
    store = storage.DraftStore(tmp_path)
    result = store.save("s01-mass-note", "Hi Beatriz, a draft.")
    assert result.saved
    assert store.load("s01-mass-note").text == "Hi Beatriz, a draft."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s01-mass-note.json"]


def test_in_the_browser_the_course_folder_is_the_drive(monkeypatch) -> None:
    monkeypatch.setattr(files, "IN_BROWSER", True)
    monkeypatch.delenv(storage.ENV_VAR, raising=False)
    monkeypatch.delenv("OUTREACH_COACH_DATA", raising=False)
    from outreach_coach import data

    assert data.data_dir() == Path("/drive/data")
    assert storage.default_progress_dir() == Path("/drive/progress")
