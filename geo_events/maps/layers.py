"""The folium elements an events map is made of.

Two ways to draw markers:

* **Small maps** (up to ``MapOptions.fast_threshold`` events): one ``folium.Marker`` per
  event in a ``MarkerCluster`` per event type, with an awesome-markers icon, an escaped
  ``folium.Popup(..., parse_html=False)`` and an escaped ``folium.Tooltip``.
* **Large maps** and the actor/time layers: :class:`EventData` puts every event once
  into the page as one compact JSON table (strings de-duplicated into a string table,
  coordinates rounded to 1e-5°) together with a few JS functions; each
  :class:`CompactEventLayer` filters that table (by type or actor) and builds its markers
  when it is first shown. Popups and tooltips are built on demand with ``textContent``, so
  no event text is ever parsed as HTML. 100 000 events cost a few MB instead of the
  ~1 kB of JS that each folium ``Marker`` with popup and tooltip costs.

Every text from the events reaches these elements through ``escape_text`` or
``json_for_script`` (see ``popups.py``); :class:`TemplateGuard` checks, before folium's
second Jinja2 pass evaluates anything, that no template delimiter got through.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import folium
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.plugins import MarkerCluster, Timeline
from folium.template import Template

from geo_events.errors import MapError
from geo_events.maps.popups import (
    FIELD_LABELS,
    EventDisplay,
    escape_text,
    json_for_script,
    template_delimiter,
)
from geo_events.maps.style import DENIED_OPACITY, EventStyle

__all__ = [
    "CompactEventLayer",
    "EventData",
    "Legend",
    "Registry",
    "StyleSheet",
    "TemplateGuard",
    "TimeLayer",
]

_SAFE_ICON = re.compile(r"^[a-z0-9-]+$")
_SAFE_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")

_CSS = """
.ge-popup { font: 12px/1.35 system-ui, sans-serif; max-width: 340px; }
.ge-popup .ge-title { font-weight: 600; border-left: 5px solid #999; padding-left: 6px;
  margin-bottom: 4px; }
.ge-popup .ge-badge { display: inline-block; background: #444; color: #fff; font-weight: 700;
  padding: 0 6px; border-radius: 3px; margin-bottom: 4px; letter-spacing: .05em; }
.ge-popup table { border-collapse: collapse; }
.ge-popup th { text-align: left; vertical-align: top; padding: 1px 8px 1px 0; color: #555;
  font-weight: 500; white-space: nowrap; }
.ge-popup td { padding: 1px 0; overflow-wrap: anywhere; }
.ge-popup tr.ge-denied td { color: #b00; font-weight: 600; }
.ge-icon span { display: flex; align-items: center; justify-content: center; width: 22px;
  height: 22px; border-radius: 50%; color: #fff; font-size: 11px; border: 2px solid #fff;
  box-shadow: 0 0 2px rgba(0,0,0,.6); box-sizing: border-box; }
.ge-icon.ge-denied span { border: 2px dashed #222; }
.leaflet-marker-icon.ge-denied { opacity: DENIED_OPACITY !important; filter: grayscale(.5); }
.ge-legend { position: fixed; top: 90px; left: 10px; z-index: 1000; background: rgba(255,255,255,.92);
  padding: 6px 8px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.35);
  font: 12px/1.4 system-ui, sans-serif; max-width: 260px; max-height: 60vh; overflow: auto; }
.ge-legend summary { font-weight: 600; cursor: pointer; }
.ge-legend .ge-row { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
.ge-legend .ge-swatch { display: inline-flex; align-items: center; justify-content: center;
  width: 18px; height: 18px; border-radius: 50%; color: #fff; font-size: 10px; flex: none; }
.ge-legend .ge-note { color: #555; margin-top: 4px; }
"""


_CSS = _CSS.replace("DENIED_OPACITY", str(DENIED_OPACITY))


class StyleSheet(MacroElement):
    """The CSS of popups, compact markers and the legend (one ``<style>`` in the head)."""

    _template = Template(
        "{% macro header(this, kwargs) %}<style>" + _CSS + "</style>{% endmacro %}"
    )


def _checked_style(style: EventStyle) -> EventStyle:
    # Styles are our constants, but they end up in HTML/CSS: refuse anything unexpected.
    if not (_SAFE_ICON.match(style.icon) and _SAFE_HEX.match(style.hex)):
        raise ValueError(f"unsafe style {style!r}")
    return style


class EventData(MacroElement):
    """All events once, as a compact JSON table plus the JS that draws them.

    Parameters
    ----------
    locations : sequence of (lat, lon)
    displays : sequence of EventDisplay
    styles : sequence of EventStyle
        Per event.
    type_index : sequence of int
        Per event, the index of its event-type layer.
    actor_index : sequence of (int, int)
        Per event, the actor-layer indices of ``actor1`` and ``actor2`` (-1 for none).
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
  var D = {{ this.payload }};
  var S = D.s;
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function popup(i) {
    var denied = D.f[i] & 1;
    var d = el('div', 'ge-popup');
    var h = el('div', 'ge-title', S[D.ti[i]]);
    h.style.borderLeftColor = D.st[D.k[i]].c;
    d.appendChild(h);
    if (denied) { d.appendChild(el('div', 'ge-badge', 'DENIED')); }
    var tb = el('table');
    for (var j = 0; j < D.labels.length; j++) {
      var v = D.v[j][i];
      if (v < 0) { continue; }
      var tr = el('tr', (denied && D.labels[j] === 'Claim') ? 'ge-denied' : '');
      tr.appendChild(el('th', '', D.labels[j]));
      tr.appendChild(el('td', '', S[v]));
      tb.appendChild(tr);
    }
    d.appendChild(tb);
    return d;
  }
  function tooltip(i) {
    // Same text as EventDisplay.tooltip: title · date · place [· DENIED].
    var parts = [S[D.ti[i]], S[D.v[0][i]], S[D.tp[i]]];
    if (D.f[i] & 1) { parts.push('DENIED'); }
    return el('div', '', parts.filter(function (x) { return x; }).join(' \u00b7 '));
  }
  var icons = D.st.map(function (st, k) {
    var html = '<span style="background:' + st.c + '"><i class="fa fa-' + st.i + '"></i></span>';
    return [L.divIcon({className: 'ge-icon', html: html, iconSize: [22, 22]}),
            L.divIcon({className: 'ge-icon ge-denied', html: html, iconSize: [22, 22]})];
  });
  function marker(i) {
    var denied = D.f[i] & 1;
    var m = L.marker([D.lat[i], D.lon[i]], {
      icon: icons[D.k[i]][denied ? 1 : 0], opacity: denied ? {{ this.denied_opacity }} : 1});
    m.bindPopup(function () { return popup(i); }, {maxWidth: 360});
    m.bindTooltip(function () { return tooltip(i); }, {sticky: true});
    m.geoEventsIndex = i;
    return m;
  }
  function markers(filter) {
    var out = [];
    for (var i = 0; i < D.lat.length; i++) {
      if (filter.type !== undefined && D.t[i] !== filter.type) { continue; }
      if (filter.actor !== undefined && D.a1[i] !== filter.actor && D.a2[i] !== filter.actor) {
        continue;
      }
      out.push(marker(i));
    }
    return out;
  }
  return {data: D, popup: popup, tooltip: tooltip, marker: marker, markers: markers};
})();
{% endmacro %}
"""
    )

    def __init__(
        self,
        locations: Sequence[Sequence[float]],
        displays: Sequence[EventDisplay],
        styles: Sequence[EventStyle],
        type_index: Sequence[int],
        actor_index: Sequence[tuple[int, int]],
    ) -> None:
        super().__init__()
        self._name = "EventData"
        self.denied_opacity = DENIED_OPACITY
        strings: dict[str, int] = {}

        def sid(text: str) -> int:
            idx = strings.get(text)
            if idx is None:
                idx = strings[text] = len(strings)
            return idx

        style_ids: dict[EventStyle, int] = {}
        k = []
        for st in styles:
            if st not in style_ids:
                style_ids[st] = len(style_ids)
            k.append(style_ids[st])
        label_pos = {label: j for j, label in enumerate(FIELD_LABELS)}
        columns = [[-1] * len(displays) for _ in FIELD_LABELS]
        titles, tips, flags = [], [], []
        for i, disp in enumerate(displays):
            titles.append(sid(disp.title))
            tips.append(sid(disp.place))
            flags.append(1 if disp.denied else 0)
            for label, value in disp.fields:
                columns[label_pos[label]][i] = sid(value)
        payload = {
            "s": list(strings),
            "lat": [round(float(p[0]), 5) for p in locations],
            "lon": [round(float(p[1]), 5) for p in locations],
            "k": k,
            "st": [{"c": s.hex, "i": s.icon} for s in map(_checked_style, style_ids)],
            "t": list(type_index),
            "a1": [a[0] for a in actor_index],
            "a2": [a[1] for a in actor_index],
            "f": flags,
            "ti": titles,
            "tp": tips,
            "labels": list(FIELD_LABELS),
            "v": columns,
        }
        self.payload = json_for_script(payload)


class CompactEventLayer(JSCSSMixin, folium.map.Layer):
    """A layer of the events in an :class:`EventData` that pass a filter.

    Markers are created the first time the layer is shown, so hidden actor layers cost
    nothing until a reader switches them on.

    Parameters
    ----------
    data : EventData
    name : str
        Layer name, already HTML-escaped (Leaflet's layer control uses ``innerHTML``).
    filter : dict
        ``{}`` (all), ``{"type": k}`` or ``{"actor": k}``.
    cluster : bool
    show : bool
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = {% if this.cluster %}L.markerClusterGroup(
  {{ this.options|tojavascript }}){% else %}L.featureGroup(){% endif %};
(function (layer) {
  var built = false;
  function build() {
    if (built) { return; }
    built = true;
    var ms = {{ this.data_name }}.markers({{ this.filter|tojson }});
    if (layer.addLayers) { layer.addLayers(ms); }
    else { ms.forEach(function (m) { layer.addLayer(m); }); }
  }
  layer.on('add', build);
})({{ this.get_name() }});
{% endmacro %}
"""
    )
    default_js = MarkerCluster.default_js
    default_css = MarkerCluster.default_css

    def __init__(
        self,
        data: EventData,
        name: str,
        filter: dict[str, int],
        *,
        cluster: bool = True,
        show: bool = True,
    ) -> None:
        super().__init__(name=name, show=show, overlay=True, control=True)
        self._name = "CompactEventLayer"
        self.data_name = data.get_name()
        self.filter = dict(filter)
        self.cluster = cluster
        self.options = {"chunkedLoading": True, "showCoverageOnHover": False}


class TimeLayer(Timeline):
    """folium's ``Timeline`` (leaflet.timeline) drawing events from an :class:`EventData`.

    Each feature carries only its interval and row number; markers, popups and tooltips
    come from the shared table, so no text passes through HTML. Unlike ``Timeline`` it
    is added to the map only when ``show`` is true (folium's template always adds it).
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.timeline({{ this.data|tojson }}, {
  pointToLayer: function (feature) {
    return {{ this.data_name }}.marker(feature.properties.i);
  }
});
{% endmacro %}
"""
    )

    def __init__(self, data: EventData, features: dict, name: str, *, show: bool) -> None:
        super().__init__(features)
        self._name = "TimeLayer"
        self.data_name = data.get_name()
        self.layer_name = name
        self.show = show
        self.overlay = True
        self.control = True


class Legend(MacroElement):
    """The legend: event types with colour, icon and count, the denied style, and notes.

    Every text is escaped here; ``rows`` are ``(name, count, style)``.
    """

    _template = Template(
        """
{% macro html(this, kwargs) %}
<details class="ge-legend" open><summary>{{ this.title }}</summary>
{{ this.body }}
</details>
{% endmacro %}
"""
    )

    def __init__(
        self,
        title: str,
        rows: Sequence[tuple[str, int, EventStyle]],
        notes: Sequence[str],
    ) -> None:
        super().__init__()
        self._name = "Legend"
        self.title = escape_text(title)
        parts = []
        for name, count, style in rows:
            st = _checked_style(style)
            parts.append(
                f'<div class="ge-row"><span class="ge-swatch" style="background:{st.hex}">'
                f'<i class="fa fa-{st.icon}"></i></span><span>{escape_text(name)} '
                f"({count:,})</span></div>"
            )
        parts.append(
            '<div class="ge-row"><span class="ge-swatch" style="background:#888;opacity:'
            f'{DENIED_OPACITY};border:2px dashed #222"></span><span>denied claim (faded)</span></div>'
        )
        parts.extend(f'<div class="ge-note">{escape_text(n)}</div>' for n in notes)
        self.body = "\n".join(parts)


class Registry(MacroElement):
    """Exposes the map and its layers as ``window.geoEventsMaps`` (for scripts and tests)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
window.geoEventsMaps = window.geoEventsMaps || [];
window.geoEventsMaps.push({map: {{ this.map_name }}, data: {{ this.data_name }}, layers: {
{%- for key, var in this.layers %}
  {{ key }}: {{ var }},
{%- endfor %}
}});
{% endmacro %}
"""
    )

    def __init__(self, map_name: str, data_name: str | None, layers: dict[str, str]) -> None:
        super().__init__()
        self._name = "Registry"
        self.map_name = map_name
        self.data_name = data_name or "null"
        self.layers = [(json_for_script(k), v) for k, v in layers.items()]


class TemplateGuard(Element):
    """Refuses to render a page in which text would still be evaluated by Jinja2.

    folium turns the output of every element's template into a new template
    (``Element(template=output)``) that the figure evaluates when it renders its header,
    body and script. Added to the figure *after* the map, this element renders once every
    map element has produced that output and before the figure evaluates any of it; if a
    Jinja2 delimiter is left in one of them, it raises :class:`MapError` instead of letting
    it run. Defence in depth: the escaping helpers already guarantee it for event text, so
    the guard only fires for caller-supplied HTML (a tile attribution, an element added by
    hand) or a bug.

    A delimiter that is malformed as Jinja2 (``{% raw %}`` alone) fails earlier, in folium,
    with ``jinja2.TemplateSyntaxError``: the guard prevents evaluation, not every crash.
    """

    def __init__(self) -> None:
        super().__init__()
        self._name = "TemplateGuard"

    def render(self, **kwargs: object) -> str:
        """Check the templates the figure is about to evaluate; render nothing."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            return ""
        for section in (figure.header, figure.html, figure.script):
            for key, element in section._children.items():
                source = element._template_str
                found = template_delimiter(source) if isinstance(source, str) else None
                if found is not None:
                    raise MapError(
                        f"refusing to render the map: the output of {key} contains the Jinja2 "
                        f"delimiter {found!r}, which folium would evaluate as code; pass text "
                        "through geo_events.maps.popups.escape_text (HTML) or json_for_script (JSON)"
                    )
        return ""
