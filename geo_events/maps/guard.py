"""A last check that no event text reaches folium's second template render.

folium turns the output of every element's template into a new template that the figure
evaluates when it renders its header, body and script; text that still holds a Jinja2
delimiter there would run as code in this process. The escaping helpers in ``popups.py``
make event text inert; this guard checks the result.
"""

from __future__ import annotations

from branca.element import Element, Figure

from geo_events.errors import MapError
from geo_events.maps.popups import template_delimiter

__all__ = ["TemplateGuard"]


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
