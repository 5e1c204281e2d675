"""The ``geo-events`` command line (typer).

Every subcommand prints one clear line on error (a traceback only with
``--debug``) and exits with a code scripts can test:

==  ==========================================================
0   success
1   ran, but nothing was found (no place, no event)
2   bad usage or unreadable input (missing file, bad encoding)
3   the work failed (a gazetteer or extraction error)
==  ==========================================================
"""

from __future__ import annotations

from geo_events.cli import commands as _commands  # registers the subcommands
from geo_events.cli.app import app, main

__all__ = ["app", "main"]
del _commands
