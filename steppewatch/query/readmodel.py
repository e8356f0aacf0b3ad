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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from steppewatch.query import queries
from steppewatch.query.filters import Filters
from steppewatch.store.db import Store

SNAPSHOT_FORMAT = 1
# Most ids bound into one SQL statement when rows are read back by id.
_ID_CHUNK = 900
_NONE = -1


# -- vocabularies ---------------------------------------------------------------------------
def _codes(values: Sequence[object], vocabulary: dict[str, int] | None = None) -> tuple[np.ndarray, list[str]]:
    """Integer codes of ``values`` (None -> -1) and the vocabulary in code order."""
    vocab: dict[str, int] = {} if vocabulary is None else vocabulary
    out = np.empty(len(values), dtype=np.int32)
    for i, v in enumerate(values):
        if v is None:
            out[i] = _NONE
        else:
            code = vocab.get(v)  # type: ignore[call-overload]
            if code is None:
                code = vocab[v] = len(vocab)  # type: ignore[index]
            out[i] = code
    return out, list(vocab)


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


def _take(values: pa.Array, positions: np.ndarray) -> list[str]:
    return values.take(pa.array(positions, type=pa.int64())).to_pylist() if len(positions) else []


def _ints() -> np.ndarray:
    return np.empty(0, np.int32)


def _empty() -> pa.Array:
    return pa.array([], type=pa.string())


@dataclass
class ReadModel:
    """Columns of the store for filtering and counting (see the module docstring)."""

    version: str = ""
    # vocabularies (codes index into them)
    dates: pa.Array = field(default_factory=_empty)       # sorted distinct date strings (ranks)
    countries: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    stories: pa.Array = field(default_factory=_empty)
    names: pa.Array = field(default_factory=_empty)       # people names, event actors and counterparts
    types: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    article_ids: pa.Array = field(default_factory=_empty)
    event_ids: pa.Array = field(default_factory=_empty)
    # articles (one row each)
    a_published: np.ndarray = field(default_factory=_ints)  # date rank, -1 NULL
    a_source: np.ndarray = field(default_factory=_ints)
    a_story: np.ndarray = field(default_factory=_ints)
    a_focus: np.ndarray = field(default_factory=_ints)
    a_order: np.ndarray = field(default_factory=_ints)      # newest first
    # distinct (country, article) pairs of counted country mentions
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
    e_date: np.ndarray = field(default_factory=_ints)       # rank of coalesce(date, published)
    e_story: np.ndarray = field(default_factory=_ints)      # coalesce(e.story, a.story)
    e_actor: np.ndarray = field(default_factory=_ints)
    e_counterpart: np.ndarray = field(default_factory=_ints)
    e_visit_key: np.ndarray = field(default_factory=_ints)  # queries.VISIT_KEY
    e_trip_unit: np.ndarray = field(default_factory=_ints)  # coalesce(trip, story, event)
    e_story_unit: np.ndarray = field(default_factory=_ints)  # coalesce(e.story, a.story, article)
    e_order: np.ndarray = field(default_factory=_ints)      # (day, event id) ascending
    e_month: np.ndarray = field(default_factory=_ints)      # year * 12 + month - 1 of the day, -1 unknown
    # parties of calls (a call matches a country filter when one of its participants is in it)
    c_event: np.ndarray = field(default_factory=_ints)
    c_country: np.ndarray = field(default_factory=_ints)
    # stories, most recent first, as codes into ``stories`` (stories table rows only)
    s_order: np.ndarray = field(default_factory=_ints)
    # sidebar options
    option_people: list[str] = field(default_factory=list)

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
        """Events hosted or made by one of ``wanted``, or calls one of them takes part in."""
        hit = np.isin(self.e_host, wanted) | np.isin(self.e_actor_country, wanted)
        calls = self.c_event[np.isin(self.c_country, wanted)]
        hit[calls] = True  # c_event lists calls only
        return hit

    def _people_articles(self, wanted: np.ndarray) -> np.ndarray:
        has = np.zeros(self.n_articles, dtype=bool)
        has[self.p_article[np.isin(self.p_name, wanted)]] = True
        return has

    def article_mask(self, f: Filters) -> np.ndarray:
        """The articles that match ``f`` (queries.article_where)."""
        mask = np.ones(self.n_articles, dtype=bool)
        if f.countries:
            wanted = _lookup(self.countries, f.countries)
            has = np.zeros(self.n_articles, dtype=bool)
            has[self.m_article[np.isin(self.m_country, wanted)]] = True
            has[self.e_article[self._country_events(wanted)]] = True
            mask &= has
        if f.date_from or f.date_to:
            lo, hi = self._date_bounds(f)
            mask &= (self.a_published >= lo) & (self.a_published < hi)
        if f.sources:
            mask &= np.isin(self.a_source, _lookup(self.sources, f.sources))
        if f.event_types:
            has = np.zeros(self.n_articles, dtype=bool)
            has[self.e_article[np.isin(self.e_type, _lookup(self.types, f.event_types))]] = True
            mask &= has
        if f.people:
            mask &= self._people_articles(_lookup(self.names, f.people))
        if f.story:
            mask &= self.a_story == self._story_code(f.story)
        return mask

    def event_mask(self, f: Filters) -> np.ndarray:
        """The events that match ``f`` (queries.event_where)."""
        mask = np.ones(self.n_events, dtype=bool)
        if f.countries:
            mask &= self._country_events(_lookup(self.countries, f.countries))
        if f.date_from or f.date_to:
            lo, hi = self._date_bounds(f)
            mask &= (self.e_date >= lo) & (self.e_date < hi)
        if f.sources:
            mask &= np.isin(self.a_source[self.e_article], _lookup(self.sources, f.sources))
        if f.event_types:
            mask &= np.isin(self.e_type, _lookup(self.types, f.event_types))
        if f.people:
            wanted = _lookup(self.names, f.people)
            mask &= (np.isin(self.e_actor, wanted) | np.isin(self.e_counterpart, wanted)
                     | self._people_articles(wanted)[self.e_article])
        if f.story:
            mask &= self.e_story == self._story_code(f.story)
        return mask

    def _story_code(self, story: str) -> int:
        codes = _lookup(self.stories, [story])
        return int(codes[0]) if len(codes) else -2  # -2: matches nothing (-1 is NULL)

    def _day(self, rank: int) -> str:
        return str(self.dates[rank].as_py())[:10]

    def _code(self, vocabulary: Vocabulary, value: str) -> int:
        codes = _lookup(vocabulary, [value])
        return int(codes[0]) if len(codes) else -2

    # -- the Overview's aggregates --------------------------------------------------------
    def headline_numbers(self, f: Filters) -> pd.DataFrame:
        """queries.headline_numbers from the masks."""
        amask = self.article_mask(f)
        published = self.a_published[amask]
        published = published[published >= 0]
        sources = self.a_source[amask]
        stories = self.a_story[amask]
        countries = np.unique(self.m_country[amask[self.m_article]])
        emask = self.event_mask(f)
        visit = emask & (self.e_type == self._code(self.types, "visit"))
        occurred = visit & (self.e_status == self._code(self.statuses, "occurred"))
        planned = visit & (self.e_status == self._code(self.statuses, "planned"))
        row = {
            "articles": int(amask.sum()),
            "sources": len(np.unique(sources[sources >= 0])),
            "stories": len(np.unique(stories[stories >= 0])),
            "first_published": self._day(int(published.min())) if len(published) else None,
            "last_published": self._day(int(published.max())) if len(published) else None,
            "countries": len(countries),
            "visits_occurred": len(np.unique(self.e_visit_key[occurred])),
            "visits_planned": len(np.unique(self.e_visit_key[planned])),
            "meetings": int((emask & (self.e_type == self._code(self.types, "meeting"))).sum()),
            "calls": int((emask & (self.e_type == self._code(self.types, "call"))).sum()),
        }
        return pd.DataFrame([row])

    def country_counts(self, f: Filters, metric: str | None = None) -> pd.DataFrame:
        """queries.country_counts from the masks (same metrics, same order)."""
        metric = metric or f.metric
        if metric == "mentions":
            codes = self.m_country[self.article_mask(f)[self.m_article]]
            counts = np.bincount(codes, minlength=len(self.countries))
        elif metric in {"visits", "events"}:
            emask = self.event_mask(f) & (self.e_host >= 0)
            if metric == "visits":
                emask &= (self.e_type == self._code(self.types, "visit")) & (
                    self.e_status == self._code(self.statuses, "occurred"))
                units = self.e_trip_unit
            else:
                emask &= (self.e_status != self._code(self.statuses, "cancelled")) & (
                    self.e_type != self._code(self.types, "call"))
                units = self.e_story_unit
            pairs = np.unique(self.e_host[emask].astype(np.int64) * (int(units.max(initial=0)) + 1)
                              + units[emask])
            hosts = pairs // (int(units.max(initial=0)) + 1)
            counts = np.bincount(hosts.astype(np.int64), minlength=len(self.countries))
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
        ordered = self.e_order[self.event_mask(f)[self.e_order]]
        return _take(self.event_ids, ordered[-limit:]) if limit > 0 else [], len(ordered)

    def timeline_summary(self, f: Filters) -> pd.DataFrame:
        """The timeline as counts: one row per (host country, type, status, month) of matching events.

        Columns iso3 (None: a call, or no host), type, status, month ("YYYY-MM"), n. A visit counts
        once however many reports carry it (``queries.VISIT_KEY``); meetings and calls count each report.
        """
        mask = self.event_mask(f) & (self.e_month >= 0)
        idx = np.flatnonzero(mask)
        columns = ["iso3", "type", "status", "month", "n"]
        if not len(idx):
            return pd.DataFrame({c: [] for c in columns})
        call = self._code(self.types, "call")
        host = np.where(self.e_type[idx] == call, -1, self.e_host[idx]).astype(np.int64)
        visit = self._code(self.types, "visit")
        # visits: one per visit key; others: one per event
        unit = np.where(self.e_type[idx] == visit, self.e_visit_key[idx].astype(np.int64),
                        -1 - idx.astype(np.int64))
        frame = pd.DataFrame({"host": host, "type": self.e_type[idx], "status": self.e_status[idx],
                              "month": self.e_month[idx], "unit": unit}).drop_duplicates()
        counts = frame.groupby(["host", "type", "status", "month"], sort=True).size().reset_index(name="n")
        return pd.DataFrame({
            "iso3": pd.Series([self.countries[h] if h >= 0 else None for h in counts["host"]], dtype=object),
            "type": [self.types[t] for t in counts["type"]],
            "status": [self.statuses[t] for t in counts["status"]],
            "month": [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in counts["month"]],
            "n": counts["n"].astype(np.int64)})

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


# -- building from the store -----------------------------------------------------------------
def _rows(con: sqlite3.Connection, sql: str) -> list[tuple[object, ...]]:
    return con.execute(sql).fetchall()


def build(db: Store | sqlite3.Connection, max_people: int = 300) -> ReadModel:
    """Read the store's filterable facts into a ReadModel (one pass per table, one read transaction:
    a writer committing meanwhile is not half seen)."""
    con = db.con if isinstance(db, Store) else db
    if con.in_transaction:
        return _build(con, max_people)
    con.execute("BEGIN")
    try:
        return _build(con, max_people)
    finally:
        con.rollback()


def _build(con: sqlite3.Connection, max_people: int) -> ReadModel:
    version = queries.data_version(con)
    model = ReadModel(version=version)
    articles = _rows(con, "SELECT id, published, source, story_id, focus_country FROM articles")
    ids = [r[0] for r in articles]
    index = {a: i for i, a in enumerate(ids)}
    events = _rows(con, """
        SELECT e.event_id, e.article_id, e.type, e.status, e.actor_country, e.host_country,
               coalesce(e.date, a.published), coalesce(e.story_id, a.story_id), e.actor, e.counterpart,
               """ + queries.VISIT_KEY + """, coalesce(e.trip_id, e.story_id, e.event_id),
               coalesce(e.story_id, a.story_id, e.article_id), e.participants,
               substr(coalesce(e.date, a.published), 1, 10)
        FROM events e JOIN articles a ON a.id = e.article_id""")
    # one sorted vocabulary of every date string compared with a bound
    dates = sorted({r[1] for r in articles if r[1] is not None} | {r[6] for r in events if r[6] is not None})
    rank = {d: i for i, d in enumerate(dates)}
    model.a_published = np.array([rank[r[1]] if r[1] is not None else _NONE for r in articles], dtype=np.int32)
    model.a_source, model.sources = _codes([r[2] for r in articles])
    story_vocab: dict[str, int] = {}
    model.a_story, _ = _codes([r[3] for r in articles], story_vocab)
    country_vocab: dict[str, int] = {}
    model.a_focus, _ = _codes([r[4] for r in articles], country_vocab)
    # newest first, NULL published last, then id (queries.articles_page)
    keyed = sorted(range(len(ids)), key=lambda i: ids[i])
    keyed.sort(key=lambda i: model.a_published[i], reverse=True)
    model.a_order = np.array([i for i in keyed if model.a_published[i] >= 0]
                             + [i for i in keyed if model.a_published[i] < 0], dtype=np.int32)

    pairs = _rows(con, f"""SELECT DISTINCT m.iso3, m.article_id FROM mentions m
                          WHERE m.kind = 'country' AND m.iso3 IS NOT NULL AND {queries.COUNTED_MENTION}""")
    model.m_country, _ = _codes([r[0] for r in pairs], country_vocab)
    model.m_article = np.array([index[r[1]] for r in pairs], dtype=np.int32)

    name_vocab: dict[str, int] = {}
    people = _rows(con, "SELECT DISTINCT name, article_id FROM people")
    model.p_name, _ = _codes([r[0] for r in people], name_vocab)
    model.p_article = np.array([index[r[1]] for r in people], dtype=np.int32)
    model.option_people = [r[0] for r in con.execute(
        "SELECT name FROM people GROUP BY name ORDER BY count(DISTINCT article_id) DESC, name LIMIT ?",
        (max_people,))]

    model.e_article = np.array([index[r[1]] for r in events], dtype=np.int32)
    model.e_type, model.types = _codes([r[2] for r in events])
    model.e_status, model.statuses = _codes([r[3] for r in events])
    model.e_actor_country, _ = _codes([r[4] for r in events], country_vocab)
    model.e_host, _ = _codes([r[5] for r in events], country_vocab)
    model.e_date = np.array([rank[r[6]] if r[6] is not None else _NONE for r in events], dtype=np.int32)
    model.e_story, _ = _codes([r[7] for r in events], story_vocab)
    model.e_actor, _ = _codes([r[8] for r in events], name_vocab)
    model.e_counterpart, _ = _codes([r[9] for r in events], name_vocab)
    model.e_visit_key, _ = _codes([r[10] for r in events])
    model.e_trip_unit, _ = _codes([r[11] for r in events])
    model.e_story_unit, _ = _codes([r[12] for r in events])
    order = sorted(range(len(events)), key=lambda i: (events[i][14] or "", events[i][0]))
    model.e_order = np.array(order, dtype=np.int32)
    model.e_month = np.array([int(r[14][:4]) * 12 + int(r[14][5:7]) - 1
                              if r[14] and len(r[14]) >= 7 and r[14][:4].isdigit() and r[14][5:7].isdigit()
                              else _NONE for r in events], dtype=np.int32)
    calls = [(i, c) for i, r in enumerate(events) if r[2] == "call"
             for c in dict.fromkeys(str(r[13] or "").split(",")) if c]
    model.c_event = np.array([i for i, _ in calls], dtype=np.int32)
    model.c_country, _ = _codes([c for _, c in calls], country_vocab)

    stories = _rows(con, "SELECT story_id, last_seen FROM stories")
    for story_id, _ in stories:
        story_vocab.setdefault(story_id, len(story_vocab))
    ranked = sorted(stories, key=lambda r: r[0])
    ranked.sort(key=lambda r: (r[1] is not None, r[1] or ""), reverse=True)
    model.s_order = np.array([story_vocab[r[0]] for r in ranked], dtype=np.int32)
    model.stories = pa.array(list(story_vocab), type=pa.string())
    model.countries = list(country_vocab)
    model.names = pa.array(list(name_vocab), type=pa.string())
    model.article_ids = pa.array(ids, type=pa.string())
    model.event_ids = pa.array([r[0] for r in events], type=pa.string())
    model.dates = pa.array(dates, type=pa.string())
    return model


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
    df = _by_ids(con, """
        SELECT e.event_id, e.article_id, e.type, e.mode,
               substr(coalesce(e.date, a.published), 1, 10) AS date, e.date_precision,
               e.actor, e.actor_country, e.host_country, e.counterpart, e.place, e.status,
               e.format, e.evidence, e.trip_id, coalesce(e.story_id, a.story_id) AS story_id,
               a.source, a.title
        FROM events e JOIN articles a ON a.id = e.article_id
        WHERE e.event_id IN ({marks})""", ids, "event_id")
    df = queries._with_names(df, "host_country", "host_name")
    return queries._with_names(df, "actor_country", "actor_country_name")


def articles_page(model: ReadModel, db: Store | sqlite3.Connection, f: Filters, limit: int = 50,
                  offset: int = 0) -> pd.DataFrame:
    """queries.articles_page: the masks choose the page, SQLite gives its rows."""
    con = db.con if isinstance(db, Store) else db
    return _by_ids(con, """
        SELECT a.id, substr(a.published, 1, 10) AS published, a.source, a.title, a.language,
               a.focus_country, a.story_id,
               (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS events
        FROM articles a WHERE a.id IN ({marks})""", model.article_page_ids(f, limit, offset), "id")


def stories_page(model: ReadModel, db: Store | sqlite3.Connection, f: Filters, limit: int = 50,
                 offset: int = 0) -> pd.DataFrame:
    """queries.stories_page: the masks choose the page, SQLite gives its rows."""
    con = db.con if isinstance(db, Store) else db
    return _by_ids(con, """
        SELECT s.story_id, s.title, s.first_seen, s.last_seen, s.n_articles, s.n_independent,
               s.languages,
               (SELECT group_concat(src, ', ') FROM (SELECT DISTINCT a2.source AS src
                    FROM articles a2 WHERE a2.story_id = s.story_id AND a2.source IS NOT NULL
                    ORDER BY a2.source)) AS sources
        FROM stories s WHERE s.story_id IN ({marks})""", model.story_page_ids(f, limit, offset), "story_id")


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
        return final
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
        (tmp / "meta.json").write_text(json.dumps({"format": SNAPSHOT_FORMAT, "version": model.version}))
        os.replace(tmp, final)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    for old in directory.iterdir():  # keep only this version (and folders being written)
        if old != final and not old.name.startswith(".tmp-"):
            shutil.rmtree(old, ignore_errors=True)
    return final


def load(folder: Path) -> ReadModel:
    """A snapshot folder memory-mapped back into a ReadModel (arrays are read-only views)."""
    meta = json.loads((folder / "meta.json").read_text())
    if meta.get("format") != SNAPSHOT_FORMAT:
        raise ValueError(f"snapshot format {meta.get('format')} is not {SNAPSHOT_FORMAT}")
    model = ReadModel(version=meta["version"])
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


def write_snapshot(store: Store) -> Path:
    """Build the model of the store as it is now and persist it beside the store."""
    return save(build(store), snapshot_dir(store.path))


def current(store_path: Path | str, con: sqlite3.Connection) -> ReadModel:
    """The model of the store's current version: the snapshot when there is one, else built (and saved)."""
    version = queries.data_version(con)
    model = load_snapshot(store_path, version)
    if model is not None:
        return model
    model = build(con)
    with contextlib.suppress(OSError):  # a read-only folder: the model still serves this process
        shutil.rmtree(snapshot_dir(store_path) / _version_file(version), ignore_errors=True)  # unreadable
        save(model, snapshot_dir(store_path))
    return model
