"""The processing pipeline: RawDocument -> Article -> facts -> store, then stories."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import sqlite3
import sys
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol, TypeVar

from steppewatch import settings
from steppewatch.clean.article import CleaningError, article_ids_for, clean_document
from steppewatch.clean.html import ExtractionError
from steppewatch.cluster.fingerprint import simhash_hex
from steppewatch.cluster.stories import (
    STORY_RULES,
    UNDATED_NEIGHBOURS,
    ArticleSignature,
    cluster_stories,
    story_rows,
)
from steppewatch.cluster.trips import affected_days, trip_id, trip_start_days
from steppewatch.extract import Extractor, default_extractor
from steppewatch.models import Article, IngestFailure, ProcessedArticle, RawDocument
from steppewatch.store import Store
from steppewatch.store.db import FINGERPRINT_BANDS, TRIP_VISIT_WHERE
from steppewatch.store.locks import LockHolder, file_lock


@dataclass
class IngestSummary:
    """What one ingest run did: ids ingested, origins unchanged, failures with reasons."""

    ingested: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[IngestFailure] = field(default_factory=list)

    def line(self) -> str:
        return (f"ingested {len(self.ingested)}, unchanged {len(self.unchanged)}, "
                f"failed {len(self.failed)}")


def process(doc: RawDocument, extractor: Extractor | None = None) -> ProcessedArticle:
    """Clean and extract one document (pure: no store access)."""
    return (extractor or default_extractor()).run(clean_document(doc))


def say_waiting(holder: LockHolder) -> None:
    """Tell the user (on stderr) that this process waits for another writer, and for which."""
    print(f"waiting for another ingest{holder.described()} to finish writing this store", file=sys.stderr,
          flush=True)


@contextlib.contextmanager
def writer_lock(store: Store, on_wait: Callable[[LockHolder], None] | None = say_waiting) -> Iterator[None]:
    """One ingest process writes at a time; a second one says whom it waits for (``on_wait``), then waits."""
    with file_lock(store.path.with_name(store.path.name + ".lock"), on_wait):
        yield


def _reason(error: BaseException) -> str:
    if isinstance(error, (CleaningError, ExtractionError)):  # already a reason ("timeout after 20 s")
        return str(error)
    text = str(error).strip() or error.__class__.__name__
    return f"{error.__class__.__name__}: {text}"[:300]


@dataclass
class Outcome:
    """What processing one input item gave, before the writer stores it.

    ``processed`` is set for an article to store (``known_ids``: its id under every dedup key
    version, the writer's duplicate check); otherwise ``status`` is already ``failed`` (with
    ``reason``) or ``unchanged`` (with ``article_id``). Pure data: it travels back from Dask workers."""

    origin: str
    processed: ProcessedArticle | None = None
    known_ids: tuple[str, ...] = ()
    fingerprint: str | None = None  # SimHash of the text, computed where the article was processed
    status: str = "failed"
    reason: str | None = None
    article_id: str | None = None
    warning: str | None = None  # e.g. a feed that was not well-formed: items kept


def outcome_of(doc: RawDocument | IngestFailure, extractor: Extractor | None = None,
               stored: Callable[[Sequence[str]], str | None] | None = None) -> Outcome:
    """Clean and extract one item; never raises (a failure is an Outcome with its reason).

    ``stored(article_ids)`` (the writer's store, when processing runs beside it: the first of them
    stored) skips the extraction of an article already stored; without it (on a worker) the writer
    finds the duplicate."""
    if isinstance(doc, IngestFailure):
        return Outcome(doc.origin, reason=doc.reason)
    warning = doc.meta.get("warning") or None
    try:
        article = clean_document(doc)
        # a row stored under an older dedup key version (ids are never recomputed) is this one too
        known_ids = tuple(article_ids_for(article.text, article.url))
        known_id = stored(known_ids) if stored is not None else None
        if known_id is not None:
            return Outcome(doc.origin, status="unchanged", article_id=known_id, warning=warning)
        processed = (extractor or default_extractor()).run(article)
        return Outcome(doc.origin, processed, known_ids, simhash_hex(processed.article.text), status="ingested",
                       article_id=article.id, warning=warning)
    except Exception as error:
        return Outcome(doc.origin, reason=_reason(error), warning=warning)


def failed_outcome(doc: RawDocument | IngestFailure, error: BaseException) -> Outcome:
    """The Outcome of a document whose processing did not return (e.g. its worker died)."""
    return Outcome(doc.origin, reason=_reason(error))


T = TypeVar("T")
R = TypeVar("R")


class Mapper(Protocol):
    """Applies a picklable ``func`` to every item and yields the results in input order; where
    ``func`` cannot return for an item, yields ``on_error(item, error)`` for it (e.g. a Dask cluster:
    ``steppewatch.ingest.distributed``)."""

    def __call__(self, func: Callable[[T], R], items: Iterable[T],
                 on_error: Callable[[T, BaseException], R]) -> Iterator[R]: ...


def ingest_documents(store: Store, docs: Iterable[RawDocument | IngestFailure],
                     on_item: Callable[[str, str], None] | None = None,
                     extractor: Extractor | None = None, mapper: Mapper | None = None,
                     batch_size: int | None = None, batch_seconds: float | None = None,
                     on_wait: Callable[[LockHolder], None] | None = say_waiting) -> IngestSummary:
    """Process documents and store them in batches; a bad item is recorded and the rest goes on.

    Each batch (``batch_size`` items or ``batch_seconds`` of work, whichever comes first) is one
    transaction holding its articles and their ingest-log rows; an article whose rows fail is rolled
    back alone (a savepoint) and logged as failed. So an interrupted run leaves whole batches, and
    running it again gives the store an uninterrupted run gives. Documents are cleaned and extracted
    here, one by one, or by ``mapper`` (a Dask cluster: ``steppewatch.ingest.distributed``; its workers
    use the default extractor); this process alone writes, in input order either way.
    ``on_item(origin, status)`` is called for each item once its batch is committed.
    """
    summary = IngestSummary()
    extractor = extractor or default_extractor()
    with writer_lock(store, on_wait):
        unclustered = _unclustered(store)  # committed by an interrupted run before its stories
        if mapper is None:
            outcomes: Iterable[Outcome] = (outcome_of(doc, extractor, store.first_stored) for doc in docs)
        else:
            outcomes = mapper(outcome_of, docs, failed_outcome)
        with _bulk_indexes_deferred(store):
            for batch in _batches(outcomes, batch_size or BATCH_ITEMS, batch_seconds or BATCH_SECONDS):
                for origin, status, reason, article_id in _write_batch(store, batch):
                    if status == "ingested" and article_id:
                        summary.ingested.append(article_id)
                    elif status == "unchanged":
                        summary.unchanged.append(origin)
                    else:
                        summary.failed.append(IngestFailure(origin, reason or "unknown error"))
                    if on_item:
                        on_item(origin, status)
        new_ids = list(dict.fromkeys([*unclustered, *summary.ingested]))
        if new_ids:
            refresh_stories(store, extractor, new_ids=new_ids)
        _after_write(store)
    return summary


@contextlib.contextmanager
def _bulk_indexes_deferred(store: Store) -> Iterator[None]:
    """A first load into an empty store writes its rows without ``BULK_INDEXES`` (the facts', the SimHash
    bands', the ingest log's) and builds them at the end, in one sort each (a run killed in between gets
    them back when the store is next opened for writing: the same store as an uninterrupted run). A store
    with articles keeps them throughout."""
    if store.count("articles"):
        yield
        return
    store.drop_bulk_indexes()
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):  # report the run's own error (a full disk); the next open builds them
            store.create_bulk_indexes()
        raise
    store.create_bulk_indexes()


BATCH_ITEMS = 200  # items per transaction ...
BATCH_SECONDS = 2.0  # ... or this much work, whichever comes first


def _batches(items: Iterable[T], size: int, seconds: float) -> Iterator[list[T]]:
    batch: list[T] = []
    started = 0.0
    for item in items:
        if not batch:
            started = time.monotonic()
        batch.append(item)
        if len(batch) >= size or time.monotonic() - started >= seconds:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_batch(store: Store, batch: list[Outcome]) -> list[tuple[str, str, str | None, str | None]]:
    """Store one batch in one transaction: (origin, status, reason, article_id) per item.

    An error of the store itself (disk full, I/O error) rolls the whole batch back and is raised."""
    results = []
    with store.batch() as con:
        for item in batch:
            status, reason, article_id = item.status, item.reason, item.article_id
            if item.processed is not None:
                status, reason, article_id = _write_article(store, con, item)
            if status != "failed" and item.warning:
                reason = item.warning
            if status != "ingested":  # an ingested article's log row went in with its rows
                with _unless_store_error():
                    store.insert_log(con, item.origin, status, reason, article_id)
            results.append((item.origin, status, reason, article_id))
    return results


def _write_article(store: Store, con: sqlite3.Connection, item: Outcome) -> tuple[str, str | None, str | None]:
    assert item.processed is not None
    known_id = store.first_stored(item.known_ids)  # stored before, or earlier in this batch
    if known_id is not None:
        return "unchanged", None, known_id
    article_id = item.processed.article.id
    try:
        with store.savepoint("article"):
            store.insert_article(con, item.processed, item.fingerprint)
            store.insert_log(con, item.origin, "ingested", item.warning, article_id)
    except sqlite3.OperationalError:
        raise
    except Exception as error:
        return "failed", _reason(error), None
    return "ingested", None, article_id


@contextlib.contextmanager
def _unless_store_error() -> Iterator[None]:
    """Ignore an error of one statement (a log row that cannot be written), not of the store."""
    try:
        yield
    except sqlite3.OperationalError:
        raise
    except Exception:
        pass


def _unclustered(store: Store) -> list[str]:
    """Articles without a story: committed by a run interrupted before its story re-clustering."""
    return [str(r["id"]) for r in store.rows("SELECT id FROM articles WHERE story_id IS NULL ORDER BY rowid")]


def _after_write(store: Store) -> None:
    """After the stories of an ingest or reprocess: the alerts of watchlists, the read-model snapshot."""
    from steppewatch.alerts import queue_alerts
    from steppewatch.query.snapshot import after_ingest

    queue_alerts(store)  # in the writer's lock; a run killed before it queues them on the next run
    after_ingest(store)


def ingest_paths(store: Store, paths: Iterable[Path | str],
                 on_item: Callable[[str, str], None] | None = None,
                 mapper: Mapper | None = None, batch_size: int | None = None) -> IngestSummary:
    """Ingest files and folders (text, HTML, JSONL/CSV, feed files)."""
    from steppewatch.ingest.readers import iter_documents

    return ingest_documents(store, iter_documents([Path(p) for p in paths]), on_item,
                            mapper=mapper, batch_size=batch_size)


# -- stories, inherited dates, trips ---------------------------------------------------------


def _signatures(store: Store, ids: Collection[str] | None = None) -> list[ArticleSignature]:
    """Signatures of all articles, or of ``ids`` only."""
    where, params = _id_filter("id", ids)
    articles = {r["id"]: ArticleSignature(
        id=r["id"], published=r["published"] if r["published_precision"] == "day" else None,
        source=r["source"], language=r["language"], title=r["title"], fingerprint=r["fingerprint"],
        text_head=r["head"] or "") for r in store.rows(
        "SELECT id, published, published_precision, source, language, title, fingerprint,"
        f" substr(text, 1, 3000) AS head FROM articles WHERE {where}", params)}
    where, params = _id_filter("article_id", ids)
    for r in store.rows("SELECT article_id, type, actor_country, host_country, date FROM events"
                        f" WHERE actor_country IS NOT NULL AND host_country IS NOT NULL AND {where}", params):
        if r["article_id"] in articles:
            articles[r["article_id"]].event_keys.add(
                (r["type"], r["actor_country"], r["host_country"], r["date"]))
    for r in store.rows(f"SELECT article_id, entity_id FROM people WHERE {where}", params):
        if r["article_id"] in articles:
            articles[r["article_id"]].people.add(r["entity_id"])
    return list(articles.values())


def _id_filter(column: str, ids: Collection[str] | None) -> tuple[str, list[object]]:
    if ids is None:
        return "1", []
    return f"{column} IN (SELECT value FROM json_each(?))", [json.dumps(sorted(ids))]


def _neighbourhood(store: Store, new_ids: Collection[str]) -> set[str]:
    """The articles whose story may change when ``new_ids`` arrive: those sharing an event signature with
    a new article within the story window (its event's day, else its publication day; undated: the
    latest of that signature), or a SimHash band, plus every member of their stories. Clustering them
    alone gives what the whole store would."""
    ids = set(new_ids)
    new = json.dumps(sorted(new_ids))
    window = dt.timedelta(days=settings.STORY_WINDOW_DAYS)
    for key in store.rows(
            "SELECT DISTINCT e.type, e.actor_country, e.host_country, e.date, a.published, a.published_precision"
            " FROM events e JOIN articles a ON a.id = e.article_id WHERE e.article_id IN"
            " (SELECT value FROM json_each(?)) AND e.actor_country IS NOT NULL AND e.host_country IS NOT NULL",
            (new,)):
        signature = (key["type"], key["actor_country"], key["host_country"])
        event_day = _day(key["date"]) if key["date"] and len(str(key["date"])) == 10 else None
        published = _day(key["published"]) if key["published_precision"] == "day" else None
        if event_day:  # the same event on (about) the same day; two events dates apart are never one story
            ids.update(str(r["article_id"]) for r in store.rows(
                "SELECT DISTINCT article_id FROM events WHERE type = ? AND actor_country = ? AND host_country = ?"
                " AND date BETWEEN ? AND ?",
                (*signature, (event_day - window).isoformat(), (event_day + window).isoformat())))
        if published:  # an event of no day matches any day: reports published within the story window
            ids.update(str(r["article_id"]) for r in store.rows(
                "SELECT DISTINCT e.article_id FROM events e JOIN articles a ON a.id = e.article_id"
                " WHERE e.type = ? AND e.actor_country = ? AND e.host_country = ?"
                " AND (? OR e.date IS NULL OR length(e.date) != 10) AND (a.published_precision IS NOT 'day'"
                " OR a.published IS NULL OR substr(a.published, 1, 10) BETWEEN ? AND ?)",
                (*signature, event_day is None, (published - window).isoformat(), (published + window).isoformat())))
        if not event_day or not published:  # an undated report: the latest reports of its signature
            ids.update(str(r["article_id"]) for r in store.rows(
                "SELECT article_id FROM events WHERE type = ? AND actor_country = ? AND host_country = ?"
                " GROUP BY article_id ORDER BY max(coalesce(date, '')) DESC, article_id LIMIT ?",
                (*signature, UNDATED_NEIGHBOURS)))
    ids |= _band_neighbours(store, new)
    stories = [str(r["story_id"]) for r in store.rows(
        "SELECT DISTINCT story_id FROM articles WHERE story_id IS NOT NULL AND id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(ids)),))]
    if stories:
        ids.update(str(r["id"]) for r in store.rows(
            "SELECT id FROM articles WHERE story_id IN (SELECT value FROM json_each(?))", (json.dumps(stories),)))
    return ids


def _band_neighbours(store: Store, new: str) -> set[str]:
    """Articles sharing a SimHash band with a new article (``new``: JSON list of ids) that could join
    its story: published within the story window of it (two dated reports further apart are never
    one story), or with no day-precise date. Each band is read by index: never a pass over all
    fingerprints, and a text republished every day for years brings only its near days."""
    window = dt.timedelta(days=settings.STORY_WINDOW_DAYS)
    found: set[str] = set()
    for r in store.rows("SELECT fingerprint, published, published_precision FROM articles"
                        " WHERE id IN (SELECT value FROM json_each(?)) AND fingerprint IS NOT NULL", (new,)):
        fingerprint = str(r["fingerprint"])
        day = _day(r["published"]) if r["published_precision"] == "day" else None
        for band, expression in enumerate(FINGERPRINT_BANDS):
            value = fingerprint[12 - 4 * band:16 - 4 * band]
            if day is None:
                rows = store.rows(f"SELECT id FROM articles WHERE {expression} = ?", (value,))
            else:
                rows = store.rows(
                    f"SELECT id FROM articles WHERE {expression} = ? AND (published_precision IS NOT 'day'"
                    " OR published IS NULL OR substr(published, 1, 10) BETWEEN ? AND ?)",
                    (value, (day - window).isoformat(), (day + window).isoformat()))
            found.update(str(row["id"]) for row in rows)
    return found


def _day(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def refresh_stories(store: Store, extractor: Extractor | None = None,
                    new_ids: Collection[str] | None = None) -> None:
    """Re-cluster, let undated articles take their story's date, then re-cluster and link trips.

    With ``new_ids`` only the neighbourhood of those articles is re-clustered (what an ingest
    needs); without, the whole store."""
    extractor = extractor or default_extractor()
    if new_ids is not None and len(new_ids) * 4 >= store.count("articles"):
        new_ids = None  # a bulk load: re-clustering everything at once is cheaper
    if new_ids is not None and store.story_rules() != STORY_RULES:
        new_ids = None  # stories made by older rules: all of them are made again, once
    scope = None if new_ids is None else _neighbourhood(store, new_ids)
    if scope is not None and not scope:
        return
    # the visits whose trips may change: the new articles' and, before and after, those of the articles
    # re-extracted with a date learnt from their story (stories themselves do not change trips)
    visits = None if new_ids is None else _visit_days(store, new_ids)
    changed: set[str] = set(new_ids or ())
    for _ in range(2):
        signatures = _signatures(store, scope)
        assignment, derived = cluster_stories(signatures, settings.STORY_WINDOW_DAYS,
                                             settings.STORY_MAX_SPAN_DAYS)
        rows = story_rows(assignment, derived, signatures)
        if scope is None:
            store.replace_stories(assignment, derived, rows, STORY_RULES)
        else:
            store.replace_some_stories(assignment, derived, rows)
        redone = _inherit_story_dates(store, extractor, scope, visits)
        changed |= redone
        if not redone:
            break
    if visits is None or scope is None:
        store.set_trips(_trips(store))
        return
    store.set_day_trips(_day_trips(store, _trip_windows(visits)), changed)


Visitor = tuple[object, object]  # (actor_country, actor) of a visit
_TRIP_VISITS = f"SELECT event_id, actor, actor_country, date FROM events WHERE {TRIP_VISIT_WHERE}"


def _visit_days(store: Store, ids: Collection[str],
                days: dict[Visitor, set[str]] | None = None) -> dict[Visitor, set[str]]:
    """The visitors of the visits reported by ``ids`` (whose trips may change), with those visits' days
    (added to ``days`` if given)."""
    days = {} if days is None else days
    # "+type": read by article id; with no statistics for it SQLite may take the type index (all visits)
    for r in store.rows("SELECT actor_country, actor, date FROM events WHERE +type = 'visit' AND article_id IN"
                        " (SELECT value FROM json_each(?))", (json.dumps(sorted(ids)),)):
        found = days.setdefault((r["actor_country"], r["actor"]), set())
        if r["date"] and len(str(r["date"])) == 10:
            found.add(str(r["date"]))
    return days


TripWindow = tuple[Visitor, str, str, str]  # visitor, first day to read, first and last day that may change


def _trip_windows(visits: dict[Visitor, set[str]]) -> list[TripWindow]:
    """Per visitor, the windows of days whose trips may change around the days of its changed visits
    (``trips.affected_days``; visitors with no dated visit: none)."""
    return [(visitor, *(d.isoformat() for d in window))  # type: ignore[misc]
            for visitor, days in visits.items() if days
            for window in affected_days([dt.date.fromisoformat(d) for d in days])]


def _day_trips(store: Store, windows: list[TripWindow]) -> list[tuple[object, object, str, str]]:
    """(actor country, actor, day, trip id) of every day whose trips ``windows`` may change and whose
    visits do not all have that trip now. Read as days, not visits: a visitor reported dozens of times
    a day costs one row per day and trip."""
    changes: list[tuple[object, object, str, str]] = []
    for (country, actor), read_from, first, last in windows:
        rows = store.rows(f"SELECT date, trip_id FROM events WHERE {TRIP_VISIT_WHERE} AND actor_country IS ?"
                          " AND actor IS ? AND date BETWEEN ? AND ? GROUP BY date, trip_id ORDER BY date",
                          (country, actor, read_from, last))
        days = sorted({str(r["date"]) for r in rows})
        starts = dict(zip(days, trip_start_days([dt.date.fromisoformat(d) for d in days]), strict=True))
        for day in sorted({str(r["date"]) for r in rows if str(r["date"]) >= first
                           and r["trip_id"] != trip_id((country, actor), starts[str(r["date"])])}):
            changes.append((country, actor, day, trip_id((country, actor), starts[day])))
    return changes


def _inherit_story_dates(store: Store, extractor: Extractor, scope: Collection[str] | None = None,
                         visits: dict[Visitor, set[str]] | None = None) -> set[str]:
    """Undated articles take the earliest day-precise date of their story, then are re-extracted; returns
    their ids. With ``visits``, the visitors and days of their visits before and after are added to it."""
    where, params = _id_filter("a.id", scope)
    rows = store.rows(
        "SELECT a.*, (SELECT min(b.published) FROM articles b WHERE b.story_id = a.story_id"
        " AND b.id != a.id AND b.published_precision = 'day') AS sibling_date,"
        " (SELECT b.source FROM articles b WHERE b.story_id = a.story_id AND b.id != a.id"
        " AND b.published_precision = 'day' ORDER BY b.published LIMIT 1) AS sibling_source"
        f" FROM articles a WHERE a.published_precision IN ('unknown', 'month') AND {where}", params)
    dated: list[Article] = []
    for row in rows:
        if not row["sibling_date"]:
            continue
        if row["published"] and not str(row["sibling_date"]).startswith(str(row["published"])):
            continue  # month known from the text and it disagrees: keep the text's month
        dated.append(replace(_article_from_row(row), published=row["sibling_date"], published_precision="day",
                             published_evidence=f"date of the same story in {row['sibling_source']}"))
    ids = {article.id for article in dated}
    if visits is not None and ids:
        _visit_days(store, ids, visits)
    for article in dated:
        store.replace_facts(extractor.run(article))
    if visits is not None and ids:
        _visit_days(store, ids, visits)
    return ids


def _article_from_row(row: dict[str, object]) -> Article:
    return Article(
        id=str(row["id"]), origin=str(row["origin"]), text=str(row["text"]),
        raw_text=str(row["raw_text"]), url=row["url"], source=row["source"],  # type: ignore[arg-type]
        title=row["title"], byline=row["byline"], dateline=row["dateline"],  # type: ignore[arg-type]
        language=str(row["language"] or "en"), published=row["published"],  # type: ignore[arg-type]
        published_precision=str(row["published_precision"] or "unknown"),
        published_evidence=row["published_evidence"],  # type: ignore[arg-type]
        captions=[tuple(c) for c in json.loads(str(row["captions"] or "[]"))],  # type: ignore[misc]
    )


def _trips(store: Store) -> dict[str, str]:
    """Every visit's trip (``steppewatch.cluster.trips``): visits by the same visitor a few days apart
    form one trip. An ingest relinks the days around its visits only (``_day_trips``)."""
    trips: dict[str, str] = {}
    rows = store.rows(_TRIP_VISITS + " ORDER BY actor_country, actor, date")
    for visitor, members in itertools.groupby(rows, key=lambda r: (r["actor_country"], r["actor"])):
        visits = list(members)
        days = [dt.date.fromisoformat(str(r["date"])) for r in visits]
        for r, start in zip(visits, trip_start_days(days), strict=True):
            trips[str(r["event_id"])] = trip_id(visitor, start)
    return trips


def reextract(article: Article, extractor: Extractor | None = None) -> tuple[str, ProcessedArticle | None, str | None]:
    """(origin, facts, None), or (origin, None, reason) when extraction fails: never raises."""
    try:
        return article.origin, (extractor or default_extractor()).run(article), None
    except Exception as error:
        return article.origin, None, _reason(error)


def _reextract_failed(article: Article, error: BaseException) -> tuple[str, ProcessedArticle | None, str | None]:
    return article.origin, None, _reason(error)


def reprocess_stale(store: Store, extractor: Extractor | None = None,
                    on_item: Callable[[str, str], None] | None = None, mapper: Mapper | None = None,
                    batch_size: int | None = None) -> int:
    """Re-extract articles stored by an older extractor version from their stored text, then
    re-cluster. Returns how many were re-extracted (nothing is fetched or parsed again).

    Extraction runs here or by ``mapper`` (see ``ingest_documents``); the facts are replaced in
    batches, one transaction each. An article whose extraction fails keeps its old facts (and stays
    stale, so the next run tries it again)."""
    extractor = extractor or default_extractor()
    done = 0
    with writer_lock(store):
        unclustered = _unclustered(store)
        ids = [str(r["id"]) for r in store.rows("SELECT id FROM articles WHERE extractor_version != ?",
                                                (settings.EXTRACTOR_VERSION,))]
        articles = (_article_from_row(store.rows("SELECT * FROM articles WHERE id = ?", (i,))[0]) for i in ids)
        if mapper is None:
            results: Iterable[tuple[str, ProcessedArticle | None, str | None]] = (
                reextract(article, extractor) for article in articles)
        else:
            results = mapper(reextract, articles, _reextract_failed)
        for batch in _batches(results, batch_size or BATCH_ITEMS, BATCH_SECONDS):
            done += store.replace_many(processed for _, processed, _ in batch if processed is not None)
            for origin, processed, _ in batch:
                if on_item:
                    on_item(origin, "reprocessed" if processed is not None else "failed")
        if ids:
            refresh_stories(store, extractor)
        elif unclustered:
            refresh_stories(store, extractor, new_ids=unclustered)
        _after_write(store)
    return done
