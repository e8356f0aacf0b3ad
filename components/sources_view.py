"""Sources page builders: the articles-added chart and the display tables (pure, no Streamlit).

Feed names, URLs and error reasons come from outside (feed lists, servers): tables are shown
with st.dataframe (never rendered as markdown), chart labels are HTML-escaped because plotly
renders trace names and hover text as a subset of HTML, and only http(s) URLs become links.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import plotly.graph_objects as go

OTHER_LABEL = "other sources"
RANGES: dict[str, int | None] = {"30 days": 30, "90 days": 90, "1 year": 365, "All time": None}
FEEDS_TOML_EXAMPLE = '''# feeds.toml: one [[feed]] table per feed
[[feed]]
name = "Kazinform (EN)"
url = "https://example.org/rss/en.xml"
every = "15m"        # optional: poll interval for this feed (s, m, h, d)
timeout_s = 20       # optional: seconds to wait for the server

[[feed]]
name = "Akipress"
url = "https://example.net/feed.atom"
'''
WATCH_COMMANDS = ("python -m steppewatch watch --feeds feeds.toml --once   # one round, then exit\n"
                  "python -m steppewatch watch --feeds feeds.toml          # keep polling")


def safe_link(url: object) -> str | None:
    """``url`` when it is an http(s) URL with a host, else None (never a javascript: or file: link)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def range_start(label: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """Start (UTC midnight) of the chart range called ``label`` in ``RANGES``; None for all time."""
    days = RANGES.get(label, 90)
    if days is None:
        return None
    today = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - dt.timedelta(days=days - 1)


def chart_range(since: dt.datetime | None, freq: str = "D",
                now: dt.datetime | None = None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Time axis for a range starting at ``since`` through today, padded by half a bar; None for all time."""
    if since is None:
        return None
    today = pd.Timestamp((now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).date())
    start = pd.Timestamp(since.astimezone(dt.UTC).date())
    half = pd.Timedelta(hours=12)
    if freq == "W":  # bars sit on Mondays and are a week wide
        start -= pd.Timedelta(days=start.day_of_week)
        today -= pd.Timedelta(days=today.day_of_week)
        half = pd.Timedelta(days=3.5)
    return start - half, today + half


def _label(value: object, limit: int = 80) -> str:
    """Escape outside text before plotly renders it as (a subset of) HTML."""
    text = "" if value is None else str(value)
    return html.escape(text[:limit] + ("…" if len(text) > limit else ""), quote=True)


def summary_numbers(status: pd.DataFrame) -> dict[str, int]:
    """Headline counts: feeds, failing, stale, ok, articles added by feeds in the last 7 days."""
    health = status["health"] if "health" in status else pd.Series(dtype=object)
    return {"feeds": len(status), "failing": int((health == "failing").sum()),
            "stale": int((health == "stale").sum()), "ok": int((health == "ok").sum()),
            "added_7d": int(status["added_7d"].sum()) if "added_7d" in status and len(status) else 0}


_URL_IN_TEXT = re.compile(r"[a-z][a-z0-9+.-]*://[^\s'\"<>]+", re.IGNORECASE)


def site_of(url: object) -> str | None:
    """The scheme and host of an http(s) URL (``https://example.org/``): no path, query or credentials."""
    link = safe_link(url)
    if link is None:
        return None
    parts = urlsplit(link)
    return f"{parts.scheme.lower()}://{parts.hostname or ''}/"


def redact_feed_urls(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as a viewer sees it: feed URLs cut to their site (a feed URL may carry a key or a
    private path), and URLs inside error reasons replaced by their site too. Editors see them whole."""
    table = frame.copy()
    if "url" in table:
        table["url"] = [site_of(u) for u in table["url"]]
    for column in ("last_error", "reason", "note"):
        if column in table:
            table[column] = [_URL_IN_TEXT.sub(lambda m: site_of(m.group(0)) or "(URL)", v) if isinstance(v, str)
                             else v for v in table[column]]
    return table


def feed_table(status: pd.DataFrame) -> pd.DataFrame:
    """The feed health table as displayed: readable headers, only http(s) links.

    Health stays a plain word (no emoji: browsers without an emoji font show boxes); the
    rows come failing first.
    """
    table = status.copy()
    table["url"] = [safe_link(u) for u in table["url"]]
    return table.rename(columns={
        "note": "why", "last_check": "last poll", "last_success": "last success",
        "last_error_at": "last error at", "last_error": "last error (reason)",
        "consecutive_failures": "failures in a row", "last_http_status": "last HTTP status",
        "added_total": "articles added", "added_7d": "added, last 7 days", "last_added": "last article"})


def fetch_table(fetches: pd.DataFrame) -> pd.DataFrame:
    """The fetch log as displayed (newest first, as queried)."""
    table = fetches.copy()
    table["url"] = [safe_link(u) for u in table["url"]]
    return table.rename(columns={"at": "time", "http_status": "HTTP status", "items_seen": "items",
                                 "items_new": "new items", "articles_added": "added", "duration_ms": "ms"})


def top_labels(added: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """``added`` with all but the ``top`` labels (by total added) merged into "other sources"."""
    if added.empty:
        return added
    totals = added.groupby("label")["added"].sum().sort_index()  # ties: alphabetical
    keep = set(totals.sort_values(ascending=False, kind="stable").index[:top])
    df = added.copy()
    df["label"] = [lab if lab in keep else OTHER_LABEL for lab in df["label"]]
    return df.groupby(["period", "label"], as_index=False)["added"].sum()


def build_added_over_time(added: pd.DataFrame, top: int = 10,
                          x_range: tuple[pd.Timestamp, pd.Timestamp] | None = None,
                          bar_days: float = 1, by: str = "added") -> go.Figure:
    """Stacked bars: articles per period (``by``: the day they were "added" or "published"), one trace per
    feed or source (largest first).

    Labels beyond the ``top`` largest are merged into one "other sources" trace. ``x_range``
    pins the time axis to the chosen range, so that days without articles show as gaps;
    bars are ``bar_days`` wide (plotly would draw a lone bar as a hairline).
    """
    fig = go.Figure()
    verb = "published" if by == "published" else "added"
    df = top_labels(added, top)
    if df.empty:
        fig.add_annotation(text=f"No articles {verb} in this range", showarrow=False, x=0.5, y=0.5,
                           xref="paper", yref="paper")
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
    else:
        totals = df.groupby("label")["added"].sum()
        width_ms = bar_days * 0.8 * 86_400_000  # date axes measure bar width in milliseconds
        order = sorted(totals.index, key=lambda lab: (lab == OTHER_LABEL, -totals[lab], lab))
        for lab in order:
            part = df[df["label"] == lab].sort_values("period")
            name = _label(lab)
            fig.add_trace(go.Bar(x=part["period"], y=part["added"], name=name, width=width_ms,
                                 hovertemplate=f"{name}<br>%{{x|%Y-%m-%d}}: %{{y}} {verb}<extra></extra>"))
        fig.update_xaxes(type="date", tickformat="%Y-%m-%d")
        if x_range is not None:
            fig.update_xaxes(range=list(x_range))
    fig.update_layout(barmode="stack", margin={"l": 0, "r": 10, "t": 10, "b": 0}, height=340,
                      yaxis_title=f"articles {verb}", legend={"orientation": "h", "y": -0.2})
    return fig


def chart_config() -> dict[str, Any]:
    """Plotly config for the chart (no logo, no lasso)."""
    return {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def only_problems(fetches: pd.DataFrame) -> pd.DataFrame:
    """The polls that failed or had item errors."""
    mask = (fetches["outcome"] == "error") | fetches["reason"].notna()
    return fetches[mask]
