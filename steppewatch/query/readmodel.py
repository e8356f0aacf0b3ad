"""The dashboard's read model: the store's filterable facts as compact columns, in memory.

SQLite stays the store of record. The Overview and Stories pages answer their aggregates from this
model instead: integer codes for every categorical value (countries, sources, stories, people,
types, statuses), date strings replaced by their rank in one sorted vocabulary (so a comparison with
a bound is an integer comparison that gives exactly SQL's text comparison), the distinct
(country, article) pairs of counted mentions, and presorted orders for the paged lists. A filter
becomes one boolean mask over articles and one over events; every figure of a page is a reduction
of those masks. Article text, titles and evidence are never held: the rows a page shows are read
from SQLite by id (at most a page, or the timeline's limit).

Results are identical to ``steppewatch.query.queries`` (tests/test_readmodel.py compares them on
generated stores, filter by filter). The model is built once per data version
(``queries.data_version``), persisted next to the store as Arrow IPC files (``write_snapshot``,
called by every writer after its last commit) and memory-mapped at a cold start
(``load_snapshot``).

Pure Python + numpy + pyarrow: never imports Streamlit.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from steppewatch.query import places, queries
from steppewatch.query.filters import Filters
from steppewatch.query.search import StoreSearch, fts_query
from steppewatch.store.db import Store

SNAPSHOT_FORMAT = 10
_MASKS_KEPT = 8  # views whose masks a model keeps (a rerun of the same view asks for them 3-4 times)
_MASKS_LOCK = threading.Lock()
# Most ids bound into one SQL statement when rows are read back by id.
_ID_CHUNK = 900
# A patch puts its rows into the presorted orders by bisection unless they are more than 1/20 of them
# (then one sort of everything is cheaper).
_RESORT_SHARE = 20
_NONE = -1


# -- vocabularies ---------------------------------------------------------------------------
Vocabulary = list[str] | pa.Array  # small ones as lists; large ones (ids, stories, names) stay in Arrow


def _lookup(vocabulary: Vocabulary, wanted: Iterable[str]) -> np.ndarray:
    """Codes of the ``wanted`` values that occur (unknown values match nothing)."""
    if isinstance(vocabulary, pa.Array):  # a scan in C: no index of a million strings kept around
        found = {pc.index(vocabulary, w).as_py() for w in wanted}
    else:
        index = {v: i for i, v in enumerate(vocabulary)}
        found = {index.get(w, -1) for w in wanted}
    return np.array(sorted(found - {-1}), dtype=np.int32)


def _bisect_left(values: pa.Array, x: str) -> int:
    """``bisect.bisect_left`` on a sorted Arrow string array (about 20 probes for a million)."""
    lo, hi = 0, len(values)
    while lo < hi:
        mid = (lo + hi) // 2
        if values[mid].as_py() < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _isin(values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """``np.isin`` for codes: a lookup table over the codes' range (one pass, no sort)."""
    if not len(wanted) or not len(values):
        return np.zeros(len(values), dtype=bool)
    return np.isin(values, wanted, kind="table")


def _postings(keys: np.ndarray, values: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    """``values`` grouped by ``keys`` (codes; -1 dropped), each group ascending: (starts, values)."""
    kept = keys >= 0
    keys, values = keys[kept], values[kept]
    by_value = np.argsort(values, kind="stable")  # runs already ascending (pairs by article): a merge
    keys, values = keys[by_value], values[by_value]
    small = keys.astype(np.uint16) if n_keys <= np.iinfo(np.uint16).max else keys
    order = np.argsort(small, kind="stable")  # a radix sort for 16-bit codes: linear
    starts = np.zeros(n_keys + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n_keys), out=starts[1:])
    return starts, values[order].astype(np.int32)


def _patched_postings(starts: np.ndarray, values: np.ndarray, dropped: np.ndarray, renumber: np.ndarray | None,
                      keys: np.ndarray, new_values: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    """Posting lists (see ``_postings``, each key's values ascending) without the values ``dropped``
    marks, the rest renumbered by ``renumber`` (order kept), and (``keys``, ``new_values``) put in place:
    linear passes and one search, no sort of the whole."""
    counts = np.diff(starts)
    key_of = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    kept = ~dropped[values]
    key_of, values = key_of[kept], values[kept]
    if renumber is not None:
        values = renumber[values]
    new = keys >= 0
    keys, new_values = keys[new].astype(np.int64), new_values[new].astype(np.int64)
    order = np.lexsort((new_values, keys))
    keys, new_values = keys[order], new_values[order]
    at = np.searchsorted(key_of * 2**32 + values, keys * 2**32 + new_values)
    merged = np.insert(values.astype(np.int32), at, new_values.astype(np.int32))
    out = np.zeros(n_keys + 1, dtype=np.int64)
    np.cumsum(np.bincount(key_of, minlength=n_keys) + np.bincount(keys, minlength=n_keys), out=out[1:])
    return out, merged


def _posted(starts: np.ndarray, values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The values listed under the ``wanted`` codes (see ``_postings``)."""
    parts = [values[starts[c]:starts[c + 1]] for c in wanted if 0 <= c < len(starts) - 1]
    return np.concatenate(parts) if parts else np.empty(0, np.int32)


def _n_distinct(codes: np.ndarray) -> int:
    """How many distinct non-negative codes (a presence array: faster than np.unique on dense codes)."""
    codes = codes[codes >= 0]
    if not len(codes):
        return 0
    present = np.zeros(int(codes.max()) + 1, dtype=bool)
    present[codes] = True
    return int(np.count_nonzero(present))


def _take(values: pa.Array, positions: np.ndarray) -> list[str]:
    return values.take(pa.array(positions, type=pa.int64())).to_pylist() if len(positions) else []


def _ints() -> np.ndarray:
    return np.empty(0, np.int32)


def _longs() -> np.ndarray:
    return np.empty(0, np.int64)


def _hashes() -> np.ndarray:
    return np.empty(0, np.uint64)


def _empty() -> pa.Array:
    return pa.array([], type=pa.string())


@dataclass
class ReadModel:
    """Columns of the store for filtering and counting (see the module docstring)."""

    version: str = ""
    change_seq: int = -1  # the last row of the store's change journal this model includes (-1: none)
    # vocabularies (codes index into them)
    dates: pa.Array = field(default_factory=_empty)       # sorted distinct date strings (ranks)
    date_day: np.ndarray = field(default_factory=_longs)   # per date: sortable key of its first 10 characters
    date_month: np.ndarray = field(default_factory=_ints)  # per date: year * 12 + month - 1, -1 unknown
    countries: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    stories: pa.Array = field(default_factory=_empty)
    names: pa.Array = field(default_factory=_empty)       # people names, event actors and counterparts
    types: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    event_keys: np.ndarray = field(default_factory=_hashes)  # per code: hash of queries.EVENT_KEY
    trip_units: np.ndarray = field(default_factory=_hashes)  # per code: hash of coalesce(trip, story, event)
    article_ids: pa.Array = field(default_factory=_empty)
    event_ids: pa.Array = field(default_factory=_empty)
    # articles (one row each)
    a_published: np.ndarray = field(default_factory=_ints)  # date rank, -1 NULL
    a_source: np.ndarray = field(default_factory=_ints)
    a_story: np.ndarray = field(default_factory=_ints)
    a_focus: np.ndarray = field(default_factory=_ints)
    a_by_id: np.ndarray = field(default_factory=_ints)      # positions in id order
    a_order: np.ndarray = field(default_factory=_ints)      # newest first
    # distinct (country, article) pairs of counted country mentions, in article order
    m_article: np.ndarray = field(default_factory=_ints)
    m_country: np.ndarray = field(default_factory=_ints)
    # people named in articles (distinct (name, article) pairs)
    p_article: np.ndarray = field(default_factory=_ints)
    p_name: np.ndarray = field(default_factory=_ints)
    # events (one row each)
    e_article: np.ndarray = field(default_factory=_ints)
    e_type: np.ndarray = field(default_factory=_ints)
    e_status: np.ndarray = field(default_factory=_ints)
    e_actor_country: np.ndarray = field(default_factory=_ints)
    e_host: np.ndarray = field(default_factory=_ints)
    e_own_date: np.ndarray = field(default_factory=_ints)   # rank of the event's own date, -1 NULL
    e_own_story: np.ndarray = field(default_factory=_ints)  # the event's own story, -1 NULL
    e_date: np.ndarray = field(default_factory=_ints)       # rank of coalesce(date, published)
    e_story: np.ndarray = field(default_factory=_ints)      # coalesce(e.story, a.story)
    e_actor: np.ndarray = field(default_factory=_ints)
    e_counterpart: np.ndarray = field(default_factory=_ints)
    e_event_key: np.ndarray = field(default_factory=_ints)  # code into event_keys
    e_trip_unit: np.ndarray = field(default_factory=_ints)  # code into trip_units
    e_month: np.ndarray = field(default_factory=_ints)      # year * 12 + month - 1 of the day, -1 unknown
    e_event_group: np.ndarray = field(default_factory=_ints)  # dense code of (event key, status, month)
    gk_event: np.ndarray = field(default_factory=_longs)  # per e_event_group code: its key (a patch looks codes up)
    # the map's units, as dense codes of (host, unit) with each code's host: a country's count is how
    # many codes of its own a view's events touch (a presence array, never a sort)
    e_unit_group: np.ndarray = field(default_factory=_ints)  # (host, coalesce(story, article)): "events"
    g_unit_host: np.ndarray = field(default_factory=_ints)
    gk_unit: np.ndarray = field(default_factory=_longs)
    e_trip_group: np.ndarray = field(default_factory=_ints)  # (host, coalesce(trip, story, event)): "visits"
    g_trip_host: np.ndarray = field(default_factory=_ints)
    gk_trip: np.ndarray = field(default_factory=_longs)
    e_by_id: np.ndarray = field(default_factory=_ints)      # positions in event-id order
    e_order: np.ndarray = field(default_factory=_ints)      # (day, event id) ascending
    # parties of calls (a call matches a country filter when one of its participants is in it)
    c_event: np.ndarray = field(default_factory=_ints)
    c_country: np.ndarray = field(default_factory=_ints)
    # posting lists per country code (values[start[c]:start[c + 1]]): a country filter reads its own
    # rows, never a pass over all pairs
    cm_start: np.ndarray = field(default_factory=_longs)  # articles mentioning the country (ascending)
    cm_article: np.ndarray = field(default_factory=_ints)
    ce_start: np.ndarray = field(default_factory=_longs)  # events it hosts, makes, or takes part in (a call)
    ce_event: np.ndarray = field(default_factory=_ints)
    # stories, most recent first, as codes into ``stories`` (stories table rows only)
    s_order: np.ndarray = field(default_factory=_ints)
    s_last: np.ndarray = field(default_factory=_longs)  # per story code: day key of last_seen, -1 NULL or no row
    # sidebar options
    option_people: list[str] = field(default_factory=list)
    # where visits and meetings happen, and who meets whom
    place_keys: pa.Array = field(default_factory=_empty)   # places.place_key of events: "place\x1fhost"
    e_place: np.ndarray = field(default_factory=_ints)      # code into place_keys, -1 no place
    e_guest: np.ndarray = field(default_factory=_ints)      # country code of the guest (queries.GUEST_COUNTRY)
    e_leader_pair: np.ndarray = field(default_factory=_ints)  # dense code of a meeting's two people (either order)
    gk_leader_pair: np.ndarray = field(default_factory=_longs)
    # what counts once (queries.EVENT_KEY) where a place, a pair of countries or of people is counted: dense codes
    # of (place key, event key) of visits and meetings with a place, (guest + 1, event key), (leader pair, event key)
    e_place_event: np.ndarray = field(default_factory=_ints)
    gk_place_event: np.ndarray = field(default_factory=_longs)
    e_guest_event: np.ndarray = field(default_factory=_ints)
    gk_guest_event: np.ndarray = field(default_factory=_longs)
    e_leader_event: np.ndarray = field(default_factory=_ints)
    gk_leader_event: np.ndarray = field(default_factory=_longs)
    # masks of the last views asked (not persisted; a new model starts empty)
    _masks: dict[tuple[str, Filters], np.ndarray] = field(default_factory=dict, repr=False, compare=False)
    # masks and offsets that depend on the facts alone, made on first use (not persisted)
    _static: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)
    # the store's search index, which a search asks for its articles (set by whoever opened the store; not
    # persisted; None: a search matches nothing)
    search_source: StoreSearch | None = field(default=None, repr=False, compare=False)

    # -- sizes --------------------------------------------------------------------------
    @property
    def n_articles(self) -> int:
        return len(self.a_published)

    @property
    def n_events(self) -> int:
        return len(self.e_article)

    # -- masks ----------------------------------------------------------------------------
    def _date_bounds(self, f: Filters) -> tuple[int, int]:
        """Rank bounds [lo, hi) equivalent to the SQL text bounds of ``f``'s date window."""
        lo = _bisect_left(self.dates, queries._day_start(f.date_from)) if f.date_from else 0
        hi = _bisect_left(self.dates, queries._day_end(f.date_to)) if f.date_to else len(self.dates)
        return lo, hi

    def _country_events(self, wanted: np.ndarray) -> np.ndarray:
        """Positions of the events hosted or made by one of ``wanted``, or calls one of them takes part
        in (an event may be listed twice)."""
        return _posted(self.ce_start, self.ce_event, wanted)

    def _people_articles(self, wanted: np.ndarray) -> np.ndarray:
        has = np.zeros(self.n_articles, dtype=bool)
        has[self.p_article[_isin(self.p_name, wanted)]] = True
        return has

    def article_mask(self, f: Filters) -> np.ndarray:
        """The articles that match ``f`` (queries.article_where); the last few views' masks are kept."""
        return self._memo("a", f, self._article_mask)

    def event_mask(self, f: Filters) -> np.ndarray:
        """The events that match ``f`` (queries.event_where); the last few views' masks are kept."""
        return self._memo("e", f, self._event_mask)

    def _memo(self, kind: str, f: Filters, compute: Callable[[Filters], np.ndarray]) -> np.ndarray:
        key = (kind, f.selecting())  # the metric, the open article... select nothing
        with _MASKS_LOCK:
            cached = self._masks.get(key)
        if cached is not None:
            return cached
        mask = compute(f)
        mask.flags.writeable = False  # shared by every caller of this view
        with _MASKS_LOCK:
            self._masks[key] = mask
            while len(self._masks) > _MASKS_KEPT:
                self._masks.pop(next(iter(self._masks)))
        return mask

    def _fixed(self, name: str, compute: Callable[[], np.ndarray]) -> np.ndarray:
        """An array that depends on the facts alone (the visits among events, ...), made once."""
        with _MASKS_LOCK:
            cached = self._static.get(name)
        if cached is None:
            cached = compute()
            cached.flags.writeable = False
            with _MASKS_LOCK:
                self._static[name] = cached
        return cached

    def _events_of(self, kind: str, status: str | None = None) -> np.ndarray:
        """The events of type ``kind`` (and ``status``): a mask made once per model."""
        def compute() -> np.ndarray:
            mask = self.e_type == self._code(self.types, kind)
            return mask & (self.e_status == self._code(self.statuses, status)) if status else mask
        return self._fixed(f"events:{kind}:{status}", compute)

    def _articles_with(self, kind: str) -> np.ndarray:
        """The articles reporting an event of type ``kind``: a mask made once per model."""
        def compute() -> np.ndarray:
            has = np.zeros(self.n_articles, dtype=bool)
            has[self.e_article[self._events_of(kind)]] = True
            return has
        return self._fixed(f"articles:{kind}", compute)

    def _mention_starts(self) -> np.ndarray:
        """Where each article's mention pairs start in ``m_article`` (n_articles + 1 offsets)."""
        return self._fixed("mention_starts", lambda: np.concatenate(
            [[0], np.cumsum(np.bincount(self.m_article, minlength=self.n_articles))]).astype(np.int64))

    def mention_counts(self, f: Filters) -> np.ndarray:
        """Per country code, how many matching articles mention it (kept for the view: the headline and
        the map both ask). Read from the matching articles' pairs, or from the others' subtracted from
        the total when most articles match: never more than half of the pairs are touched."""
        return self._memo("m", f, self._mention_counts)

    def _mention_counts(self, f: Filters) -> np.ndarray:
        amask = self.article_mask(f)
        n_countries = len(self.countries)
        selected = int(np.count_nonzero(amask))
        if selected * 2 <= self.n_articles:
            return np.bincount(self.m_country[self._pairs_of(np.flatnonzero(amask))], minlength=n_countries)
        total = self._fixed("mention_total", lambda: np.bincount(self.m_country, minlength=n_countries))
        return total - np.bincount(self.m_country[self._pairs_of(np.flatnonzero(~amask))], minlength=n_countries)

    def _pairs_of(self, articles: np.ndarray) -> np.ndarray:
        """Positions in the mention pairs of ``articles`` (ascending positions)."""
        starts = self._mention_starts()
        lo, lengths = starts[articles], starts[articles + 1] - starts[articles]
        total = int(lengths.sum())
        if not total:
            return np.empty(0, np.int64)
        # each article's run of pairs: position = its start + the offset inside the run
        run_start = np.repeat(lo - (np.cumsum(lengths) - lengths), lengths)
        return run_start + np.arange(total)

    def _article_mask(self, f: Filters) -> np.ndarray:
        mask = np.ones(self.n_articles, dtype=bool)
        if f.countries:
            wanted = _lookup(self.countries, f.countries)
            has = np.zeros(self.n_articles, dtype=bool)
            has[_posted(self.cm_start, self.cm_article, wanted)] = True
            has[self.e_article[self._country_events(wanted)]] = True
            mask &= has
        if f.date_from or f.date_to:
            lo, hi = self._date_bounds(f)
            mask &= (self.a_published >= lo) & (self.a_published < hi)
        if f.sources:
            mask &= _isin(self.a_source, _lookup(self.sources, f.sources))
        if f.event_types:
            has = np.zeros(self.n_articles, dtype=bool)
            for kind in f.event_types:
                has |= self._articles_with(kind)
            mask &= has
        if f.people:
            mask &= self._people_articles(_lookup(self.names, f.people))
        if f.story:
            mask &= self.a_story == self._story_code(f.story)
        if f.search and fts_query(f.search) is not None:
            mask &= self.search_mask(f.search)
        return mask

    def _event_mask(self, f: Filters) -> np.ndarray:
        mask = np.ones(self.n_events, dtype=bool)
        if f.countries:
            hit = np.zeros(self.n_events, dtype=bool)
            hit[self._country_events(_lookup(self.countries, f.countries))] = True
            mask &= hit
        if f.date_from or f.date_to:
            lo, hi = self._date_bounds(f)
            mask &= (self.e_date >= lo) & (self.e_date < hi)
        if f.sources:
            mask &= _isin(self.a_source[self.e_article], _lookup(self.sources, f.sources))
        if f.event_types:
            of_type = np.zeros(self.n_events, dtype=bool)
            for kind in f.event_types:
                of_type |= self._events_of(kind)
            mask &= of_type
        if f.people:
            wanted = _lookup(self.names, f.people)
            mask &= (_isin(self.e_actor, wanted) | _isin(self.e_counterpart, wanted)
                     | self._people_articles(wanted)[self.e_article])
        if f.story:
            mask &= self.e_story == self._story_code(f.story)
        if f.search and fts_query(f.search) is not None:
            mask &= self.search_mask(f.search)[self.e_article]
        return mask

    def _story_code(self, story: str) -> int:
        codes = _lookup(self.stories, [story])
        return int(codes[0]) if len(codes) else -2  # -2: matches nothing (-1 is NULL)

    def _day(self, rank: int) -> str:
        return str(self.dates[rank].as_py())[:10]

    def _code(self, vocabulary: Vocabulary, value: str) -> int:
        codes = _lookup(vocabulary, [value])
        return int(codes[0]) if len(codes) else -2

    # -- search ---------------------------------------------------------------------------
    def search_mask(self, text: str) -> np.ndarray:
        """The articles whose title or text match the search ``text`` (queries.article_where's search):
        the store's index gives their rowids, turned into positions here. Kept like a view's masks; none
        match when the store has no index or no ``search_source`` is set."""
        return self._memo("s", Filters(search=text), lambda f: self._search_hits(f.search))

    def _search_hits(self, text: str) -> np.ndarray:
        mask = np.zeros(self.n_articles, dtype=bool)
        rowids = self.search_source.rowids(text) if self.search_source is not None else None
        if rowids is None or not len(rowids):
            return mask
        stored_rowids, positions = self._fixed("search:rowids", self._rowid_positions)
        if not len(stored_rowids):
            return mask
        at = np.minimum(np.searchsorted(stored_rowids, rowids), len(stored_rowids) - 1)
        found = positions[at[stored_rowids[at] == rowids]]
        mask[found[found >= 0]] = True
        return mask

    def _rowid_positions(self) -> np.ndarray:
        """Two rows: every stored article's rowid (ascending) and its position here (-1: an article this
        model does not hold, written since). Read once per model, on its first search: when the store holds
        as many articles as the model (the usual case; articles are only ever added, and a re-extracted one
        keeps its id and rowid), the same articles in the same id order, so rowids alone are read (checked on
        a sample of ids); else ids and rowids, matched by id."""
        assert self.search_source is not None
        rowids = self.search_source.rowids_in_id_order()
        if len(rowids) == self.n_articles and self._same_id_order(rowids):
            positions = self.a_by_id.astype(np.int64)
        else:
            ids, rowids = self.search_source.rowids_by_id()
            positions = _find_in(self.article_ids, ids)
        order = np.argsort(rowids, kind="stable")
        return np.stack([rowids[order], positions[order]])

    def _same_id_order(self, rowids: np.ndarray, samples: int = 64) -> bool:
        """True when the articles at evenly spaced ranks of ``rowids`` (the store's id order) have this model's
        ids at the same ranks of ``a_by_id``."""
        if not len(rowids):
            return True
        ranks = np.unique(np.linspace(0, len(rowids) - 1, min(samples, len(rowids))).astype(np.int64))
        stored = self.search_source.ids_of(rowids[ranks]) if self.search_source is not None else {}
        held = _take(self.article_ids, self.a_by_id[ranks])
        return [stored.get(int(r)) for r in rowids[ranks]] == held

    # -- the Overview's aggregates --------------------------------------------------------
    def headline_numbers(self, f: Filters) -> pd.DataFrame:
        """queries.headline_numbers from the masks."""
        amask = self.article_mask(f)
        published = self.a_published[amask]
        published = published[published >= 0]
        sources = self.a_source[amask]
        stories = self.a_story[amask]
        emask = self.event_mask(f)
        occurred = emask & self._events_of("visit", "occurred")
        planned = emask & self._events_of("visit", "planned")
        row = {
            "articles": int(amask.sum()),
            "sources": _n_distinct(sources),
            "stories": _n_distinct(stories),
            "first_published": self._day(int(published.min())) if len(published) else None,
            "last_published": self._day(int(published.max())) if len(published) else None,
            "countries": int(np.count_nonzero(self.mention_counts(f))),
            "visits_occurred": _n_distinct(self.e_event_key[occurred]),
            "visits_planned": _n_distinct(self.e_event_key[planned]),
            "meetings": _n_distinct(self.e_event_key[emask & self._events_of("meeting")]),
            "calls": _n_distinct(self.e_event_key[emask & self._events_of("call")]),
        }
        return pd.DataFrame([row])

    def country_counts(self, f: Filters, metric: str | None = None) -> pd.DataFrame:
        """queries.country_counts from the masks (same metrics, same order)."""
        metric = metric or f.metric
        if metric == "mentions":
            counts = self.mention_counts(f)
        elif metric in {"visits", "events"}:
            if metric == "visits":
                emask = self.event_mask(f) & self._events_of("visit", "occurred")
                groups, group_host = self.e_trip_group, self.g_trip_host
            else:
                counted = self._fixed("events:counted", lambda: (
                    self.e_status != self._code(self.statuses, "cancelled")) & (
                    self.e_type != self._code(self.types, "call")))
                emask = self.event_mask(f) & counted
                groups, group_host = self.e_unit_group, self.g_unit_host
            touched = np.zeros(len(group_host), dtype=bool)
            touched[groups[emask]] = True
            hosts = group_host[touched]
            counts = np.bincount(hosts[hosts >= 0], minlength=len(self.countries))
        elif metric == "focus":
            codes = self.a_focus[self.article_mask(f)]
            counts = np.bincount(codes[codes >= 0], minlength=len(self.countries))
        else:
            raise ValueError(f"unknown metric {metric!r}")
        present = np.flatnonzero(counts)
        df = pd.DataFrame({"iso3": [self.countries[i] for i in present],
                           "n": counts[present].astype(np.int64)})
        df = df.sort_values(["n", "iso3"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
        df["name"] = [queries.country_name(c) for c in df["iso3"]]
        return df[["iso3", "name", "n"]]

    def timeline_ids(self, f: Filters, limit: int = queries.TIMELINE_LIMIT) -> tuple[list[str], int]:
        """Event ids of the timeline (oldest first, the most recent ``limit``) and how many match."""
        mask = self.event_mask(f)
        if limit <= 0:  # the count alone: no pass over the time order
            return [], int(np.count_nonzero(mask))
        ordered = self.e_order[mask[self.e_order]]
        return _take(self.event_ids, ordered[-limit:]), len(ordered)

    def timeline_summary(self, f: Filters) -> pd.DataFrame:
        """The timeline as counts: one row per (host country, type, status, month) of matching events.

        Columns iso3 (None: a call, or no host), type, status, month ("YYYY-MM"), n. An event counts
        once however many reports carry it (``queries.EVENT_KEY``).
        """
        mask = self.event_mask(f) & self._fixed("events:dated", lambda: self.e_month >= 0)
        idx = np.flatnonzero(mask)
        columns = ["iso3", "type", "status", "month", "n"]
        if not len(idx):
            return pd.DataFrame({c: [] for c in columns})
        # an event counts once per (event key, status, month): one report stands for it
        stand_in = np.full(int(self.e_event_group.max(initial=-1)) + 1, -1, dtype=np.int64)
        stand_in[self.e_event_group[idx]] = idx  # presence over the groups: no sort
        idx = stand_in[stand_in >= 0]
        n_types, n_status = len(self.types), len(self.statuses)

        def row_keys() -> np.ndarray:  # (host + 1, type, status) of each event; calls have no host
            host = np.where(self.e_type == self._code(self.types, "call"), -1, self.e_host).astype(np.int64) + 1
            return (host * n_types + self.e_type) * n_status + self.e_status

        month = self.e_month[idx]
        month0 = int(month.min())
        n_months = int(month.max()) - month0 + 1
        counts = np.bincount(self._fixed("events:summary_key", row_keys)[idx] * n_months + (month - month0))
        present = np.flatnonzero(counts)
        month = present % n_months + month0
        rest = present // n_months
        status, rest = rest % n_status, rest // n_status
        kind, host = rest % n_types, rest // n_types - 1
        return pd.DataFrame({
            "iso3": pd.Series([self.countries[h] if h >= 0 else None for h in host], dtype=object),
            "type": [self.types[t] for t in kind],
            "status": [self.statuses[t] for t in status],
            "month": [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in month],
            "n": counts[present].astype(np.int64)})

    def _visitor_codes(self) -> np.ndarray:
        """Per event: its visitor's row code, the actor (a code into ``names``), else the visitor country
        (``len(names)`` + its code), else ``len(names) + len(countries)`` (unknown): made once per model."""
        def compute() -> np.ndarray:
            n_names, n_countries = len(self.names), len(self.countries)
            by_country = np.where(self.e_actor_country >= 0, n_names + self.e_actor_country.astype(np.int64),
                                  n_names + n_countries)
            return np.where(self.e_actor >= 0, self.e_actor.astype(np.int64), by_country)
        return self._fixed("events:visitor", compute)

    def visitor_summary(self, f: Filters, max_rows: int,
                        statuses: Sequence[str] | None = None) -> tuple[pd.DataFrame, int]:
        """The timeline as counts per visitor: the ``max_rows`` busiest visitors' (type, status, month)
        counts of matching events (of ``statuses`` only, when given), and how many visitors the view has.

        Columns visitor (the actor as named, else the visitor country's name, else "unknown visitor"),
        visitor_country (iso3 or None), person (True for a named actor), type, status, month ("YYYY-MM"),
        n. An event counts once however many reports carry it (``queries.EVENT_KEY``); rows are ordered by
        their total, then by name. Never a sort of the view's events: one count per visitor code.
        """
        columns = ["visitor", "visitor_country", "person", "type", "status", "month", "n"]
        mask = self.event_mask(f) & self._fixed("events:dated", lambda: self.e_month >= 0)
        if statuses is not None:
            mask &= _isin(self.e_status, _lookup(self.statuses, statuses))
        if not mask.any():
            return pd.DataFrame({c: [] for c in columns}), 0
        # one report stands for each (event, status, month): the one of the smallest event id (assigned
        # last, in descending id order), so that its visitor does not depend on the model's row order
        backwards = self.e_by_id[::-1]
        backwards = backwards[mask[backwards]]
        stand_in = np.full(int(self.e_event_group.max(initial=-1)) + 1, -1, dtype=np.int64)
        stand_in[self.e_event_group[backwards]] = backwards
        idx = stand_in[stand_in >= 0]
        n_names, n_countries = len(self.names), len(self.countries)
        visitor = self._visitor_codes()[idx]
        totals = np.bincount(visitor, minlength=n_names + n_countries + 1)
        present = np.flatnonzero(totals)
        labels = self._visitor_labels(present)
        ranked = sorted(range(len(present)), key=lambda i: (-int(totals[present[i]]), labels[i]))[:max(max_rows, 0)]
        shown = present[ranked]
        row_of = np.full(len(totals), -1, dtype=np.int64)
        row_of[shown] = np.arange(len(shown))
        rows = row_of[visitor]
        idx, rows = idx[rows >= 0], rows[rows >= 0]
        if not len(idx):
            return pd.DataFrame({c: [] for c in columns}), len(present)
        n_types, n_status = len(self.types), len(self.statuses)
        month = self.e_month[idx].astype(np.int64)
        month0 = int(month.min())
        n_months = int(month.max()) - month0 + 1
        key = ((rows * n_types + self.e_type[idx]) * n_status + self.e_status[idx]) * n_months + (month - month0)
        counts = np.bincount(key)
        hit = np.flatnonzero(counts)
        month_of, rest = hit % n_months + month0, hit // n_months
        status, rest = rest % n_status, rest // n_status
        kind, row = rest % n_types, rest // n_types
        shown_labels = [labels[i] for i in ranked]
        # a row's country: a country row's own; a person's, the country most of their reports give
        actor_country = self.e_actor_country[idx].astype(np.int64)
        known = actor_country >= 0
        by_row = np.bincount(rows[known] * n_countries + actor_country[known],
                             minlength=len(shown) * n_countries).reshape(len(shown), n_countries)
        row_country = [self.countries[int(by_row[r].argmax())] if by_row[r].any() else None
                       for r in range(len(shown))]
        return pd.DataFrame({
            "visitor": [shown_labels[r] for r in row],
            "visitor_country": pd.Series([row_country[r] for r in row], dtype=object),
            "person": [bool(shown[r] < n_names) for r in row],
            "type": [self.types[t] for t in kind],
            "status": [self.statuses[t] for t in status],
            "month": [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in month_of],
            "n": counts[hit].astype(np.int64)}, columns=columns), len(present)

    def _visitor_labels(self, codes: np.ndarray) -> list[str]:
        """Row labels of visitor codes (``_visitor_codes``): ``queries.visitor_label`` of each."""
        n_names, n_countries = len(self.names), len(self.countries)
        people = iter(_take(self.names, codes[codes < n_names]))
        return [queries.visitor_label(next(people), None) if code < n_names else
                queries.visitor_label(None, self.countries[code - n_names] if code < n_names + n_countries else None)
                for code in codes.tolist()]

    def attention(self, f: Filters, max_series: int = 5) -> pd.DataFrame:
        """Articles matching ``f`` per publication day: one series per filtered country (articles naming
        it, when ``f`` names at most ``max_series`` countries), else one series of them all ("all").

        Columns day ("YYYY-MM-DD"; an article dated only to the month counts on its first day), series, n.
        Articles without a publication date are not counted.
        """
        columns = ["day", "series", "n"]
        mask = self.article_mask(f)
        published = self.a_published
        groups: list[tuple[str, np.ndarray]] = []
        if f.countries and len(f.countries) <= max_series:
            for code in f.countries:
                c = self._code(self.countries, code)
                articles = self.cm_article[self.cm_start[c]:self.cm_start[c + 1]] if c >= 0 else _ints()
                groups.append((code, articles[mask[articles]]))
        else:
            groups.append(("all", np.flatnonzero(mask)))

        def day_keys() -> np.ndarray:  # per article: its publication day's key, -1 none (a month: its 1st)
            keys = np.where(published >= 0, self.date_day[np.maximum(published, 0)], -1) if len(self.date_day) \
                else np.full(len(published), -1, dtype=np.int64)
            keys = np.where((keys >= 0) & (keys // 32 % 13 > 0), keys, -1)  # a year alone gives no day
            return np.where((keys >= 0) & (keys % 32 == 0), keys + 1, keys)

        article_days = self._fixed("articles:day", day_keys)
        parts: list[pd.DataFrame] = []
        for series, idx in groups:
            keys = article_days[idx]
            keys = keys[keys >= 0]
            if not len(keys):
                continue
            low = int(keys.min())
            counts = np.bincount(keys - low)  # day keys span a few thousand values: no sort
            days = np.flatnonzero(counts)
            n = counts[days]
            days = days + low
            parts.append(pd.DataFrame({
                "day": [_day_text(k) for k in days.tolist()],
                "series": series, "n": n.astype(np.int64)}))
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({c: [] for c in columns})

    def articles_count(self, f: Filters) -> int:
        return int(self.article_mask(f).sum())

    def article_page_ids(self, f: Filters, limit: int = 50, offset: int = 0) -> list[str]:
        """Ids of one page of matching articles, newest first."""
        ordered = self.a_order[self.article_mask(f)[self.a_order]]
        offset = max(int(offset), 0)
        return _take(self.article_ids, ordered[offset:offset + int(limit)])

    def story_page_ids(self, f: Filters, limit: int = 50, offset: int = 0) -> list[str]:
        """Ids of one page of stories with a matching article, most recent first."""
        stories = self.a_story[self.article_mask(f)]
        present = np.zeros(len(self.stories) + 1, dtype=bool)
        present[stories[stories >= 0]] = True
        ordered = self.s_order[present[self.s_order]]
        offset = max(int(offset), 0)
        return _take(self.stories, ordered[offset:offset + int(limit)])

    def filter_options(self) -> queries.FilterOptions:
        published = self.a_published[self.a_published >= 0]
        return queries.FilterOptions(
            sources=tuple(sorted(self.sources)[:500]), people=tuple(sorted(self.option_people)),
            min_date=self._day(int(published.min())) if len(published) else None,
            max_date=self._day(int(published.max())) if len(published) else None)

    # -- where visits and meetings happen, and who meets whom ---------------------------------------
    def _placed(self) -> np.ndarray:
        """Visits and meetings that took or will take place (queries.PLACED_EVENT): a mask made once."""
        return self._fixed("events:placed", lambda: (self._events_of("visit") | self._events_of("meeting")) & (
            self.e_status != self._code(self.statuses, "cancelled")))

    @staticmethod
    def _counted_events(idx: np.ndarray, unit_groups: np.ndarray, n_groups: int) -> np.ndarray:
        """The events of ``idx`` that count: one report per code of ``unit_groups`` (codes of (what is counted,
        queries.EVENT_KEY)), as the SQL twins' count(DISTINCT ...) counts them."""
        stand_in = np.full(n_groups, -1, dtype=np.int64)
        stand_in[unit_groups[idx]] = idx  # presence over the groups: no sort
        return stand_in[stand_in >= 0]

    def _place_points(self) -> np.ndarray:
        """Per place key code, its point in ``places.registry()`` (-1: no known city), resolved once per model."""
        return self._fixed("place_points", lambda: np.array(
            places.registry().point_indexes(self.place_keys.to_pylist()), dtype=np.int32))

    def place_counts(self, f: Filters) -> pd.DataFrame:
        """queries.place_counts from the masks: per city, the view's visits and meetings there."""
        mask = self.event_mask(f) & self._placed() & self._fixed("events:placed_somewhere", lambda: self.e_place >= 0)
        counted = self._counted_events(np.flatnonzero(mask), self.e_place_event, len(self.gk_place_event))
        points = self._place_points()[self.e_place[counted]] if len(counted) else _ints()
        counted, points = counted[points >= 0], points[points >= 0]
        is_visit = self._events_of("visit")[counted]
        n_points = len(places.registry().points)
        meetings = np.bincount(points[~is_visit], minlength=n_points)
        # the events are distinct per (place key, event key); one reported with two spellings of its city
        # (Astana, Nur-Sultan) counts once there: only the points several place keys lead to need a sort
        shared = self._fixed("place_points:shared", lambda: np.bincount(
            self._place_points()[self._place_points() >= 0], minlength=n_points) > 1)[points]
        width = len(self.event_keys) + 1
        _, first = np.unique(points[shared].astype(np.int64) * width + self.e_event_key[counted[shared]],
                             return_index=True)
        once = np.flatnonzero(shared)[first]
        meetings = np.bincount(points[~is_visit & ~shared], minlength=n_points) + np.bincount(
            points[once[~is_visit[once]]], minlength=n_points)
        visits = np.bincount(points[is_visit & ~shared], minlength=n_points) + np.bincount(
            points[once[is_visit[once]]], minlength=n_points)
        present = np.flatnonzero(visits + meetings)
        return queries.place_frame({int(i): [int(visits[i]), int(meetings[i])] for i in present})

    def pair_counts(self, f: Filters) -> pd.DataFrame:
        """queries.pair_counts from the masks: per (guest country, host country), the view's visits and meetings."""
        mask = self.event_mask(f) & self._placed() & self._fixed("events:hosted", lambda: self.e_host >= 0)
        mask &= self.e_guest >= 0
        counted = self._counted_events(np.flatnonzero(mask), self.e_guest_event, len(self.gk_guest_event))
        n = len(self.countries)
        pair = self.e_guest[counted].astype(np.int64) * n + self.e_host[counted]
        is_visit = self._events_of("visit")[counted]
        visits = np.bincount(pair[is_visit], minlength=n * n)
        meetings = np.bincount(pair[~is_visit], minlength=n * n)
        present = np.flatnonzero(visits + meetings)
        df = pd.DataFrame({"visitor": [self.countries[i // n] for i in present],
                           "host": [self.countries[i % n] for i in present],
                           "visits": visits[present].astype(np.int64), "meetings": meetings[present].astype(np.int64)})
        df = df.assign(_total=df["visits"] + df["meetings"]).sort_values(
            ["_total", "visitor", "host"], ascending=[False, True, True], kind="mergesort")
        return queries.pair_frame(df.drop(columns="_total").reset_index(drop=True))

    def leader_pairs(self, f: Filters, limit: int = 10) -> pd.DataFrame:
        """queries.leader_pairs from the masks: the people who meet most in the view's meetings."""
        paired = self._fixed("events:leader_pair", lambda: self._events_of("meeting") & (self.e_actor >= 0) & (
            self.e_counterpart >= 0) & (self.e_actor != self.e_counterpart))
        mask = self.event_mask(f) & self._placed() & paired
        counted = self._counted_events(np.flatnonzero(mask), self.e_leader_event, len(self.gk_leader_event))
        counts = np.bincount(self.e_leader_pair[counted], minlength=len(self.gk_leader_pair))
        rows: list[tuple[str, str, int]] = []
        if limit > 0 and counts.any():
            cut = np.sort(counts)[::-1][min(limit, len(counts)) - 1]
            for code in np.flatnonzero(counts >= max(cut, 1)):
                key = int(self.gk_leader_pair[code])
                a, b = sorted(_take(self.names, np.array([key >> 32, key & (2**32 - 1)])))
                rows.append((a, b, int(counts[code])))
        rows.sort(key=lambda r: (-r[2], r[0], r[1]))
        return pd.DataFrame(rows[:max(limit, 0)], columns=queries.LEADER_COLUMNS)

    def pair_event_ids(self, f: Filters, visitor: str, host: str, limit: int = 100) -> list[str]:
        """Ids of the reports of one matrix cell (queries.pair_events), newest first."""
        mask = self.event_mask(f) & self._placed() & (self.e_host == self._code(self.countries, host)) & (
            self.e_guest == self._code(self.countries, visitor))
        ordered = self.e_order[mask[self.e_order]]
        return _take(self.event_ids, ordered[::-1][:max(int(limit), 0)])


# -- the change journal ----------------------------------------------------------------------
JOURNAL = "readmodel_changes"
# Triggers name the articles whose filterable facts a write touched (new, re-extracted, re-clustered,
# trips relinked): a snapshot is brought up to date by re-reading those alone. A normal ingest adds one
# journal row per article (the article's own INSERT); mentions and people change only with their article
# (re-extraction deletes and inserts the article row). An UPDATE is journaled only when it changes a
# column the model holds: re-clustering rewrites the story of every article of a neighbourhood, most of
# them with the story they already had.
_ARTICLE_COLUMNS = ("id", "published", "source", "story_id", "focus_country")
_EVENT_COLUMNS = ("event_id", "article_id", "type", "status", "actor_country", "host_country", "date",
                  "story_id", "actor", "counterpart", "trip_id", "participants", "place", "date_end")


def _changed(columns: Sequence[str]) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


_JOURNAL_SQL = f"""
CREATE TABLE IF NOT EXISTS {JOURNAL} (seq INTEGER PRIMARY KEY AUTOINCREMENT, article_id TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS {JOURNAL}_articles_insert AFTER INSERT ON articles
    BEGIN INSERT INTO {JOURNAL}(article_id) VALUES (NEW.id); END;
DROP TRIGGER IF EXISTS {JOURNAL}_articles_update;
CREATE TRIGGER IF NOT EXISTS {JOURNAL}_articles_changed AFTER UPDATE ON articles
    WHEN {_changed(_ARTICLE_COLUMNS)}
    BEGIN INSERT INTO {JOURNAL}(article_id) VALUES (NEW.id); END;
CREATE TRIGGER IF NOT EXISTS {JOURNAL}_articles_delete AFTER DELETE ON articles
    BEGIN INSERT INTO {JOURNAL}(article_id) VALUES (OLD.id); END;
DROP TRIGGER IF EXISTS {JOURNAL}_events_update;
CREATE TRIGGER IF NOT EXISTS {JOURNAL}_events_changed AFTER UPDATE ON events
    WHEN {_changed(_EVENT_COLUMNS)}
    BEGIN INSERT INTO {JOURNAL}(article_id) VALUES (NEW.article_id); INSERT INTO {JOURNAL}(article_id)
    SELECT OLD.article_id WHERE OLD.article_id IS NOT NEW.article_id; END;
CREATE TRIGGER IF NOT EXISTS {JOURNAL}_events_delete AFTER DELETE ON events
    BEGIN INSERT INTO {JOURNAL}(article_id) VALUES (OLD.article_id); END;
"""
_FLOOR_KEY = "readmodel_journal_floor"
# Above this share of the store changed, a refresh reads everything again (cheaper than patching).
_REBUILD_SHARE = 0.2


def ensure_journal(con: sqlite3.Connection) -> bool:
    """Create the change journal and its triggers (a writer's connection); True when they were missing."""
    missing = _journal_state(con) is None
    con.executescript(_JOURNAL_SQL)
    return missing


def trim_journal(con: sqlite3.Connection, upto: int) -> None:
    """Forget journal rows a saved snapshot already includes (a writer's connection)."""
    with con:
        con.execute(f"DELETE FROM {JOURNAL} WHERE seq <= ?", (upto,))
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_FLOOR_KEY, str(upto)))


def _journal_state(con: sqlite3.Connection) -> tuple[int, int] | None:
    """(last seq, floor: seqs at or below it were trimmed), or None when the store has no journal."""
    if con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (JOURNAL,)).fetchone() is None:
        return None
    last = con.execute(f"SELECT coalesce(max(seq), 0) FROM {JOURNAL}").fetchone()[0]
    seq_row = con.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (JOURNAL,)).fetchone()
    floor = con.execute("SELECT value FROM meta WHERE key = ?", (_FLOOR_KEY,)).fetchone()
    return max(int(last), int(seq_row[0]) if seq_row else 0), int(floor[0]) if floor else 0


# -- building from the store -----------------------------------------------------------------
def _in_read_transaction(con: sqlite3.Connection, work: Callable[[], ReadModel]) -> ReadModel:
    """``work()`` inside one read transaction: a writer committing meanwhile is not half seen."""
    if con.in_transaction:
        return work()
    con.execute("BEGIN")
    try:
        return work()
    finally:
        con.rollback()


def build(db: Store | sqlite3.Connection, max_people: int = 300) -> ReadModel:
    """Read the store's filterable facts into a ReadModel (one chunked pass per table)."""
    con = db.con if isinstance(db, Store) else db
    return _in_read_transaction(con, lambda: _apply(ReadModel(), con, None, max_people))


def refresh(model: ReadModel, db: Store | sqlite3.Connection, max_people: int = 300) -> ReadModel:
    """``model`` brought up to the store's current state by re-reading only the articles the change
    journal names since ``model.change_seq``; a full build when that is not possible or not cheaper."""
    con = db.con if isinstance(db, Store) else db

    def work() -> ReadModel:
        state = _journal_state(con)
        if state is None or model.change_seq < 0 or model.change_seq < state[1]:
            return _apply(ReadModel(), con, None, max_people)
        changed = [r[0] for r in con.execute(
            f"SELECT DISTINCT article_id FROM {JOURNAL} WHERE seq > ?", (model.change_seq,))]
        if len(changed) > max(1000, _REBUILD_SHARE * model.n_articles):
            return _apply(ReadModel(), con, None, max_people)
        return _apply(model, con, changed, max_people)

    return _in_read_transaction(con, work)


_CHUNK_ROWS = 250_000  # rows fetched from SQLite at a time (bounds the build's memory)


def _chunks(con: sqlite3.Connection, sql: str, params: tuple[object, ...] = ()) -> Iterator[list[np.ndarray]]:
    """The columns of ``sql``'s rows, a chunk at a time, as object arrays."""
    cur = con.execute(sql, params)
    width = len(cur.description)
    while rows := cur.fetchmany(_CHUNK_ROWS):
        columns = list(zip(*rows, strict=True))
        del rows
        yield [np.array(c, dtype=object) for c in columns] if columns else [np.empty(0, object)] * width


def _find_in(values: pa.Array, wanted: pa.Array) -> np.ndarray:
    """Position of each of ``wanted`` in ``values`` (both distinct; -1: absent). A few wanted among many values
    (a patch's new rows against a million-entry vocabulary): one scan of ``values`` against a small hash
    of ``wanted``, instead of a hash of all ``values`` built for each call."""
    if not len(wanted) or not len(values):
        return np.full(len(wanted), -1, dtype=np.int64)
    if len(wanted) * 8 >= len(values):
        found = pc.index_in(wanted, value_set=values)
        return np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    hits = np.asarray(pc.fill_null(pc.index_in(values, value_set=wanted), -1).to_numpy(zero_copy_only=False),
                      dtype=np.int64)
    where = np.flatnonzero(hits >= 0)
    codes = np.full(len(wanted), -1, dtype=np.int64)
    codes[hits[where]] = where
    return codes


class _Vocab:
    """A growing string vocabulary (codes are positions); None encodes as -1."""

    def __init__(self, values: Sequence[str] | pa.Array) -> None:
        self.values = values if isinstance(values, pa.Array) else pa.array(list(values), type=pa.string())

    def encode(self, raw: np.ndarray) -> np.ndarray:
        local, uniques = pd.factorize(raw)
        if not len(uniques):
            return np.full(len(raw), _NONE, dtype=np.int32)
        codes = _find_in(self.values, pa.array(uniques, type=pa.string()))
        fresh = np.flatnonzero(codes < 0)
        if len(fresh):
            codes[fresh] = len(self.values) + np.arange(len(fresh))
            new = [str(u) for u in uniques[fresh]]
            self.values = pa.concat_arrays([self.values, pa.array(new, type=pa.string())])
        return np.where(local >= 0, codes[np.maximum(local, 0)], _NONE).astype(np.int32)


class _HashVocab:
    """Codes of 64-bit hashes of strings (distinct counts need equality, not the strings)."""

    def __init__(self, hashes: np.ndarray) -> None:
        self.hashes = hashes

    def encode(self, raw: np.ndarray) -> np.ndarray:
        hashed = pd.util.hash_array(raw.astype(object), categorize=False)
        uniques, inverse = np.unique(hashed, return_inverse=True)
        codes = _find_in(pa.array(self.hashes, type=pa.uint64()), pa.array(uniques, type=pa.uint64()))
        fresh = np.flatnonzero(codes < 0)
        if len(fresh):
            codes[fresh] = len(self.hashes) + np.arange(len(fresh))
            self.hashes = np.concatenate([self.hashes, uniques[fresh]])
        return codes[inverse].astype(np.int32)


def _day_key(value: str) -> tuple[int, int]:
    """(sortable key of the first 10 characters, year * 12 + month - 1): ISO text compares like the key."""
    try:
        year = int(value[:4])
        month = int(value[5:7]) if len(value) >= 7 else 0
        day = int(value[8:10]) if len(value) >= 10 else 0
    except ValueError:
        return -1, _NONE
    return (year * 13 + month) * 32 + day, (year * 12 + month - 1 if month else _NONE)


def _day_text(key: int) -> str:
    """The ISO day a ``_day_key`` stands for (a key with a day and a month)."""
    return f"{key // 416:04d}-{key // 32 % 13:02d}-{key % 32:02d}"


def _day_keys(values: np.ndarray) -> np.ndarray:
    """``_day_key`` of many ISO day strings at once, in Arrow (-1: NULL, or not a YYYY-MM-DD day)."""
    if not len(values):
        return _longs()
    text = pa.array(values, type=pa.string())
    day = pc.fill_null(pc.match_substring_regex(text, r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"), False)
    text = pc.if_else(day, text, "0000-00-00")

    def part(start: int, stop: int) -> np.ndarray:
        return pc.cast(pc.utf8_slice_codeunits(text, start, stop), pa.int64()).to_numpy()

    keys = (part(0, 4) * 13 + part(5, 7)) * 32 + part(8, 10)
    return np.where(day.to_numpy(zero_copy_only=False), keys, _NONE).astype(np.int64)


def _merge_dates(model: ReadModel, raw: list[np.ndarray]) -> tuple[pa.Array, np.ndarray | None]:
    """The date vocabulary with the new strings of ``raw`` in order, and old rank -> new rank (None: same)."""
    seen = pd.unique(np.concatenate(raw)) if raw else np.empty(0, object)
    seen = np.array([d for d in seen if d is not None], dtype=object)
    if not len(seen):
        return model.dates, None
    known = pc.index_in(pa.array(seen, type=pa.string()), value_set=model.dates).to_numpy(zero_copy_only=False)
    new = seen[pd.isna(known)]
    if not len(new):
        return model.dates, None
    merged = pa.concat_arrays([model.dates, pa.array(new, type=pa.string())])
    merged = merged.take(pc.sort_indices(merged))
    remap = pc.index_in(model.dates, value_set=merged).to_numpy(zero_copy_only=False).astype(np.int32) \
        if len(model.dates) else np.empty(0, np.int32)
    return merged, remap


def _ranks(ranks: np.ndarray, remap: np.ndarray | None) -> np.ndarray:
    if remap is None or not len(ranks):
        return ranks
    return np.where(ranks >= 0, remap[np.maximum(ranks, 0)], _NONE).astype(np.int32)


def _bisect_all(length: int, n: int, below: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
    """Where ``n`` keys go in a sorted sequence of ``length`` items, found for all keys at once (about 20
    rounds): ``below(items, keys)`` tells, pairwise, whether each item sorts before each key."""
    lo = np.zeros(n, dtype=np.int64)
    hi = np.full(n, length, dtype=np.int64)
    keys = np.arange(n)
    while (active := lo < hi).any():
        mid = (lo + hi) // 2
        before = below(np.minimum(mid, length - 1), keys)
        lo = np.where(active & before, mid + 1, lo)
        hi = np.where(active & ~before, mid, hi)
    return lo


def _positions(ids: pa.Array, by_id: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Positions of the ``wanted`` ids in ``ids`` (-1: absent), by one bisection of them all over the id
    order ``by_id``: no hash of a million ids built for a few hundred."""
    if not len(wanted):
        return np.empty(0, np.int64)
    keys = pa.array(wanted, type=pa.string())
    at = _bisect_all(len(by_id), len(keys), lambda items, which: pc.less(
        ids.take(pa.array(by_id[items], type=pa.int64())), keys.take(pa.array(which))).to_numpy(zero_copy_only=False))
    hit = np.minimum(at, len(by_id) - 1)
    same = pc.equal(ids.take(pa.array(by_id[hit], type=pa.int64())), keys).to_numpy(zero_copy_only=False)
    return np.where((at < len(by_id)) & same, by_id[hit], -1).astype(np.int64)


def _insert_by_id(by_id: np.ndarray, ids: pa.Array, new_positions: np.ndarray) -> np.ndarray:
    """``by_id`` (positions in id order) with ``new_positions`` put in place (few: one bisection of
    them all at once, Arrow takes and comparisons; many: one sort)."""
    if not len(new_positions):
        return by_id
    if len(new_positions) * _RESORT_SHARE > len(by_id):
        return pc.sort_indices(ids).to_numpy().astype(np.int32)
    new_positions = np.asarray(new_positions)
    new_positions = new_positions[pc.sort_indices(ids.take(pa.array(new_positions, type=pa.int64()))).to_numpy()]
    keys = ids.take(pa.array(new_positions, type=pa.int64()))
    points = _bisect_all(len(by_id), len(new_positions), lambda items, which: pc.less(
        ids.take(pa.array(by_id[items], type=pa.int64())), keys.take(pa.array(which))).to_numpy(zero_copy_only=False))
    return np.insert(by_id, points, new_positions).astype(np.int32)


def _by_key_then_id(positions: np.ndarray, key: np.ndarray, ids: pa.Array) -> np.ndarray:
    """``positions`` sorted by ``key``, then id."""
    positions = np.asarray(positions)
    if not len(positions):
        return _ints()
    rank = _rank_of(pc.sort_indices(ids.take(pa.array(positions, type=pa.int64()))).to_numpy())
    return positions[np.lexsort((rank, key[positions]))].astype(np.int32)


def _insert_ordered(order: np.ndarray, new: np.ndarray, key: np.ndarray, ids: pa.Array,
                    by_id: np.ndarray | None = None) -> np.ndarray:
    """``order`` (positions sorted by ``key``, then id) with the positions ``new`` put in place: one
    bisection of them all (few), or a sort of everything (many, when ``by_id``, all positions in id
    order, is given)."""
    if not len(new):
        return order
    if by_id is not None and len(new) * _RESORT_SHARE > len(order):
        return np.lexsort((_rank_of(by_id), key)).astype(np.int32)
    new = _by_key_then_id(new, key, ids)
    new_ids = ids.take(pa.array(new, type=pa.int64()))

    def below(items: np.ndarray, which: np.ndarray) -> np.ndarray:
        a, b = order[items], new[which]
        before = key[a] < key[b]
        same = key[a] == key[b]
        if same.any():
            before |= same & pc.less(ids.take(pa.array(a, type=pa.int64())),
                                     new_ids.take(pa.array(which))).to_numpy(zero_copy_only=False)
        return before

    return np.insert(order, _bisect_all(len(order), len(new), below), new).astype(np.int32)


def _story_key(s_last: np.ndarray) -> np.ndarray:
    """The Stories page's sort key per story code: last_seen newest first, NULL (or no row) last."""
    return np.where(s_last >= 0, -s_last.astype(np.int64), 1)


def _rank_of(by_id: np.ndarray) -> np.ndarray:
    rank = np.empty(len(by_id), dtype=np.int64)
    rank[by_id] = np.arange(len(by_id))
    return rank


def _apply(base: ReadModel, con: sqlite3.Connection, changed: list[str] | None, max_people: int) -> ReadModel:
    """A new model: ``base`` with the rows of the ``changed`` articles read again (None: every article of
    the store, ``base`` empty). ``base`` is never modified (sessions may be reading it)."""
    state = _journal_state(con)
    model = replace(base, version=queries.data_version(con), change_seq=state[0] if state else -1,
                    _masks={}, _static={})  # masks of the old facts are not the new ones
    where = "1 = 1" if changed is None else "{col} IN (SELECT value FROM json_each(?))"
    params: tuple[object, ...] = () if changed is None else (json.dumps(changed),)
    countries, sources = _Vocab(base.countries), _Vocab(base.sources)
    stories, names = _Vocab(base.stories), _Vocab(base.names)
    types, statuses = _Vocab(base.types), _Vocab(base.statuses)
    event_keys, trip_units = _HashVocab(base.event_keys), _HashVocab(base.trip_units)

    # articles: changed ones updated in place (in a copy), new ones appended
    fetched: dict[str, list[np.ndarray]] = {k: [] for k in ("id", "published", "source", "story", "focus")}
    for a_id, a_pub, a_source, a_story, a_focus in _chunks(
            con, f"SELECT id, published, source, story_id, focus_country FROM articles WHERE {where.format(col='id')}",
            params):
        fetched["id"].append(a_id)
        fetched["published"].append(a_pub)
        fetched["source"].append(sources.encode(a_source))
        fetched["story"].append(stories.encode(a_story))
        fetched["focus"].append(countries.encode(a_focus))
    a_ids = np.concatenate(fetched["id"]) if fetched["id"] else np.empty(0, object)
    a_pub_raw = np.concatenate(fetched["published"]) if fetched["published"] else np.empty(0, object)
    at = _positions(base.article_ids, base.a_by_id, a_ids) if changed is not None and base.n_articles \
        else np.full(len(a_ids), -1, dtype=np.int64)  # a build starts from nothing
    n_old = base.n_articles
    is_new = at < 0
    new_positions = n_old + np.arange(int(is_new.sum()))
    at[is_new] = new_positions
    model.article_ids = pa.concat_arrays([base.article_ids, pa.array(a_ids[is_new], type=pa.string())])
    n_articles = n_old + len(new_positions)
    # the rows of the fetched articles (all their events, mentions and people) name them by id
    position_of = dict(zip(a_ids.tolist(), at.tolist(), strict=True)) if changed is not None else None

    def article_positions(article: np.ndarray) -> np.ndarray:
        if position_of is not None:
            return np.fromiter((position_of.get(a, -1) for a in article), dtype=np.int64, count=len(article))
        found = pc.index_in(pa.array(article, type=pa.string()), value_set=model.article_ids)
        return np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    # every changed article already in the model loses its old mentions, people and events
    dirty = np.zeros(n_articles, dtype=bool)
    if changed is not None:
        dirty[at[~is_new]] = True
    for name, values in (("a_source", "source"), ("a_story", "story"), ("a_focus", "focus")):
        column = np.concatenate([getattr(base, name), np.full(len(new_positions), _NONE, np.int32)])
        if len(at):
            column[at] = np.concatenate(fetched[values])
        setattr(model, name, column)

    # events of the fetched articles
    event_key = queries.EVENT_KEY.replace("e.", "")
    event_where = where.format(col="article_id")
    parts: dict[str, list[np.ndarray]] = {k: [] for k in (
        "id", "article", "type", "status", "actor_country", "host", "date", "story", "actor", "counterpart",
        "event_key", "trip_unit", "participants", "place", "raw_host")}
    place_keys = _Vocab(base.place_keys)
    for (e_id, e_article, e_type, e_status, e_actor_country, e_host, e_date, e_story, e_actor, e_counterpart,
         e_key, e_trip, e_participants, e_place) in _chunks(con, f"""
            SELECT event_id, article_id, type, status, actor_country, host_country, date, story_id, actor,
                   counterpart, {event_key}, coalesce(trip_id, story_id, event_id), participants,
                   CASE WHEN place IS NOT NULL THEN place || char(31) || coalesce(host_country, '') END
            FROM events WHERE {event_where} AND article_id IN (SELECT id FROM articles)""", params):
        parts["id"].append(e_id)
        parts["article"].append(article_positions(e_article).astype(np.int32))
        parts["type"].append(types.encode(e_type))
        parts["status"].append(statuses.encode(e_status))
        parts["actor_country"].append(countries.encode(e_actor_country))
        parts["host"].append(countries.encode(e_host))
        parts["date"].append(e_date)
        parts["story"].append(stories.encode(e_story))
        parts["actor"].append(names.encode(e_actor))
        parts["counterpart"].append(names.encode(e_counterpart))
        parts["event_key"].append(event_keys.encode(e_key))
        parts["trip_unit"].append(trip_units.encode(e_trip))
        parts["participants"].append(e_participants)
        parts["place"].append(place_keys.encode(e_place))
        parts["raw_host"].append(e_host)
    raw = {"id", "date", "participants", "raw_host"}
    new_ev = {k: np.concatenate(v) if v else np.empty(0, object if k in raw else np.int32)
              for k, v in parts.items()}
    del parts

    # dates: the vocabulary grows in order; old ranks move with it
    model.dates, remap = _merge_dates(base, [a_pub_raw, new_ev["date"]])
    date_index = model.dates
    keep = ~dirty[base.e_article] if base.n_events else np.empty(0, bool)
    a_published = np.concatenate([_ranks(base.a_published, remap), np.full(len(new_positions), _NONE, np.int32)])
    if len(at):
        found = pc.index_in(pa.array(a_pub_raw, type=pa.string()), value_set=date_index).to_numpy(zero_copy_only=False)
        a_published[at] = np.where(pd.isna(found), _NONE, found).astype(np.int32)
    model.a_published = a_published
    own = pc.index_in(pa.array(new_ev["date"], type=pa.string()), value_set=date_index).to_numpy(zero_copy_only=False)
    own = np.where(pd.isna(own), _NONE, own).astype(np.int32) if len(own) else np.empty(0, np.int32)

    # events: the kept ones, then the fetched ones
    def joined(old: np.ndarray, new: np.ndarray) -> np.ndarray:
        return np.concatenate([old[keep], new.astype(old.dtype)]) if len(old) else new.astype(np.int32)

    model.e_article = joined(base.e_article, new_ev["article"])
    model.e_type = joined(base.e_type, new_ev["type"])
    model.e_status = joined(base.e_status, new_ev["status"])
    model.e_actor_country = joined(base.e_actor_country, new_ev["actor_country"])
    model.e_host = joined(base.e_host, new_ev["host"])
    model.e_own_date = joined(_ranks(base.e_own_date, remap), own)
    model.e_own_story = joined(base.e_own_story, new_ev["story"])
    model.e_actor = joined(base.e_actor, new_ev["actor"])
    model.e_counterpart = joined(base.e_counterpart, new_ev["counterpart"])
    model.e_event_key = joined(base.e_event_key, new_ev["event_key"])
    model.e_trip_unit = joined(base.e_trip_unit, new_ev["trip_unit"])
    model.e_place = joined(base.e_place, new_ev["place"])
    model.e_guest = joined(base.e_guest, _guests(new_ev, types.values, countries))
    kept_ids = base.event_ids.filter(pa.array(keep)) if base.n_events else base.event_ids
    model.event_ids = pa.concat_arrays([kept_ids, pa.array(new_ev["id"], type=pa.string())])
    new_index = np.cumsum(keep) - 1 if len(keep) else np.empty(0, np.int64)  # old event -> kept position
    n_kept = int(keep.sum()) if len(keep) else 0
    by_id = base.e_by_id[keep[base.e_by_id]] if len(base.e_by_id) else base.e_by_id
    by_id = new_index[by_id].astype(np.int32) if len(by_id) else np.empty(0, np.int32)
    if changed is None:
        model.e_by_id = pc.sort_indices(model.event_ids).to_numpy().astype(np.int32)
    else:
        model.e_by_id = _insert_by_id(by_id, model.event_ids, n_kept + np.arange(len(new_ev["id"])))
    # parties of calls
    call = types.encode(np.array(["call"], dtype=object))[0]
    calls_kept = keep[base.c_event] if len(base.c_event) else np.empty(0, bool)
    c_event = [new_index[base.c_event[calls_kept]].astype(np.int32)] if len(base.c_event) else []
    c_country = [base.c_country[calls_kept]] if len(base.c_country) else []
    pairs = [(n_kept + i, country) for i in np.flatnonzero(new_ev["type"] == call)
             for country in dict.fromkeys(str(new_ev["participants"][i] or "").split(",")) if country]
    if pairs:
        c_event.append(np.array([i for i, _ in pairs], dtype=np.int32))
        c_country.append(countries.encode(np.array([c for _, c in pairs], dtype=object)))
    model.c_event = np.concatenate(c_event) if c_event else _ints()
    model.c_country = np.concatenate(c_country) if c_country else _ints()

    # mentions and people of the fetched articles
    def pairs_of(sql: str, vocab: _Vocab, old_article: np.ndarray, old_value: np.ndarray) -> tuple[np.ndarray, ...]:
        articles = [old_article[~dirty[old_article]]] if len(old_article) else []
        values = [old_value[~dirty[old_article]]] if len(old_article) else []
        for value, article in _chunks(con, sql, params):
            local = article_positions(article)
            found = local >= 0
            articles.append(local[found].astype(np.int32))
            values.append(vocab.encode(value[found]))
        return (np.concatenate(articles) if articles else _ints(), np.concatenate(values) if values else _ints())

    m_article, m_country = pairs_of(
        f"""SELECT DISTINCT m.iso3, m.article_id FROM mentions m WHERE m.kind = 'country' AND m.iso3 IS NOT NULL
            AND {queries.COUNTED_MENTION} AND {where.format(col='m.article_id')}""",
        countries, base.m_article, base.m_country)
    n_kept_pairs = int(np.count_nonzero(~dirty[base.m_article])) if len(base.m_article) else 0
    fetched_pairs = (m_country[n_kept_pairs:], m_article[n_kept_pairs:])  # (country, article) read again
    by_article = np.argsort(m_article, kind="stable")  # the kept pairs are in order already: a merge
    model.m_article, model.m_country = m_article[by_article], m_country[by_article]
    model.p_article, model.p_name = pairs_of(
        f"SELECT DISTINCT name, article_id FROM people WHERE {where.format(col='article_id')}",
        names, base.p_article, base.p_name)

    # derived columns, recomputed whole (vectorised)
    model.e_date = np.where(model.e_own_date >= 0, model.e_own_date,
                            model.a_published[model.e_article] if len(model.e_article) else _NONE).astype(np.int32)
    model.e_story = np.where(model.e_own_story >= 0, model.e_own_story,
                             model.a_story[model.e_article] if len(model.e_article) else _NONE).astype(np.int32)
    keys = [_day_key(d) for d in date_index.to_pylist()] if remap is not None or not len(base.date_day) \
        else None
    model.date_day = np.array([k[0] for k in keys], dtype=np.int64) if keys is not None else base.date_day
    model.date_month = np.array([k[1] for k in keys], dtype=np.int32) if keys is not None else base.date_month
    known = model.e_date >= 0
    safe = np.maximum(model.e_date, 0)
    e_day = np.where(known, model.date_day[safe] if len(model.date_day) else -1, -1)
    model.e_month = np.where(known, model.date_month[safe] if len(model.date_month) else _NONE, _NONE).astype(np.int32)
    if changed is None or not len(base.e_order):
        model.e_order = np.lexsort((_rank_of(model.e_by_id), e_day)).astype(np.int32)
    else:  # the kept events keep their order (their day cannot change: a new day re-reads the article)
        old_order = base.e_order[keep[base.e_order]]
        model.e_order = _insert_ordered(new_index[old_order].astype(np.int32), n_kept + np.arange(len(new_ev["id"])),
                                        e_day, model.event_ids, model.e_by_id)
    # group codes: a patch keeps those of the kept events (their keys cannot change without their article
    # being read again) and looks up or adds those of the fetched ones
    patch = changed is not None and base.n_events > 0 and len(base.gk_event) > 0
    kept_of = (lambda codes: codes[keep]) if patch else (lambda codes: None)
    fresh = slice(n_kept, None) if patch else slice(None)
    statuses_bits, months = 64, 100_000  # statuses < 64, months < 100,000: keys stay the same as vocabularies grow
    event_key = ((model.e_event_key[fresh].astype(np.int64) * statuses_bits + model.e_status[fresh]) * months
                 + (model.e_month[fresh].astype(np.int64) + 1))
    model.e_event_group, model.gk_event, _ = _grouped(event_key, model.e_host[fresh], kept_of(base.e_event_group),
                                                      base.gk_event, base.g_trip_host[:0])
    # coalesce(e.story_id, a.story_id, e.article_id): a story (even) or an article (odd)
    story, article = model.e_story[fresh].astype(np.int64), model.e_article[fresh].astype(np.int64)
    unit = np.where(story >= 0, story * 2, article * 2 + 1)
    host = model.e_host[fresh].astype(np.int64) + 1
    model.e_unit_group, model.gk_unit, model.g_unit_host = _grouped(
        host * 2**33 + unit, model.e_host[fresh], kept_of(base.e_unit_group), base.gk_unit, base.g_unit_host)
    model.e_trip_group, model.gk_trip, model.g_trip_host = _grouped(
        host * 2**32 + model.e_trip_unit[fresh], model.e_host[fresh], kept_of(base.e_trip_group), base.gk_trip,
        base.g_trip_host)
    visit, meeting = _find_in(types.values, pa.array(["visit", "meeting"], type=pa.string()))
    place, event_key = model.e_place[fresh].astype(np.int64), model.e_event_key[fresh].astype(np.int64)
    placed = ((model.e_type[fresh] == visit) | (model.e_type[fresh] == meeting)) & (place >= 0)
    model.e_place_event, model.gk_place_event, _ = _grouped(
        np.where(placed, place * 2**32 + event_key, -1), model.e_host[fresh],
        kept_of(base.e_place_event), base.gk_place_event, base.g_trip_host[:0])
    model.e_guest_event, model.gk_guest_event, _ = _grouped(
        (model.e_guest[fresh].astype(np.int64) + 1) * 2**32 + event_key, model.e_host[fresh],
        kept_of(base.e_guest_event), base.gk_guest_event, base.g_trip_host[:0])
    actor, other = model.e_actor[fresh].astype(np.int64), model.e_counterpart[fresh].astype(np.int64)
    paired = (model.e_type[fresh] == meeting) & (actor >= 0) & (other >= 0) & (actor != other)
    model.e_leader_pair, model.gk_leader_pair, _ = _grouped(
        np.where(paired, np.minimum(actor, other) * 2**32 + np.maximum(actor, other), -1), model.e_host[fresh],
        kept_of(base.e_leader_pair), base.gk_leader_pair, base.g_trip_host[:0])
    leader_pair = model.e_leader_pair[fresh].astype(np.int64)
    model.e_leader_event, model.gk_leader_event, _ = _grouped(
        np.where(paired, leader_pair * 2**32 + event_key, -1), model.e_host[fresh],
        kept_of(base.e_leader_event), base.gk_leader_event, base.g_trip_host[:0])
    n_countries = len(countries.values)
    if changed is None or not len(base.cm_start):
        model.cm_start, model.cm_article = _postings(model.m_country, model.m_article, n_countries)
        events = np.arange(model.n_events, dtype=np.int32)
        model.ce_start, model.ce_event = _postings(
            np.concatenate([model.e_host, model.e_actor_country, model.c_country]),
            np.concatenate([events, events, model.c_event]), n_countries)
    else:  # the kept entries stay in place (events renumbered), the fetched ones are put in
        model.cm_start, model.cm_article = _patched_postings(
            base.cm_start, base.cm_article, dirty, None, *fetched_pairs, n_countries)
        fresh_events = np.arange(n_kept, model.n_events, dtype=np.int32)
        fresh_calls = model.c_event >= n_kept
        model.ce_start, model.ce_event = _patched_postings(
            base.ce_start, base.ce_event, ~keep, new_index,
            np.concatenate([model.e_host[n_kept:], model.e_actor_country[n_kept:], model.c_country[fresh_calls]]),
            np.concatenate([fresh_events, fresh_events, model.c_event[fresh_calls]]), n_countries)
    if changed is None:
        model.a_by_id = pc.sort_indices(model.article_ids).to_numpy().astype(np.int32)
    else:
        model.a_by_id = _insert_by_id(base.a_by_id, model.article_ids, new_positions)
    newest = np.where(model.a_published >= 0, -model.a_published.astype(np.int64), 1)
    if changed is None or not len(base.a_order):
        model.a_order = np.lexsort((_rank_of(model.a_by_id), newest)).astype(np.int32)
    else:  # the unchanged articles keep their order; the changed ones (a new date, maybe) go in again
        model.a_order = _insert_ordered(base.a_order[~dirty[base.a_order]], at, newest, model.article_ids,
                                        model.a_by_id)

    # stories (a table next to articles): most recent first, NULL last, then id. A patch reads the rows of
    # the stories its articles were or are in, and moves those alone in the order.
    touched = None if changed is None or not len(base.s_last) else np.unique(
        np.concatenate([base.a_story[at[~is_new]], model.a_story[at]]) if len(at) else _ints())
    sql, story_params = "SELECT story_id, last_seen FROM stories", ()
    if touched is not None:
        touched = touched[touched >= 0]
        sql += " WHERE story_id IN (SELECT value FROM json_each(?))"
        story_params = (json.dumps(stories.values.take(pa.array(touched, type=pa.int64())).to_pylist()),)
    codes, seen = [], []
    for story_id, last_seen in _chunks(con, sql, story_params):
        codes.append(stories.encode(story_id))
        seen.append(last_seen)
    s_codes = np.concatenate(codes) if codes else _ints()
    s_seen = np.concatenate(seen) if seen else np.empty(0, object)
    s_last = np.full(len(stories.values), _NONE, dtype=np.int64)
    if touched is not None:
        s_last[:len(base.s_last)] = base.s_last
        s_last[touched] = _NONE
    s_last[s_codes] = _day_keys(s_seen)
    model.s_last = s_last
    if touched is None:
        model.s_order = _by_key_then_id(s_codes, _story_key(s_last), stories.values)
    else:  # never a full sort: the stories have no id order kept
        kept = base.s_order[~_isin(base.s_order, touched)] if len(base.s_order) else _ints()
        model.s_order = _insert_ordered(kept, s_codes, _story_key(s_last), stories.values)

    # sidebar people: the most mentioned (distinct articles), ties by name
    model.names = names.values
    counts = np.bincount(model.p_name[model.p_name >= 0], minlength=len(model.names)) if len(model.p_name) else _longs()
    if len(counts):
        cut = np.sort(counts)[::-1][min(max_people, len(counts)) - 1]
        candidates = np.flatnonzero((counts >= cut) & (counts > 0))
        labels = model.names.take(pa.array(candidates, type=pa.int64())).to_pylist()
        ranked = sorted(zip(candidates, labels, strict=True), key=lambda c: (-counts[c[0]], c[1]))
        model.option_people = [label for _, label in ranked[:max_people]]
    else:
        model.option_people = []
    model.stories = stories.values
    model.countries = countries.values.to_pylist()
    model.sources = sources.values.to_pylist()
    model.types = types.values.to_pylist()
    model.statuses = statuses.values.to_pylist()
    model.event_keys, model.trip_units = event_keys.hashes, trip_units.hashes
    model.place_keys = place_keys.values
    return model


def _guests(events: dict[str, np.ndarray], types: pa.Array, countries: _Vocab) -> np.ndarray:
    """The guest country code of each fetched event (``queries.GUEST_COUNTRY``): a visit's visitor; a meeting's
    actor unless the actor is from the host country, then the first other participant; -1 for the rest."""
    visit, meeting = _find_in(types, pa.array(["visit", "meeting"], type=pa.string()))
    kind, actor, host = events["type"], events["actor_country"], events["host"]
    guest = np.where((kind == visit) | ((kind == meeting) & (actor >= 0) & (actor != host)), actor, _NONE)
    received = np.flatnonzero((kind == meeting) & ((actor < 0) | (actor == host)))
    if len(received):
        hosts, lists = events["raw_host"][received], events["participants"][received]
        others = [next((c for c in str(p or "").split(",") if c and c != h), None)
                  for p, h in zip(lists, hosts, strict=True)]
        guest[received] = countries.encode(np.array(others, dtype=object))
    return guest.astype(np.int32)


def _grouped(keys: np.ndarray, host: np.ndarray, kept: np.ndarray | None, group_keys: np.ndarray,
             group_host: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dense group codes of ``keys`` (one per event), every code's key, and every code's host (-1: none).

    With ``kept`` (the codes of the events kept from the last model, which come first) only ``keys`` of the
    events after them are coded: a key seen before takes its code, a new one the next free code."""
    if kept is None:
        if not len(keys):
            return _ints(), _longs(), _ints()
        codes, uniques = pd.factorize(keys)
        hosts = np.empty(len(uniques), dtype=np.int32)
        hosts[codes] = host
        return codes.astype(np.int32), np.asarray(uniques, dtype=np.int64), hosts
    distinct, inverse = np.unique(keys, return_inverse=True)
    codes = _find_in(pa.array(group_keys, type=pa.int64()), pa.array(distinct, type=pa.int64()))[inverse]
    missing = np.flatnonzero(codes < 0)
    local, uniques = pd.factorize(keys[missing]) if len(missing) else (_ints(), _longs())
    codes[missing] = len(group_keys) + local
    hosts = np.empty(len(uniques), dtype=np.int32)
    hosts[local] = host[missing]
    return (np.concatenate([kept, codes]).astype(np.int32), np.concatenate([group_keys, np.asarray(uniques, np.int64)]),
            np.concatenate([group_host, hosts]))


# -- rows read back by id -------------------------------------------------------------------
def _by_ids(con: sqlite3.Connection, sql: str, ids: Sequence[str], key: str) -> pd.DataFrame:
    """``sql`` (with one ``{marks}`` placeholder for the ids) run in chunks, rows in ``ids`` order."""
    frames = []
    for lo in range(0, len(ids), _ID_CHUNK):
        chunk = list(ids[lo:lo + _ID_CHUNK])
        frames.append(queries._frame(con, sql.format(marks=",".join("?" * len(chunk))), chunk))
    if not frames:
        return queries._frame(con, sql.format(marks="NULL"), [])
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    position = {v: i for i, v in enumerate(ids)}
    return df.iloc[np.argsort([position[v] for v in df[key]], kind="stable")].reset_index(drop=True)


def visit_timeline(model: ReadModel, db: Store | sqlite3.Connection, f: Filters,
                   limit: int = queries.TIMELINE_LIMIT) -> pd.DataFrame:
    """queries.visit_timeline: the masks choose the events, SQLite gives their rows."""
    ids, _ = model.timeline_ids(f, limit)
    con = db.con if isinstance(db, Store) else db
    df = _by_ids(con, queries.TIMELINE_ROWS + " WHERE e.event_id IN ({marks})", ids, "event_id")
    df = queries._with_names(df, "host_country", "host_name")
    return queries._with_names(df, "actor_country", "actor_country_name")


def articles_page(model: ReadModel, db: Store | sqlite3.Connection, f: Filters, limit: int = 50,
                  offset: int = 0) -> pd.DataFrame:
    """queries.articles_page: the masks choose the page, SQLite gives its rows."""
    con = db.con if isinstance(db, Store) else db
    return _by_ids(con, queries.ARTICLE_ROWS + " WHERE a.id IN ({marks})", model.article_page_ids(f, limit, offset),
                   "id")


def stories_page(model: ReadModel, db: Store | sqlite3.Connection, f: Filters, limit: int = 50,
                 offset: int = 0) -> pd.DataFrame:
    """queries.stories_page: the masks choose the page, SQLite gives its rows."""
    con = db.con if isinstance(db, Store) else db
    return _by_ids(con, queries.STORY_ROWS + " WHERE s.story_id IN ({marks})",
                   model.story_page_ids(f, limit, offset), "story_id")


def pair_events(model: ReadModel, db: Store | sqlite3.Connection, f: Filters, visitor: str, host: str,
                limit: int = 100) -> pd.DataFrame:
    """queries.pair_events: the masks choose the reports, SQLite gives their rows."""
    con = db.con if isinstance(db, Store) else db
    return _by_ids(con, queries.TIMELINE_ROWS + " WHERE e.event_id IN ({marks})",
                   model.pair_event_ids(f, visitor, host, limit), "event_id")


# -- snapshot files --------------------------------------------------------------------------
_LISTS = ("countries", "sources", "types", "statuses", "option_people")


def snapshot_dir(store_path: Path | str) -> Path:
    """Where the snapshot of ``store_path`` lives: ``<store>.readmodel/`` beside it."""
    path = Path(store_path)
    return path.with_name(path.name + ".readmodel")


def _version_file(version: str) -> str:
    return hashlib.sha256(version.encode()).hexdigest()[:16]


def save(model: ReadModel, directory: Path) -> Path:
    """Write ``model`` as Arrow IPC files in a new folder, swapped in atomically; returns it."""
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / _version_file(model.version)
    if final.exists():
        if _format_of(final) == SNAPSHOT_FORMAT:
            return final
        shutil.rmtree(final, ignore_errors=True)  # written by another release of this code
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=directory))
    try:
        for item in fields(model):
            value = getattr(model, item.name)
            if isinstance(value, np.ndarray | pa.Array):
                table = pa.table({item.name: value if isinstance(value, pa.Array) else pa.array(value)})
            elif item.name in _LISTS:
                table = pa.table({item.name: pa.array(value, type=pa.string())})
            else:
                continue
            with pa.OSFile(str(tmp / f"{item.name}.arrow"), "wb") as sink, \
                    pa.ipc.new_file(sink, table.schema) as writer:
                writer.write_table(table)
        (tmp / "meta.json").write_text(json.dumps({"format": SNAPSHOT_FORMAT, "version": model.version,
                                                   "change_seq": model.change_seq}))
        os.replace(tmp, final)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    for old in directory.iterdir():  # keep only this version (and folders being written)
        if old != final and not old.name.startswith(".tmp-"):
            shutil.rmtree(old, ignore_errors=True)
    return final


def _format_of(folder: Path) -> object:
    try:
        return json.loads((folder / "meta.json").read_text()).get("format")
    except (OSError, ValueError, AttributeError):
        return None


def load(folder: Path) -> ReadModel:
    """A snapshot folder memory-mapped back into a ReadModel (arrays are read-only views)."""
    meta = json.loads((folder / "meta.json").read_text())
    if meta.get("format") != SNAPSHOT_FORMAT:
        raise ValueError(f"snapshot format {meta.get('format')} is not {SNAPSHOT_FORMAT}")
    model = ReadModel(version=meta["version"], change_seq=int(meta.get("change_seq", -1)))
    for item in fields(model):
        path = folder / f"{item.name}.arrow"
        if not path.exists():
            continue
        column = pa.ipc.open_file(pa.memory_map(str(path), "r")).read_all().column(0)
        if item.name in _LISTS:
            setattr(model, item.name, column.to_pylist())
        elif pa.types.is_string(column.type):
            setattr(model, item.name, column.combine_chunks())
        else:
            setattr(model, item.name, column.to_numpy())
    return model


def load_snapshot(store_path: Path | str, version: str) -> ReadModel | None:
    """The persisted model of ``version``, or None when there is none (or it cannot be read)."""
    folder = snapshot_dir(store_path) / _version_file(version)
    try:
        return load(folder) if folder.exists() else None
    except (OSError, ValueError, KeyError, pa.ArrowException):
        return None


def latest_snapshot(store_path: Path | str) -> ReadModel | None:
    """The snapshot beside the store whatever its version (a base to patch), or None."""
    directory = snapshot_dir(store_path)
    if not directory.is_dir():
        return None
    for folder in sorted(directory.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True):
        if folder.name.startswith(".tmp-"):
            continue
        try:
            return load(folder)
        except (OSError, ValueError, KeyError, pa.ArrowException):
            continue
    return None


def write_snapshot(store: Store) -> Path:
    """Bring the snapshot beside the store up to date (patched from the change journal when one exists,
    else built), save it and forget the journal rows it now holds. For writers only."""
    created = ensure_journal(store.con)
    base = None if created else latest_snapshot(store.path)
    model = refresh(base, store) if base is not None else build(store)
    folder = save(model, snapshot_dir(store.path))
    if model.change_seq >= 0:
        trim_journal(store.con, model.change_seq)
    return folder


def current(store_path: Path | str, con: sqlite3.Connection, previous: ReadModel | None = None) -> ReadModel:
    """The model of the store's current version: its snapshot when there is one, else ``previous`` (or the
    latest snapshot) patched from the change journal, else a full build; saved for the next cold start."""
    version = queries.data_version(con)
    model = load_snapshot(store_path, version)
    if model is not None:
        return model
    base = previous if previous is not None else latest_snapshot(store_path)
    model = refresh(base, con) if base is not None else build(con)
    with contextlib.suppress(OSError):  # a read-only folder: the model still serves this process
        shutil.rmtree(snapshot_dir(store_path) / _version_file(model.version), ignore_errors=True)  # unreadable
        save(model, snapshot_dir(store_path))
    return model
