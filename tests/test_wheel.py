"""A wheel built from the repository installs and grades on its own (no data/ folder beside it),
and carries the course map."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import outreach_coach, sys
from outreach_coach import grade
assert outreach_coach.__file__.startswith(sys.argv[1]), outreach_coach.__file__
profile = {"name": "Maria Lopez", "headline": "Head of Operations at Brightline Foods",
           "company": "Brightline Foods", "industry": "Food", "interests": ["food safety"],
           "recent_activity": "Posted about cutting spoilage in refrigerated trucks by 12%."}
report = grade("Hi Maria,\\n\\nWe print pens. Want some?\\n\\nBest,\\nGary", recipient=profile)
print(sorted(report.codes))
# Subpackages must be in the wheel too: the class report is one.
from outreach_coach.classreport.command import run
from outreach_coach.outline import CAPSTONE, LESSONS  # the course map ships inside the package
assert len(LESSONS) >= 7 and CAPSTONE.file == "capstone.ipynb", (LESSONS, CAPSTONE)
"""


def test_a_built_wheel_grades_without_the_repository(tmp_path: Path) -> None:
    wheels, target = tmp_path / "wheels", tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next(wheels.glob("outreach_coach-*.whl"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    # Run from elsewhere, with the installed copy first, so the repository cannot be imported.
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("OUTREACH_COACH_DATA", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(target)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "REL003" in result.stdout and "PERS003" in result.stdout
