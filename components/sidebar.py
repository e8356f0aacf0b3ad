"""The shared filter sidebar and the URL <-> session sync.

State flow:
- first run of a session: the URL is read through ``Filters.from_query_params``; each
  dropped parameter becomes an ``st.warning``; it is read again when the browser's address moves to
  a view the session did not write (Back/Forward: every view is a history entry; ``url_moved``);
- afterwards the session keeps the current ``Filters`` (``<key>__filters``); widgets write
  into it through their ``on_change`` callback, and pages change it with ``set_filters``
  (map click, drill-down);
- every run writes the canonical URL back, so the address bar is always a shareable link
  (and ``st.switch_page``, which clears the URL, is repaired on the target page).

Widgets on different pages have different ids even with the same key, so their values are
re-seeded from the stored Filters on every run instead of relying on widget state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components import data
from components.article_view import escape_markdown, strip_bidi
from steppewatch import settings
from steppewatch.query.countries import (
    COUNTRY_NAMES,
    MAP_COUNTRIES,
    NOT_DRAWN,
    country_name,
)
from steppewatch.query.filters import (
    DEFAULT_METRIC,
    EVENT_TYPES,
    MAX_DATE,
    MAX_TIMELINE_ROWS,
    METRICS,
    MIN_DATE,
    Filters,
)
from steppewatch.query.periods import DATE_PRESETS, preset_dates
from steppewatch.query.queries import FilterOptions
from steppewatch.query.search import MAX_SEARCH_CHARS, describe_search

METRIC_NAMES: dict[str, str] = {"mentions": "Mentioned", "focus": "Focus",
                                "events": "Event locations", "visits": "Visits hosted"}
METRIC_HELP = ("Mentioned: articles naming the country (not as a language or adjective). "
               "Focus: articles mainly about it. Event locations: stories with a visit or "
               "meeting taking place there (any status but cancelled; phone and video calls take "
               "place nowhere). Visits hosted: occurred visits to it, one per trip.")
SEARCH_HELP = ("Titles and texts of the articles, any language. Words are all required; \"double quotes\" find "
               "a phrase; a * at the end of a word finds every word it begins (Казахстан* finds Казахстане). "
               "Case and accents do not matter; Chinese and Japanese are found as written (中亚). Press Enter "
               "to search.")
SEARCH_UNAVAILABLE = ("Search is unavailable: this store has no search index yet, so no article matches the "
                      "search. The next ingest (or any command that writes the store) builds it.")
EVENT_TYPE_NAMES: dict[str, str] = {"visit": "visit", "meeting": "meeting",
                                    "call": "call (phone or video)"}
# Country choices: the map countries first, then everything else by name.
COUNTRY_CHOICES: tuple[str, ...] = (*MAP_COUNTRIES, *sorted(
    (c for c in COUNTRY_NAMES if c not in MAP_COUNTRIES),
    key=lambda c: (c in NOT_DRAWN, COUNTRY_NAMES[c])))


def _state_key(key: str) -> str:
    return f"{key}__filters"


def url_moved(url: dict[str, str], current: Filters, previous_url: dict[str, str] | None, same_page: bool) -> bool:
    """True when a run's address is a view the session did not write: the browser's Back or Forward (the app
    pushes a history entry for every view) or an edited address. Not when it is the session's own view, or
    the one the previous run came with (a click sent before the browser had the new address: stale, not a
    move); an empty address is a move only on the same page (Back to the unfiltered view), not when the
    page changed (a page link or ``st.switch_page`` clears the address; the page repairs it)."""
    if url == current.to_query_params() or url == previous_url:
        return False
    return bool(url) or same_page


def _page_hash() -> str:
    """The page this run is on ("" outside a session)."""
    ctx = get_script_run_ctx()
    return str(getattr(ctx, "page_script_hash", "") or "") if ctx is not None else ""


def current_filters(key: str = "flt") -> Filters:
    """The session's filters: read from the URL on the first call of a session, and again when the
    browser's address moved to another view (``url_moved``)."""
    state_key, seen_key = _state_key(key), f"{key}__url_seen"
    url, page = _url_params(), _page_hash()
    current = st.session_state.get(state_key)
    seen = st.session_state.get(seen_key) or {}
    if not isinstance(current, Filters) or url_moved(url, current, seen.get("url"),
                                                     bool(page) and page == seen.get("page")):
        filters, warnings = Filters.from_query_params(url)
        st.session_state[state_key] = filters
        st.session_state[f"{key}__warnings"] = warnings
    st.session_state[seen_key] = {"url": url, "page": page}
    return st.session_state[state_key]


def set_filters(filters: Filters, key: str = "flt") -> None:
    """Replace the session's filters and write the canonical URL (a view that selects other data starts
    its article list on the first page)."""
    old = st.session_state.get(_state_key(key))
    if isinstance(old, Filters) and old.selecting() != filters.selecting():
        filters = replace(filters, page=0)
    st.session_state[_state_key(key)] = filters
    st.session_state[f"{key}__warnings"] = []
    write_url(filters)


def write_url(filters: Filters) -> None:
    """Make the address bar show exactly ``filters`` (only when it differs)."""
    wanted = filters.to_query_params()
    if _url_params() != wanted:
        st.query_params.from_dict(wanted)


def _url_params() -> dict[str, str]:
    return {k: ",".join(st.query_params.get_all(k)) for k in st.query_params}


def _widget_values(key: str) -> dict[str, str]:
    """The sidebar widgets' values as URL parameters (validated by Filters afterwards)."""
    ss = st.session_state

    def joined(name: str) -> str:
        return ",".join(ss.get(f"{key}_{name}") or [])

    def day(name: str) -> str:
        value = ss.get(f"{key}_{name}")
        return value.isoformat() if isinstance(value, dt.date) else ""

    return {"country": joined("country"), "from": day("from"), "to": day("to"),
            "source": joined("source"), "type": joined("type"), "person": joined("person"),
            "q": " ".join(str(ss.get(f"{key}_search") or "").split())}  # a pasted tab is a space


def _on_widget_change(key: str) -> None:
    """Callback: the user changed a sidebar widget; rebuild the filters from all widgets."""
    old = current_filters(key)
    params: dict[str, str] = {**old.to_query_params(), **_widget_values(key)}
    metric = st.session_state.get(f"{key}_metric")
    if metric:
        params["metric"] = metric
    filters, warnings = Filters.from_query_params({k: v for k, v in params.items() if v})
    set_filters(filters, key)
    st.session_state[f"{key}__warnings"] = warnings


def _seed_widgets(f: Filters, key: str, show_metric: bool) -> None:
    ss = st.session_state
    ss[f"{key}_country"] = list(f.countries)
    ss[f"{key}_from"] = f.date_from
    ss[f"{key}_to"] = f.date_to
    ss[f"{key}_source"] = list(f.sources)
    ss[f"{key}_type"] = list(f.event_types)
    ss[f"{key}_person"] = list(f.people)
    ss[f"{key}_search"] = f.search
    if show_metric:
        ss[f"{key}_metric"] = f.metric


def _update(key: str, **changes: object) -> None:
    """Callback body: the session's filters with ``changes``, written back (and to the URL)."""
    set_filters(replace(current_filters(key), **changes), key)


def _on_preset(key: str, preset: str) -> None:
    """Callback: a quick range button; the published dates become that range (explicit dates in the URL,
    so a shared link shows the same days tomorrow)."""
    date_from, date_to = preset_dates(preset, dt.date.today())
    _update(key, date_from=date_from, date_to=date_to)


def _clear(key: str, field: str) -> None:
    _update(key, **{field: None})


def sidebar_filters(options: FilterOptions, key: str = "flt",
                    show_metric: bool = False) -> Filters:
    """Render the filter sidebar and return the current filters (URL written back)."""
    f = current_filters(key)
    for warning in st.session_state.get(f"{key}__warnings", []):
        st.warning(escape_markdown(warning), icon="⚠️")
    _seed_widgets(f, key, show_metric)
    change = {"on_change": _on_widget_change, "args": (key,)}
    sources = sorted(set(options.sources) | set(f.sources))
    people = sorted(set(options.people) | set(f.people))
    lo = dt.date.fromisoformat(options.min_date) if options.min_date else None
    hi = dt.date.fromisoformat(options.max_date) if options.max_date else None
    with st.sidebar:
        st.header("Filters")
        st.text_input("Search titles and texts", key=f"{key}_search", max_chars=MAX_SEARCH_CHARS,
                      placeholder='Tokayev "Central Asia"', help=SEARCH_HELP, **change)
        if f.search and not data.search_available():
            st.warning(SEARCH_UNAVAILABLE, icon="⚠️")
        if show_metric:
            st.radio("Map metric", METRICS, key=f"{key}_metric", help=METRIC_HELP,
                     format_func=METRIC_NAMES.get, horizontal=True, **change)
        st.multiselect("Countries", COUNTRY_CHOICES, key=f"{key}_country",
                       format_func=lambda c: f"{country_name(c)} ({c})", **change)
        range_help = ("Articles by the day they were published; visits, meetings and calls by the day they "
                      "happen (a report published on 2 March of a visit on 28 February counts on 28 February "
                      "on the timeline)." + (f" Articles in the store: {lo} to {hi}." if lo and hi else ""))
        st.date_input("From", key=f"{key}_from", min_value=MIN_DATE,
                      max_value=MAX_DATE, help=range_help, format="YYYY-MM-DD", **change)
        st.date_input("To", key=f"{key}_to", min_value=MIN_DATE,
                      max_value=MAX_DATE, help=range_help, format="YYYY-MM-DD", **change)
        # the two meanings of one range said where it is set, not only in its help
        st.caption("Articles by the day published; visits, meetings and calls by the day they happen.")
        for column, (preset, label, days) in zip(st.columns(len(DATE_PRESETS), gap="small"), DATE_PRESETS,
                                                 strict=True):
            column.button(label, key=f"{key}_preset_{preset}", on_click=_on_preset, args=(key, preset),
                          help=f"Published in the last {days} days, up to today" if days
                          else "Published this year: since 1 January, up to today", width="stretch")
        st.multiselect("Sources", sources, key=f"{key}_source", format_func=strip_bidi, **change)
        st.multiselect("Event types", EVENT_TYPES, key=f"{key}_type",
                       format_func=lambda t: EVENT_TYPE_NAMES.get(t, t), **change)
        st.multiselect("People", people, key=f"{key}_person", format_func=strip_bidi, **change)
        if f.story:
            st.caption(f"Story: {escape_markdown(f.story)}")
            st.button("Clear story filter", key=f"{key}_clear_story", on_click=_clear,
                      args=(key, "story"))
        if f.is_filtered or f.metric != DEFAULT_METRIC:
            st.button("Reset all filters", key=f"{key}_reset", on_click=set_filters,
                      args=(Filters(article=f.article), key))
    write_url(f)
    return f


def _on_statuses(key: str) -> None:
    _update(key, all_statuses=bool(st.session_state.get(f"{key}_all_statuses")))


def all_statuses_box(f: Filters, key: str = "flt") -> bool:
    """The timeline's "also show postponed, cancelled and historical events" box, kept in the URL
    (``statuses=all``); returns whether it is ticked."""
    st.session_state[f"{key}_all_statuses"] = f.all_statuses
    st.checkbox("Also show postponed, cancelled and historical events", key=f"{key}_all_statuses",
                on_change=_on_statuses, args=(key,),
                help="By default the timeline shows occurred events and, as planned (open markers), announced ones.")
    return f.all_statuses


def more_rows_control(f: Filters, n_rows: int, key: str = "flt") -> None:
    """Under the timeline: how many visitors' rows it shows of how many, a button that shows
    ``settings.TIMELINE_ROWS`` more (the count kept in the URL, ``rows=N``) and one back to the default."""
    step = settings.TIMELINE_ROWS
    shown = min(f.rows or step, n_rows)
    hidden = n_rows - shown
    left, mid, right = st.columns([3, 2, 2])
    left.caption(f"{shown:,} of {n_rows:,} visitor rows, the busiest first.")
    if hidden > 0:
        mid.button(f"Show {min(step, hidden):,} more rows ({hidden:,} hidden)", key=f"{key}_more_rows",
                   on_click=_update, args=(key,), kwargs={"rows": min(shown + step, MAX_TIMELINE_ROWS)},
                   disabled=shown >= MAX_TIMELINE_ROWS)
    if f.rows and f.rows > step:
        right.button("Fewer rows", key=f"{key}_fewer_rows", on_click=_update, args=(key,), kwargs={"rows": 0})


def describe(f: Filters) -> str:
    """A one-line plain-text summary of the active filters ("" when unfiltered)."""
    parts: list[str] = []
    if f.countries:
        parts.append(", ".join(country_name(c) for c in f.countries))
    if f.date_from or f.date_to:
        parts.append(f"{f.date_from or '…'} to {f.date_to or '…'}")
    if f.sources:
        parts.append("sources: " + ", ".join(f.sources))
    if f.event_types:
        parts.append("events: " + ", ".join(f.event_types))
    if f.people:
        parts.append("people: " + ", ".join(f.people))
    if f.story:
        parts.append(f"story {f.story}")
    if f.search:
        parts.append(f"search: {describe_search(f.search)}")
    return "Filtered to " + "; ".join(parts) if parts else ""


def view_link(f: Filters, page_path: str = "") -> str:
    """A shareable link to the current view (absolute when the server URL is known)."""
    from urllib.parse import urlencode

    base = ""
    try:
        url = st.context.url
        if url:
            base = url.split("?", 1)[0].rstrip("/")
            for suffix in ("/article", "/stories", "/ingest", "/overview"):
                base = base.removesuffix(suffix)
    except Exception:
        base = ""
    query = urlencode(f.to_query_params())
    path = f"/{page_path}" if page_path else "/"
    return f"{base}{path}" + (f"?{query}" if query else "")


def _on_places(key: str) -> None:
    _update(key, places_hidden=not st.session_state.get(f"{key}_places"))


def places_box(f: Filters, key: str = "flt") -> bool:
    """The map's "show visit and meeting places" box, ticked by default and kept in the URL when not
    (``places=hide``); returns whether the places are shown."""
    st.session_state[f"{key}_places"] = not f.places_hidden
    st.checkbox("Show visit and meeting places", key=f"{key}_places", on_change=_on_places, args=(key,),
                help="Cities where the view's visits and meetings took or will take place (point area: their "
                     "number). Click one to filter to its country.")
    return not f.places_hidden
