"""``python -m geo_events.cli``: the ``geo-events`` command."""

from geo_events.cli import main

if __name__ == "__main__":
    main()
