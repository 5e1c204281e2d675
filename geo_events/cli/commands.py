"""Import every subcommand module so each registers itself on the app."""

from geo_events.cli import events_cmd, gazetteer_cmd  # noqa: F401
