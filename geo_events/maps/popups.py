r"""What a reader sees about one event (popup, tooltip), and how untrusted text is escaped.

Every string in an events frame may come from an article or a foreign table, so it is
untrusted. It must stay inert for three interpreters: the browser's HTML parser, its
JavaScript parser, and Jinja2 — folium renders every element's template, then wraps the
output in ``branca.element.Element(template=output)``, so the page is rendered by Jinja2 a
*second* time and a ``{{ ... }}`` in event text would run as code in this process (and a
stray ``{%`` would crash the render). Two helpers, and only these two, make text inert:

* In HTML, text goes through :func:`escape_text`: :func:`html.escape` plus entities for
  the backtick, ``$`` and backslash, because folium pastes popup and tooltip HTML into
  JavaScript template literals (`` `...` ``) where those characters are live, and for
  ``{`` and ``}``, so no Jinja2 delimiter can form — not inside the text, and not with a
  neighbouring character of the surrounding markup; and for the carriage return, which
  Jinja2 would turn into ``\n`` (it normalises line endings of a template). The browser
  decodes the entities, so the reader sees the text exactly as written.
* In JavaScript, data goes through :func:`json_for_script`: JSON with ``<``, ``>``, ``&``
  and the JS line separators as ``\uXXXX`` escapes, so ``</script>`` in a string cannot
  end the script element, and every ``{`` that starts a Jinja2 delimiter (``{{``, ``{%``,
  ``{#``) as ``\u007b``. JSON syntax never puts ``{``, ``%`` or ``#`` after a structural
  ``{`` and every string ends with ``"``, so only such a pair inside one string can form a
  delimiter, and replacing a ``{`` inside a string by its escape keeps the JSON valid and
  equal after parsing. (Escaping every brace inside strings needs a tokenizer pass that
  costs ~30 times more on the multi-megabyte table of a large map, for no extra safety.)

Why one helper per language and never a fix per field: every text that reaches a folium
element (popups, tooltips, legend, layer names, the compact JSON table, choropleth labels)
is then safe by construction, and a new field is safe as soon as it uses the helper.
:class:`~geo_events.maps.layers.TemplateGuard` checks the result before folium's second
render evaluates anything, and refuses to render (``MapError``) if a delimiter still got
through (:func:`template_delimiter`).

The fields are computed once in Python (:func:`event_displays`); small maps turn them into
escaped HTML here (:func:`popup_html`), large maps ship them as JSON and build the popup
in the browser with ``textContent`` (see ``layers.py``) — the same fields either way.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = [
    "FIELD_LABELS",
    "JINJA_DELIMITERS",
    "EventDisplay",
    "escape_text",
    "event_displays",
    "json_for_script",
    "popup_html",
    "template_delimiter",
]

#: Popup rows, in order.
FIELD_LABELS: tuple[str, ...] = (
    "Date",
    "Type",
    "Actor 1",
    "Actor 2",
    "Location",
    "Geo precision",
    "Fatalities",
    "Claim",
    "Source",
    "Evidence",
    "Notes",
    "Event ID",
)

_TIME_PRECISION = {1: "day", 2: "within a week", 3: "within a month or more"}
_GEO_PRECISION = {1: "exact place", 2: "near the place", 3: "region/admin area"}

_JS_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}

_HTML_ESCAPES = {
    ord("`"): "&#96;",
    ord("$"): "&#36;",
    ord("\\"): "&#92;",
    ord("{"): "&#123;",
    ord("}"): "&#125;",
    ord("\r"): "&#13;",
}

#: What starts code for Jinja2: the defaults (``jinja2.defaults``) of the environment that
#: branca renders with; line statements and line comments are off there.
JINJA_DELIMITERS: tuple[str, ...] = ("{{", "{%", "{#")
_JINJA_DELIMITER = re.compile(r"\{[{%#]")
# A "{" that starts a delimiter; in JSON text it is always inside a string (see above).
_JSON_JINJA_BRACE = re.compile(r"\{(?=[{%#])")


def escape_text(value: object) -> str:
    r"""Escape text for HTML that folium places in a JS template literal and a Jinja2 template.

    Parameters
    ----------
    value : object
        Converted with ``str``.

    Returns
    -------
    str

    Examples
    --------
    >>> escape_text("<b>`${x}`")
    '&lt;b&gt;&#96;&#36;&#123;x&#125;&#96;'
    >>> escape_text("{{ 7*191 }}")
    '&#123;&#123; 7*191 &#125;&#125;'
    """
    return html.escape(str(value), quote=True).translate(_HTML_ESCAPES)


def json_for_script(value: Any) -> str:
    r"""JSON that is safe inside an HTML ``<script>`` element.

    Examples
    --------
    >>> print(json_for_script("</script>"))
    "\u003c/script\u003e"
    >>> print(json_for_script({"a": "{{ x }} {% y %}"}))
    {"a":"\u007b{ x }} \u007b% y %}"}
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_JINJA_BRACE.sub(r"\\u007b", text.translate(_JS_ESCAPES))


def template_delimiter(text: str) -> str | None:
    """The first Jinja2 delimiter in ``text`` (``{{``, ``{%`` or ``{#``), or ``None``.

    Text that folium renders as a template must have none: the escaping helpers above
    guarantee it for event text; :class:`~geo_events.maps.layers.TemplateGuard` checks it.

    Examples
    --------
    >>> template_delimiter("a {b} }}") is None
    True
    >>> template_delimiter("a {%- raw %}")
    '{%'
    """
    found = _JINJA_DELIMITER.search(text)
    return found.group() if found else None


@dataclass(frozen=True)
class EventDisplay:
    """The text shown for one event.

    Attributes
    ----------
    title : str
        ``"event type — sub-event type"``.
    fields : tuple of (str, str)
        Popup rows (label, value), only those with a value, in :data:`FIELD_LABELS` order.
    tooltip : str
        One line: title, date, place, and "DENIED" for denied events.
    denied : bool
        ``claim_status`` is ``"denied"``.
    """

    title: str
    fields: tuple[tuple[str, str], ...]
    tooltip: str
    denied: bool
    place: str = ""


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"


def _int(value: object) -> int | None:
    try:
        if value is None or pd.isna(value):
            return None
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return int(f) if math.isfinite(f) else None


def _column(frame: pd.DataFrame, name: str) -> list[str]:
    """A column as display strings ('' for missing), converted in one vectorized pass."""
    if name not in frame.columns:
        return [""] * len(frame)
    col = frame[name]
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        num = pd.to_numeric(col, errors="coerce").astype("Float64")
        whole = (num.round() == num).fillna(False)
        out = num.astype("string")
        out[whole] = num[whole].astype("Int64").astype("string")
        return out.fillna("").tolist()
    return col.astype("string").fillna("").str.strip().tolist()


def _dates(frame: pd.DataFrame) -> list[str]:
    if "event_date" not in frame.columns:
        return [""] * len(frame)
    dates = frame["event_date"]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        dates = pd.to_datetime(dates, errors="coerce", format="mixed", utc=False)
    out = dates.dt.strftime("%Y-%m-%d")
    return [s if isinstance(s, str) else "" for s in out.tolist()]


def _actor(name: str, assoc: str) -> str:
    if name and assoc:
        return f"{name} (with {assoc})"
    return name or (f"(with {assoc})" if assoc else "")


def event_displays(
    frame: pd.DataFrame, *, include_notes: bool = True, max_text_length: int = 400
) -> list[EventDisplay]:
    """Compute popup fields and tooltips for every row (missing columns are skipped).

    Parameters
    ----------
    frame : DataFrame
        Events (any subset of the schema's columns).
    include_notes : bool
        Add the ``notes`` row.
    max_text_length : int
        Cut evidence and notes to this many characters.

    Returns
    -------
    list of EventDisplay
        One per row, in order.
    """
    cols = {
        name: _column(frame, name)
        for name in [
            "event_type",
            "sub_event_type",
            "actor1",
            "assoc_actor_1",
            "actor2",
            "assoc_actor_2",
            "location",
            "admin2",
            "admin1",
            "country",
            "geo_precision",
            "time_precision",
            "fatalities",
            "claim_status",
            "reported_by",
            "denied_by",
            "source",
            "evidence",
            "notes",
            "event_id_cnty",
            "confidence",
            "match_type",
            "match_score",
        ]
    }
    dates = _dates(frame)
    out: list[EventDisplay] = []
    for i in range(len(frame)):
        c = {k: v[i] for k, v in cols.items()}
        etype, sub = c["event_type"], c["sub_event_type"]
        title = " — ".join(x for x in (etype or "Unknown event type", sub) if x)
        fields: list[tuple[str, str]] = []
        date = dates[i]
        if date:
            prec = _TIME_PRECISION.get(_int(c["time_precision"] or None) or 0)
            fields.append(("Date", f"{date} ({prec})" if prec else date))
        else:
            fields.append(("Date", "unknown"))
        if etype or sub:
            fields.append(("Type", title))
        a1 = _actor(c["actor1"], c["assoc_actor_1"])
        a2 = _actor(c["actor2"], c["assoc_actor_2"])
        if a1:
            fields.append(("Actor 1", a1))
        if a2:
            fields.append(("Actor 2", a2))
        admin = [x for x in (c["admin2"], c["admin1"], c["country"]) if x and x != c["location"]]
        place = c["location"]
        if place or admin:
            where = f"“{place}”" if place else ""
            fields.append(("Location", " — ".join(x for x in (where, ", ".join(admin)) if x)))
        gp = _int(c["geo_precision"] or None)
        geo_bits = []
        if gp is not None:
            geo_bits.append(f"{gp} ({_GEO_PRECISION.get(gp, 'unknown')})")
        if c["match_type"]:
            score = c["match_score"]
            try:
                score = f", score {float(score):.2f}" if score else ""
            except ValueError:
                score = f", score {score}"
            geo_bits.append(f"matched {c['match_type']}{score}")
        if geo_bits:
            fields.append(("Geo precision", "; ".join(geo_bits)))
        fat = _int(c["fatalities"] or None)
        fields.append(("Fatalities", "unknown" if fat is None else str(fat)))
        status = c["claim_status"].casefold()
        denied = status == "denied"
        claim = []
        if status:
            claim.append(status.upper() if denied else status)
        if c["reported_by"]:
            claim.append(f"reported/claimed by {c['reported_by']}")
        if c["denied_by"]:
            claim.append(f"denied by {c['denied_by']}")
        if claim:
            fields.append(("Claim", "; ".join(claim)))
        if c["source"]:
            fields.append(("Source", c["source"]))
        if c["evidence"]:
            fields.append(("Evidence", f"“{_cut(c['evidence'], max_text_length)}”"))
        if include_notes and c["notes"]:
            fields.append(("Notes", _cut(c["notes"], max_text_length)))
        ident = c["event_id_cnty"]
        if c["confidence"]:
            try:
                ident = f"{ident} (confidence {float(c['confidence']):.2f})".strip()
            except ValueError:
                ident = f"{ident} (confidence {c['confidence']})".strip()
        if ident:
            fields.append(("Event ID", ident))
        short_place = place or (admin[0] if admin else "")
        tip = [title, fields[0][1], short_place]
        if denied:
            tip.append("DENIED")
        out.append(
            EventDisplay(
                title=title,
                fields=tuple(fields),
                tooltip=" · ".join(x for x in tip if x),
                denied=denied,
                place=short_place,
            )
        )
    return out


def popup_html(display: EventDisplay, color: str) -> str:
    """Escaped popup HTML for one event (pass to ``folium.Popup(..., parse_html=False)``).

    Parameters
    ----------
    display : EventDisplay
    color : str
        ``#rrggbb`` of the event type (a trusted constant from :mod:`.style`).

    Returns
    -------
    str
    """
    denied_row = ' class="ge-denied"'
    rows: Sequence[str] = [
        f"<tr{denied_row if label == 'Claim' and display.denied else ''}>"
        f"<th>{escape_text(label)}</th><td>{escape_text(value)}</td></tr>"
        for label, value in display.fields
    ]
    badge = '<div class="ge-badge">DENIED</div>' if display.denied else ""
    return (
        f'<div class="ge-popup"><div class="ge-title" style="border-left-color:{color}">'
        f"{escape_text(display.title)}</div>{badge}<table>{''.join(rows)}</table></div>"
    )
