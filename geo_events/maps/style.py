"""Colours and icons per event type (ACLED taxonomy), with a stable fallback for others.

Colours are the names ``folium.Icon`` accepts (Leaflet.awesome-markers sprites) plus
the matching hex value for circle markers, the heat map and the legend. Icons are
Font Awesome 6 names (folium 0.20 loads Font Awesome 6.2).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

__all__ = ["DENIED_OPACITY", "EventStyle", "event_style"]

#: Opacity of markers of denied events: faded so a reader sees the claim is contested.
DENIED_OPACITY = 0.45


@dataclass(frozen=True)
class EventStyle:
    """How one event type is drawn.

    Attributes
    ----------
    color : str
        A ``folium.Icon`` colour name.
    hex : str
        The same colour as ``#rrggbb``.
    icon : str
        A Font Awesome icon name.
    """

    color: str
    hex: str
    icon: str


_BY_TYPE: dict[str, EventStyle] = {
    "battles": EventStyle("red", "#d63e2a", "crosshairs"),
    "explosions/remote violence": EventStyle("darkred", "#a23336", "bomb"),
    "violence against civilians": EventStyle("purple", "#d252b9", "user-injured"),
    "protests": EventStyle("blue", "#38aadd", "bullhorn"),
    "riots": EventStyle("orange", "#f69730", "fire"),
    "strategic developments": EventStyle("darkgreen", "#728224", "chess-knight"),
}

_BY_SUBTYPE: dict[str, str] = {
    "air/drone strike": "plane",
    "shelling/artillery/missile attack": "burst",
    "remote explosive/landmine/ied": "bomb",
    "suicide bomb": "person-burst",
}

# For types outside the taxonomy: picked by a stable hash of the name, never the ACLED ones.
_FALLBACK: tuple[EventStyle, ...] = (
    EventStyle("cadetblue", "#436978", "circle-exclamation"),
    EventStyle("darkblue", "#0067a3", "circle-exclamation"),
    EventStyle("darkpurple", "#5b396b", "circle-exclamation"),
    EventStyle("green", "#72b026", "circle-exclamation"),
    EventStyle("gray", "#575757", "circle-exclamation"),
    EventStyle("black", "#303030", "circle-exclamation"),
    EventStyle("pink", "#ff91ea", "circle-exclamation"),
    EventStyle("lightblue", "#8adaff", "circle-exclamation"),
)
_UNKNOWN = EventStyle("lightgray", "#a3a3a3", "question")


def event_style(event_type: str | None, sub_event_type: str | None = None) -> EventStyle:
    """The colour and icon of an event.

    Parameters
    ----------
    event_type : str or None
        ACLED event type (matched case-insensitively); others get a stable fallback colour.
    sub_event_type : str or None
        Refines the icon for explosions (air strike, shelling, IED, suicide bomb).

    Returns
    -------
    EventStyle

    Examples
    --------
    >>> event_style("Battles").color
    'red'
    >>> event_style("Explosions/Remote violence", "Air/drone strike").icon
    'plane'
    """
    if not event_type:
        return _UNKNOWN
    key = event_type.strip().casefold()
    base = _BY_TYPE.get(key)
    if base is None:
        base = _FALLBACK[zlib.crc32(key.encode("utf-8")) % len(_FALLBACK)]
    if sub_event_type:
        icon = _BY_SUBTYPE.get(sub_event_type.strip().casefold())
        if icon is not None:
            return EventStyle(base.color, base.hex, icon)
    return base
