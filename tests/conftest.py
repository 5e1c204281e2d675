"""Shared fixtures.

The default gazetteer is built once per test session into a temporary
directory, never into the user's cache, so a fresh machine behaves as CI does.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from geo_events.gazetteer import Gazetteer

# Property tests: a bounded profile for CI, a long one to run by hand
# (HYPOTHESIS_PROFILE=long python -m pytest -m fuzz; see tests/README.md).
_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]
settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=_QUIET)
settings.register_profile(
    "long", max_examples=5000, deadline=None, suppress_health_check=_QUIET, print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def gazetteer_dir(tmp_path_factory: pytest.TempPathFactory):
    return tmp_path_factory.mktemp("gazetteer-cache")


@pytest.fixture(scope="session")
def gazetteer(gazetteer_dir) -> Gazetteer:
    """The default gazetteer, built from the packaged sources into a temp dir."""
    return Gazetteer.open(gazetteer_dir, progress=False)


@pytest.fixture(autouse=True)
def _isolated_cache(monkeypatch: pytest.MonkeyPatch, gazetteer_dir) -> None:
    """Point the default cache at the session's temp dir, so nothing touches ~/.cache."""
    import geo_events.gazetteer as gz

    monkeypatch.setenv("GEO_EVENTS_CACHE_DIR", str(gazetteer_dir))
    monkeypatch.delenv("GEO_EVENTS_GAZETTEER", raising=False)  # the default, whatever the shell
    monkeypatch.setattr(gz, "_default", None)
