"""The map's frame, and a placeholder map sent before anything is computed on a session's first run.

On a cold start the browser has to load plotly.js (about 4.7 MB) and the region's shapes before it can
draw the first chart; both only start when the first plotly element reaches it. The placeholder (the 11
shapes in grey, no data) is sent first, from this light module (no pandas, no plotly express), so that
the browser loads both while the server imports, reads the store and counts; the real map then
replaces it in the same place. Later reruns of the session skip it: the drawn map stays until replaced.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

import streamlit as st

from steppewatch import settings
from steppewatch.query.countries import MAP_COUNTRIES

EMPTY_TOPO = ("data:application/json,"
              + urllib.parse.quote('{"type":"Topology","objects":{},"arcs":[]}') + "#")
PLOTLY_CONFIG: dict[str, Any] = {"topojsonURL": EMPTY_TOPO, "displaylogo": False,
                                 "modeBarButtonsToRemove": ["lasso2d"]}
MAP_LAYOUT: dict[str, Any] = {
    "geo": {"visible": False, "showframe": False, "projection": {"type": "mercator"},
            "lonaxis": {"range": [40, 125]}, "lataxis": {"range": [18, 56]}},  # all of Mongolia, China to the coast
    "margin": {"l": 0, "r": 0, "t": 10, "b": 0}, "height": 440, "dragmode": False}
PLACEHOLDER_COLOR = "#e5e8ec"
_SHOWN = "_map_placeholder_shown"


def placeholder_map_spec(geojson: str = settings.REGION_GEOJSON_URL) -> dict[str, Any]:
    """A figure spec of the map's shapes in grey, with no data, no hover and no colour bar."""
    return {"data": [{
        "type": "choropleth", "geojson": geojson, "featureidkey": "properties.iso3",
        "locations": list(MAP_COUNTRIES), "z": [0] * len(MAP_COUNTRIES), "showscale": False,
        "colorscale": [[0, PLACEHOLDER_COLOR], [1, PLACEHOLDER_COLOR]], "hoverinfo": "skip",
        "marker": {"line": {"color": "#999999", "width": 0.6}}, "name": ""}],
        "layout": MAP_LAYOUT}


def show_placeholder_map(slot: Any) -> bool:
    """Draw the placeholder in ``slot`` (an ``st.empty()``) on the session's first run; True if drawn."""
    if st.session_state.get(_SHOWN):
        return False
    st.session_state[_SHOWN] = True
    slot.plotly_chart(placeholder_map_spec(), config=PLOTLY_CONFIG)
    return True
