"""The app edge: store access, bounded Streamlit caches over the query functions, the
first-start bootstrap and upload ingestion.

The Overview and Stories aggregates come from the read model (``steppewatch.query.readmodel``):
one per data version, shared by all sessions (``st.cache_resource``), loaded from the snapshot the
last ingest wrote or built once from the store. Rows a page shows (a page of articles, the
timeline's events, an article) are read from SQLite by id on a short-lived read-only connection
(cheap, thread-safe; WAL mode lets it read the last committed state while an ingest writes).
Cache keys include the data-version fingerprint, so new articles show up on the next rerun.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.article_view import escape_markdown
from components.figures import (
    DEFAULT_TIMELINE_STATUSES,
    build_attention,
    build_choropleth,
    build_pair_matrix,
    build_timeline,
    build_timeline_summary,
    shared,
)
from steppewatch import settings
from steppewatch.query import queries, readmodel
from steppewatch.query.filters import Filters
from steppewatch.query.search import StoreSearch, hit_spans
from steppewatch.store.db import Store, open_store
from steppewatch.store.locks import LockHolder, file_lock
from steppewatch.store.search_index import has_index

log = logging.getLogger(__name__)

_FILTERS_HASH = {Filters: repr}
_CACHE = {"max_entries": 64, "ttl": 60, "show_spinner": False, "hash_funcs": _FILTERS_HASH}


def db_path() -> Path:
    """The store file the dashboard reads (settings.DB_PATH, env STEPPEWATCH_DB)."""
    return Path(settings.DB_PATH)


@contextmanager
def read_store() -> Iterator[Store]:
    """A short-lived read-only connection to the store."""
    store = open_store(db_path(), read_only=True)
    try:
        yield store
    finally:
        store.close()


# One rerun asks for the data version once per cached query (8-10 times); at a million articles each
# answer costs ~8 ms (a count of the articles), so an answer is reused for this long: a new ingest shows
# up at most this much later, and one rerun reads one version throughout.
VERSION_REUSE_S = 0.5
_version_memo: dict[str, tuple[float, str]] = {}
_version_lock = threading.Lock()


def data_version() -> str:
    """Fingerprint of the store contents (part of every cache key; reused for ``VERSION_REUSE_S``)."""
    path, now = str(db_path()), time.monotonic()
    with _version_lock:
        memo = _version_memo.get(path)
    if memo is not None and now - memo[0] < VERSION_REUSE_S:
        return memo[1]
    try:
        with read_store() as store:
            version = queries.data_version(store)
    except Exception:
        return "unavailable"
    with _version_lock:
        _version_memo[path] = (now, version)
    return version


# -- first start ----------------------------------------------------------------------------
FIRST_START_NOTICE_S = 60.0


@st.cache_resource(show_spinner="Preparing the store…")
def _bootstrap_once(path: str) -> tuple[str, float]:
    """Create the store and ingest the samples when it holds no article (once per process).

    Raises on failure so that nothing is cached and a later run may retry.
    """
    store_path = Path(path)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(store_path.with_name(store_path.name + ".bootstrap.lock")):
        store = open_store(store_path)
        try:
            if store.count("articles") > 0:
                return "", 0.0
            from steppewatch.pipeline import ingest_paths

            summary = ingest_paths(store, [settings.SAMPLES_DIR])
            _first_eval(store)
            return f"First start: ingested the sample articles ({summary.line()}).", time.monotonic()
        finally:
            store.close()


def _first_eval(store: Store) -> None:
    """Record one evaluation on the bundled gold sets (about a second), so the Quality page has
    numbers from the first start; never fatal."""
    from components.quality_view import bundled_gold
    from steppewatch.evaluation import record_run, run_eval

    gold = bundled_gold()
    if gold is None or store.count("eval_runs"):
        return
    try:
        scores = run_eval(gold)
        record_run(store, scores)
    except Exception:  # the samples are in; a failing evaluation only leaves the Quality page empty
        log.exception("first evaluation failed")


def ensure_store() -> None:
    """Make sure the store exists and holds the samples; show problems as st.error."""
    if st.session_state.get("_sw_bootstrap_failed"):
        st.error(st.session_state["_sw_bootstrap_failed"])
        return
    try:
        message, ingested_at = _bootstrap_once(str(db_path()))
    except Exception as exc:
        log.exception("bootstrap failed")
        text = (f"Could not prepare the store at {db_path().name}: "
                f"{type(exc).__name__}: {str(exc)[:200]}")
        st.session_state["_sw_bootstrap_failed"] = text
        st.error(text)
        return
    # Only sessions opened right after the first-start ingest hear about it.
    recent = time.monotonic() - ingested_at < FIRST_START_NOTICE_S
    if message and recent and not st.session_state.get("_sw_bootstrap_shown"):
        st.session_state["_sw_bootstrap_shown"] = True
        st.toast(message)


# -- cached queries -------------------------------------------------------------------------
def read_with(fn: Callable[..., object], *args: object) -> object:
    """``fn(store, *args)`` on a short-lived read-only connection (the body of every cached query)."""
    with read_store() as store:
        return fn(store, *args)


def guarded(default: object, fn: Callable[..., object], version: str, *args: object,
            what: str = "the store") -> object:
    """Run cached query ``fn(path, version, *args)``; on an error show st.error and return ``default``."""
    try:
        return fn(str(db_path()), version, *args)
    except Exception as exc:
        log.exception("query failed: %s", what)
        st.error(f"Could not read {what}: {type(exc).__name__}: {escape_markdown(str(exc)[:200])}")
        return default


class _ModelHolder:
    """The read model of one store, shared by every session; replaced when the data version moves."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.model: readmodel.ReadModel | None = None


@st.cache_resource(show_spinner=False)
def _model_holder(path: str) -> _ModelHolder:
    return _ModelHolder()


def read_model(path: str, version: str) -> readmodel.ReadModel:
    """The read model of ``version`` (a snapshot file, else built once and saved; one build at a time)."""
    holder = _model_holder(path)
    with holder.lock:
        model = holder.model
        if model is None or model.version != version:
            with read_store() as store:
                model = readmodel.current(path, store.con, previous=model)
            if model.search_source is None:  # a patched model keeps its own
                model.search_source = StoreSearch(lambda: _read_connection(path))
            holder.model = model
    return model


@contextmanager
def _read_connection(path: str) -> Iterator[sqlite3.Connection]:
    """A short-lived read-only connection to the store at ``path`` (the read model's searches)."""
    store = open_store(path, read_only=True)
    try:
        yield store.con
    finally:
        store.close()


@st.cache_data(**_CACHE)
def _headline(path: str, version: str, f: Filters) -> pd.DataFrame:
    return read_model(path, version).headline_numbers(f)


@st.cache_data(**_CACHE)
def _country_counts(path: str, version: str, f: Filters, metric: str) -> pd.DataFrame:
    return read_model(path, version).country_counts(f, metric)


@st.cache_data(**_CACHE)
def _timeline(path: str, version: str, f: Filters) -> pd.DataFrame:
    return read_with(lambda store: readmodel.visit_timeline(read_model(path, version), store, f))  # type: ignore[return-value]


@st.cache_data(**_CACHE)
def _attention(path: str, version: str, f: Filters) -> pd.DataFrame:
    return read_model(path, version).attention(f)


@st.cache_data(**_CACHE)
def _timeline_size(path: str, version: str, f: Filters) -> int:
    return read_model(path, version).timeline_ids(f, 0)[1]


@st.cache_data(**_CACHE)
def _timeline_summary(path: str, version: str, f: Filters) -> pd.DataFrame:
    return read_model(path, version).timeline_summary(f)


@st.cache_data(**_CACHE)
def _visitor_summary(path: str, version: str, f: Filters, include_other: bool, rows: int) -> tuple[pd.DataFrame, int]:
    return read_model(path, version).visitor_summary(f, rows, None if include_other else DEFAULT_TIMELINE_STATUSES)


@st.cache_resource(max_entries=32, ttl=600, show_spinner=False, hash_funcs=_FILTERS_HASH)
def _timeline_summary_figure(path: str, version: str, f: Filters, include_other: bool, rows: int) -> go.Figure:
    """The summary's figure, built once per view (thousands of points: ~70 ms at a million articles);
    shared, never modified after it is built."""
    return shared(build_timeline_summary(_visitor_summary(path, version, f, include_other, rows)[0]))


@st.cache_data(**_CACHE)
def _articles_page(path: str, version: str, f: Filters, limit: int,
                   offset: int) -> pd.DataFrame:
    return read_with(lambda store: readmodel.articles_page(  # type: ignore[return-value]
        read_model(path, version), store, f, limit, offset))


@st.cache_data(**_CACHE)
def _articles_count(path: str, version: str, f: Filters) -> int:
    return read_model(path, version).articles_count(f)


@st.cache_data(**_CACHE)
def _article_detail(path: str, version: str, article_id: str) -> queries.ArticleDetail:
    return read_with(queries.article_detail, article_id)  # type: ignore[return-value]


@st.cache_data(**_CACHE)
def _story_sources(path: str, version: str, story_id: str) -> pd.DataFrame:
    return read_with(queries.story_sources, story_id)  # type: ignore[return-value]


@st.cache_data(**_CACHE)
def _stories_page(path: str, version: str, f: Filters, limit: int,
                  offset: int) -> pd.DataFrame:
    return read_with(lambda store: readmodel.stories_page(  # type: ignore[return-value]
        read_model(path, version), store, f, limit, offset))


@st.cache_data(**_CACHE)
def _filter_options(path: str, version: str) -> queries.FilterOptions:
    return read_model(path, version).filter_options()


def _safe(default: object, fn: Callable[..., object], *args: object) -> object:
    """A cached query keyed by the store's data version (see ``guarded``). The views' queries are given
    ``f.selecting()``: views that differ only in the metric, the open article, the timeline's statuses and
    rows or the list's page share their cached answers (what those change is passed on its own)."""
    return guarded(default, fn, data_version(), *args)


def headline(f: Filters) -> pd.DataFrame:
    return _safe(pd.DataFrame(), _headline, f.selecting())  # type: ignore[return-value]


def country_counts(f: Filters, metric: str) -> pd.DataFrame:
    empty = pd.DataFrame({"iso3": [], "name": [], "n": []})
    return _safe(empty, _country_counts, f.selecting(), metric)  # type: ignore[return-value]


def timeline(f: Filters) -> pd.DataFrame:
    return _safe(pd.DataFrame(), _timeline, f.selecting())  # type: ignore[return-value]


def attention(f: Filters) -> pd.DataFrame:
    """Articles per publication day matching ``f`` (per filtered country)."""
    return _safe(pd.DataFrame({"day": [], "series": [], "n": []}), _attention, f.selecting())  # type: ignore[return-value]


def timeline_size(f: Filters) -> int:
    """How many events match ``f`` (every status)."""
    return _safe(0, _timeline_size, f.selecting())  # type: ignore[return-value]


def timeline_summary(f: Filters) -> pd.DataFrame:
    """Monthly counts per country, type and status of the events matching ``f``."""
    return _safe(pd.DataFrame(), _timeline_summary, f.selecting())  # type: ignore[return-value]


def visitor_summary(f: Filters, include_other: bool) -> tuple[pd.DataFrame, int]:
    """Monthly counts of the busiest visitors' events matching ``f`` (``f.rows`` of them, else
    ``settings.TIMELINE_ROWS``; every status with ``include_other``) and how many visitors match."""
    return _safe((pd.DataFrame(), 0), _visitor_summary, f.selecting(), include_other,  # type: ignore[return-value]
                 f.rows or settings.TIMELINE_ROWS)


def timeline_summary_figure(f: Filters, include_other: bool) -> go.Figure:
    """``build_timeline_summary`` of ``visitor_summary(f, include_other)``, cached per view."""
    return _safe(go.Figure(), _timeline_summary_figure, f.selecting(), include_other,  # type: ignore[return-value]
                 f.rows or settings.TIMELINE_ROWS)


def articles_page(f: Filters, limit: int, offset: int) -> pd.DataFrame:
    return _safe(pd.DataFrame(), _articles_page, f.selecting(), limit, offset)  # type: ignore[return-value]


def articles_count(f: Filters) -> int:
    return _safe(0, _articles_count, f.selecting())  # type: ignore[return-value]


def article_detail(article_id: str) -> queries.ArticleDetail:
    return _safe(queries.ArticleDetail(article=None), _article_detail,  # type: ignore[return-value]
                 article_id)


def story_sources(story_id: str) -> pd.DataFrame:
    return _safe(pd.DataFrame(), _story_sources, story_id)  # type: ignore[return-value]


def stories_page(f: Filters, limit: int, offset: int) -> pd.DataFrame:
    return _safe(pd.DataFrame(), _stories_page, f.selecting(), limit, offset)  # type: ignore[return-value]


def filter_options() -> queries.FilterOptions:
    return _safe(queries.FilterOptions(), _filter_options)  # type: ignore[return-value]


@st.cache_data(**_CACHE)
def _place_counts(path: str, version: str, f: Filters) -> pd.DataFrame:
    return read_model(path, version).place_counts(f)


@st.cache_data(**_CACHE)
def _pair_counts(path: str, version: str, f: Filters) -> pd.DataFrame:
    return read_model(path, version).pair_counts(f)


@st.cache_data(**_CACHE)
def _leader_pairs(path: str, version: str, f: Filters, limit: int) -> pd.DataFrame:
    return read_model(path, version).leader_pairs(f, limit)


@st.cache_data(**_CACHE)
def _pair_events(path: str, version: str, f: Filters, visitor: str, host: str, limit: int) -> pd.DataFrame:
    return read_with(lambda store: readmodel.pair_events(  # type: ignore[return-value]
        read_model(path, version), store, f, visitor, host, limit))


def place_counts(f: Filters) -> pd.DataFrame:
    """Per city, the visits and meetings of ``f`` there (with coordinates), most first."""
    return _safe(pd.DataFrame(columns=queries.PLACE_COLUMNS), _place_counts, f.selecting())  # type: ignore[return-value]


def pair_counts(f: Filters) -> pd.DataFrame:
    """Per (visitor country, host country), the visits and meetings of ``f``, most first."""
    return _safe(pd.DataFrame(columns=queries.PAIR_COLUMNS), _pair_counts, f.selecting())  # type: ignore[return-value]


def leader_pairs(f: Filters, limit: int = 10) -> pd.DataFrame:
    """The people who meet most in ``f``'s meetings."""
    return _safe(pd.DataFrame(columns=queries.LEADER_COLUMNS), _leader_pairs,  # type: ignore[return-value]
                 f.selecting(), limit)


def pair_events(f: Filters, visitor: str, host: str, limit: int = 100) -> pd.DataFrame:
    """The reports of ``visitor``'s visits and meetings in ``host`` matching ``f``, newest first."""
    return _safe(pd.DataFrame(), _pair_events, f.selecting(), visitor, host, limit)  # type: ignore[return-value]


# -- figures, built once per view and shared (never modified after they are built) -------------------
# Each is drawn from the same cached answers the page shows and downloads (one computation, one read of the
# store per view), not from queries of its own.
_FIGURES = {"max_entries": 32, "ttl": _CACHE["ttl"], "show_spinner": False, "hash_funcs": _FILTERS_HASH}


@st.cache_resource(**_FIGURES)
def _map_figure(path: str, version: str, f: Filters, metric: str, places_shown: bool) -> go.Figure:
    places = _place_counts(path, version, f) if places_shown else None
    return shared(build_choropleth(_country_counts(path, version, f, metric), settings.REGION_GEOJSON_URL, metric,
                                   f.countries, places=places))


@st.cache_resource(**_FIGURES)
def _attention_figure(path: str, version: str, f: Filters, with_visits: bool) -> go.Figure:
    summary = _timeline_summary(path, version, f) if with_visits else None
    return shared(build_attention(_attention(path, version, f), summary))


@st.cache_resource(**_FIGURES)
def _pair_matrix_figure(path: str, version: str, f: Filters, top: int) -> go.Figure:
    return shared(build_pair_matrix(_pair_counts(path, version, f), top))


@st.cache_resource(**_FIGURES)
def _timeline_figure(path: str, version: str, f: Filters, include_other: bool, rows: int) -> go.Figure:
    return shared(build_timeline(_timeline(path, version, f), include_other, rows))


def timeline_figure(f: Filters, include_other: bool) -> go.Figure:
    """The detailed timeline of ``f`` (``f.rows`` visitors' rows, else ``settings.TIMELINE_ROWS``); built once
    per view."""
    return _safe(go.Figure(), _timeline_figure, f.selecting(), include_other,  # type: ignore[return-value]
                 f.rows or settings.TIMELINE_ROWS)


def map_figure(f: Filters) -> go.Figure:
    """The choropleth of ``f`` in its metric, its chosen countries outlined, its places as points unless
    hidden; built once per view."""
    return _safe(go.Figure(), _map_figure, f.selecting(), f.metric, not f.places_hidden)  # type: ignore[return-value]


def attention_figure(f: Filters, with_visits: bool) -> go.Figure:
    """Articles per day/week/month of ``f`` (with the occurred visits marked when ``with_visits``); built once
    per view."""
    return _safe(go.Figure(), _attention_figure, f.selecting(), with_visits)  # type: ignore[return-value]


def pair_matrix_figure(f: Filters, top: int) -> go.Figure:
    """The who-meets-whom matrix of ``f`` (the ``top`` busiest visitors and hosts); built once per view."""
    return _safe(go.Figure(), _pair_matrix_figure, f.selecting(), top)  # type: ignore[return-value]


def recent_ingest_log(limit: int = 100) -> pd.DataFrame:
    """Uncached: the ingest page shows the log as it is now."""
    try:
        with read_store() as store:
            return queries.ingest_log(store, limit)
    except Exception as exc:
        st.error(f"Could not read the ingest log: {type(exc).__name__}")
        return pd.DataFrame()


# -- uploads --------------------------------------------------------------------------------
def records_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """A data frame of plain rows kept in the session (the last upload's result)."""
    return pd.DataFrame.from_records(rows)


def ingest_upload(name: str, data: bytes, on_item: Callable[[str, str], None] | None = None,
                  on_wait: Callable[[LockHolder], None] | None = None, source: str | None = None,
                  on_progress: Callable[[int, int], None] | None = None) -> object:
    """Read one uploaded file and ingest its documents; returns the IngestSummary. ``on_wait`` is told
    who holds the store when another ingest is writing it (this one then waits for it). ``source``: the
    outlet of items that declare none of their own (a bulk row's source column wins). ``on_progress(done,
    total)``: the file's items done so far (after each committed batch) out of all its items.

    Raises ValueError for files over the size limit (checked here, on the server).
    """
    if len(data) > settings.MAX_DOCUMENT_BYTES:
        raise ValueError(f"{name}: {len(data):,} bytes is over the limit of "
                         f"{settings.MAX_DOCUMENT_BYTES:,} bytes")
    from steppewatch.ingest.readers import documents_from_upload
    from steppewatch.pipeline import ingest_documents

    docs = list(with_source(documents_from_upload(name, data), source))  # at most the upload limit: counted
    done = 0

    def item(origin: str, status: str) -> None:
        nonlocal done
        done += 1
        if on_item is not None:
            on_item(origin, status)
        if on_progress is not None:
            on_progress(done, len(docs))

    if on_progress is not None:
        on_progress(0, len(docs))
    store = open_store(db_path())
    try:
        summary = ingest_documents(store, docs, item, on_wait=on_wait)
    finally:
        store.close()
    st.cache_data.clear()
    with _version_lock:
        _version_memo.clear()  # this session's next rerun shows its upload
    return summary


def with_source(docs: Iterable[object], source: str | None) -> Iterator[object]:
    """``docs`` with ``source`` declared on every document that declares no source of its own."""
    from dataclasses import replace as replaced

    from steppewatch.models import RawDocument

    name = " ".join((source or "").split())[:120]
    for doc in docs:
        if name and isinstance(doc, RawDocument) and not doc.meta.get("source"):
            doc = replaced(doc, meta={**doc.meta, "source": name})
        yield doc


def waiting_message(holder: LockHolder) -> str:
    """What the Ingest page says while another ingest writes the store."""
    return f"Waiting for another ingest{holder.described()} to finish writing the store; this one follows it."


def summary_frame(summary: object) -> pd.DataFrame:
    """A table of one ingest run: status, origin or article id, reason."""
    rows = [{"status": "ingested", "item": i, "reason": ""}
            for i in getattr(summary, "ingested", [])]
    rows += [{"status": "unchanged", "item": o, "reason": "already in the store"}
             for o in getattr(summary, "unchanged", [])]
    rows += [{"status": "failed", "item": f.origin, "reason": f.reason}
             for f in getattr(summary, "failed", [])]
    return pd.DataFrame(rows, columns=["status", "item", "reason"])


def failure_frame(name: str, exc: BaseException) -> pd.DataFrame:
    """A one-row result table for a file that could not be ingested at all."""
    reason = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
    return pd.DataFrame([{"status": "failed", "item": name, "reason": reason[:300]}])


def concat_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate result tables (an empty table with the right columns when none)."""
    if not frames:
        return pd.DataFrame(columns=["file", "status", "item", "reason"])
    return pd.concat(frames, ignore_index=True)


# -- search ---------------------------------------------------------------------------------
@st.cache_data(**_CACHE)
def _search_available(path: str, version: str) -> bool:
    return read_with(lambda store: has_index(store.con))  # type: ignore[return-value]


def search_available() -> bool:
    """False when the store has no search index yet (written by an older release: the next writer builds it)."""
    return bool(_safe(True, _search_available))


@st.cache_data(max_entries=64, ttl=600, show_spinner=False)
def _search_hits(text: str, search: str) -> list[tuple[int, int]]:
    return hit_spans(text, search)


def search_hits(text: str, search: str) -> list[tuple[int, int]]:
    """Where the search's words and phrases are in an article's ``text`` (none when there is no search);
    kept per (text, search): a long text takes FTS5 a while (about 2 s a megabyte)."""
    if not search:
        return []
    try:
        return _search_hits(text, search)
    except sqlite3.Error:  # an in-memory FTS5 table: nothing to fail on but memory; the text still shows
        log.exception("search hits failed")
        return []
