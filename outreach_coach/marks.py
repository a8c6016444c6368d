"""Status marks for learners: characters every font has, so no emoji font is needed.

On a machine with only DejaVu and Liberation fonts, emoji (a green tick, a red cross) show as
empty boxes. These marks are in DejaVu Sans (tests/test_marks.py checks every learner-visible
string), and the words beside them always carry the meaning on their own.
"""

from __future__ import annotations

PASS = "✓"
FAIL = "✗"
WARN = "⚠"
INFO = "ℹ"
TODO = "○"

PASSED = f"{PASS} Passed"
NEEDS_WORK = f"{FAIL} Needs work"
READY = f"{PASS} Ready to send"
NOT_READY = f"{FAIL} Not ready to send yet"
