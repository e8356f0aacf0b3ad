"""Pure figure builders: DataFrames in, plotly figures out (no Streamlit, unit-testable).

The map is a plotly geo choropleth drawn from our own GeoJSON (Natural Earth 1:10m, German
point-of-view borders) with an empty topology as ``topojsonURL``, so plotly.js never fetches
its CDN topojson: the map renders with no internet access (stack.md §5).
"""

from __future__ import annotations

import html
import json
import urllib.parse
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from steppewatch.query.countries import MAP_COUNTRIES, NOT_DRAWN, country_name

EMPTY_TOPO = ("data:application/json,"
              + urllib.parse.quote('{"type":"Topology","objects":{},"arcs":[]}') + "#")
PLOTLY_CONFIG: dict[str, Any] = {"topojsonURL": EMPTY_TOPO, "displaylogo": False,
                                 "modeBarButtonsToRemove": ["lasso2d"]}
MAP_SOURCE_NOTE = "Borders: Natural Earth 1:10m (German point of view), simplified."

METRIC_LABELS: dict[str, str] = {"mentions": "Articles mentioning",
                                 "focus": "Articles focused on",
                                 "events": "Event locations",
                                 "visits": "Visits hosted (occurred)"}
STATUS_COLORS: dict[str, str] = {"occurred": "#1f77b4", "planned": "#ff7f0e",
                                 "postponed": "#9467bd", "cancelled": "#d62728",
                                 "historical": "#7f7f7f"}
TYPE_SYMBOLS: dict[str, str] = {"visit": "circle", "meeting": "diamond"}
SELECTED_OUTLINE = "#d62728"


@lru_cache(maxsize=4)
def _load_geojson(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def load_geojson(path: Path | str) -> dict[str, Any]:
    """The regional GeoJSON (read once per process, a fresh dict each call)."""
    return json.loads(_load_geojson(str(path)))


def map_frame(counts: pd.DataFrame) -> pd.DataFrame:
    """One row per map country (zero when absent from ``counts``), columns iso3, name, n."""
    n_by_code = dict(zip(counts["iso3"], counts["n"], strict=False)) if len(counts) else {}
    return pd.DataFrame({"iso3": list(MAP_COUNTRIES),
                         "name": [country_name(c) for c in MAP_COUNTRIES],
                         "n": [int(n_by_code.get(c, 0)) for c in MAP_COUNTRIES]})


def build_choropleth(counts: pd.DataFrame, geojson: dict[str, Any], metric: str = "mentions",
                     selected: tuple[str, ...] = ()) -> go.Figure:
    """Choropleth of the 11 map countries (zeros included); selected countries outlined."""
    df = map_frame(counts)
    label = METRIC_LABELS.get(metric, metric)
    fig = px.choropleth(df, geojson=geojson, locations="iso3", featureidkey="properties.iso3",
                        color="n", custom_data=["iso3"], hover_name="name",
                        hover_data={"iso3": False, "n": True},
                        labels={"n": label}, color_continuous_scale="Blues",
                        range_color=(0, max(1, int(df["n"].max()))))
    fig.update_traces(marker_line_color="#555555", marker_line_width=0.6,
                      hovertemplate="<b>%{hovertext}</b><br>" + label + ": %{z}<extra></extra>")
    chosen = [c for c in selected if c in MAP_COUNTRIES]
    if chosen:
        fig.add_trace(go.Choropleth(
            geojson=geojson, featureidkey="properties.iso3", locations=chosen,
            z=[1] * len(chosen), colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
            showscale=False, marker_line_color=SELECTED_OUTLINE, marker_line_width=3,
            hoverinfo="skip", customdata=[[c] for c in chosen], name="selected"))
    fig.update_geos(visible=False, showframe=False, projection_type="mercator",
                    lonaxis_range=[40, 100], lataxis_range=[24, 58])
    fig.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 0}, height=440,
                      coloraxis_colorbar={"title": {"text": label}}, dragmode=False)
    return fig


def outside_frame(counts: pd.DataFrame, limit: int = 15) -> pd.DataFrame:
    """Countries not drawn on the map (historical entities included), largest first."""
    if counts.empty:
        return counts.head(0)
    mask = ~counts["iso3"].isin(MAP_COUNTRIES)
    return counts[mask].sort_values(["n", "iso3"], ascending=[False, True]).head(limit)


def build_outside_bar(counts: pd.DataFrame, limit: int = 15) -> go.Figure:
    """Ranked horizontal bar of the countries outside the map."""
    df = outside_frame(counts, limit).copy()
    df["label"] = [n + (" (hist.)" if c in NOT_DRAWN else "")
                   for n, c in zip(df["name"], df["iso3"], strict=False)] if len(df) else []
    fig = px.bar(df.iloc[::-1], x="n", y="label", orientation="h", custom_data=["iso3"],
                 hover_data={"iso3": True}, labels={"n": "count", "label": ""})
    fig.update_yaxes(automargin=True)
    fig.update_layout(margin={"l": 0, "r": 10, "t": 10, "b": 0},
                      height=max(160, 28 * len(df) + 60))
    return fig


def _hover_text(value: object, limit: int = 240) -> str:
    """Escape text from articles before plotly renders it as (a subset of) HTML."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    text = str(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return html.escape(text, quote=True)


def build_timeline(events: pd.DataFrame) -> go.Figure:
    """Visits and meetings over time by host country; colour = status, symbol = type.

    Each point carries ``custom_data = [article_id, event_id]`` for the drill-down.
    """
    df = events.copy()
    if df.empty:
        df = pd.DataFrame({c: pd.Series(dtype="object") for c in
                           ("date", "host_name", "status", "type", "article_id", "event_id",
                            "actor", "place", "evidence", "source")})
    df["host_label"] = [country_name(c) if isinstance(c, str) and c else "unknown host"
                        for c in df.get("host_country", pd.Series([None] * len(df)))]
    df["date_value"] = pd.to_datetime(df["date"], errors="coerce")
    for column in ("actor", "place", "evidence", "source"):
        df[column + "_hover"] = [_hover_text(v) for v in df[column]]
    fig = px.scatter(df, x="date_value", y="host_label", color="status", symbol="type",
                     color_discrete_map=STATUS_COLORS, symbol_map=TYPE_SYMBOLS,
                     custom_data=["article_id", "event_id", "actor_hover", "place_hover",
                                  "evidence_hover", "source_hover"],
                     labels={"date_value": "date", "host_label": "host country"})
    fig.update_traces(marker={"size": 13, "line": {"width": 1, "color": "#333333"}},
                      hovertemplate=("<b>%{customdata[2]}</b> in %{customdata[3]}<br>"
                                     "%{x|%Y-%m-%d} · %{y}<br><i>%{customdata[4]}</i><br>"
                                     "source: %{customdata[5]}<extra></extra>"))
    fig.update_layout(margin={"l": 0, "r": 10, "t": 10, "b": 0}, height=340,
                      legend={"orientation": "h", "y": -0.2}, clickmode="event+select")
    dates = df["date_value"].dropna()
    if len(dates):
        pad = max(pd.Timedelta(days=3), (dates.max() - dates.min()) * 0.05)
        fig.update_xaxes(range=[dates.min() - pad, dates.max() + pad])
    fig.update_xaxes(type="date", tickformat="%Y-%m-%d")
    return fig
