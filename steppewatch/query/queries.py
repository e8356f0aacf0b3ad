"""Pure read queries: (store, Filters) -> small pandas DataFrames computed in SQL.

Every function aggregates or pages inside SQLite, so the dashboard never loads all rows.

Filter semantics (one place, used by every query):
- countries: an article matches when it mentions one of the countries or has an event that
  matches; an event matches when its host or actor country is one of them (a call, which has
  no host: when one of them takes part in it);
- dates: the article's published date (inclusive bounds); for events, the event date, or the
  article's published date when the event has none;
- sources, people, event types, story and the search (articles whose title or text match it:
  ``steppewatch.query.search``; events of those articles) narrow both articles and events.

Event types: ``visit``, ``meeting`` (in person, or how is not said) and ``call`` (a phone or video
contact, ``mode`` phone / video): calls are counted apart and never as an event taking place
somewhere.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field

import pandas as pd

from steppewatch.query.countries import country_name
from steppewatch.query.filters import Filters
from steppewatch.query.search import search_condition
from steppewatch.store.db import Store

DbLike = Store | sqlite3.Connection

# Upper bound on timeline points drawn at once.
TIMELINE_LIMIT = 2000

# How the parties met (``events.mode``), in plain words; NULL (stored before modes) reads "not stated".
MODE_WORDS: dict[str, str] = {"in_person": "in person", "phone": "by phone", "video": "by video link",
                              "unspecified": "not stated"}


def mode_words(mode: object) -> str:
    """``events.mode`` in plain words ("by phone"); "not stated" for NULL, NaN or ''."""
    if not isinstance(mode, str) or not mode:
        return MODE_WORDS["unspecified"]
    return MODE_WORDS.get(mode, mode)


@dataclass(frozen=True)
class FilterOptions:
    """Values the sidebar offers, read from the store."""

    sources: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    min_date: str | None = None
    max_date: str | None = None


@dataclass
class ArticleDetail:
    """One article with the facts extracted from it."""

    article: dict[str, object] | None
    mentions: pd.DataFrame = field(default_factory=pd.DataFrame)
    events: pd.DataFrame = field(default_factory=pd.DataFrame)
    people: pd.DataFrame = field(default_factory=pd.DataFrame)


# -- helpers --------------------------------------------------------------------------------
def _con(db: DbLike) -> sqlite3.Connection:
    return db.con if isinstance(db, Store) else db


def _frame(db: DbLike, sql: str, params: list[object] | tuple[object, ...] = ()) -> pd.DataFrame:
    cur = _con(db).execute(sql, tuple(params))
    columns = [d[0] for d in cur.description]
    return pd.DataFrame([tuple(r) for r in cur.fetchall()], columns=columns)


def _marks(values: tuple[str, ...]) -> str:
    return ",".join("?" * len(values))


# Sorts after any character an ISO date or timestamp can continue with.
_AFTER_ANY = "\U0010ffff"


def _day_start(day: dt.date) -> str:
    """Lower bound: ``value >= _day_start(d)`` iff ``substr(value, 1, 10) >= d``."""
    return day.isoformat()


def _day_end(day: dt.date) -> str:
    """Upper bound: ``value < _day_end(d)`` iff ``substr(value, 1, 10) <= d``.

    It keeps every value starting with the day ('2023-03-01', '2023-03-01T09:00:00Z') and
    excludes the prefixes of the next day ('2023-03' or '2024' when d is the last day), which
    a bound of "d + 1 day" would let in.
    """
    return day.isoformat() + _AFTER_ANY


def counted_mention(alias: str) -> str:
    """Country mentions that count: not a language ("Russian-speaking") or an attribute ("UK-based");
    NULL roles (stores written before roles) count."""
    return f"({alias}.role IS NULL OR {alias}.role NOT IN ('language', 'modifier'))"


def _date_range(column: str, f: Filters, conds: list[str], params: list[object]) -> None:
    """Append ``f``'s date window on ``column`` (ISO text: a day, or longer) to ``conds``/``params``."""
    if f.date_from:
        conds.append(f"{column} >= ?")
        params.append(_day_start(f.date_from))
    if f.date_to:
        conds.append(f"{column} < ?")
        params.append(_day_end(f.date_to))


def _call_party(event: str, countries: tuple[str, ...]) -> tuple[str, list[object]]:
    """SQL condition: ``event`` is a call one of ``countries`` takes part in (``participants``)."""
    any_of = " OR ".join([f"instr(',' || {event}.participants || ',', ?) > 0"] * len(countries))
    return f"({event}.type = 'call' AND ({any_of}))", [f",{c}," for c in countries]


def article_where(f: Filters, alias: str = "a") -> tuple[str, list[object]]:
    """SQL condition (and its parameters) selecting the articles that match ``f``."""
    conds: list[str] = []
    params: list[object] = []
    if f.countries:
        q = _marks(f.countries)
        call, call_params = _call_party("fe", f.countries)
        conds.append(
            f"(EXISTS (SELECT 1 FROM mentions fm WHERE fm.article_id = {alias}.id"
            f" AND fm.kind = 'country' AND fm.iso3 IN ({q}) AND {counted_mention('fm')})"
            f" OR EXISTS (SELECT 1 FROM events fe WHERE fe.article_id = {alias}.id"
            f" AND (fe.host_country IN ({q}) OR fe.actor_country IN ({q}) OR {call})))")
        params += [*f.countries, *f.countries, *f.countries, *call_params]
    # plain range comparisons on the raw column, so SQLite can use articles_published
    _date_range(f"{alias}.published", f, conds, params)
    if f.sources:
        conds.append(f"{alias}.source IN ({_marks(f.sources)})")
        params += list(f.sources)
    if f.event_types:
        conds.append(f"EXISTS (SELECT 1 FROM events ft WHERE ft.article_id = {alias}.id"
                     f" AND ft.type IN ({_marks(f.event_types)}))")
        params += list(f.event_types)
    if f.people:
        # an id set built once: as a correlated EXISTS, SQLite probes people_name for every
        # article and reads all of a person's rows each time (0.6 s at 10k articles)
        conds.append(f"{alias}.id IN (SELECT fp.article_id FROM people fp"
                     f" WHERE fp.name IN ({_marks(f.people)}))")
        params += list(f.people)
    if f.story:
        conds.append(f"{alias}.story_id = ?")
        params.append(f.story)
    _search(f, f"{alias}.rowid", conds, params)
    return (" AND ".join(conds) or "1 = 1"), params


def event_where(f: Filters, event: str = "e", article: str = "a") -> tuple[str, list[object]]:
    """SQL condition selecting the events (joined to their article) that match ``f``."""
    conds: list[str] = []
    params: list[object] = []
    if f.countries:
        q = _marks(f.countries)
        call, call_params = _call_party(event, f.countries)
        conds.append(f"({event}.host_country IN ({q}) OR {event}.actor_country IN ({q}) OR {call})")
        params += [*f.countries, *f.countries, *call_params]
    _date_range(f"COALESCE({event}.date, {article}.published)", f, conds, params)
    if f.sources:
        conds.append(f"{article}.source IN ({_marks(f.sources)})")
        params += list(f.sources)
    if f.event_types:
        conds.append(f"{event}.type IN ({_marks(f.event_types)})")
        params += list(f.event_types)
    if f.people:
        q = _marks(f.people)
        conds.append(f"({event}.actor IN ({q}) OR {event}.counterpart IN ({q})"
                     f" OR {event}.article_id IN (SELECT fp.article_id FROM people fp"
                     f" WHERE fp.name IN ({q})))")
        params += [*f.people, *f.people, *f.people]
    if f.story:
        conds.append(f"COALESCE({event}.story_id, {article}.story_id) = ?")
        params.append(f.story)
    _search(f, f"{article}.rowid", conds, params)
    return (" AND ".join(conds) or "1 = 1"), params


def _search(f: Filters, rowid_column: str, conds: list[str], params: list[object]) -> None:
    """Append ``f``'s search (articles whose title or text match; an event: its article's) to ``conds``."""
    condition = search_condition(f.search, rowid_column) if f.search else None
    if condition is not None:
        conds.append(condition[0])
        params += condition[1]


def _with_names(df: pd.DataFrame, code_column: str, name_column: str) -> pd.DataFrame:
    df[name_column] = [country_name(c) for c in df[code_column]] if len(df) else []
    return df


# -- queries --------------------------------------------------------------------------------
def matching_articles(f: Filters) -> tuple[str, str, list[object]]:
    """A CTE naming the ids of the matching articles once, for joins on large tables.

    Returns ``(with_clause, join_clause, params)``; the join reads ``JOIN fa ON fa.id = <col>``
    with ``{col}`` left to format. Unfiltered views need neither (both strings empty), so the
    aggregate runs on the table alone. ``MATERIALIZED`` keeps SQLite from flattening the CTE
    back into the join, which would evaluate the filter subqueries once per joined row.
    """
    where, params = article_where(f)
    if not params and where == "1 = 1":
        return "", "", []
    return (f"WITH fa(id) AS MATERIALIZED (SELECT a.id FROM articles a WHERE {where})",
            "JOIN fa ON fa.id = {col}", params)


COUNTED_MENTION = counted_mention("m")


# One visit however many reports of its story carry it: story (else article), visitor, host, day.
VISIT_KEY = ("coalesce(e.story_id, e.article_id) || '|' || coalesce(e.actor_country, '') || '|' ||"
             " coalesce(e.host_country, '') || '|' || coalesce(substr(e.date, 1, 10), '')")


def headline_numbers(db: DbLike, f: Filters) -> pd.DataFrame:
    """One row: articles, sources, countries, stories, visits (occurred/planned), meetings (in
    person or unstated), calls (phone or video), first and last published date, for the filtered view."""
    where, params = article_where(f)
    if params:
        articles = _frame(db, f"""
            SELECT count(*) AS articles, count(DISTINCT a.source) AS sources,
                   count(DISTINCT a.story_id) AS stories,
                   min(substr(a.published, 1, 10)) AS first_published,
                   max(substr(a.published, 1, 10)) AS last_published
            FROM articles a WHERE {where}""", params)
    else:
        # unfiltered: one index per figure instead of a scan of the wide articles table
        # (cutting to 10 characters is monotone, so substr(min(x)) = min(substr(x)))
        articles = _frame(db, """
            SELECT (SELECT count(*) FROM articles) AS articles,
                   (SELECT count(DISTINCT source) FROM articles) AS sources,
                   (SELECT count(DISTINCT story_id) FROM articles) AS stories,
                   (SELECT substr(min(published), 1, 10) FROM articles) AS first_published,
                   (SELECT substr(max(published), 1, 10) FROM articles) AS last_published""")
    with_fa, join_fa, fa_params = matching_articles(f)
    # per country: does any matching article mention it? (stops at the first hit; 2.5x faster at
    # 100k than counting distinct codes over every mention of the matching articles)
    countries = _frame(db, f"""
        {with_fa}
        SELECT count(*) AS countries FROM (SELECT DISTINCT iso3 FROM mentions
                                           WHERE kind = 'country' AND iso3 IS NOT NULL) c
        WHERE EXISTS (SELECT 1 FROM mentions m {join_fa.format(col="m.article_id")}
                      WHERE m.kind = 'country' AND m.iso3 = c.iso3 AND {COUNTED_MENTION})""", fa_params)
    ewhere, eparams = event_where(f)
    join = "JOIN articles a ON a.id = e.article_id" if eparams else ""  # unfiltered: events only
    events = _frame(db, f"""
        SELECT count(DISTINCT CASE WHEN e.type = 'visit' AND e.status = 'occurred' THEN {VISIT_KEY} END)
                   AS visits_occurred,
               count(DISTINCT CASE WHEN e.type = 'visit' AND e.status = 'planned' THEN {VISIT_KEY} END)
                   AS visits_planned,
               coalesce(sum(e.type = 'meeting'), 0) AS meetings,
               coalesce(sum(e.type = 'call'), 0) AS calls
        FROM events e {join} WHERE {ewhere}""", eparams)
    return pd.concat([articles, countries, events], axis=1)


def country_counts(db: DbLike, f: Filters, metric: str | None = None) -> pd.DataFrame:
    """Per-country counts (columns iso3, name, n), largest first.

    - ``mentions``: articles mentioning the country (mentions as a language or a modifier,
      "Russian-language", are not counted);
    - ``focus``: articles whose main country it is;
    - ``events``: event locations: stories (an unclustered article counts as its own story)
      with a visit or meeting taking place in the country, any status except cancelled (a
      phone or video call takes place nowhere);
    - ``visits``: occurred visits hosted by the country (one per trip, story or event).
    """
    metric = metric or f.metric
    if metric == "mentions":
        with_fa, join_fa, params = matching_articles(f)
        sql = f"""
            {with_fa}
            SELECT m.iso3 AS iso3, count(DISTINCT m.article_id) AS n FROM mentions m
            {join_fa.format(col="m.article_id")}
            WHERE m.kind = 'country' AND m.iso3 IS NOT NULL AND {COUNTED_MENTION}
            GROUP BY m.iso3"""
    elif metric == "visits":
        where, params = event_where(f)
        sql = f"""
            SELECT e.host_country AS iso3,
                   count(DISTINCT coalesce(e.trip_id, e.story_id, e.event_id)) AS n
            FROM events e JOIN articles a ON a.id = e.article_id
            WHERE e.type = 'visit' AND e.status = 'occurred' AND e.host_country IS NOT NULL
              AND {where}
            GROUP BY e.host_country"""
    elif metric == "events":
        where, params = event_where(f)
        sql = f"""
            SELECT e.host_country AS iso3,
                   count(DISTINCT coalesce(e.story_id, a.story_id, e.article_id)) AS n
            FROM events e JOIN articles a ON a.id = e.article_id
            WHERE e.status != 'cancelled' AND e.type != 'call' AND e.host_country IS NOT NULL
              AND {where}
            GROUP BY e.host_country"""
    elif metric == "focus":
        where, params = article_where(f)
        sql = f"""
            SELECT a.focus_country AS iso3, count(*) AS n FROM articles a
            WHERE a.focus_country IS NOT NULL AND {where}
            GROUP BY a.focus_country"""
    else:
        raise ValueError(f"unknown metric {metric!r}")
    df = _frame(db, sql + " ORDER BY n DESC, iso3", params)
    df = _with_names(df, "iso3", "name")
    return df[["iso3", "name", "n"]]


# The rows the pages show, each selected one way here and by id in the read model (readmodel.py).
TIMELINE_ROWS = """
        SELECT e.event_id, e.article_id, e.type, e.mode,
               substr(coalesce(e.date, a.published), 1, 10) AS date, e.date_precision,
               e.actor, e.actor_country, e.host_country, e.counterpart, e.place, e.status,
               e.format, e.evidence, e.trip_id, coalesce(e.story_id, a.story_id) AS story_id,
               a.source, a.title
        FROM events e JOIN articles a ON a.id = e.article_id"""
ARTICLE_ROWS = """
        SELECT a.id, substr(a.published, 1, 10) AS published, a.source, a.title, a.language,
               a.focus_country, a.story_id,
               (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS events
        FROM articles a"""
STORY_ROWS = """
        SELECT s.story_id, s.title, s.first_seen, s.last_seen, s.n_articles, s.n_independent,
               s.languages,
               (SELECT group_concat(src, ', ') FROM (SELECT DISTINCT a2.source AS src
                    FROM articles a2 WHERE a2.story_id = s.story_id AND a2.source IS NOT NULL
                    ORDER BY a2.source)) AS sources
        FROM stories s"""


def visit_timeline(db: DbLike, f: Filters, limit: int = TIMELINE_LIMIT) -> pd.DataFrame:
    """Visits, meetings and calls matching ``f``, oldest first: the most recent ``limit`` of them."""
    where, params = event_where(f)
    df = _frame(db, f"""
        SELECT * FROM ({TIMELINE_ROWS}
        WHERE {where}
        ORDER BY date DESC, e.event_id DESC LIMIT ?) ORDER BY date, event_id""", [*params, int(limit)])
    df = _with_names(df, "host_country", "host_name")
    return _with_names(df, "actor_country", "actor_country_name")


def articles_count(db: DbLike, f: Filters) -> int:
    """Number of articles matching ``f``."""
    where, params = article_where(f)
    return int(_con(db).execute(f"SELECT count(*) FROM articles a WHERE {where}",
                                tuple(params)).fetchone()[0])


def articles_page(db: DbLike, f: Filters, limit: int = 50, offset: int = 0) -> pd.DataFrame:
    """One page of matching articles, newest first."""
    where, params = article_where(f)
    return _frame(db, f"""{ARTICLE_ROWS} WHERE {where}
        ORDER BY a.published DESC NULLS LAST, a.id LIMIT ? OFFSET ?""",
        [*params, int(limit), max(int(offset), 0)])


def article_detail(db: DbLike, article_id: str) -> ArticleDetail:
    """The article row with its mentions, events and people (article None when unknown)."""
    rows = _frame(db, """
        SELECT id, origin, url, source, title, byline, dateline, language, published,
               published_precision, published_evidence, text, raw_text, captions,
               focus_country, story_id, derived_from, derived_kind, ingested_at
        FROM articles WHERE id = ?""", [article_id])
    if rows.empty:
        return ArticleDetail(article=None)
    mentions = _frame(db, """
        SELECT kind, text, iso3, entity_id, value, start, "end", in_caption FROM mentions
        WHERE article_id = ? ORDER BY start, "end" """, [article_id])
    events = _frame(db, """
        SELECT event_id, type, mode, actor, actor_country, host_country, counterpart, place, date,
               date_end, status, format, evidence, evidence_start, evidence_end, confidence,
               trip_id
        FROM events WHERE article_id = ? ORDER BY evidence_start""", [article_id])
    people = _frame(db, """
        SELECT DISTINCT entity_id, name, role, country FROM people WHERE article_id = ?
        ORDER BY name""", [article_id])
    return ArticleDetail(article=rows.iloc[0].to_dict(), mentions=mentions, events=events,
                         people=people)


def story_sources(db: DbLike, story_id: str) -> pd.DataFrame:
    """All articles of one story (the sources that reported it), earliest first."""
    return _frame(db, """
        SELECT a.id, a.source, a.title, a.language, substr(a.published, 1, 10) AS published,
               a.derived_from, a.derived_kind,
               (SELECT b.source FROM articles b WHERE b.id = a.derived_from) AS derived_from_source
        FROM articles a WHERE a.story_id = ?
        ORDER BY a.published NULLS LAST, a.source, a.id LIMIT 200""", [story_id])


def stories_page(db: DbLike, f: Filters, limit: int = 50, offset: int = 0) -> pd.DataFrame:
    """Stories with at least one matching article, most recent first."""
    where, params = article_where(f)
    return _frame(db, f"""{STORY_ROWS}
        WHERE EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.story_id AND {where})
        ORDER BY s.last_seen DESC NULLS LAST, s.story_id LIMIT ? OFFSET ?""",
        [*params, int(limit), max(int(offset), 0)])


def filter_options(db: DbLike, max_people: int = 300) -> FilterOptions:
    """Sources, the most mentioned people, and the published date range in the store."""
    con = _con(db)
    sources = tuple(r[0] for r in con.execute(
        "SELECT DISTINCT source FROM articles WHERE source IS NOT NULL ORDER BY source LIMIT 500"))
    people = tuple(r[0] for r in con.execute(
        "SELECT name FROM people GROUP BY name ORDER BY count(DISTINCT article_id) DESC, name"
        " LIMIT ?", (max_people,)))
    lo, hi = con.execute("SELECT min(substr(published, 1, 10)), max(substr(published, 1, 10))"
                         " FROM articles").fetchone()
    return FilterOptions(sources=sources, people=tuple(sorted(people)), min_date=lo, max_date=hi)


def ingest_log(db: DbLike, limit: int = 100) -> pd.DataFrame:
    """The most recent ingest outcomes, newest first."""
    return _frame(db, """
        SELECT at, status, origin, reason, article_id FROM ingest_log
        ORDER BY at DESC, rowid DESC LIMIT ?""", [int(limit)])


def data_version(db: DbLike) -> str:
    """A cheap fingerprint that changes whenever articles are added (for cache keys)."""
    # two scalar subqueries: a lone max() is answered from the articles_ingested index, while
    # "count(*), max(...)" in one SELECT would scan the table
    # facts_changed_at: set when stored articles are re-extracted (their rows change in place)
    n, last, changed = _con(db).execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT max(ingested_at) FROM articles),"
        " (SELECT value FROM meta WHERE key = 'facts_changed_at')").fetchone()
    return f"{n}:{last}:{changed or ''}"
