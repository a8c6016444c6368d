"""The grader: grade() turns a message and the recipient's (and sender's) profile into a Report.

Its rules, word lists and learned weights are data files in resources/, so an installed wheel
grades; it knows nothing of the course's lessons, widgets or learners.
"""

from .engine import grade
from .profiles import Recipient, Sender, as_recipient, as_sender
from .report import CATEGORIES, CategoryResult, Finding, Report
from .wordlists import DataError

__all__ = [
    "CATEGORIES",
    "CategoryResult",
    "DataError",
    "Finding",
    "Recipient",
    "Report",
    "Sender",
    "as_recipient",
    "as_sender",
    "grade",
]
