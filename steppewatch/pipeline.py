"""The processing pipeline: RawDocument -> Article -> facts -> store, then stories."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from steppewatch import settings
from steppewatch.clean.article import CleaningError, article_ids_for, clean_document
from steppewatch.clean.html import ExtractionError
from steppewatch.cluster.stories import ArticleSignature, cluster_stories, story_rows
from steppewatch.extract import Extractor, default_extractor
from steppewatch.models import Article, IngestFailure, ProcessedArticle, RawDocument
from steppewatch.store import Store
from steppewatch.store.locks import file_lock

TRIP_GAP_DAYS = 3


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


@contextlib.contextmanager
def writer_lock(store: Store) -> Iterator[None]:
    """One ingest process writes at a time; a second one waits for the first."""
    with file_lock(store.path.with_name(store.path.name + ".lock")):
        yield


def _reason(error: BaseException) -> str:
    if isinstance(error, (CleaningError, ExtractionError)):  # already a reason ("timeout after 20 s")
        return str(error)
    text = str(error).strip() or error.__class__.__name__
    return f"{error.__class__.__name__}: {text}"[:300]


def ingest_documents(store: Store, docs: Iterable[RawDocument | IngestFailure],
                     on_item: Callable[[str, str], None] | None = None,
                     extractor: Extractor | None = None) -> IngestSummary:
    """Process and store documents one by one; a bad item is recorded and the rest goes on.

    ``on_item(origin, status)`` is called after each item (for progress bars).
    """
    summary = IngestSummary()
    extractor = extractor or default_extractor()
    with writer_lock(store):
        for doc in docs:
            status, reason, article_id = _ingest_one(store, doc, extractor)
            origin = doc.origin
            if status != "failed" and isinstance(doc, RawDocument) and doc.meta.get("warning"):
                reason = doc.meta["warning"]  # e.g. a feed that was not well-formed: items kept
            if status == "ingested" and article_id:
                summary.ingested.append(article_id)
            elif status == "unchanged":
                summary.unchanged.append(origin)
            else:
                summary.failed.append(IngestFailure(origin, reason or "unknown error"))
            with contextlib.suppress(Exception):
                store.log(origin, status, reason, article_id)
            if on_item:
                on_item(origin, status)
        if summary.ingested:
            refresh_stories(store, extractor, new_ids=summary.ingested)
    return summary


def _ingest_one(store: Store, doc: RawDocument | IngestFailure,
                extractor: Extractor) -> tuple[str, str | None, str | None]:
    if isinstance(doc, IngestFailure):
        return "failed", doc.reason, None
    try:
        article = clean_document(doc)
        # a row stored under an older dedup key version (ids are never recomputed) is this one too
        for known_id in article_ids_for(article.text, article.url):
            if store.has_article(known_id):
                return "unchanged", None, known_id
        store.save(extractor.run(article))
        return "ingested", None, article.id
    except Exception as error:
        return "failed", _reason(error), None


def ingest_paths(store: Store, paths: Iterable[Path | str],
                 on_item: Callable[[str, str], None] | None = None) -> IngestSummary:
    """Ingest files and folders (text, HTML, JSONL/CSV, feed files)."""
    from steppewatch.ingest.readers import iter_documents

    return ingest_documents(store, iter_documents([Path(p) for p in paths]), on_item)


# -- stories, inherited dates, trips ---------------------------------------------------------
UNDATED_NEIGHBOURS = 200  # an undated report is compared with this many latest reports of its signature


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
    """The articles whose story may change when ``new_ids`` arrive: those sharing an event signature
    within two weeks (undated: the latest of that signature), or a SimHash band, with a new article,
    plus every member of their stories. Clustering them alone gives what the whole store would."""
    ids = set(new_ids)
    new = json.dumps(sorted(new_ids))
    for key in store.rows(
            "SELECT DISTINCT type, actor_country, host_country, date FROM events WHERE article_id IN"
            " (SELECT value FROM json_each(?)) AND actor_country IS NOT NULL AND host_country IS NOT NULL",
            (new,)):
        signature = (key["type"], key["actor_country"], key["host_country"])
        date = key["date"] if key["date"] and len(str(key["date"])) == 10 else None
        if date:
            day = dt.date.fromisoformat(str(date))
            rows = store.rows(
                "SELECT DISTINCT article_id FROM events WHERE type = ? AND actor_country = ? AND host_country = ?"
                " AND (date IS NULL OR length(date) != 10 OR date BETWEEN ? AND ?)",
                (*signature, (day - dt.timedelta(days=14)).isoformat(), (day + dt.timedelta(days=14)).isoformat()))
        else:
            rows = store.rows(
                "SELECT article_id FROM events WHERE type = ? AND actor_country = ? AND host_country = ?"
                " GROUP BY article_id ORDER BY max(coalesce(date, '')) DESC LIMIT ?",
                (*signature, UNDATED_NEIGHBOURS))
        ids.update(str(r["article_id"]) for r in rows)
    bands = {(band, int(str(r["fingerprint"]), 16) >> (16 * band) & 0xFFFF)
             for r in store.rows("SELECT fingerprint FROM articles WHERE id IN (SELECT value FROM json_each(?))"
                                 " AND fingerprint IS NOT NULL", (new,)) for band in range(4)}
    if bands:
        for r in store.rows("SELECT id, fingerprint FROM articles WHERE fingerprint IS NOT NULL"):
            value = int(str(r["fingerprint"]), 16)
            if any((band, value >> (16 * band) & 0xFFFF) in bands for band in range(4)):
                ids.add(str(r["id"]))
    stories = [str(r["story_id"]) for r in store.rows(
        "SELECT DISTINCT story_id FROM articles WHERE story_id IS NOT NULL AND id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(ids)),))]
    if stories:
        ids.update(str(r["id"]) for r in store.rows(
            "SELECT id FROM articles WHERE story_id IN (SELECT value FROM json_each(?))", (json.dumps(stories),)))
    return ids


def refresh_stories(store: Store, extractor: Extractor | None = None,
                    new_ids: Collection[str] | None = None) -> None:
    """Re-cluster, let undated articles take their story's date, then re-cluster and link trips.

    With ``new_ids`` only the neighbourhood of those articles is re-clustered (what an ingest
    needs); without, the whole store."""
    extractor = extractor or default_extractor()
    if new_ids is not None and len(new_ids) * 4 >= store.count("articles"):
        new_ids = None  # a bulk load: re-clustering everything at once is cheaper
    scope = None if new_ids is None else _neighbourhood(store, new_ids)
    if scope is not None and not scope:
        return
    for _ in range(2):
        signatures = _signatures(store, scope)
        assignment, derived = cluster_stories(signatures, settings.STORY_WINDOW_DAYS)
        rows = story_rows(assignment, derived, signatures)
        if scope is None:
            store.replace_stories(assignment, derived, rows)
        else:
            store.replace_some_stories(assignment, derived, rows)
        if not _inherit_story_dates(store, extractor, scope):
            break
    store.set_trips(_trips(store))


def _inherit_story_dates(store: Store, extractor: Extractor, scope: Collection[str] | None = None) -> bool:
    """Undated articles take the earliest day-precise date of their story, then are re-extracted."""
    where, params = _id_filter("a.id", scope)
    rows = store.rows(
        "SELECT a.*, (SELECT min(b.published) FROM articles b WHERE b.story_id = a.story_id"
        " AND b.id != a.id AND b.published_precision = 'day') AS sibling_date,"
        " (SELECT b.source FROM articles b WHERE b.story_id = a.story_id AND b.id != a.id"
        " AND b.published_precision = 'day' ORDER BY b.published LIMIT 1) AS sibling_source"
        f" FROM articles a WHERE a.published_precision IN ('unknown', 'month') AND {where}", params)
    changed = False
    for row in rows:
        if not row["sibling_date"]:
            continue
        if row["published"] and not str(row["sibling_date"]).startswith(str(row["published"])):
            continue  # month known from the text and it disagrees: keep the text's month
        article = _article_from_row(row)
        article = replace(article, published=row["sibling_date"], published_precision="day",
                          published_evidence=f"date of the same story in {row['sibling_source']}")
        store.replace_facts(extractor.run(article))
        changed = True
    return changed


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
    """Visits by the same visitor within a few days of each other form one trip."""
    rows = store.rows(
        "SELECT event_id, actor, actor_country, date FROM events WHERE type = 'visit'"
        " AND date IS NOT NULL AND length(date) = 10 AND status IN ('occurred', 'planned')"
        " ORDER BY actor_country, actor, date")
    trips: dict[str, str] = {}
    last_key: tuple[object, object] | None = None
    last_date = ""
    trip_id = ""
    for r in rows:
        key = (r["actor_country"], r["actor"])
        date = str(r["date"])
        if key != last_key or (dt.date.fromisoformat(date) - dt.date.fromisoformat(last_date)).days \
                > TRIP_GAP_DAYS:
            trip_id = "t" + hashlib.sha256(f"{key}:{date}".encode()).hexdigest()[:11]
        trips[str(r["event_id"])] = trip_id
        last_key, last_date = key, date
    return trips


def reprocess_stale(store: Store, extractor: Extractor | None = None,
                    on_item: Callable[[str, str], None] | None = None) -> int:
    """Re-extract articles stored by an older extractor version from their stored text, then
    re-cluster. Returns how many were re-extracted (nothing is fetched or parsed again)."""
    extractor = extractor or default_extractor()
    ids = [str(r["id"]) for r in store.rows("SELECT id FROM articles WHERE extractor_version != ?",
                                            (settings.EXTRACTOR_VERSION,))]
    for article_id in ids:
        row = store.rows("SELECT * FROM articles WHERE id = ?", (article_id,))[0]
        store.replace_facts(extractor.run(_article_from_row(row)))
        if on_item:
            on_item(str(row["origin"]), "reprocessed")
    if ids:
        refresh_stories(store, extractor)
    return len(ids)
