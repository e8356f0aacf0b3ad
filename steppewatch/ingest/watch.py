"""Watch RSS/Atom feeds: poll politely, fetch new item links, ingest the pages.

Each feed is fetched with a timeout, a byte cap (``MAX_DOCUMENT_BYTES``) and conditional
headers (ETag / Last-Modified remembered in the ``feed_state`` table). A failing feed or
page is recorded with a reason and the other feeds go on; when a page failed, the feed's new
validators are not kept, so the next round reads the feed again and retries the page.

Every poll also appends one row to ``fetch_log`` (outcome, HTTP status, reason, items seen,
articles added), and every article a poll added is linked to its feed in ``feed_articles``:
the Sources page reads its history from these two tables.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import re
import sqlite3
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from steppewatch import settings
from steppewatch.models import IngestFailure, RawDocument
from steppewatch.pipeline import IngestSummary, ingest_documents
from steppewatch.store import Store
from steppewatch.store.db import utc_now

if TYPE_CHECKING:
    from steppewatch.alerts import Sender

USER_AGENT = "SteppeWatch/0.1"
DEFAULT_TIMEOUT_S = 20.0
DEFAULT_EVERY_S = 15 * 60.0
DEFAULT_HOST_INTERVAL_S = 1.0

FEED_STATE_SCHEMA = """
CREATE TABLE IF NOT EXISTS feed_state (
    url TEXT PRIMARY KEY,
    name TEXT,
    etag TEXT,
    last_modified TEXT,
    last_success TEXT,
    last_error TEXT,
    last_status TEXT,               -- ok / not modified / error
    items_added INTEGER,
    checked_at TEXT
);
CREATE TABLE IF NOT EXISTS fetch_log (
    feed_url TEXT NOT NULL,
    feed_name TEXT,
    at TEXT NOT NULL,               -- UTC, when the poll finished
    outcome TEXT NOT NULL,          -- ok / not modified / error (the feed itself could not be read)
    http_status INTEGER,            -- of the feed request; NULL when no response (timeout, refused)
    reason TEXT,                    -- the error, or the item errors of an ok poll
    items_seen INTEGER,             -- items in the feed
    items_new INTEGER,              -- items not seen before (fetched and ingested)
    articles_added INTEGER,
    item_errors INTEGER,            -- items whose page could not be fetched or ingested
    duration_ms INTEGER
);
-- per-feed lookups of the latest poll, the latest good one and the latest problem stay
-- O(log n) however long the log grows (rowid is the implicit last column of each index)
CREATE INDEX IF NOT EXISTS fetch_log_by_feed ON fetch_log(feed_url);
CREATE INDEX IF NOT EXISTS fetch_log_by_outcome ON fetch_log(feed_url, outcome);
CREATE INDEX IF NOT EXISTS fetch_log_problems ON fetch_log(feed_url) WHERE reason IS NOT NULL;
CREATE INDEX IF NOT EXISTS fetch_log_at ON fetch_log(at);
CREATE TABLE IF NOT EXISTS feed_articles (
    feed_url TEXT NOT NULL,
    article_id TEXT NOT NULL,       -- articles.id added by a poll of this feed
    at TEXT NOT NULL,
    PRIMARY KEY (feed_url, article_id)
);
CREATE INDEX IF NOT EXISTS feed_articles_by_feed ON feed_articles(feed_url, at);
CREATE INDEX IF NOT EXISTS feed_articles_article ON feed_articles(article_id);
"""
# fetch_log rows older than this are pruned at the end of each round (the log would grow by
# ~100 rows per feed and day at the default interval).
FETCH_LOG_KEEP_DAYS = 365

_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class FetchError(Exception):
    """A request that failed, with a short human-readable reason (and the HTTP status, if any)."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True)
class Feed:
    """One entry of the feed list."""

    name: str
    url: str
    every_s: float | None = None
    timeout_s: float = DEFAULT_TIMEOUT_S


@dataclass
class Response:
    """What a GET returned (status 304 has no body)."""

    status: int
    url: str
    data: bytes
    headers: Message


@dataclass
class FeedResult:
    """The outcome of polling one feed once."""

    feed: Feed
    status: str = "ok"  # ok / not modified / error
    added: int = 0
    http_status: int | None = None
    items_seen: int = 0
    article_ids: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic, repr=False)
    unchanged: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.status == "error":
            return f"{self.feed.name}: error: {self.errors[0] if self.errors else 'unknown'}"
        if self.status == "not modified":
            return f"{self.feed.name}: not modified"
        extra = f", errors {len(self.errors)} ({self.errors[0]})" if self.errors else ""
        return (f"{self.feed.name}: added {self.added}, unchanged {self.unchanged}, "
                f"already seen {self.skipped}{extra}")


def parse_duration(text: str | float | int) -> float:
    """``"15m"`` / ``"30s"`` / ``"1h"`` / ``90`` -> seconds."""
    if isinstance(text, (int, float)):
        return float(text)
    m = _DURATION_RE.match(text)
    if not m:
        raise ValueError(f"bad duration {text!r} (use e.g. 30s, 15m, 1h)")
    return float(m.group(1)) * _UNITS[(m.group(2) or "s").lower()]


def load_feeds(path: Path | str) -> list[Feed]:
    """Read ``[[feed]]`` tables (name, url, optional every, timeout_s) from a TOML file."""
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    feeds: list[Feed] = []
    for n, entry in enumerate(data.get("feed") or [], start=1):
        url = str(entry.get("url") or "").strip()
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(f"feed {n}: 'url' must be an http(s) URL")
        every = entry.get("every")
        feeds.append(Feed(name=str(entry.get("name") or url), url=url,
                          every_s=parse_duration(every) if every is not None else None,
                          timeout_s=float(entry.get("timeout_s", DEFAULT_TIMEOUT_S))))
    return feeds


class Fetcher:
    """HTTP GET with timeout, byte cap and at least ``host_interval_s`` between hits per host."""

    def __init__(self, host_interval_s: float = DEFAULT_HOST_INTERVAL_S,
                 max_bytes: int | None = None) -> None:
        self.host_interval_s = host_interval_s
        self.max_bytes = settings.MAX_DOCUMENT_BYTES if max_bytes is None else max_bytes
        self._last: dict[str, float] = {}

    def _wait_for(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        last = self._last.get(host)
        if last is not None and self.host_interval_s > 0:
            delay = last + self.host_interval_s - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        self._last[host] = time.monotonic()

    def get(self, url: str, timeout_s: float, headers: dict[str, str] | None = None) -> Response:
        """GET ``url``; raises FetchError with a reason for anything but 200/304."""
        self._wait_for(url)
        req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=timeout_s) as resp:
                length = resp.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > self.max_bytes:
                    raise FetchError(f"too large: {length} bytes > {self.max_bytes} cap")
                data = resp.read(self.max_bytes + 1)
                if len(data) > self.max_bytes:
                    raise FetchError(f"too large: more than {self.max_bytes} bytes")
                return Response(resp.status, resp.geturl(), data, resp.headers)
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return Response(304, url, b"", exc.headers)
            raise FetchError(f"HTTP {exc.code} {exc.reason}", exc.code) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise FetchError(f"timeout after {timeout_s:g} s") from exc
            raise FetchError(f"connection error: {exc.reason}") from exc
        except TimeoutError as exc:
            raise FetchError(f"timeout after {timeout_s:g} s") from exc
        except (OSError, ValueError, http.client.HTTPException) as exc:
            raise FetchError(f"{type(exc).__name__}: {exc}"[:300]) from exc


class Watcher:
    """Polls feeds into a store; state lives in the ``feed_state`` table."""

    def __init__(self, store: Store, fetcher: Fetcher | None = None,
                 senders: Mapping[str, Sender] | None = None) -> None:
        self.store = store
        self.fetcher = fetcher or Fetcher()
        self.senders = senders  # alert senders (None: steppewatch.alerts.default_senders())
        store.con.executescript(FEED_STATE_SCHEMA)
        store.con.commit()

    # -- state ---------------------------------------------------------------------------
    def state(self, url: str) -> dict[str, object]:
        row = self.store.con.execute("SELECT * FROM feed_state WHERE url = ?", (url,)).fetchone()
        return dict(row) if row else {}

    def _save_state(self, feed: Feed, result: FeedResult, etag: str | None,
                    last_modified: str | None) -> None:
        """Update ``feed_state``, append the poll to ``fetch_log`` and link the articles it added."""
        old = self.state(feed.url)
        ok = result.status != "error"
        now = utc_now()
        with self.store.transaction() as con:
            con.execute(
                "INSERT OR REPLACE INTO feed_state (url, name, etag, last_modified, last_success,"
                " last_error, last_status, items_added, checked_at) VALUES (?,?,?,?,?,?,?,?,?)",
                (feed.url, feed.name, etag if ok else old.get("etag"),
                 last_modified if ok else old.get("last_modified"),
                 now if ok else old.get("last_success"),
                 "; ".join(result.errors)[:1000] or None, result.status, result.added, now))
            self._log_fetch(con, feed, result, now)
            con.executemany("INSERT OR IGNORE INTO feed_articles (feed_url, article_id, at) VALUES (?,?,?)",
                            [(feed.url, aid, now) for aid in result.article_ids])

    @staticmethod
    def _log_fetch(con: sqlite3.Connection, feed: Feed, result: FeedResult, now: str) -> None:
        ok = result.status == "ok"
        con.execute(
            "INSERT INTO fetch_log (feed_url, feed_name, at, outcome, http_status, reason, items_seen,"
            " items_new, articles_added, item_errors, duration_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (feed.url, feed.name, now, result.status, result.http_status,
             "; ".join(result.errors)[:1000] or None,
             result.items_seen if ok else None, result.items_seen - result.skipped if ok else None,
             result.added, len(result.errors) if ok else 0,
             round((time.monotonic() - result.started) * 1000)))

    def _log_crash(self, result: FeedResult) -> None:
        """Record a poll that raised (a bug or a store error); best effort."""
        now = utc_now()
        with contextlib.suppress(Exception), self.store.transaction() as con:
            con.execute("INSERT OR IGNORE INTO feed_state (url, name) VALUES (?, ?)",
                        (result.feed.url, result.feed.name))  # every logged feed has a state row
            con.execute("UPDATE feed_state SET last_error = ?, last_status = 'error', checked_at = ?"
                        " WHERE url = ?", (result.errors[0], now, result.feed.url))
            self._log_fetch(con, result.feed, result, now)

    def prune_log(self, keep_days: float = FETCH_LOG_KEEP_DAYS) -> int:
        """Delete ``fetch_log`` rows older than ``keep_days``; returns how many."""
        cutoff = (dt.datetime.now(dt.UTC) - dt.timedelta(days=keep_days)).isoformat(timespec="seconds")
        with self.store.transaction() as con:
            return con.execute("DELETE FROM fetch_log WHERE at < ?", (cutoff,)).rowcount

    def seen(self, url: str) -> bool:
        """True when ``url`` is already stored (by its normalised URL, so tracking parameters,
        www./m. hosts or http/https do not make it new), or logged as ingested. Both are indexed."""
        from steppewatch.store.db import url_key

        key = url_key(url)
        row = self.store.con.execute(
            "SELECT 1 FROM articles WHERE url_key = ? UNION ALL SELECT 1 FROM ingest_log"
            " WHERE origin = ? AND status IN ('ingested', 'unchanged') LIMIT 1",
            (key, url)).fetchone()
        return row is not None

    # -- polling -------------------------------------------------------------------------
    def poll(self, feed: Feed) -> FeedResult:
        """Fetch one feed, then its new item links, and ingest them. Never raises for I/O."""
        from steppewatch.ingest.readers import documents_from_feed_bytes

        result = FeedResult(feed)
        old = self.state(feed.url)
        headers: dict[str, str] = {}
        if old.get("etag"):
            headers["If-None-Match"] = str(old["etag"])
        if old.get("last_modified"):
            headers["If-Modified-Since"] = str(old["last_modified"])
        etag, last_modified = old.get("etag"), old.get("last_modified")
        try:
            resp = self.fetcher.get(feed.url, feed.timeout_s, headers)
        except FetchError as exc:
            result.status, result.errors, result.http_status = "error", [str(exc)], exc.status
            self._save_state(feed, result, None, None)
            return result
        result.http_status = resp.status
        if resp.status == 304:
            result.status = "not modified"
            self._save_state(feed, result, str(etag or "") or None, str(last_modified or "") or None)
            return result
        docs, warning = documents_from_feed_bytes(resp.data, feed.url)
        if not docs:
            result.status, result.errors = "error", [f"bad feed: {warning or 'no items'}"]
            self._save_state(feed, result, None, None)
            return result
        result.items_seen = len(docs)
        to_ingest: list[RawDocument | IngestFailure] = []
        for doc in docs:
            link = doc.meta.get("url")
            if link and self.seen(link):
                result.skipped += 1
                continue
            item = self._item_document(doc, feed, link)
            if isinstance(item, IngestFailure):
                result.errors.append(f"{item.origin}: {item.reason}")
            to_ingest.append(item)
        if to_ingest:
            summary = self._run_ingest(to_ingest)
            result.added = len(summary.ingested)
            result.article_ids = list(summary.ingested)
            result.unchanged = len(summary.unchanged)
            for failure in summary.failed:
                msg = f"{failure.origin}: {failure.reason}"
                if msg not in result.errors:
                    result.errors.append(msg)
        if result.errors:  # keep the old validators so the next round re-reads the feed and retries
            self._save_state(feed, result, str(etag or "") or None, str(last_modified or "") or None)
        else:
            self._save_state(feed, result, resp.headers.get("ETag"), resp.headers.get("Last-Modified"))
        return result

    def _run_ingest(self, docs: list[RawDocument | IngestFailure]) -> IngestSummary:
        return ingest_documents(self.store, docs)

    def _item_document(self, doc: RawDocument, feed: Feed,
                       link: str | None) -> RawDocument | IngestFailure:
        """The linked page as a RawDocument, or the item's own content when it has no link."""
        if not link:
            if doc.data.strip():
                return doc
            return IngestFailure(doc.origin, "feed item has no link and no text")
        try:
            page = self.fetcher.get(link, feed.timeout_s)
        except FetchError as exc:
            return IngestFailure(link, str(exc))
        ctype_header = page.headers.get_content_type() if page.headers.get("Content-Type") else ""
        content_type = ctype_header if ctype_header else "text/html"
        if "html" not in content_type and not content_type.startswith("text/"):
            return IngestFailure(link, f"unsupported content type {content_type}")
        if not page.data.strip():
            return IngestFailure(link, "empty page")
        meta = {k: v for k, v in doc.meta.items() if k not in ("content_type", "charset")}
        meta.update(content_type="text/html" if "html" in content_type else "text/plain", url=link)
        charset = page.headers.get_content_charset()
        if charset:
            meta["charset"] = charset
        if page.url != link:
            meta["final_url"] = page.url
        return RawDocument(origin=link, data=page.data, meta=meta)

    def run_round(self, feeds: list[Feed], echo: Callable[[str], None] = print,
                  due: Callable[[Feed], bool] | None = None) -> list[FeedResult]:
        """Poll every (due) feed once, printing one summary line per feed."""
        results = []
        for feed in feeds:
            if due is not None and not due(feed):
                continue
            try:
                result = self.poll(feed)
            except Exception as exc:  # a bug or store error on one feed must not stop the rest
                result = FeedResult(feed, status="error", errors=[f"{type(exc).__name__}: {exc}"[:300]])
                self._log_crash(result)
            results.append(result)
            echo(result.line())
        with contextlib.suppress(Exception):
            self.prune_log()
        self.send_alerts(echo)
        return results

    def send_alerts(self, echo: Callable[[str], None] = print) -> None:
        """Queue and send the alerts of watchlists (a failed delivery is retried in a later round)."""
        from steppewatch.alerts import default_senders, deliver_alerts

        try:
            report = deliver_alerts(self.store, self.senders if self.senders is not None else default_senders())
        except Exception as exc:  # never stops the watcher: the outbox keeps what was not sent
            echo(f"alerts: not sent this round: {type(exc).__name__}: {str(exc)[:200]}")
            return
        if report.sent or report.retrying or report.given_up:
            echo(report.line())


def watch(store: Store, feeds: list[Feed], every_s: float = DEFAULT_EVERY_S, once: bool = False,
          host_interval_s: float = DEFAULT_HOST_INTERVAL_S,
          echo: Callable[[str], None] = print, senders: Mapping[str, Sender] | None = None) -> list[FeedResult]:
    """Run rounds forever (or once); a feed's own ``every`` overrides ``every_s``. Each round ends by
    sending the alerts of watchlists (``senders``: None for the configured ones)."""
    watcher = Watcher(store, Fetcher(host_interval_s), senders)
    next_due: dict[str, float] = {}

    def due(feed: Feed) -> bool:
        now = time.monotonic()
        if now + 0.5 < next_due.get(feed.url, 0.0):
            return False
        next_due[feed.url] = now + (feed.every_s or every_s)
        return True

    while True:
        results = watcher.run_round(feeds, echo, due)
        if once:
            return results
        wake = min(next_due.values(), default=time.monotonic() + every_s)
        time.sleep(max(1.0, wake - time.monotonic()))
