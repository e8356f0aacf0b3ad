"""Pure figure builders: DataFrames in, plotly figures out (no Streamlit, unit-testable).

The map is a plotly geo choropleth drawn from our own GeoJSON (Natural Earth 1:10m, German
point-of-view borders) with an empty topology as ``topojsonURL``, so plotly.js never fetches
its CDN topojson: the map renders with no internet access (stack.md §5).
"""

from __future__ import annotations

import html
import itertools
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from components.map_placeholder import MAP_LAYOUT
from steppewatch import settings
from steppewatch.query.countries import MAP_COUNTRIES, MAP_LABEL_POINTS, NOT_DRAWN, country_name
from steppewatch.query.periods import by_period, period_unit
from steppewatch.query.queries import STATUS_RANK, mode_words, visitor_label

MAP_SOURCE_NOTE = "Borders: Natural Earth 1:10m (German point of view), simplified."

METRIC_LABELS: dict[str, str] = {"mentions": "Articles mentioning",
                                 "focus": "Articles focused on",
                                 "events": "Event locations",
                                 "visits": "Visits hosted (occurred)"}
STATUS_COLORS: dict[str, str] = {"occurred": "#1f77b4", "planned": "#ff7f0e",
                                 "postponed": "#9467bd", "cancelled": "#d62728",
                                 "historical": "#7f7f7f"}
TYPE_SYMBOLS: dict[str, str] = {"visit": "circle", "meeting": "diamond", "call": "star"}
SELECTED_OUTLINE = "#d62728"
# light (none) to dark (most): plotly's sequential Blues (plotly.js's named "Blues" runs the other way),
# spelt out: importing plotly express for it cost ~0.2 s of the app's cold start
_BLUES_STEPS = ("rgb(247,251,255)", "rgb(222,235,247)", "rgb(198,219,239)", "rgb(158,202,225)", "rgb(107,174,214)",
                "rgb(66,146,198)", "rgb(33,113,181)", "rgb(8,81,156)", "rgb(8,48,107)")
_BLUES: list[list[object]] = [[i / (len(_BLUES_STEPS) - 1), c] for i, c in enumerate(_BLUES_STEPS)]


@lru_cache(maxsize=1)
def _template() -> dict[str, Any]:
    """plotly's default template as a plain dict (figures wrapped without validation need it spelt out);
    built on first use, not at import: it costs ~0.1 s, which the app's start-up need not pay."""
    return go.Figure().layout.template.to_plotly_json()


@lru_cache(maxsize=4)
def _load_geojson(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def load_geojson(path: Path | str) -> dict[str, Any]:
    """The regional GeoJSON (read once per process, a fresh dict each call)."""
    return json.loads(_load_geojson(str(path)))


class SharedFigure(go.Figure):
    """A figure built once and drawn on many reruns and sessions (``shared``). ``st.plotly_chart`` asks a
    figure for ``to_dict()``, which deep-copies every point and base64-encodes its arrays on every rerun (a
    third of the Overview's server time at 100k articles); this one answers with the dict it made once.
    Never modify one: it is shared."""

    _prepared: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return self._prepared


def shared(figure: go.Figure) -> SharedFigure:
    """``figure`` as a ``SharedFigure``: its dict (copied and encoded as plotly sends it) made now, once. Only
    that dict is kept (the figure's own traces are not: one copy in the cache, not two)."""
    out = SharedFigure()
    out._prepared = figure.to_dict()
    return out


def whole_step(top: int, ticks: int) -> int:
    """A round whole step (1, 2, 5, 10, 20, 50 ...) giving at most about ``ticks`` ticks from 0 to ``top``: counts
    are whole, so never a tick at 0.5, and 250 or 500 reads better than 266 or 532."""
    wanted = max(top, 1) / max(ticks, 1)
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= wanted:
                return step * factor
        step *= 10


def map_frame(counts: pd.DataFrame) -> pd.DataFrame:
    """One row per map country (zero when absent from ``counts``), columns iso3, name, n."""
    n_by_code = dict(zip(counts["iso3"], counts["n"], strict=False)) if len(counts) else {}
    return pd.DataFrame({"iso3": list(MAP_COUNTRIES),
                         "name": [country_name(c) for c in MAP_COUNTRIES],
                         "n": [int(n_by_code.get(c, 0)) for c in MAP_COUNTRIES]})


def build_choropleth(counts: pd.DataFrame, geojson: dict[str, Any] | str, metric: str = "mentions",
                     selected: tuple[str, ...] = (), places: pd.DataFrame | None = None) -> go.Figure:
    """Choropleth of the 11 map countries (zeros included); selected countries outlined.

    ``geojson`` is the shapes themselves or, in the app, their URL (``settings.REGION_GEOJSON_URL``):
    then the figure is a few kilobytes and the browser loads the shapes once. The figure is written as
    a plain spec and wrapped without plotly's property validation (20 ms a map; the tests validate
    the same spec instead), and never through plotly express, which deep-copies the shapes. ``places``
    (``place_counts``) are drawn on top as points (``place_points_trace``).
    """
    df = map_frame(counts)
    label = METRIC_LABELS.get(metric, metric)
    top = max(1, int(df["n"].max()))
    traces: list[dict[str, Any]] = [{
        "type": "choropleth", "geojson": geojson, "featureidkey": "properties.iso3",
        "locations": list(df["iso3"]), "z": [int(n) for n in df["n"]], "zmin": 0, "zmax": top,
        "colorscale": _BLUES, "customdata": [[c] for c in df["iso3"]], "hovertext": list(df["name"]),
        "marker": {"line": {"color": "#555555", "width": 0.6}}, "name": "",
        # whole counts; under the map, so that the map keeps its width whatever the metric's name and numbers
        "colorbar": {"title": {"text": label, "side": "top"}, "tick0": 0, "dtick": whole_step(top, 6),
                     "orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.02, "yanchor": "top",
                     "len": 0.6, "thickness": 12},
        "hovertemplate": "<b>%{hovertext}</b><br>" + html.escape(label) + ": %{z}<extra></extra>"}]
    traces.append(country_labels(df))
    chosen = [c for c in selected if c in MAP_COUNTRIES]
    if chosen:
        traces.append({
            "type": "choropleth", "geojson": geojson, "featureidkey": "properties.iso3", "locations": chosen,
            "z": [1] * len(chosen), "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
            "showscale": False, "marker": {"line": {"color": SELECTED_OUTLINE, "width": 3}},
            "hoverinfo": "skip", "customdata": [[c] for c in chosen], "name": "selected"})
    if places is not None and len(places):
        traces.append(place_points_trace(places))
    layout = {**MAP_LAYOUT, "template": _template()}
    return go.Figure({"data": traces, "layout": layout}, _validate=False)


def country_labels(df: pd.DataFrame) -> dict[str, Any]:
    """The map countries' names written on the map, a country with a count with it under its name; a click
    on a name selects its country as a click on its shape does (same ``customdata``)."""
    rows = [(c, name, int(n)) for c, name, n in zip(df["iso3"], df["name"], df["n"], strict=True)
            if c in MAP_LABEL_POINTS]
    top = max([n for _, _, n in rows] + [1])
    return {"type": "scattergeo", "mode": "text", "lon": [MAP_LABEL_POINTS[c][0] for c, _, _ in rows],
            "lat": [MAP_LABEL_POINTS[c][1] for c, _, _ in rows], "customdata": [[c] for c, _, _ in rows],
            "text": [html.escape(name) + (f" ({n:,})" if n else "") for _, name, n in rows],
            # white on the darker half of the colour scale, dark ink on the lighter half
            "textfont": {"size": 11, "color": ["#ffffff" if n > top / 2 else "#1f2933" for _, _, n in rows]},
            "hoverinfo": "skip", "showlegend": False, "name": "names"}


def outside_frame(counts: pd.DataFrame, limit: int = 15) -> pd.DataFrame:
    """Countries not drawn on the map (historical entities included), largest first."""
    if counts.empty:
        return counts.head(0)
    mask = ~counts["iso3"].isin(MAP_COUNTRIES)
    return counts[mask].sort_values(["n", "iso3"], ascending=[False, True]).head(limit)


def build_outside_bar(counts: pd.DataFrame, limit: int = 15) -> go.Figure:
    """Ranked horizontal bar of the countries outside the map (largest on top); click: customdata iso3.

    A plain spec wrapped without validation, as the map (plotly express took ~40 ms a rerun for it)."""
    df = outside_frame(counts, limit).iloc[::-1]
    labels = [str(n) + (" (hist.)" if c in NOT_DRAWN else "")  # names from the country table, not articles
              for n, c in zip(df["name"], df["iso3"], strict=False)]
    trace = {"type": "bar", "orientation": "h", "x": [int(n) for n in df["n"]], "y": labels,
             "customdata": [[c] for c in df["iso3"]], "marker": {"color": "#636efa"}, "name": "",
             "hovertemplate": "<b>%{y}</b> (%{customdata[0]})<br>count: %{x}<extra></extra>"}
    layout = {"margin": {"l": 0, "r": 10, "t": 10, "b": 0}, "height": max(160, 28 * len(df) + 60),
              "xaxis": {"title": {"text": "count"}}, "yaxis": {"automargin": True, "type": "category"},
              "showlegend": False, "template": _template()}
    return go.Figure({"data": [trace], "layout": layout}, _validate=False)


def _hover_text(value: object, limit: int = 240) -> str:
    """Text from articles as plotly's hover (a small HTML subset) shows it: tags and entities made
    inert (< > &), quotes left as they are (no attribute is ever built from it, and plotly shows
    ``&quot;`` literally), cut at a word boundary."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    text = " ".join(str(value).split())
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[:cut if cut > limit * 0.6 else limit].rstrip(" ,;:") + "…"
    return html.escape(text, quote=False)


# Statuses drawn by default: occurred visits count, planned ones are shown as planned (open
# markers, dotted trip segments). Postponed, cancelled and historical need the opt-in.
DEFAULT_TIMELINE_STATUSES: tuple[str, ...] = ("occurred", "planned")
OPEN_SYMBOLS: dict[str, str] = {"visit": "circle-open", "meeting": "diamond-open", "call": "star-open"}
# The timelines' legend, above the rows (under a tall timeline it would sit far below the last row).
TIMELINE_LEGEND: dict[str, Any] = {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"}
TRIP_COLOR = "rgba(31,119,180,0.35)"
TRIP_PLANNED_COLOR = "rgba(255,127,14,0.55)"
_EVENT_COLUMNS: tuple[str, ...] = ("event_id", "article_id", "type", "mode", "date", "actor",
                                   "actor_country", "host_country", "counterpart", "place", "status",
                                   "evidence", "source", "trip_id", "story_id")


def _text(value: object) -> str:
    """A plain string for a cell ('' for None/NaN)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value)


def _with_columns(events: pd.DataFrame) -> pd.DataFrame:
    df = events.copy()
    for column in _EVENT_COLUMNS:
        if column not in df.columns:
            df[column] = pd.Series([None] * len(df), index=df.index, dtype="object")
    return df


def event_kind(kind: object, mode: object) -> str:
    """Legend and hover name of an event type: "call (phone)", "call (video)"; others as stored."""
    kind, mode = _text(kind), _text(mode)
    if kind == "call" and mode in ("phone", "video"):
        return f"call ({mode})"
    return kind


def _mode_hover(kind: object, mode: object) -> str:
    """' · in person' for a meeting whose mode is stated (a call's is in its name; a visit is in person)."""
    if _text(kind) in ("call", "visit") or _text(mode) in ("", "unspecified"):
        return ""
    return " · " + html.escape(mode_words(_text(mode)))


def timeline_statuses(events: pd.DataFrame, include_other: bool = False) -> pd.DataFrame:
    """The events the timeline draws: occurred and planned, or every status."""
    if include_other or events.empty or "status" not in events.columns:
        return events
    return events[events["status"].isin(DEFAULT_TIMELINE_STATUSES)]


def timeline_legs(events: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct visit, meeting or call: reports of the same one are merged.

    Reports are the same event when they share ``event_key`` (``queries.EVENT_KEY``: the one definition the
    headline and the story page count with too); a frame without that column has one event per report.
    The row kept is the most definite report (occurred before planned ...); ``n_articles`` counts the
    articles that reported the event and ``sources`` names their sources.
    """
    df = _with_columns(events)
    if df.empty:
        return df.assign(n_articles=pd.Series(dtype="int64"), sources=pd.Series(dtype="object"))
    df["_key"] = df["event_key"] if "event_key" in df.columns else df["event_id"]
    df["_rank"] = [STATUS_RANK.get(_text(s), len(STATUS_RANK)) for s in df["status"]]
    grouped = df.groupby("_key", sort=False, dropna=False)
    n_articles = grouped["article_id"].nunique()
    sources = grouped["source"].agg(lambda v: ", ".join(sorted({_text(x) for x in v if _text(x)})))
    legs = (df.sort_values(["_rank", "article_id", "event_id"], na_position="last")
            .drop_duplicates("_key"))
    legs = legs.assign(n_articles=legs["_key"].map(n_articles).astype("int64"),
                       sources=legs["_key"].map(sources))
    legs = legs.sort_values(["date", "event_id"], na_position="last")
    return legs.drop(columns=["_key", "_rank"]).reset_index(drop=True)


UNKNOWN_PLACE = "unknown place"


def _known_place(place: object, host_country: object) -> str:
    """A leg's city, else its host country's name, else ""."""
    return _text(place) or (country_name(host_country) if _text(host_country) else "")


def _leg_place(row: pd.Series) -> str:
    return _known_place(row["place"], row["host_country"]) or UNKNOWN_PLACE


def trip_frame(events: pd.DataFrame) -> pd.DataFrame:
    """One row per trip of two legs or more, earliest first.

    Columns: trip_id, visitor, actor_country, legs, start, end, route ("Astana → Tashkent"),
    planned_legs, articles (distinct articles reporting any leg).
    """
    columns = ["trip_id", "visitor", "actor_country", "legs", "start", "end", "route",
               "planned_legs", "articles"]
    legs = timeline_legs(events)
    legs = legs[(legs["type"] == "visit") & legs["trip_id"].map(_text).astype(bool)]
    reports = _with_columns(events)
    rows: list[dict[str, object]] = []
    for trip_id, trip in legs.groupby("trip_id", sort=False):
        if len(trip) < 2:
            continue
        trip = trip.sort_values(["date", "host_country"], na_position="last")
        actor_country = _text(trip["actor_country"].iloc[0])
        visitor = visitor_label(trip["actor"].iloc[0], actor_country)
        article_ids = set(reports.loc[(reports["trip_id"] == trip_id)
                                      & (reports["type"] == "visit"), "article_id"])
        rows.append({"trip_id": str(trip_id), "visitor": visitor,
                     "actor_country": actor_country or None, "legs": len(trip),
                     "start": _text(trip["date"].iloc[0]), "end": _text(trip["date"].iloc[-1]),
                     "route": " → ".join(_leg_place(r) for _, r in trip.iterrows()),
                     "planned_legs": int((trip["status"] == "planned").sum()),
                     "articles": len(article_ids)})
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["start", "visitor", "trip_id"]).reset_index(drop=True)


def timeline_rows(legs: pd.DataFrame) -> list[str]:
    """The timeline's rows, one per visitor (``queries.visitor_label``), busiest first: most events, then
    the latest, then by name. ``legs``: ``timeline_legs`` of the shown events."""
    if legs.empty:
        return []
    rows = pd.DataFrame({"row": [visitor_label(a, c) for a, c in zip(legs["actor"], legs["actor_country"],
                                                                        strict=True)],
                         "date": legs["date"].map(_text)})
    order = rows.groupby("row").agg(n=("date", "size"), last=("date", "max")).reset_index()
    order = order.sort_values("row").sort_values(["n", "last"], ascending=False, kind="stable")
    return order["row"].tolist()


def timeline_row_count(events: pd.DataFrame, include_other_statuses: bool = False) -> int:
    """How many visitors' rows the detailed timeline of ``events`` has (the "N more rows" control)."""
    return len(timeline_rows(timeline_legs(timeline_statuses(events, include_other_statuses))))


def _trip_bar_traces(legs: pd.DataFrame, trips: pd.DataFrame, rows: dict[str, str]) -> list[go.Scatter]:
    """One bar per trip from its first to its last leg; segments to planned legs dotted."""
    segments: dict[bool, tuple[list[object], list[object], list[str]]] = {
        False: ([], [], []), True: ([], [], [])}
    for trip in trips.itertuples():
        hover = (f"<b>{_hover_text(trip.visitor)}</b> — trip: {_hover_text(trip.route, 400)}<br>"
                 f"{trip.start} to {trip.end} · {trip.legs} legs · reported by {trip.articles} "
                 f"article{'s' if trip.articles != 1 else ''}")
        ordered = legs[(legs["trip_id"] == trip.trip_id) & (legs["type"] == "visit")]
        ordered = ordered.sort_values(["date_value", "host_country"])
        points = list(zip(ordered["date_value"], ordered["status"], strict=True))
        for (x0, _), (x1, status) in itertools.pairwise(points):
            xs, ys, texts = segments[status == "planned"]
            xs += [x0, x1, None]
            ys += [rows[trip.trip_id], rows[trip.trip_id], None]
            texts += [hover, hover, ""]
    traces = []
    for planned, (xs, ys, texts) in segments.items():
        if not xs:
            continue
        traces.append(go.Scatter(
            x=xs, y=ys, mode="lines", name="trip (planned leg)" if planned else "trip", orientation="h",
            offsetgroup="visit",
            line={"width": 9, "color": TRIP_PLANNED_COLOR if planned else TRIP_COLOR,
                  "dash": "dot" if planned else "solid"},
            # no hover and no click of its own: a click at a leg must reach the leg's marker, not this line's
            # vertex drawn at the same place (the legs' hovers name the trip instead)
            text=texts, hoverinfo="skip", connectgaps=False))
    return traces


LABELS_MAX = 40  # more city labels than this on one timeline: none at all (every marker's hover names its city)
LABEL_GAP = 1 / 25  # share of the timeline's date span between two labels on one row


def labels_with_room(rows: list[str], dates: list[object], labels: list[str]) -> list[str]:
    """The labels to write on the timeline: on each row, a label only where at most one other label written
    on that row is within ``LABEL_GAP`` of the date span before it (labels alternate above and below the
    markers, so two fit; a third a day later on a year-long axis would overprint) and it is not one of those
    (the same city twice close by), and none when more than ``LABELS_MAX`` would remain."""
    stamps = [pd.Timestamp(d) if d is not None and not pd.isna(d) else None for d in dates]
    known = [t for t in stamps if t is not None]
    if not known:
        return ["" for _ in labels]
    span = max((max(known) - min(known)).total_seconds(), 86_400.0)
    kept = ["" for _ in labels]
    written: dict[str, list[tuple[pd.Timestamp, str]]] = {}
    for i in sorted(range(len(labels)), key=lambda k: (rows[k], stamps[k] or pd.Timestamp.min)):
        stamp = stamps[i]
        if not labels[i] or stamp is None:
            continue
        near = [text for t, text in written.get(rows[i], []) if (stamp - t).total_seconds() < LABEL_GAP * span]
        if len(near) < 2 and labels[i] not in near:  # the same city again close by says nothing new
            kept[i] = labels[i]
            written.setdefault(rows[i], []).append((stamp, labels[i]))
    return kept if sum(bool(k) for k in kept) <= LABELS_MAX else ["" for _ in labels]


def build_timeline(events: pd.DataFrame, include_other_statuses: bool = False,
                   max_rows: int | None = None) -> go.Figure:
    """Visits, meetings and calls over time, one row per visitor (``timeline_rows``: the person, or
    their country when no person is named), the busiest ``max_rows`` rows (default
    ``settings.TIMELINE_ROWS``) from the top; colour = status, symbol = type, planned = open marker.

    Reports of the same event are one marker (``timeline_legs``; hover: "reported by N articles"). A trip
    of two legs or more is a bar on its visitor's row from the first to the last leg; its legs stay
    markers on top of it, each clickable. Markers are labelled with their city where labels have room
    (``labels_with_room``); every hover names it. Phone and video calls take place nowhere: their own
    symbol and legend entry ("call (phone)", "call (video)") and never a place label. Only occurred and
    planned events are drawn unless ``include_other_statuses``.

    Each marker carries ``custom_data = [article_id, event_id, actor, place, evidence, source,
    reported, counterpart, mode, trip]`` (hover texts escaped; mode as " · in person" or "", trip as
    "<br>part of a trip: Astana → Tashkent" or "") for the drill-down; trip bars carry none and take no
    hover or click (a click at a leg reaches its marker).
    """
    shown = timeline_statuses(events, include_other_statuses)
    legs = timeline_legs(shown)
    legs["date_value"] = pd.to_datetime(legs["date"], errors="coerce")
    legs["row"] = [visitor_label(a, c) for a, c in zip(legs["actor"], legs["actor_country"], strict=True)]
    rows = timeline_rows(legs)[:max_rows if max_rows is not None else settings.TIMELINE_ROWS]
    legs = legs[legs["row"].isin(rows)].reset_index(drop=True)
    label_of = {row: _hover_text(row, 60) for row in rows}
    legs["row"] = legs["row"].map(label_of)
    trips = trip_frame(shown)
    trips = trips[trips["visitor"].isin(rows)]
    trip_rows = {str(t): label_of[v] for t, v in zip(trips["trip_id"], trips["visitor"], strict=True)}
    is_call = [_text(kind) == "call" for kind in legs["type"]]
    places = [_known_place(p, h) for p, h in zip(legs["place"], legs["host_country"], strict=True)]
    legs["label"] = labels_with_room(
        list(legs["row"]), list(legs["date_value"]),
        ["" if call or not place else _hover_text(place, 40)
         for place, call in zip(places, is_call, strict=True)])  # "unknown place" only in the hover
    # alternate the city labels above and below the markers of a row, so neighbouring ones stay readable
    order = legs.groupby("row").cumcount()
    legs["label_at"] = ["bottom center" if i % 2 else "top center" for i in order]
    legs["reported"] = [f"reported by {n} article{'s' if n != 1 else ''}" for n in legs["n_articles"]]
    for column in ("actor", "evidence", "sources", "counterpart"):
        legs[column + "_hover"] = [_hover_text(v) for v in legs[column]]
    legs["place_hover"] = [_hover_text(place or UNKNOWN_PLACE) for place in places]  # the host when no city
    legs["mode_hover"] = [_mode_hover(kind, mode) for kind, mode in zip(legs["type"], legs["mode"], strict=True)]
    legs["kind"] = [event_kind(kind, mode) for kind, mode in zip(legs["type"], legs["mode"], strict=True)]
    fig = go.Figure(_trip_bar_traces(legs, trips, trip_rows))
    route = {str(t): f"<br>part of a trip: {_hover_text(r, 400)}" for t, r in zip(trips["trip_id"], trips["route"],
                                                                                  strict=True)}
    legs["trip_hover"] = [route.get(_text(t), "") if _text(kind) == "visit" else ""
                          for t, kind in zip(legs["trip_id"], legs["type"], strict=True)]
    custom = ["article_id", "event_id", "actor_hover", "place_hover", "evidence_hover",
              "sources_hover", "reported", "counterpart_hover", "mode_hover", "trip_hover"]
    statuses = sorted(set(legs["status"].map(_text)), key=lambda s: (STATUS_RANK.get(s, 9), s))
    for status in statuses:
        for kind in sorted(set(legs["kind"])):
            part = legs[(legs["status"].map(_text) == status) & (legs["kind"] == kind)]
            if part.empty:
                continue
            planned = status == "planned"
            color = STATUS_COLORS.get(status, "#333333")
            base = _text(part["type"].iloc[0])
            symbol = (OPEN_SYMBOLS if planned else TYPE_SYMBOLS).get(base, "circle")
            where = ("call with %{customdata[7]}" if base == "call" else
                     "in %{customdata[3]}" + (" with %{customdata[7]}" if base == "meeting" else ""))
            fig.add_trace(go.Scatter(
                x=part["date_value"], y=part["row"], mode="markers+text", name=f"{status}, {kind}",
                # each type on its own line within its visitor's row, so that a visit and the meeting of the
                # same day are two markers a click can tell apart (scattermode "group" on the row axis)
                orientation="h", offsetgroup=base,
                text=part["label"], textposition=list(part["label_at"]), textfont={"size": 11},
                marker={"size": 13, "symbol": symbol, "color": color,
                        "line": {"width": 2.5 if planned else 1, "color": color if planned else "#333333"}},
                customdata=part[custom].to_numpy(dtype=object),
                hovertemplate=(f"<b>%{{customdata[2]}}</b> {where}<br>"
                               f"%{{x|%Y-%m-%d}} · {html.escape(status)} {html.escape(kind)}"
                               "%{customdata[8]}%{customdata[9]}<br>"
                               "<i>%{customdata[4]}</i><br>source: %{customdata[5]} · "
                               "%{customdata[6]}<extra></extra>")))
    fig.update_layout(margin={"l": 0, "r": 10, "t": 10, "b": 0},
                      height=min(1200, max(340, 42 * len(rows) + 140)), scattermode="group", scattergap=0.35,
                      legend=TIMELINE_LEGEND, clickmode="event+select")
    # the busiest row at the top (a category axis runs upwards)
    fig.update_yaxes(categoryorder="array", categoryarray=[label_of[r] for r in reversed(rows)], automargin=True,
                     title_text="")
    dates = legs["date_value"].dropna()
    if len(dates):
        pad = max(pd.Timedelta(days=3), (dates.max() - dates.min()) * 0.05)
        fig.update_xaxes(range=[dates.min() - pad, dates.max() + pad])
    fig.update_xaxes(type="date", tickformat="%Y-%m-%d", title_text="date")
    return fig


def _shown_summary(summary: pd.DataFrame, include_other_statuses: bool) -> pd.DataFrame:
    if not include_other_statuses and len(summary):
        return summary[summary["status"].isin(DEFAULT_TIMELINE_STATUSES)]
    return summary


def summary_periods(summary: pd.DataFrame, include_other_statuses: bool = False,
                    max_periods: int | None = None) -> tuple[pd.DataFrame, str]:
    """The host summary's shown rows (occurred and planned unless ``include_other_statuses``) by period:
    ``periods.by_period`` with ``settings.TIMELINE_SUMMARY_MAX_PERIODS`` unless ``max_periods``."""
    return by_period(_shown_summary(summary, include_other_statuses),
                     max_periods or settings.TIMELINE_SUMMARY_MAX_PERIODS)


def summary_unit(summary: pd.DataFrame, include_other_statuses: bool = False) -> str:
    """The period ("month", "quarter" or "year") a summary's months are counted by."""
    if summary.empty:
        return "month"
    return period_unit(_shown_summary(summary, include_other_statuses)["month"],
                       settings.TIMELINE_SUMMARY_MAX_PERIODS)


_VISITOR_KEYS = ("visitor", "visitor_country", "type", "status")


def build_timeline_summary(summary: pd.DataFrame, max_periods: int | None = None) -> go.Figure:
    """The timeline of a large view as counts, one row per visitor like the detailed timeline: one bubble
    per (visitor, period, status, type).

    ``summary`` is ``ReadModel.visitor_summary`` (visitor, visitor_country, person, type, status, month,
    n; its rows already the busiest visitors, of the statuses shown). Columns are months, or quarters or
    years when the view spans more than ``max_periods`` months (``periods.by_period``; default
    ``settings.TIMELINE_SUMMARY_MAX_PERIODS``); bubble area grows with the count; the busiest visitor is
    the top row. Each bubble carries ``custom_data = [visitor country or "", first month, n, last month]``
    so a click can narrow the filters to that visitor's country and period. Written as a plain spec and
    wrapped without validation, like the map (the tests validate it).
    """
    periods, unit = by_period(summary, max_periods or settings.TIMELINE_SUMMARY_MAX_PERIODS, _VISITOR_KEYS)
    totals: dict[str, int] = {}
    groups: dict[tuple[str, str], list[tuple[str, str, str, str, str, int]]] = {}
    for visitor, code, kind, status, label, first, last, n in zip(
            periods["visitor"].tolist(), periods["visitor_country"].tolist(), periods["type"].tolist(),
            periods["status"].tolist(), periods["period"].tolist(), periods["first"].tolist(),
            periods["last"].tolist(), periods["n"].tolist(), strict=True):
        row = _hover_text(visitor, 60)
        totals[row] = totals.get(row, 0) + int(n)
        groups.setdefault((status, kind), []).append(
            (row, code if isinstance(code, str) else "", label, first, last, int(n)))
    biggest = max((part[-1] for parts in groups.values() for part in parts), default=1) or 1
    traces: list[dict[str, Any]] = []
    for status, kind in sorted(groups, key=lambda k: (STATUS_RANK.get(k[0], 9), k[0], k[1])):
        part = groups[(status, kind)]
        planned = status == "planned"
        color = STATUS_COLORS.get(status, "#333333")
        noun = {"visit": "visits", "meeting": "meetings", "call": "calls"}.get(kind, kind)
        traces.append({
            "type": "scatter", "mode": "markers", "name": f"{status}, {noun}",
            "x": [f"{first}-01" for _, _, _, first, _, _ in part], "y": [p[0] for p in part],
            "text": [p[2] for p in part],
            "orientation": "h", "offsetgroup": kind,  # visits and meetings on their own line within the row
            "marker": {"size": [6 + 16 * (p[-1] / biggest) ** 0.5 for p in part],
                       "symbol": (OPEN_SYMBOLS if planned else TYPE_SYMBOLS).get(kind, "circle"),
                       "color": color, "opacity": 0.75,
                       "line": {"width": 2 if planned else 1, "color": color if planned else "#333333"}},
            "customdata": [[code, first, n, last] for _, code, _, first, last, n in part],
            "hovertemplate": (f"<b>%{{customdata[2]}} {html.escape(status)} {html.escape(noun)}</b>"
                              "<br>%{y} · %{text}<br>click to see them<extra></extra>")})
    rows = sorted(totals, key=lambda r: (-totals[r], r))
    layout = {"margin": {"l": 0, "r": 10, "t": 10, "b": 0},
              "height": min(1400, max(340, 44 * len(rows) + 140)), "scattermode": "group", "scattergap": 0.3,
              "legend": TIMELINE_LEGEND, "clickmode": "event+select", "template": _template(),
              "yaxis": {"categoryorder": "array", "categoryarray": rows[::-1], "automargin": True,
                        "title": {"text": ""}},
              "xaxis": {"type": "date", "tickformat": "%Y" if unit == "year" else "%Y-%m",
                        "title": {"text": unit}}}
    return go.Figure({"data": traces, "layout": layout}, _validate=False)


ATTENTION_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd")


def attention_periods(frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Daily counts (``ReadModel.attention``) summed by day, week (from Monday) or month, whichever keeps a
    few hundred points at most: (period, series, n) and the unit ("day", "week" or "month")."""
    if frame.empty:
        return pd.DataFrame({"period": pd.Series([], dtype="datetime64[ns]"), "series": [], "n": []}), "day"
    days = pd.to_datetime(frame["day"], errors="coerce", format="%Y-%m-%d")
    span = (days.max() - days.min()).days
    unit = "day" if span <= 92 else "week" if span <= 3 * 365 else "month"
    period = (days if unit == "day" else days - pd.to_timedelta(days.dt.day_of_week, unit="D") if unit == "week"
              else days.dt.to_period("M").dt.to_timestamp())
    out = (pd.DataFrame({"period": period, "series": frame["series"], "n": frame["n"]})
           .dropna(subset=["period"]).groupby(["series", "period"], as_index=False)["n"].sum())
    return out.sort_values(["series", "period"]).reset_index(drop=True), unit


def build_attention(frame: pd.DataFrame, summary: pd.DataFrame | None = None) -> go.Figure:
    """Articles per day/week/month for the current filters, one line per filtered country (or one for all
    of them), with the occurred visits of each month as markers along the bottom (``summary``: the
    timeline summary, ``ReadModel.timeline_summary``)."""
    periods, unit = attention_periods(frame)
    traces: list[dict[str, Any]] = []
    for k, (series, part) in enumerate(periods.groupby("series", sort=True)):
        name = "all matching articles" if series == "all" else country_name(str(series))
        traces.append({"type": "scatter", "mode": "lines+markers" if len(part) < 60 else "lines",
                       "x": [p.strftime("%Y-%m-%d") for p in part["period"]], "y": [int(n) for n in part["n"]],
                       "name": html.escape(name), "line": {"color": ATTENTION_COLORS[k % len(ATTENTION_COLORS)]},
                       "hovertemplate": f"{html.escape(name)}<br>%{{x}}: %{{y}} articles<extra></extra>"})
    if summary is not None and not summary.empty and {"type", "status", "month", "n"} <= set(summary.columns):
        visits = summary[(summary["type"] == "visit") & (summary["status"] == "occurred")]
        by_month = visits.groupby("month")["n"].sum()
        if len(by_month):
            months = [f"{m}-15" for m in by_month.index]
            traces.append({"type": "scatter", "mode": "markers", "x": months, "y": [0] * len(months),
                           "name": "occurred visits (per month)", "yaxis": "y",
                           "marker": {"symbol": "triangle-up", "color": STATUS_COLORS["occurred"],
                                      "size": [min(22, 8 + 2 * int(n)) for n in by_month],
                                      "line": {"width": 1, "color": "#333333"}},
                           "customdata": [[int(n)] for n in by_month],
                           "hovertemplate": "%{x|%Y-%m}: %{customdata[0]} occurred visits<extra></extra>"})
    top = int(periods["n"].max()) if len(periods) else 1
    layout = {"height": 300, "margin": {"l": 0, "r": 10, "t": 10, "b": 0}, "hovermode": "closest",
              "xaxis": {"type": "date"},
              "yaxis": {"title": {"text": f"articles per {unit}"}, "rangemode": "tozero",
                        "tick0": 0, "dtick": whole_step(top, 5)},  # whole articles, never 0.5
              "legend": {"orientation": "h", "y": -0.25}, "template": _template()}
    if not traces:
        layout["annotations"] = [{"text": "No dated articles in this view", "showarrow": False,
                                  "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper"}]
    return go.Figure({"data": traces, "layout": layout}, _validate=False)


# -- where visits and meetings happen, and who meets whom ------------------------------------------------
PLACE_MARKER_MAX = 30  # px: diameter of the busiest place's point (areas grow with the count)
PLACE_MARKER_MIN = 5
PLACE_COLOR = "rgba(217,95,2,0.75)"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def place_points_trace(places: pd.DataFrame) -> dict[str, Any]:
    """Visit and meeting places (``ReadModel.place_counts``: name, iso3, lat, lon, visits, meetings) as points:
    marker area by visits + meetings, hover "Astana — 12 visits, 5 meetings" (the name escaped). Each point's
    ``customdata`` starts with its country's code, so a click on it filters the app to that country as a click on
    the country's shape does (``interactions.apply_map_selection``)."""
    totals = [int(v) + int(m) for v, m in zip(places["visits"], places["meetings"], strict=True)]
    top = max([*totals, 1])
    hover = [f"<b>{html.escape(str(name))}</b> — {_plural(int(v), 'visit')}, {_plural(int(m), 'meeting')}"
             f"<br>click: filter to {html.escape(country_name(str(code)))}"
             for name, code, v, m in zip(places["name"], places["iso3"], places["visits"], places["meetings"],
                                         strict=True)]
    return {"type": "scattergeo", "mode": "markers", "lon": [float(x) for x in places["lon"]],
            "lat": [float(y) for y in places["lat"]], "customdata": [[str(c)] for c in places["iso3"]],
            "hovertext": hover, "hovertemplate": "%{hovertext}<extra></extra>", "name": "places",
            "showlegend": False,
            "marker": {"size": totals, "sizemode": "area", "sizeref": 2.0 * top / PLACE_MARKER_MAX ** 2,
                       "sizemin": PLACE_MARKER_MIN, "color": PLACE_COLOR,
                       "line": {"color": "#ffffff", "width": 1}}}


PAIR_MATRIX_TOP = 12  # countries shown on each axis of the who-meets-whom matrix


def _ranked(pairs: pd.DataFrame, column: str) -> list[str]:
    """Codes of ``column`` by their total (visits + meetings) across the matrix, largest first, then code."""
    totals: dict[str, int] = {}
    for code, v, m in zip(pairs[column], pairs["visits"], pairs["meetings"], strict=True):
        totals[str(code)] = totals.get(str(code), 0) + int(v) + int(m)
    return sorted(totals, key=lambda c: (-totals[c], c))


def matrix_axes(pairs: pd.DataFrame, top_n: int = PAIR_MATRIX_TOP) -> tuple[list[str], list[str]]:
    """The matrix's visitor codes and host codes: the ``top_n`` of each by total, largest first."""
    return _ranked(pairs, "visitor")[:top_n], _ranked(pairs, "host")[:top_n]


def matrix_left_out(pairs: pd.DataFrame, top_n: int = PAIR_MATRIX_TOP) -> tuple[list[str], list[str]]:
    """Names of the visitors and of the hosts beyond the matrix's ``top_n`` (for its caption), by total."""
    visitors, hosts = _ranked(pairs, "visitor"), _ranked(pairs, "host")
    visitor_names = dict(zip(pairs["visitor"], pairs["visitor_name"], strict=True))
    host_names = dict(zip(pairs["host"], pairs["host_name"], strict=True))
    return [str(visitor_names[c]) for c in visitors[top_n:]], [str(host_names[c]) for c in hosts[top_n:]]


def build_pair_matrix(pairs: pd.DataFrame, top_n: int = PAIR_MATRIX_TOP) -> go.Figure:
    """Who meets whom: guest countries (rows) by host countries (columns), each cell a square whose size and
    colour grow with the pair's visits + meetings (``ReadModel.pair_counts``); rows and columns ordered by their
    totals, the ``top_n`` of each. Cells carry ``customdata = [visitor, host, visits, meetings]``, so a click
    lists that pair's reports; hover names escaped. Drawn as a scatter (a heatmap cell cannot be selected)."""
    visitors, hosts = matrix_axes(pairs, top_n)
    shown = pairs[pairs["visitor"].isin(visitors) & pairs["host"].isin(hosts)]
    totals = [int(v) + int(m) for v, m in zip(shown["visits"], shown["meetings"], strict=True)]
    top = max([*totals, 1])
    names = {**dict(zip(pairs["visitor"], pairs["visitor_name"], strict=True)),
             **dict(zip(pairs["host"], pairs["host_name"], strict=True))}

    def label(code: str) -> str:
        return html.escape(str(names.get(code, code)))

    hover = [f"<b>{label(v)} in {label(h)}</b><br>{_plural(int(a), 'visit')}, {_plural(int(b), 'meeting')}"
             "<br>click: list them" for v, h, a, b in zip(shown["visitor"], shown["host"], shown["visits"],
                                                           shown["meetings"], strict=True)]
    trace = {"type": "scatter", "mode": "markers+text", "x": [label(h) for h in shown["host"]],
             "y": [label(v) for v in shown["visitor"]], "text": [f"{t:,}" for t in totals],
             "textfont": {"size": 10, "color": ["#ffffff" if t > top / 2 else "#1f2933" for t in totals]},
             "customdata": [[str(v), str(h), int(a), int(b)] for v, h, a, b in zip(
                 shown["visitor"], shown["host"], shown["visits"], shown["meetings"], strict=True)],
             "hovertext": hover, "hovertemplate": "%{hovertext}<extra></extra>", "name": "",
             "marker": {"symbol": "square", "size": [14 + 22 * (t / top) ** 0.5 for t in totals],
                        "color": totals, "colorscale": _BLUES, "cmin": 0, "cmax": top,
                        "line": {"color": "#555555", "width": 0.5},
                        "colorbar": {"title": {"text": "visits + meetings"}, "thickness": 12}}}
    layout = {"margin": {"l": 0, "r": 10, "t": 10, "b": 0}, "height": max(260, 38 * len(visitors) + 140),
              "clickmode": "event+select", "showlegend": False, "template": _template(),
              "xaxis": {"type": "category", "categoryorder": "array", "categoryarray": [label(h) for h in hosts],
                        "title": {"text": "host country"}, "side": "top", "automargin": True},
              "yaxis": {"type": "category", "categoryorder": "array",
                        "categoryarray": [label(v) for v in visitors][::-1], "title": {"text": "visitor"},
                        "automargin": True}}
    return go.Figure({"data": [trace], "layout": layout}, _validate=False)
