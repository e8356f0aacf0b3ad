"""Bounded caches over the Sources queries (the app edge; steppewatch/ stays Streamlit-free).

The cache key adds a fetch-log fingerprint to the store's data version: a poll that only
records an error adds no article, yet must show up on the next rerun. Health depends on the
clock too ("stale"), so entries also expire after ``ttl`` seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from components import data
from steppewatch.query import sources

_CACHE = {"max_entries": 16, "ttl": 60, "show_spinner": False}


def sources_version() -> str:
    """Fingerprint of the store's articles and of the watcher's tables (uncached)."""
    try:
        with data.read_store() as store:
            con = store.con
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            polls = con.execute("SELECT max(rowid) FROM fetch_log").fetchone()[0] if "fetch_log" in tables else 0
            states = (con.execute("SELECT count(*), max(checked_at) FROM feed_state").fetchone()
                      if "feed_state" in tables else (0, None))
        return f"{data.data_version()}|{polls}|{states[0]}:{states[1]}"
    except Exception:
        return "unavailable"


@st.cache_data(**_CACHE)
def _feed_status(path: str, version: str) -> pd.DataFrame:
    return data.read_with(sources.feed_status)  # type: ignore[return-value]


@st.cache_data(**_CACHE)
def _added_over_time(path: str, version: str, freq: str, since: dt.datetime | None, by: str) -> pd.DataFrame:
    return data.read_with(sources.articles_added_over_time, freq, since, by)  # type: ignore[return-value]


@st.cache_data(**_CACHE)
def _recent_fetches(path: str, version: str, limit: int) -> pd.DataFrame:
    return data.read_with(sources.recent_fetches, limit)  # type: ignore[return-value]


def _safe(empty: pd.DataFrame, fn: Callable[..., pd.DataFrame], *args: object) -> pd.DataFrame:
    """A cached query keyed by ``sources_version`` (see ``components.data.guarded``)."""
    return data.guarded(empty, fn, sources_version(), *args)  # type: ignore[return-value]


def feed_status() -> pd.DataFrame:
    return _safe(pd.DataFrame(columns=sources.FEED_COLUMNS), _feed_status)


def added_over_time(freq: str = "D", since: dt.datetime | None = None, by: str = "published") -> pd.DataFrame:
    return _safe(pd.DataFrame(columns=sources.ADDED_COLUMNS), _added_over_time, freq, since, by)


def recent_fetches(limit: int = 200) -> pd.DataFrame:
    return _safe(pd.DataFrame(columns=sources.FETCH_COLUMNS), _recent_fetches, limit)
