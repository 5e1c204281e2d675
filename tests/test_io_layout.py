"""The table reader's layout: each module one step, and no module reaching into another's privates."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import geo_events

PACKAGE = Path(geo_events.__file__).parent


def _private_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("geo_events")
        ):
            for alias in node.names:
                if alias.name.startswith("_"):
                    found.append(
                        f"{path.relative_to(PACKAGE)}: from {node.module} import {alias.name}"
                    )
    return found


READER = ["io/tables.py", "io/read_options.py", "io/events_files.py", "io/writers.py",
          *sorted(str(p.relative_to(PACKAGE)) for p in (PACKAGE / "io").glob("table_*.py")),
          *sorted(str(p.relative_to(PACKAGE)) for p in (PACKAGE / "events").glob("*.py"))]  # fmt: skip


@pytest.mark.parametrize("module", READER)
def test_no_reader_module_imports_another_modules_private_names(module):
    assert _private_imports(PACKAGE / module) == []


def test_the_reader_modules_are_the_steps_the_pipeline_documents():
    from geo_events.io import table_chunk

    documented = table_chunk.__doc__
    for step in ("table_values", "table_checks", "table_formats", "table_coordinates",
                 "table_geocoding", "table_codes"):  # fmt: skip
        assert f":mod:`.{step}`" in documented
        assert (PACKAGE / "io" / f"{step}.py").is_file()
