"""Not the Place for Spam: grade LinkedIn outreach for personalization, relevance and manners."""

from .grader import grade
from .models import Recipient, Scenario, Sender
from .report import CATEGORIES, CategoryResult, Finding, Report

__all__ = [
    "CATEGORIES",
    "CategoryResult",
    "Finding",
    "Recipient",
    "Report",
    "Scenario",
    "Sender",
    "grade",
]
__version__ = "0.1.0"
