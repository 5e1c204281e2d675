"""Text that goes into a map's page as it is, and the scripts this package ships.

folium evaluates each element's template when the page renders; the payloads and
libraries this package writes are not templates and must never be evaluated as one (a
``{{`` in an event's text would be code, and rendering megabytes through Jinja2 costs
seconds). :class:`RawElement` is how they reach the page.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from branca.element import Element

from geo_events.errors import MapError
from geo_events.maps.popups import template_delimiter

__all__ = ["RawElement", "static_text"]


class RawElement(Element):
    """Text put into the page as it is: never evaluated as a template.

    Only for text this package controls or has made inert (``json_for_script``).
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RawElement"
        self._text = text
        self._template_str = ""  # nothing for folium's second render to evaluate

    def render(self, **kwargs: object) -> str:
        """Return the text unchanged."""
        return self._text


@cache
def static_text(name: str) -> str:
    """A script or stylesheet from ``geo_events/maps/static``, checked to be inert.

    Raises
    ------
    MapError
        When the file holds a Jinja2 delimiter or ``</script>`` (a packaging mistake).
    """
    text = resources.files("geo_events.maps").joinpath("static").joinpath(name).read_text("utf-8")
    if template_delimiter(text) is not None or "</script" in text.lower():
        raise MapError(f"geo_events/maps/static/{name} holds a Jinja2 delimiter or </script>")
    return text
