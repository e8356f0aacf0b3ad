"""Chart clicks -> filter changes: map click sets the country filter, timeline click opens
the article drill-down. Selections arrive in ``st.session_state[<chart key>]`` (read with
dict access); each one is applied once, so a stale selection never overrides later edits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from components.sidebar import current_filters, set_filters
from steppewatch.query.countries import is_known_country

ARTICLE_PAGE = "views/article.py"


def _points(chart_key: str) -> list[dict[str, Any]]:
    event = st.session_state.get(chart_key)
    if not event:
        return []
    try:
        return list(event["selection"]["points"])
    except (KeyError, TypeError):
        return []


def _first_custom(point: dict[str, Any]) -> str | None:
    custom = point.get("customdata")
    if isinstance(custom, list | tuple) and custom:
        return str(custom[0])
    if isinstance(custom, str):
        return custom
    return None


def _new_selection(chart_key: str, values: tuple[str, ...]) -> bool:
    """True when ``values`` is a selection not applied yet (remembers it)."""
    applied_key = f"{chart_key}__applied"
    last = st.session_state.get(applied_key, ())
    st.session_state[applied_key] = values
    return bool(values) and values != last


def click_chart_key(base: str) -> str:
    """The widget key of a chart whose clicks toggle countries (``base`` plus a generation). Each applied
    click moves the chart to a new key, so the selection a widget still holds from the last click is never
    taken for a new one, and a click on a country already chosen is a click of its own (it removes it)."""
    return f"{base}_{st.session_state.get(f'{base}__generation', 0)}"


def toggled(countries: tuple[str, ...], clicked: tuple[str, ...]) -> tuple[str, ...]:
    """The country filter after a click on ``clicked``: each clicked country is added, or removed when it
    was already chosen (click Kazakhstan: Kazakhstan; then Uzbekistan: both; Kazakhstan again: Uzbekistan)."""
    return tuple(sorted(set(countries) ^ set(clicked)))


def apply_map_selection(base: str, filter_key: str = "flt") -> None:
    """A click on a map country (or its name, or its bar) toggles it in the app-wide country filter (and
    the URL); the chart then moves to a fresh key (``click_chart_key``)."""
    codes: list[str] = []
    for point in _points(click_chart_key(base)):
        code = _first_custom(point) or point.get("location")
        if isinstance(code, str) and is_known_country(code) and code not in codes:
            codes.append(code)
    if not codes:
        return
    st.session_state[f"{base}__generation"] = st.session_state.get(f"{base}__generation", 0) + 1
    f = current_filters(filter_key)
    set_filters(replace(f, countries=toggled(f.countries, tuple(codes)), article=None), filter_key)


def apply_bar_selection(chart_key: str, filter_key: str = "flt") -> None:
    """A click on the outside-the-map bar chart sets the country filter too."""
    apply_map_selection(chart_key, filter_key)


def apply_timeline_period(chart_key: str, filter_key: str = "flt") -> None:
    """A click on a bubble of the summarised timeline narrows the view to its visitor's country and period
    (its custom data: iso3, first month, count and, for a quarter or a year, last month), where the
    timeline shows the events one by one."""
    points = _points(chart_key)
    custom = points[0].get("customdata") if points else None
    if not isinstance(custom, list | tuple) or len(custom) < 2:
        return
    code, month = str(custom[0] or ""), str(custom[1] or "")
    last_month = str(custom[3] or month) if len(custom) >= 4 else month
    try:
        first = dt.date.fromisoformat(month + "-01")
        last_first = dt.date.fromisoformat(last_month + "-01")
    except ValueError:
        return
    if last_first < first or not _new_selection(chart_key, (code, month, last_month)):
        return
    last = (last_first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    f = current_filters(filter_key)
    countries = (code,) if code and is_known_country(code) else f.countries
    set_filters(replace(f, countries=countries, date_from=first, date_to=last, article=None), filter_key)


def open_selected_article(chart_key: str, filter_key: str = "flt") -> None:
    """A click on a timeline point opens that article's drill-down page with the clicked event marked
    (the point's ``customdata``: article id, then event id)."""
    points = _points(chart_key)
    ids = tuple(i for i in (_first_custom(p) for p in points) if i)
    if _new_selection(chart_key, ids):
        custom = points[0].get("customdata") if points else None
        event = str(custom[1]) if isinstance(custom, list | tuple) and len(custom) > 1 and custom[1] else None
        open_article(ids[0], filter_key, event=event)


def open_article(article_id: str, filter_key: str = "flt", event: str | None = None) -> None:
    """Set the ``article`` filter (and the clicked ``event``) and switch to the drill-down page."""
    f = current_filters(filter_key)
    set_filters(replace(f, article=article_id, event=event), filter_key)
    st.switch_page(ARTICLE_PAGE)


def selected_table_rows(table_key: str) -> list[int]:
    """Row positions selected in an ``st.dataframe`` with ``on_select``."""
    event = st.session_state.get(table_key)
    if not event:
        return []
    try:
        return [int(r) for r in event["selection"]["rows"]]
    except (KeyError, TypeError, ValueError):
        return []


def open_selected_row(table_key: str, rows: pd.DataFrame, id_column: str = "id",
                      filter_key: str = "flt") -> None:
    """A row picked in an article table opens that article's drill-down page."""
    picked = selected_table_rows(table_key)
    ids = tuple(str(rows.iloc[i][id_column]) for i in picked if 0 <= i < len(rows))
    if _new_selection(table_key, ids):
        open_article(ids[0], filter_key)


def selected_pair(chart_key: str) -> tuple[str, str] | None:
    """The (visitor, host) country codes of the who-meets-whom cell selected on ``chart_key`` (its
    ``customdata`` starts with them), or None when none is (or the codes are not known countries)."""
    points = _points(chart_key)
    custom = points[0].get("customdata") if points else None
    if not isinstance(custom, list | tuple) or len(custom) < 2:
        return None
    visitor, host = str(custom[0] or "").upper(), str(custom[1] or "").upper()
    return (visitor, host) if is_known_country(visitor) and is_known_country(host) else None
