"""SQLite store: schema, migrations, the writer and read helpers.

Why SQLite: it ships with Python, needs no server, and in WAL mode one process can write
while other processes (the dashboard) keep reading the last committed state without lock
errors -- the case DuckDB does not support across processes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import uuid
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from steppewatch import settings
from steppewatch.clean.urls import normalise_url
from steppewatch.cluster.fingerprint import simhash_hex
from steppewatch.models import ProcessedArticle
from steppewatch.store.search_index import ensure_index, index_article, unindex_article

SCHEMA_VERSION = 4  # 3: events.mode; 4: the search index (article_search, steppewatch/store/search_index.py)
WRITER_CACHE_KIB = 64 * 1024  # at most this much page cache for a writing connection

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,            -- sha256 of the normalised text (first 16 hex)
    origin TEXT NOT NULL,           -- file path or URL it came from
    url TEXT,
    source TEXT,
    title TEXT,
    byline TEXT,
    dateline TEXT,
    language TEXT,
    published TEXT,                 -- ISO date or NULL
    published_precision TEXT,       -- day / month / year / unknown
    published_evidence TEXT,
    text TEXT NOT NULL,             -- cleaned main text (offsets point into it)
    raw_text TEXT NOT NULL,         -- decoded text as received
    captions TEXT,                  -- JSON list of [start, end] caption spans in text
    focus_country TEXT,             -- ISO3 the article is mainly about
    fingerprint TEXT,               -- 64-bit SimHash of word shingles (hex), for near-duplicates
    story_id TEXT,
    derived_from TEXT,              -- article id this one republishes or translates
    derived_kind TEXT,              -- republication / translation
    ingested_at TEXT NOT NULL,
    extractor_version TEXT NOT NULL,
    dedup_key_version TEXT NOT NULL,
    url_key TEXT                    -- normalised url (or origin when it is a URL): a feed item is known
);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
-- filtered counts read this narrow index instead of the wide rows (text, raw_text)
CREATE INDEX IF NOT EXISTS articles_published_cover ON articles(published, id, source, story_id);
CREATE INDEX IF NOT EXISTS articles_story ON articles(story_id);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE INDEX IF NOT EXISTS articles_ingested ON articles(ingested_at);  -- data_version: max() without a scan
CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT NOT NULL REFERENCES articles(id),
    kind TEXT NOT NULL,             -- country / person / place / date
    text TEXT NOT NULL,
    iso3 TEXT,                      -- countries (and the country of a place)
    entity_id TEXT,                 -- people and places
    value TEXT,                     -- resolved value: ISO date, canonical name
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    in_caption INTEGER NOT NULL DEFAULT 0,
    role TEXT                       -- countries: actor / location / modifier / language; people: office
);
CREATE TABLE IF NOT EXISTS people (
    article_id TEXT NOT NULL REFERENCES articles(id),
    entity_id TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT,
    country TEXT
);
CREATE TABLE IF NOT EXISTS events (
    event_id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    story_id TEXT,
    trip_id TEXT,
    type TEXT NOT NULL,             -- visit / meeting / call (a remote contact)
    actor TEXT,
    actor_country TEXT,
    host_country TEXT,
    counterpart TEXT,
    participants TEXT,              -- comma-separated ISO3 of the countries taking part
    place TEXT,
    date TEXT,
    date_end TEXT,
    date_precision TEXT,
    status TEXT NOT NULL,           -- planned / occurred / postponed / cancelled / historical
    format TEXT,                    -- bilateral / multilateral (C5+1, SCO, ...)
    evidence TEXT NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    confidence REAL,
    mode TEXT                       -- in_person / phone / video / unspecified; NULL: stored before modes
);
CREATE TABLE IF NOT EXISTS stories (
    story_id TEXT PRIMARY KEY,
    title TEXT,
    first_seen TEXT,
    last_seen TEXT,
    n_articles INTEGER,
    n_independent INTEGER,
    languages TEXT
);
CREATE TABLE IF NOT EXISTS ingest_log (
    origin TEXT NOT NULL,
    status TEXT NOT NULL,           -- ingested / unchanged / failed
    reason TEXT,
    article_id TEXT,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS eval_runs (
    run_id TEXT NOT NULL,           -- one id per `eval` run
    at TEXT NOT NULL,               -- UTC time of the run
    extractor_version TEXT NOT NULL,
    gold_set TEXT NOT NULL,
    field TEXT NOT NULL,
    tp INTEGER NOT NULL,
    fp INTEGER NOT NULL,
    fn INTEGER NOT NULL,
    precision REAL,
    recall REAL,
    f1 REAL
);
CREATE INDEX IF NOT EXISTS eval_runs_at ON eval_runs(at);
-- watchlists and their alerts (steppewatch/alerts.py)
CREATE TABLE IF NOT EXISTS watchlists (
    watchlist_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    query TEXT NOT NULL,            -- the saved filter as a URL query string
    emails TEXT,                    -- comma-separated recipients
    webhook TEXT,                   -- http(s) URL
    feed_token TEXT NOT NULL,       -- the secret in the watchlist's Atom feed URL
    created_at TEXT NOT NULL,
    created_by TEXT,
    mark TEXT NOT NULL              -- articles.ingested_at up to which it has been matched
);
CREATE TABLE IF NOT EXISTS alerts (
    alert_id INTEGER PRIMARY KEY,
    watchlist_id INTEGER NOT NULL,
    story_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (watchlist_id, story_id)
);
CREATE TABLE IF NOT EXISTS alert_articles (  -- reports a watchlist was alerted of (in any story)
    watchlist_id INTEGER NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (watchlist_id, article_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS alert_deliveries (
    alert_id INTEGER NOT NULL,
    channel TEXT NOT NULL,          -- email / webhook
    target TEXT NOT NULL,           -- address or URL
    status TEXT NOT NULL,           -- pending / sent / failed (given up)
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_try_at TEXT,
    sent_at TEXT,
    PRIMARY KEY (alert_id, channel, target)
);
CREATE INDEX IF NOT EXISTS alert_deliveries_due ON alert_deliveries(status, next_try_at);
"""


# band b of a fingerprint is (value >> 16 * b) & 0xFFFF, i.e. these hex digits of the 16-digit text;
# queries must spell the expression exactly like this for SQLite to use the index
# The events that are legs of a trip: visits with a day that took place or are planned.
TRIP_VISIT_WHERE = ("type = 'visit' AND date IS NOT NULL AND length(date) = 10"
                    " AND status IN ('occurred', 'planned')")
FINGERPRINT_BANDS = tuple(f"substr(fingerprint, {13 - 4 * band}, 4)" for band in range(4))


# The indexes a first load into an empty store builds once at the end (``drop_bulk_indexes``), by name: the
# fact tables' (mentions, people, events), the SimHash bands and the ingest log's. Kept up to date row by row,
# the random article-id keys make every batch rewrite most of their pages, a cost that grows with the store.
BULK_INDEXES = {
    "mentions_article": "mentions(article_id)",
    "mentions_iso3": "mentions(iso3, article_id)",
    "mentions_country": "mentions(kind, iso3, article_id, role)",  # covers the map's country counts
    "people_article": "people(article_id)",
    "people_name": "people(name)",
    "events_article": "events(article_id)",
    "events_date": "events(date)",
    "events_host": "events(host_country)",
    "events_signature": "events(type, actor_country, host_country, date)",
    "events_trip": "events(type, actor_country, actor, date)",  # one visitor's visits in date order (trips)
    # the four 16-bit SimHash bands: near-duplicate candidates of a new article found by index, without
    # reading every fingerprint of the store
    **{f"articles_band{band}": f"articles({expression})" for band, expression in enumerate(FINGERPRINT_BANDS)},
    "ingest_log_at": "ingest_log(at)",
    "ingest_log_origin": "ingest_log(origin, status)",
}


def utc_now() -> str:
    """The time stored with rows (``articles.ingested_at``, the ingest log): UTC, whole seconds, ISO 8601.
    Whatever is compared with those columns as text (a watchlist's mark) must use this same form."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def url_key(url: str | None, origin: str | None = None) -> str | None:
    """The normalised URL an article is known by (its url, else an origin that is a URL)."""
    for candidate in (url, origin):
        key = normalise_url(candidate) if candidate else ""
        if key:
            return key
    return None


def _now_precise() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def event_id_for(article_id: str, index: int, kind: str, evidence_start: int) -> str:
    """Stable id of the ``index``-th event of an article."""
    raw = f"{article_id}:{index}:{kind}:{evidence_start}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


class Store:
    """A connection to the store file. One writer at a time; readers never block it."""

    def __init__(self, path: Path | str, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only:
            uri = f"file:{self.path}?mode=ro"
            self.con = sqlite3.connect(uri, uri=True, timeout=settings.DB_BUSY_TIMEOUT_S,
                                       check_same_thread=False)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.con = sqlite3.connect(self.path, timeout=settings.DB_BUSY_TIMEOUT_S,
                                       check_same_thread=False)
            self.con.execute("PRAGMA journal_mode=WAL")
            self.con.execute("PRAGMA synchronous=NORMAL")
            # the writer's page cache (default 2 MB): the mentions indexes of a 20k-article store no longer
            # fit in it, and each batch re-read their pages (a quarter of the insert CPU at 20k articles)
            self.con.execute(f"PRAGMA cache_size=-{WRITER_CACHE_KIB}")
            self.con.executescript(SCHEMA)
            self._migrate()
            self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                             (str(SCHEMA_VERSION),))
            self.con.commit()
        self.con.row_factory = sqlite3.Row

    def _migrate(self) -> None:
        """Bring a store written by an older schema up to date (columns are only ever added)."""
        columns = {r[1] for r in self.con.execute("PRAGMA table_info(mentions)")}
        if "role" not in columns:
            self.con.execute("ALTER TABLE mentions ADD COLUMN role TEXT")
        if not self.has_column("events", "mode"):  # schema 3; older rows keep NULL (mode not recorded)
            self.con.execute("ALTER TABLE events ADD COLUMN mode TEXT")
        article_columns = {r[1] for r in self.con.execute("PRAGMA table_info(articles)")}
        if "url_key" not in article_columns:
            self.con.execute("ALTER TABLE articles ADD COLUMN url_key TEXT")
            rows = self.con.execute("SELECT id, url, origin FROM articles").fetchall()
            self.con.executemany("UPDATE articles SET url_key = ? WHERE id = ?",
                                 [(url_key(url, origin), aid) for aid, url, origin in rows])
        self.con.execute("CREATE INDEX IF NOT EXISTS articles_url_key ON articles(url_key)")
        self._create_bulk_indexes(self.con)  # after the columns they cover were added
        if self.con.in_transaction:
            self.con.commit()
        ensure_index(self.con)  # schema 4: built whole on the first open by a writer (one transaction)

    @staticmethod
    def _create_bulk_indexes(con: sqlite3.Connection) -> None:
        for name, columns in BULK_INDEXES.items():
            con.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")

    def drop_bulk_indexes(self) -> None:
        """Drop ``BULK_INDEXES`` before a bulk load into an empty store (``create_bulk_indexes`` builds them
        again; so does opening the store for writing, after a run killed in between). Each statement is its
        own transaction, like the schema statements of ``__init__``."""
        for name in BULK_INDEXES:
            self.con.execute(f"DROP INDEX IF EXISTS {name}")

    def create_bulk_indexes(self) -> None:
        """Build the ``BULK_INDEXES`` that are missing (one sort each, after a bulk load)."""
        self._create_bulk_indexes(self.con)

    def has_table(self, table: str) -> bool:
        """True when the store has ``table`` (a read-only store written by an older schema may not)."""
        return self.con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                (table,)).fetchone() is not None

    def has_column(self, table: str, column: str) -> bool:
        """True when ``table`` has ``column`` (a read-only store written by an older schema may not)."""
        return any(r[1] == column for r in self.con.execute(f"PRAGMA table_info({table})"))

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Commit on success, roll back on any error (nothing half-written is kept)."""
        try:
            self.con.execute("BEGIN IMMEDIATE")
            yield self.con
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    @contextmanager
    def batch(self) -> Iterator[sqlite3.Connection]:
        """``transaction`` for a batch of items, each in its own ``savepoint``: the savepoints' undo
        pages are kept in memory (SQLite otherwise spills them to a temporary file, a write per page an
        item touches: a fifth of the CPU an ingest spent writing)."""
        self.con.execute("PRAGMA temp_store=MEMORY")
        try:
            with self.transaction() as con:
                yield con
        finally:
            self.con.execute("PRAGMA temp_store=DEFAULT")

    @contextmanager
    def savepoint(self, name: str = "item") -> Iterator[sqlite3.Connection]:
        """Inside a transaction: keep what the block wrote, or undo only that on any error."""
        self.con.execute(f"SAVEPOINT {name}")
        try:
            yield self.con
        except BaseException:
            self.con.execute(f"ROLLBACK TO {name}")
            self.con.execute(f"RELEASE {name}")
            raise
        self.con.execute(f"RELEASE {name}")

    # -- writing -------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        row = self.con.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    def first_stored(self, ids: Sequence[str]) -> str | None:
        """The first of ``ids`` that names a stored article (one query), or None."""
        found = {r[0] for r in self.con.execute(
            f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(ids))})", tuple(ids))}
        return next((i for i in ids if i in found), None)

    def save(self, processed: ProcessedArticle) -> None:
        """Insert one processed article with all its facts, atomically."""
        with self.transaction() as con:
            self.insert_article(con, processed)

    def insert_article(self, con: sqlite3.Connection, processed: ProcessedArticle,
                       fingerprint: str | None = None) -> None:
        """Insert one processed article with its facts into the open transaction (a batch);
        ``fingerprint``: its SimHash when already computed (by a worker)."""
        self._insert(con, processed, utc_now(), settings.DEDUP_KEY_VERSION, fingerprint)

    @staticmethod
    def _insert(con: sqlite3.Connection, processed: ProcessedArticle, ingested_at: str,
                dedup_key_version: str, fingerprint: str | None = None,
                replacing: tuple[int, str | None, str] | None = None) -> None:
        """Insert the article row, its search index entry and its facts. ``replacing``: (rowid, title, text)
        of the row just deleted for this article, whose rowid it keeps (and whose index entry stays when
        the title and text are the same)."""
        a = processed.article
        rowid = con.execute(
            "INSERT INTO articles (rowid, id, origin, url, source, title, byline, dateline, language,"
            " published, published_precision, published_evidence, text, raw_text, captions,"
            " focus_country, fingerprint, ingested_at, extractor_version, dedup_key_version, url_key)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (replacing[0] if replacing else None, a.id, a.origin, a.url, a.source, a.title, a.byline, a.dateline,
             a.language, a.published, a.published_precision, a.published_evidence, a.text, a.raw_text,
             json.dumps(a.captions), processed.focus_country, fingerprint or simhash_hex(a.text), ingested_at,
             settings.EXTRACTOR_VERSION, dedup_key_version, url_key(a.url, a.origin)),
        ).lastrowid
        assert rowid is not None
        if replacing is None or replacing[1:] != (a.title, a.text):
            if replacing is not None:
                unindex_article(con, *replacing)
            index_article(con, rowid, a.title, a.text)
        con.executemany(
            'INSERT INTO mentions (article_id, kind, text, iso3, entity_id, value, start, "end",'
            " in_caption, role) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(a.id, m.kind, m.text, m.iso3, m.entity_id, m.value, m.start, m.end,
              int(m.in_caption), m.role) for m in processed.mentions],
        )
        con.executemany(
            "INSERT INTO people (article_id, entity_id, name, role, country) VALUES (?,?,?,?,?)",
            [(a.id, p.entity_id, p.name, p.role, p.country) for p in processed.people],
        )
        con.executemany(
            "INSERT INTO events (event_id, article_id, type, actor, actor_country, host_country,"
            " counterpart, participants, place, date, date_end, date_precision, status, format,"
            " evidence, evidence_start, evidence_end, confidence, mode)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(event_id_for(a.id, i, e.type, e.evidence_start), a.id, e.type, e.actor,
              e.actor_country, e.host_country, e.counterpart, ",".join(e.participants), e.place, e.date, e.date_end,
              e.date_precision, e.status, e.format, e.evidence, e.evidence_start,
              e.evidence_end, e.confidence, e.mode) for i, e in enumerate(processed.events)],
        )

    def replace_facts(self, processed: ProcessedArticle) -> None:
        """Re-write one article's facts (its date learnt from its story, or a newer extractor), in one
        transaction: the old facts stay if anything fails. When it was first ingested, and under which
        dedup key version, are kept; ``meta.facts_changed_at`` tells readers to drop their caches."""
        with self.transaction() as con:
            self.replace_facts_in(con, processed)

    def replace_many(self, processed: Iterable[ProcessedArticle]) -> int:
        """``replace_facts`` for a batch of articles in one transaction; returns how many."""
        n = 0
        with self.transaction() as con:
            for item in processed:
                self.replace_facts_in(con, item)
                n += 1
        return n

    def replace_facts_in(self, con: sqlite3.Connection, processed: ProcessedArticle) -> None:
        """``replace_facts`` inside the open transaction."""
        a = processed.article
        old = con.execute("SELECT ingested_at, dedup_key_version, rowid, title, text FROM articles WHERE id = ?",
                          (a.id,)).fetchone()
        for table in ("mentions", "people", "events"):
            con.execute(f"DELETE FROM {table} WHERE article_id = ?", (a.id,))
        con.execute("DELETE FROM articles WHERE id = ?", (a.id,))
        self._insert(con, processed, old[0] if old else utc_now(), old[1] if old else settings.DEDUP_KEY_VERSION,
                     replacing=(old[2], old[3], old[4]) if old else None)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('facts_changed_at', ?)", (_now_precise(),))

    def log(self, origin: str, status: str, reason: str | None = None,
            article_id: str | None = None) -> None:
        """Record the outcome of one ingest item."""
        with self.transaction() as con:
            self.insert_log(con, origin, status, reason, article_id)

    @staticmethod
    def insert_log(con: sqlite3.Connection, origin: str, status: str, reason: str | None = None,
                   article_id: str | None = None) -> None:
        """``log`` inside the open transaction (an article and its log row commit together)."""
        con.execute("INSERT INTO ingest_log VALUES (?,?,?,?,?)", (origin, status, reason, article_id, utc_now()))

    def story_rules(self) -> str | None:
        """The version of the clustering rules the store's stories were last made with as a whole."""
        row = self.con.execute("SELECT value FROM meta WHERE key = 'story_rules'").fetchone()
        return None if row is None else str(row[0])

    def replace_stories(self, assignments: dict[str, str], derived: dict[str, tuple[str, str]],
                        stories: Iterable[dict[str, object]], rules: str | None = None) -> None:
        """Write story ids to articles and events, and rebuild the stories table (made by clustering
        rules ``rules``, recorded with them)."""
        with self.transaction() as con:
            if rules is not None:
                con.execute("INSERT OR REPLACE INTO meta VALUES ('story_rules', ?)", (rules,))
            con.executemany("UPDATE articles SET story_id = ? WHERE id = ?",
                            [(sid, aid) for aid, sid in assignments.items()])
            con.executemany("UPDATE events SET story_id = ? WHERE article_id = ?",
                            [(sid, aid) for aid, sid in assignments.items()])
            con.execute("UPDATE articles SET derived_from = NULL, derived_kind = NULL")
            con.executemany("UPDATE articles SET derived_from = ?, derived_kind = ? WHERE id = ?",
                            [(src, kind, aid) for aid, (src, kind) in derived.items()])
            con.execute("DELETE FROM stories")
            con.executemany(
                "INSERT INTO stories VALUES (:story_id, :title, :first_seen, :last_seen,"
                " :n_articles, :n_independent, :languages)", list(stories))

    def replace_some_stories(self, assignments: dict[str, str], derived: dict[str, tuple[str, str]],
                             stories: Iterable[dict[str, object]]) -> None:
        """Like ``replace_stories`` for the articles in ``assignments`` only (all members of the
        stories they were in); the rest of the store keeps its stories. Only what changed is written:
        an ingest re-clusters thousands of neighbours to move a handful of them."""
        ids = json.dumps(sorted(assignments))
        with self.transaction() as con:
            now = {str(r[0]): (r[1], r[2], r[3]) for r in con.execute(
                "SELECT id, story_id, derived_from, derived_kind FROM articles"
                " WHERE id IN (SELECT value FROM json_each(?))", (ids,))}
            wanted = {aid: (sid, *derived.get(aid, (None, None))) for aid, sid in assignments.items()}
            moved = {aid: row for aid, row in wanted.items() if aid in now and now[aid] != row}
            con.executemany("UPDATE articles SET story_id = ?, derived_from = ?, derived_kind = ? WHERE id = ?",
                            [(*row, aid) for aid, row in moved.items()])
            con.executemany("UPDATE events SET story_id = ? WHERE article_id = ?",
                            [(row[0], aid) for aid, row in moved.items() if row[0] != now[aid][0]])
            columns = ("story_id", "title", "first_seen", "last_seen", "n_articles", "n_independent", "languages")
            old = {str(r[0]): tuple(r) for r in con.execute(
                f"SELECT {', '.join(columns)} FROM stories WHERE story_id IN"
                " (SELECT value FROM json_each(?))", (json.dumps(sorted({str(v[0]) for v in now.values()
                                                                        if v[0] is not None})),))}
            rows = {str(r["story_id"]): tuple(r[c] for c in columns) for r in stories}
            con.executemany("DELETE FROM stories WHERE story_id = ?", [(sid,) for sid in old if sid not in rows])
            con.executemany(f"INSERT OR REPLACE INTO stories VALUES ({', '.join('?' * len(columns))})",
                            [row for sid, row in rows.items() if old.get(sid) != row])

    def save_eval_run(self, rows: Iterable[dict[str, object]], extractor_version: str) -> str:
        """Record one evaluation run (rows as from ``Score.as_row``); returns its run id."""
        at = _now_precise()
        run_id = uuid.uuid4().hex[:12]
        with self.transaction() as con:
            con.executemany(
                "INSERT INTO eval_runs VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [(run_id, at, extractor_version, r["gold_set"], r["field"], r["tp"], r["fp"], r["fn"],
                  r["precision"], r["recall"], r["f1"]) for r in rows])
        return run_id

    def set_day_trips(self, days: Iterable[tuple[object, object, str, str]], articles: Collection[str]) -> None:
        """Trips by day: for each (actor country, actor, day, trip id) the visits of that visitor on that
        day take that trip; the events of ``articles`` that are no trip's visit (any more) lose theirs."""
        with self.transaction() as con:
            con.executemany(f"UPDATE events SET trip_id = ? WHERE {TRIP_VISIT_WHERE} AND actor_country IS ?"
                            " AND actor IS ? AND date = ? AND trip_id IS NOT ?",
                            [(trip, country, actor, day, trip) for country, actor, day, trip in days])
            con.execute(f"UPDATE events SET trip_id = NULL WHERE trip_id IS NOT NULL AND NOT ({TRIP_VISIT_WHERE})"
                        " AND article_id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(articles)),))

    def set_trips(self, trips: dict[str, str]) -> None:
        """Write every trip id of the store (event_id -> trip_id): an event missing from ``trips`` loses its
        trip; only rows whose trip changed are written."""
        current = dict(self.con.execute("SELECT event_id, trip_id FROM events WHERE trip_id IS NOT NULL"))
        with self.transaction() as con:
            con.executemany("UPDATE events SET trip_id = NULL WHERE event_id = ?",
                            [(eid,) for eid in current if eid not in trips])
            con.executemany("UPDATE events SET trip_id = ? WHERE event_id = ?",
                            [(tid, eid) for eid, tid in trips.items() if current.get(eid) != tid])

    # -- reading -------------------------------------------------------------------------
    def rows(self, sql: str, params: Iterable[object] = ()) -> list[dict[str, object]]:
        return [dict(r) for r in self.con.execute(sql, tuple(params)).fetchall()]

    def count(self, table: str) -> int:
        if table not in {"articles", "mentions", "people", "events", "stories", "ingest_log", "eval_runs"}:
            raise ValueError(f"unknown table {table!r}")
        return int(self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def open_store(path: Path | str | None = None, read_only: bool = False) -> Store:
    """Open (and create or migrate, unless read-only) the store at ``path``."""
    return Store(path or settings.DB_PATH, read_only=read_only)
