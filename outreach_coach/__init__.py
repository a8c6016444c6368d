"""Not the Place for Spam: grade LinkedIn outreach for personalization, relevance and manners."""

from .grader import CATEGORIES, CategoryResult, Finding, Recipient, Report, Sender, grade
from .models import Scenario

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
