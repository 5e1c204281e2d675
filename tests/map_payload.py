"""Decode an events-layer payload (``geo_events/maps/payload.py``) as the page's script does.

Shared by the map tests: what they assert about the page's data is what the browser reads.
"""

from __future__ import annotations

import base64

import numpy as np

_DTYPES = {"u1": "<u1", "u2": "<u2", "u4": "<u4", "i4": "<i4"}


def decode_array(spec: dict, n: int) -> np.ndarray:
    """A typed array of ``n`` entries, or one value for every event (``{"t": "c"}``)."""
    if spec["t"] == "c":
        return np.full(n, spec["v"])
    out = np.frombuffer(base64.b64decode(spec["b"]), dtype=_DTYPES[spec["t"]])
    assert len(out) == n
    return out


def decode_numbers(spec: dict, n: int) -> list[int | None]:
    """Whole numbers: stored 0 is missing, stored k is ``k - 1 + o``."""
    return [None if s == 0 else int(s) - 1 + spec.get("o", 0) for s in decode_array(spec, n)]


def decode_columns(payload: dict) -> dict[str, list[str]]:
    """Each text column of a payload, one string per event."""
    n = payload["n"]
    return {
        name: [col["values"][k] for k in decode_array(col["codes"], n)]
        for name, col in payload["cols"].items()
    }
