"""python -m outreach_coach: the command line."""

from .cli import main

raise SystemExit(main())
