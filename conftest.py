"""Test-wide set-up: learner progress goes to a throwaway folder, never into the course folder."""

import os
import tempfile

# Set at import time so notebook kernels started by nbval inherit it too.
os.environ.setdefault("OUTREACH_COACH_PROGRESS", tempfile.mkdtemp(prefix="oc-progress-"))
os.environ.setdefault("MPLBACKEND", "Agg")
