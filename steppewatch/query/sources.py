"""Pure read queries for the Sources page: feed health, articles added over time, fetch log.

The watcher (``steppewatch/ingest/watch.py``) writes ``feed_state`` (one row per feed),
``fetch_log`` (one row per poll) and ``feed_articles`` (which feed added which article). A
store that was never watched has none of these tables; every function then returns an empty
frame with the documented columns.

Health of a feed (``health_label``), judged at ``now``:

- **failing**: its most recent poll failed: the feed could not be fetched (HTTP error,
  timeout, refused connection) or was not a readable feed;
- **stale**: its most recent poll worked, but either no poll succeeded for ``stale_after``
  (default 1 day: the watcher is not running), or the feed added no article for
  ``quiet_after`` (default 7 days, counted from its first poll when it never added one:
  the feed is up but brings nothing in, or all its item pages fail);
- **ok**: otherwise.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pandas as pd

from steppewatch.store.db import Store

DbLike = Store | sqlite3.Connection

STALE_AFTER = dt.timedelta(days=1)
QUIET_AFTER = dt.timedelta(days=7)
RECENT_DAYS = 7
HEALTH_ORDER: dict[str, int] = {"failing": 0, "stale": 1, "ok": 2}

FEED_COLUMNS = ["health", "name", "url", "note", "last_check", "last_success", "last_error_at",
                "last_error", "consecutive_failures", "last_http_status", "added_total",
                "added_7d", "last_added"]
ADDED_COLUMNS = ["period", "label", "channel", "added"]
FETCH_COLUMNS = ["at", "feed", "url", "outcome", "http_status", "reason", "items_seen",
                 "items_new", "articles_added", "duration_ms"]
_TIME_COLUMNS = ("last_check", "last_success", "last_error_at", "last_added", "first_poll")


def _con(db: DbLike) -> sqlite3.Connection:
    return db.con if isinstance(db, Store) else db


def _frame(db: DbLike, sql: str, params: tuple[object, ...] = ()) -> pd.DataFrame:
    cur = _con(db).execute(sql, params)
    return pd.DataFrame([tuple(r) for r in cur.fetchall()], columns=[d[0] for d in cur.description])


def _tables(db: DbLike) -> set[str]:
    return {r[0] for r in _con(db).execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _iso(moment: dt.datetime) -> str:
    """The store's timestamp format (UTC, seconds) so that string comparison orders by time."""
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _utc(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, utc=True, errors="coerce", format="ISO8601")


def _now(now: dt.datetime | None) -> dt.datetime:
    return (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)


def _ago(delta: dt.timedelta) -> str:
    days = delta.total_seconds() / 86400
    return f"{days:.0f} days" if days >= 2 else f"{delta.total_seconds() / 3600:.0f} hours"


def health_label(last_outcome: str | None, last_success: pd.Timestamp | None,
                 last_added: pd.Timestamp | None, first_poll: pd.Timestamp | None,
                 now: dt.datetime, stale_after: dt.timedelta = STALE_AFTER,
                 quiet_after: dt.timedelta = QUIET_AFTER) -> tuple[str, str]:
    """(ok / stale / failing, a short explanation) by the rules in the module docstring."""
    if last_outcome == "error":
        return "failing", "the last poll failed"
    if last_success is None or pd.isna(last_success):
        return "stale", "never polled successfully"
    if now - last_success > stale_after:
        return "stale", f"no successful poll for {_ago(now - last_success)}"
    since = last_added if last_added is not None and not pd.isna(last_added) else first_poll
    if since is not None and not pd.isna(since) and now - since > quiet_after:
        what = "no new article" if since is last_added else "no article yet"
        return "stale", f"{what} for {_ago(now - since)}"
    return "ok", ""


def feed_status(db: DbLike, now: dt.datetime | None = None, stale_after: dt.timedelta = STALE_AFTER,
                quiet_after: dt.timedelta = QUIET_AFTER) -> pd.DataFrame:
    """One row per watched feed (``FEED_COLUMNS``), failing first, then stale, then ok.

    ``last_error`` is the most recent problem, a feed error or an item page that failed in
    an otherwise good poll (its reason then starts with the page URL); ``consecutive_failures``
    counts the failed polls since the last good one.
    """
    tables = _tables(db)
    if "feed_state" not in tables:
        return pd.DataFrame(columns=FEED_COLUMNS)
    moment = _now(now)
    recent = _iso(moment - dt.timedelta(days=RECENT_DAYS))
    if "fetch_log" in tables and "feed_articles" in tables:
        # One indexed lookup per feed and question (feeds are few, polls many).
        df = _frame(db, """
            WITH feeds AS (SELECT url AS feed_url FROM feed_state),
            ids AS (SELECT feed_url,
                (SELECT max(rowid) FROM fetch_log WHERE feed_url = feeds.feed_url) AS latest,
                (SELECT min(rowid) FROM fetch_log WHERE feed_url = feeds.feed_url) AS first,
                max(coalesce((SELECT max(rowid) FROM fetch_log
                              WHERE feed_url = feeds.feed_url AND outcome = 'ok'), 0),
                    coalesce((SELECT max(rowid) FROM fetch_log
                              WHERE feed_url = feeds.feed_url AND outcome = 'not modified'), 0)) AS last_ok,
                (SELECT max(rowid) FROM fetch_log
                 WHERE feed_url = feeds.feed_url AND reason IS NOT NULL) AS last_err
                FROM feeds),
            added AS (SELECT feed_url,
                (SELECT count(*) FROM feed_articles a WHERE a.feed_url = feeds.feed_url) AS total,
                (SELECT count(*) FROM feed_articles a WHERE a.feed_url = feeds.feed_url AND a.at >= ?) AS recent,
                (SELECT max(at) FROM feed_articles a WHERE a.feed_url = feeds.feed_url) AS last_added
                FROM feeds)
            SELECT ids.feed_url AS url, coalesce(s.name, l.feed_name, ids.feed_url) AS name,
                   coalesce(l.at, s.checked_at) AS last_check, s.last_success,
                   coalesce(l.outcome, s.last_status) AS last_outcome,
                   coalesce(e.at, CASE WHEN s.last_error IS NOT NULL THEN s.checked_at END) AS last_error_at,
                   coalesce(e.reason, s.last_error) AS last_error,
                   (SELECT count(*) FROM fetch_log WHERE feed_url = ids.feed_url AND outcome = 'error'
                    AND rowid > ids.last_ok) AS consecutive_failures,
                   l.http_status AS last_http_status,
                   coalesce(added.total, 0) AS added_total, coalesce(added.recent, 0) AS added_7d,
                   added.last_added, coalesce(f.at, s.checked_at) AS first_poll
            FROM ids
            LEFT JOIN feed_state s ON s.url = ids.feed_url
            LEFT JOIN fetch_log l ON l.rowid = ids.latest
            LEFT JOIN fetch_log f ON f.rowid = ids.first
            LEFT JOIN fetch_log e ON e.rowid = ids.last_err
            LEFT JOIN added ON added.feed_url = ids.feed_url""", (recent,))
    else:  # watched by an older version: only the per-feed state is known
        df = _frame(db, """
            SELECT url, coalesce(name, url) AS name, checked_at AS last_check, last_success,
                   last_status AS last_outcome,
                   CASE WHEN last_error IS NOT NULL THEN checked_at END AS last_error_at, last_error,
                   CASE WHEN last_status = 'error' THEN 1 ELSE 0 END AS consecutive_failures,
                   NULL AS last_http_status, 0 AS added_total, 0 AS added_7d, NULL AS last_added,
                   checked_at AS first_poll
            FROM feed_state""")
    if df.empty:
        return pd.DataFrame(columns=FEED_COLUMNS)
    for column in _TIME_COLUMNS:
        df[column] = _utc(df[column])
    labels = [health_label(o, s, a, f, moment, stale_after, quiet_after) for o, s, a, f in
              zip(df["last_outcome"], df["last_success"], df["last_added"], df["first_poll"], strict=True)]
    df["health"] = [h for h, _ in labels]
    df["note"] = [n for _, n in labels]
    failing = df["health"] == "failing"
    df.loc[failing, "note"] = [f"last {n} polls failed" if n > 1 else "the last poll failed"
                               for n in df.loc[failing, "consecutive_failures"]]
    df["last_http_status"] = df["last_http_status"].astype("Int64")
    for column in ("consecutive_failures", "added_total", "added_7d"):
        df[column] = df[column].astype(int)
    df["_order"] = df["health"].map(HEALTH_ORDER)
    df = df.sort_values(["_order", "consecutive_failures", "name"], ascending=[True, False, True])
    return df[FEED_COLUMNS].reset_index(drop=True)


_CHANNEL_SQL = """CASE
    WHEN fa.feed_url IS NOT NULL THEN 'feed'
    WHEN a.origin LIKE 'upload:%' THEN 'upload'
    WHEN a.origin LIKE '%#row%' THEN 'bulk'
    WHEN a.origin LIKE 'http://%' OR a.origin LIKE 'https://%' THEN 'web'
    ELSE 'file' END"""


def articles_added_over_time(db: DbLike, freq: str = "D", since: dt.datetime | None = None,
                             by: str = "added") -> pd.DataFrame:
    """Articles added per period (``freq`` "D" or "W", weeks start on Monday) and per label.

    ``label`` is the feed's name for articles a feed added; otherwise the article's source
    with how it came in (``channel``: upload, bulk JSONL/CSV row, web page, file), e.g.
    "Reuters (upload)". The time (``by``) is the article's "ingested" entry in the ingest log (UTC,
    "added") or its publication date ("published": a backfill spreads over the days it covers;
    articles without a date are left out), from ``since`` on when given. ``period`` is the first day
    of the period; rows are sorted by period, then label.
    """
    if freq not in ("D", "W"):
        raise ValueError(f"freq must be 'D' or 'W', not {freq!r}")
    if by not in ("added", "published"):
        raise ValueError(f"by must be 'added' or 'published', not {by!r}")
    day, when = ("substr(l.at, 1, 10)", "l.at") if by == "added" else ("substr(a.published, 1, 10)", "a.published")
    tables = _tables(db)
    # Driven by the ingest log (indexed by time): an article's "ingested" row is its arrival.
    feed_join = ("LEFT JOIN feed_articles fa ON fa.article_id = l.article_id"
                 " LEFT JOIN feed_state fs ON fs.url = fa.feed_url"
                 if {"feed_articles", "feed_state"} <= tables else
                 "LEFT JOIN (SELECT NULL AS article_id, NULL AS feed_url) fa ON 0"
                 " LEFT JOIN (SELECT NULL AS name) fs ON 0")
    df = _frame(db, f"""
        SELECT {day} AS day, {_CHANNEL_SQL} AS channel,
               CASE WHEN fa.feed_url IS NOT NULL THEN coalesce(fs.name, fa.feed_url)
                    ELSE coalesce(nullif(trim(a.source), ''), 'unknown source') END AS source,
               count(*) AS added
        FROM ingest_log l
        JOIN articles a ON a.id = l.article_id
        {feed_join}
        WHERE {when} >= ? AND l.status = 'ingested'
        GROUP BY day, channel, source""", (_iso(since)[:10 if by == "published" else None] if since else "",))
    if df.empty:
        return pd.DataFrame(columns=ADDED_COLUMNS)
    df["label"] = [s if c == "feed" else f"{s} ({c})" for s, c in zip(df["source"], df["channel"], strict=True)]
    df["period"] = pd.to_datetime(df["day"], errors="coerce", format="%Y-%m-%d")
    df = df.dropna(subset=["period"])
    if freq == "W":
        df["period"] = df["period"] - pd.to_timedelta(df["period"].dt.day_of_week, unit="D")
    out = df.groupby(["period", "label", "channel"], as_index=False)["added"].sum()
    out["added"] = out["added"].astype(int)
    return out.sort_values(["period", "label"]).reset_index(drop=True)[ADDED_COLUMNS]


def recent_fetches(db: DbLike, limit: int = 100, feed_url: str | None = None) -> pd.DataFrame:
    """The most recent polls (``FETCH_COLUMNS``), newest first; optionally of one feed."""
    if "fetch_log" not in _tables(db):
        return pd.DataFrame(columns=FETCH_COLUMNS)
    where, params = ("WHERE feed_url = ?", (feed_url,)) if feed_url else ("", ())
    df = _frame(db, f"""
        SELECT at, coalesce(feed_name, feed_url) AS feed, feed_url AS url, outcome, http_status, reason,
               items_seen, items_new, articles_added, duration_ms
        FROM fetch_log {where} ORDER BY rowid DESC LIMIT ?""", (*params, max(0, int(limit))))
    df["at"] = _utc(df["at"])
    for column in ("http_status", "items_seen", "items_new", "articles_added", "duration_ms"):
        df[column] = df[column].astype("Int64")
    return df[FETCH_COLUMNS]
