"""The class report: grade every learner's exported answers and show how the class did.

The report reads data only (exported-answers files and DraftStore save files); it never runs
learner code or notebooks. The steps are pure functions so they can be tested and reused:

    accepted, rejected = load_submissions(folder)  # files -> Submission, Rejected (loading)
    frame = grade_class(accepted)  # one row per learner x scenario x category (grading)
    html = render_html(frame, rejected)  # a self-contained HTML page (html, charts)

`command.run()` ties them together for `python -m outreach_coach report`; `anonymity` makes
the pseudonyms of --anonymize, `gradebook` the CSV and the feedback files.
"""

from .grading import CSV_COLUMNS, grade_class
from .html import render_html
from .loading import load_submissions

__all__ = ["CSV_COLUMNS", "grade_class", "load_submissions", "render_html"]
