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
:class:`~geo_events.maps.guard.TemplateGuard` checks the result before folium's second
render evaluates anything, and refuses to render (``MapError``) if a delimiter still got
through (:func:`template_delimiter`).

Event text reaches the page only as JSON (the events layer's payload, ``payload.py``) and
is shown in the browser with ``textContent``; ``escape_text`` serves the HTML that folium
elements take as markup (layer names, choropleth labels, tile attributions).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

__all__ = [
    "JINJA_DELIMITERS",
    "escape_text",
    "json_for_script",
    "template_delimiter",
]

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
    guarantee it for event text; :class:`~geo_events.maps.guard.TemplateGuard` checks it.

    Examples
    --------
    >>> template_delimiter("a {b} }}") is None
    True
    >>> template_delimiter("a {%- raw %}")
    '{%'
    """
    found = _JINJA_DELIMITER.search(text)
    return found.group() if found else None
