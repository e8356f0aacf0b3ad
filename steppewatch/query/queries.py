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
from collections.abc import Sequence
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


# The counterpart's last word, lower-cased ("Vladimir Putin" and "Putin" are one counterpart): the text after
# its last space (rtrim strips the characters of that word, replace cuts what is left off the front).
_COUNTERPART_WORD = ("lower(replace(trim(e.counterpart), rtrim(trim(e.counterpart), "
                     "replace(trim(e.counterpart), ' ', '')), ''))")
# What makes two reports one event, everywhere an event is counted or drawn (the headline, the map's
# visits, the timeline's markers and counts, a story's list of events): the same story (else article),
# type, visitor country and day; visits and meetings also the same host country; meetings and calls
# also the same counterpart (its last word), so that two meetings of one day in one capital stay two.
EVENT_KEY = ("coalesce(e.story_id, e.article_id) || '|' || coalesce(e.type, '') || '|' ||"
             " coalesce(e.actor_country, '') || '|' ||"
             " CASE WHEN e.type = 'call' THEN '' ELSE coalesce(e.host_country, '') END || '|' ||"
             " coalesce(substr(e.date, 1, 10), '') ||"
             f" CASE WHEN e.type IN ('meeting', 'call') THEN '|' || coalesce({_COUNTERPART_WORD}, '') ELSE '' END")


# Which report of an event represents it when several disagree on its status (the timeline's marker,
# the story's row): what happened before what was announced.
STATUS_RANK: dict[str, int] = {"occurred": 0, "planned": 1, "postponed": 2, "historical": 3, "cancelled": 4}

# The timeline's row of an event whose visitor is neither named nor of a known country.
UNKNOWN_VISITOR = "unknown visitor"


def visitor_label(actor: object, actor_country: object) -> str:
    """The timeline row an event sits on: its actor as named, else the visitor country's name, else
    ``UNKNOWN_VISITOR`` (the read model's ``visitor_summary`` labels its rows the same way)."""
    if isinstance(actor, str) and actor:
        return actor
    if isinstance(actor_country, str) and actor_country:
        return country_name(actor_country)
    return UNKNOWN_VISITOR


def headline_numbers(db: DbLike, f: Filters) -> pd.DataFrame:
    """One row: articles, sources, countries, stories, visits (occurred/planned), meetings (in
    person or unstated), calls (phone or video), first and last published date, for the filtered view.
    Visits, meetings and calls are events, counted once however many reports carry them (``EVENT_KEY``)."""
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
        SELECT count(DISTINCT CASE WHEN e.type = 'visit' AND e.status = 'occurred' THEN {EVENT_KEY} END)
                   AS visits_occurred,
               count(DISTINCT CASE WHEN e.type = 'visit' AND e.status = 'planned' THEN {EVENT_KEY} END)
                   AS visits_planned,
               count(DISTINCT CASE WHEN e.type = 'meeting' THEN {EVENT_KEY} END) AS meetings,
               count(DISTINCT CASE WHEN e.type = 'call' THEN {EVENT_KEY} END) AS calls
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
TIMELINE_ROWS = f"""
        SELECT e.event_id, e.article_id, e.type, e.mode,
               substr(coalesce(e.date, a.published), 1, 10) AS date, e.date_precision,
               e.actor, e.actor_country, e.host_country, e.counterpart, e.place, e.status,
               e.format, e.evidence, e.trip_id, coalesce(e.story_id, a.story_id) AS story_id,
               a.source, a.title, {EVENT_KEY} AS event_key
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


def visitor_summary(db: DbLike, f: Filters, max_rows: int,
                    statuses: Sequence[str] | None = None) -> tuple[pd.DataFrame, int]:
    """``ReadModel.visitor_summary`` from SQL (the reference the read model is tested against)."""
    columns = ["visitor", "visitor_country", "person", "type", "status", "month", "n"]
    where, params = event_where(f)
    if statuses is not None:
        where += f" AND e.status IN ({', '.join('?' * len(statuses))})" if statuses else " AND 0"
        params = [*params, *statuses]
    month = "substr(coalesce(e.date, a.published), 1, 7)"
    reports = _frame(db, f"""
        SELECT e.event_id, {EVENT_KEY} AS event_key, e.actor, e.actor_country, e.type, e.status, {month} AS month
        FROM events e JOIN articles a ON a.id = e.article_id
        WHERE {where} AND length({month}) = 7 ORDER BY e.event_id""", params)
    if reports.empty:
        return pd.DataFrame({c: [] for c in columns}), 0
    events = reports.drop_duplicates(["event_key", "status", "month"]).copy()
    events["visitor"] = [visitor_label(a, c) for a, c in zip(events["actor"], events["actor_country"], strict=True)]
    events["person"] = [isinstance(a, str) and bool(a) for a in events["actor"]]
    totals = events.groupby(["visitor", "person"]).size().reset_index(name="total")
    totals = totals.sort_values(["total", "visitor"], ascending=[False, True], kind="stable")
    shown = totals.head(max(max_rows, 0))
    events = events.merge(shown[["visitor", "person"]], on=["visitor", "person"])
    countries = (events.dropna(subset=["actor_country"]).groupby(["visitor", "actor_country"]).size()
                 .reset_index(name="k").sort_values(["k", "actor_country"], ascending=[False, True], kind="stable")
                 .drop_duplicates("visitor").set_index("visitor")["actor_country"])
    out = events.groupby(["visitor", "person", "type", "status", "month"]).size().reset_index(name="n")
    out["visitor_country"] = pd.Series([countries.get(v) for v in out["visitor"]], dtype=object)
    return out[columns], len(totals)


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


# -- where visits and meetings happen, and who meets whom ------------------------------------------------
# Visits and meetings that took or will take place (a cancelled one did not; a call takes place nowhere).
PLACED_EVENT = "e.type IN ('visit', 'meeting') AND e.status != 'cancelled'"
# The guest of a visit or meeting: a visit's visitor; a meeting's actor unless the actor is from the host
# country (Xi receiving Rahmon in Beijing), then the first other participant (readmodel: ``e_guest``).
GUEST_COUNTRY = """CASE WHEN e.type = 'visit' THEN e.actor_country
        WHEN e.actor_country IS NOT NULL AND e.actor_country IS NOT e.host_country THEN e.actor_country
        ELSE (SELECT p.value FROM json_each('["' || replace(coalesce(e.participants, ''), ',', '","') || '"]') p
              WHERE p.value != '' AND p.value IS NOT e.host_country ORDER BY p.key LIMIT 1) END"""
PLACE_COLUMNS = ["name", "iso3", "lat", "lon", "visits", "meetings"]
PAIR_COLUMNS = ["visitor", "host", "visitor_name", "host_name", "visits", "meetings"]
LEADER_COLUMNS = ["leader_a", "leader_b", "meetings"]


def place_frame(counts: dict[int, list[int]]) -> pd.DataFrame:
    """Rows of ``place_counts`` from {point index: [visits, meetings]}: most events first, then name."""
    from steppewatch.query.places import registry

    points = registry().points
    rows = [(points[i].name, points[i].iso3, points[i].lat, points[i].lon, int(v), int(m))
            for i, (v, m) in counts.items() if v or m]
    rows.sort(key=lambda r: (-(r[4] + r[5]), r[0], r[1]))
    return pd.DataFrame(rows, columns=PLACE_COLUMNS)


def place_counts(db: DbLike, f: Filters) -> pd.DataFrame:
    """Per city (columns name, iso3, lat, lon, visits, meetings), the visits and meetings of ``f`` that took or
    will take place there (``EVENT_KEY``); places with no known coordinates are left out."""
    from steppewatch.query.places import registry

    where, params = event_where(f)
    rows = _con(db).execute(f"""
        SELECT DISTINCT e.place, e.host_country, e.type, {EVENT_KEY}
        FROM events e JOIN articles a ON a.id = e.article_id
        WHERE {PLACED_EVENT} AND e.place IS NOT NULL AND {where}""", tuple(params)).fetchall()
    units: set[tuple[int, str, str]] = set()
    for place, host, kind, unit in rows:
        point = registry().point_index(place, host)
        if point >= 0:
            units.add((point, kind, unit))
    counts: dict[int, list[int]] = {}
    for point, kind, _ in units:
        counts.setdefault(point, [0, 0])[0 if kind == "visit" else 1] += 1
    return place_frame(counts)


def pair_counts(db: DbLike, f: Filters) -> pd.DataFrame:
    """Who meets whom: per (guest country, host country), the visits and meetings of ``f`` (``PAIR_COLUMNS``),
    most first. Events with no host (a meeting whose place is not stated) or no guest are left out."""
    where, params = event_where(f)
    df = _frame(db, f"""
        SELECT visitor, host, count(DISTINCT CASE WHEN type = 'visit' THEN unit END) AS visits,
               count(DISTINCT CASE WHEN type = 'meeting' THEN unit END) AS meetings
        FROM (SELECT {GUEST_COUNTRY} AS visitor, e.host_country AS host, e.type AS type,
                     {EVENT_KEY} AS unit
              FROM events e JOIN articles a ON a.id = e.article_id
              WHERE {PLACED_EVENT} AND e.host_country IS NOT NULL AND {where})
        WHERE visitor IS NOT NULL
        GROUP BY visitor, host
        ORDER BY visits + meetings DESC, visitor, host""", params)
    return pair_frame(df)


def pair_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` (visitor, host, visits, meetings) with the countries' names, in ``PAIR_COLUMNS`` order."""
    df = _with_names(_with_names(df, "visitor", "visitor_name"), "host", "host_name")
    return df[PAIR_COLUMNS].astype({"visits": "int64", "meetings": "int64"})


def leader_pairs(db: DbLike, f: Filters, limit: int = 10) -> pd.DataFrame:
    """The people who meet most in ``f``'s meetings (actor and counterpart, either way round; names in
    alphabetical order within a pair): columns leader_a, leader_b, meetings."""
    where, params = event_where(f)
    return _frame(db, f"""
        SELECT CASE WHEN e.actor < e.counterpart THEN e.actor ELSE e.counterpart END AS leader_a,
               CASE WHEN e.actor < e.counterpart THEN e.counterpart ELSE e.actor END AS leader_b,
               count(DISTINCT {EVENT_KEY}) AS meetings
        FROM events e JOIN articles a ON a.id = e.article_id
        WHERE {PLACED_EVENT} AND e.type = 'meeting' AND e.actor IS NOT NULL AND e.counterpart IS NOT NULL
          AND e.actor != e.counterpart AND {where}
        GROUP BY 1, 2 ORDER BY meetings DESC, leader_a, leader_b LIMIT ?""", [*params, int(limit)])


def pair_events(db: DbLike, f: Filters, visitor: str, host: str, limit: int = 100) -> pd.DataFrame:
    """The reports of visits and meetings of ``visitor``'s country in ``host``'s (a matrix cell) matching
    ``f``, newest first (``TIMELINE_ROWS`` columns)."""
    where, params = event_where(f)
    return _frame(db, f"""{TIMELINE_ROWS}
        WHERE {PLACED_EVENT} AND e.host_country = ? AND ({GUEST_COUNTRY}) = ? AND {where}
        ORDER BY date DESC, e.event_id DESC LIMIT ?""", [host, visitor, *params, int(limit)])
