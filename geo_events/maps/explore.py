"""``GeoDataFrame.explore`` for events frames: any column, whatever its dtype or gaps.

geopandas' :meth:`~geopandas.GeoDataFrame.explore` colours a map by a column, but
(geopandas 1.2, branca 0.8, mapclassify 2.10, NumPy 2) it fails on columns that
events frames have all the time:

- ``Int8`` columns (``geo_precision``, ``time_precision``): the colour bar's bounds are
  the column's ``min()``/``max()``, NumPy ``int8`` scalars; branca computes
  ``(vmax - vmin) * i`` for ``i`` up to 255, which raises ``OverflowError`` (NumPy 2
  no longer promotes). ``Int16`` (``iso``) overflows the same way once the codes
  span more than 128 (Syria 760 and Iraq 368): hundreds of ``RuntimeWarning`` s
  and a wrong colour bar.
- Columns with no value at all (``confidence``, ``claim_status``, the actor columns
  of a table that has none, ``event_date`` of undated events), of any dtype:
  nullable numbers give ``pd.NA`` bounds (``TypeError: boolean value of NA is
  ambiguous``), text and categories give zero classes (``AxisError``; a
  ``ValueError`` when categories are declared).
- ``scheme=`` on a column with fewer distinct values than ``k``, or with ties that
  merge quantile breaks (most events have 0 fatalities): mapclassify warns (``Not
  enough unique values``, ``Mean of empty slice`` from jenkscaspall) or, for a
  constant column with ``equalinterval`` or ``maximumbreaks``, raises.

:func:`explore_events` (also ``geo_events.explore``) takes the same arguments as
``GeoDataFrame.explore`` and hands geopandas a copy of the column it can draw, so
the frame and its dtypes stay as they are:

- numbers (nullable or not) become ``float64`` with NaN for NA;
- categories become text, keeping their order as the legend's (so ``categories=``
  can be given for them too);
- a column with no value is drawn as one class, *no data*;
- missing values are drawn in grey and listed as *no data* in the legend
  (``missing_kwds`` overrides the colour and the label);
- with ``scheme=``, ``k`` is lowered to the number of classes the values allow
  (distinct values, tied quantiles), and a column with a single value is drawn as
  one class;
- only the placed events (rows with a point) are classified, so the legend shows
  what the map shows; with no placed event the map has no layer.

Tooltips and popups show the frame's own values (``1``, not ``1.0``).
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import folium
    import geopandas as gpd
    import pandas as pd

__all__ = ["MISSING_COLOR", "MISSING_LABEL", "explore", "explore_events"]

#: Fill of the events whose value is missing.
MISSING_COLOR = "#c0c0c0"
#: Legend label of the events whose value is missing.
MISSING_LABEL = "no data"

# geopandas hides a column of this name from tooltips and popups (its own name for
# values passed as a list); the copy of the column to draw goes there.
_PLOT_COLUMN = "__plottable_column"
_DEFAULT_K = 5  # GeoDataFrame.explore's default k
# What mapclassify says when it cannot form k classes from the values it has.
_TOO_FEW_VALUES = (
    r"Not enough unique values in array",  # k above the distinct values, or tied quantiles
    r"Insufficient number of unique diffs",  # maximumbreaks: the breaks would be random
    r"Mean of empty slice",  # jenkscaspall: a class left empty (from tied quantiles)
)
# Schemes that take no k.
_NO_K = frozenset({"boxplot", "headtailbreaks", "percentiles", "stdmean", "userdefined"})
_NOTHING_PLACED = "The GeoSeries you are attempting to plot is composed of empty geometries"


def _is_number(values: pd.Series) -> bool:
    import pandas as pd

    dtype = values.dtype
    return (
        pd.api.types.is_numeric_dtype(dtype)
        and not pd.api.types.is_bool_dtype(dtype)
        and not pd.api.types.is_complex_dtype(dtype)
    )


def _column_values(events: gpd.GeoDataFrame, column: Any) -> tuple[pd.Series, str]:
    """The values to colour by, on the frame's index, and the legend's default caption."""
    import pandas as pd

    if pd.api.types.is_list_like(column):
        if len(column) != len(events):
            raise ValueError(
                f"column has {len(column)} values but the events frame has {len(events)} rows"
            )
        values = column if isinstance(column, pd.Series) else pd.Series(column)
        return pd.Series(values.array, index=events.index), ""
    if column not in events.columns:
        raise KeyError(
            f"no column {column!r} in the events frame; columns: {', '.join(map(str, events.columns))}"
        )
    values = events[column]
    if isinstance(values, pd.DataFrame):
        raise ValueError(f"the events frame has several columns named {column!r}")
    return values, str(column)


def _classes_formed(y: Any, scheme: str, classification: dict[str, Any], k: int) -> int:
    """The largest k up to ``k`` that ``scheme`` turns into k classes of ``y`` without a warning.

    Ties (most events have 0 fatalities) merge quantile breaks even when k is below
    the number of distinct values; mapclassify then warns and forms fewer classes, or
    (jenkscaspall) leaves one empty. Asking for the classes the values allow avoids both.
    """
    import mapclassify

    if str(scheme).lower().replace("_", "") in _NO_K:
        return k
    for tried in range(k, 1, -1):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # others (numba's) come from the real run
            for message in _TOO_FEW_VALUES:
                warnings.filterwarnings("error", message=message)
            try:
                mapclassify.classify(y, scheme, **{**classification, "k": tried})
            except Warning:
                continue
            except Exception:
                return tried  # a bad option: the real run reports it
        return tried
    return 1


def explore_events(
    events: gpd.GeoDataFrame,
    column: Any = None,
    *,
    missing_kwds: dict[str, Any] | None = None,
    legend_kwds: dict[str, Any] | None = None,
    **kwargs: Any,
) -> folium.Map:
    """Draw events on an interactive map with ``GeoDataFrame.explore``, coloured by any column.

    Works on every column of the events schema, with missing values or none at
    all, without changing the frame (see the module's documentation for what
    plain ``events.explore(column=...)`` cannot draw, and why).

    Parameters
    ----------
    events
        An events GeoDataFrame (from :func:`~geo_events.to_events_frame`,
        :func:`~geo_events.events_from_table`, :func:`~geo_events.events_from_articles`,
        :func:`~geo_events.read_events`...);
        any GeoDataFrame works.
    column
        Column to colour by (its name, or values, one per row), or ``None`` for one
        colour.
    missing_kwds
        How events without a value are drawn: ``color`` (default ``MISSING_COLOR``,
        grey) and legend ``label`` (default ``MISSING_LABEL``, "no data"), as in
        ``GeoDataFrame.explore``.
    legend_kwds
        As in ``GeoDataFrame.explore``; the ``caption`` defaults to the column's name.
    **kwargs
        Anything else ``GeoDataFrame.explore`` takes: ``cmap``, ``scheme``, ``k``,
        ``categorical``, ``categories``, ``tooltip``, ``popup``, ``m``, ``tiles``,
        ``marker_kwds``, ``style_kwds``...

    Returns
    -------
    folium.Map
        The map (``m`` when given), ready for ``save`` or display in a notebook.

    Raises
    ------
    TypeError
        When ``events`` is not a GeoDataFrame.
    KeyError
        When ``column`` is not a column of ``events``.

    Examples
    --------
    >>> import pandas as pd
    >>> from geo_events import to_events_frame
    >>> events = to_events_frame(
    ...     pd.DataFrame({"latitude": [35.3, 36.2], "longitude": [40.1, 37.2], "geo_precision": [1, 2]})
    ... )
    >>> m = explore_events(events, column="geo_precision")  # Int8: plain explore overflows
    >>> m = explore_events(events, column="claim_status")  # no value at all: one "no data" class
    >>> type(m).__name__
    'Map'
    """
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    if not isinstance(events, gpd.GeoDataFrame):
        raise TypeError(
            f"explore_events needs a GeoDataFrame (got {type(events).__name__}); "
            "build one with geo_events.to_events_frame()"
        )
    missing = {"color": MISSING_COLOR, "label": MISSING_LABEL, **(missing_kwds or {})}
    legend = dict(legend_kwds or {})
    geoms = events.geometry
    placed = (geoms.notna() & ~geoms.is_empty).to_numpy(dtype=bool)
    frame = events[placed]

    if column is not None:
        values, caption = _column_values(events, column)
        values = values[placed]
        legend.setdefault("caption", caption)
        categorical = bool(kwargs.get("categorical")) or kwargs.get("categories") is not None
        numbers = None
        if _is_number(values) and not categorical:
            numbers = values.to_numpy(dtype="float64", na_value=np.nan)
            present = ~np.isnan(numbers)  # NaN in a Float64 column too
        else:
            present = values.notna().to_numpy(dtype=bool)
        plot: Any
        if not present.any():
            # No value to classify: geopandas finds no class (or NA bounds); one class.
            for key in ("categories", "scheme", "k", "classification_kwds", "vmin", "vmax"):
                kwargs.pop(key, None)
            plot = pd.Series(missing["label"], index=values.index, dtype="string")
            kwargs["categorical"] = True
            kwargs["cmap"] = [missing["color"]]
        elif numbers is not None:
            # float64 bounds: branca's colour bar arithmetic overflows on int8/int16 scalars.
            plot = pd.Series(numbers, index=values.index)
            if kwargs.get("scheme") is not None:
                distinct = np.unique(numbers[present]).size
                classification = dict(kwargs.pop("classification_kwds", None) or {})
                k = classification.pop("k", kwargs.pop("k", _DEFAULT_K))
                if distinct == 1:
                    # mapclassify cannot split one value (warns, or raises for some schemes).
                    kwargs.pop("scheme")
                    plot = values
                    kwargs["categorical"] = True
                else:
                    k = _classes_formed(
                        numbers[present], kwargs["scheme"], classification, min(k, distinct)
                    )
                    kwargs["classification_kwds"] = {**classification, "k": k}
        elif isinstance(values.dtype, pd.CategoricalDtype):
            # As text, so categories= is allowed; the dtype's order is the legend's.
            if kwargs.get("categories") is None:
                used = values.cat.remove_unused_categories().cat.categories
                kwargs["categories"] = [str(c) for c in used]
            plot = values.astype(object).astype("string")
        else:
            plot = values
        frame = frame.assign(**{_PLOT_COLUMN: plot.array})  # by position: labels may repeat
        column = _PLOT_COLUMN

    with warnings.catch_warnings():
        if not placed.any():
            # An empty map is the answer for events none of which could be placed.
            warnings.filterwarnings("ignore", message=_NOTHING_PLACED, category=UserWarning)
        m: folium.Map = frame.explore(
            column=column, missing_kwds=missing, legend_kwds=legend, **kwargs
        )
        return m


#: ``geo_events.explore``: the same function.
explore = explore_events
