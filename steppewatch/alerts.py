"""Watchlists and alerts: a watchlist is a saved filter with a name; a new story that matches it makes one
alert, which goes out by e-mail (SMTP), to a webhook, and into an Atom feed the app serves.

- **Queueing** (``queue_alerts``) runs after every ingest (CLI, ``watch``, an upload) inside the writer's
  lock, and again before each delivery. Each watchlist keeps a mark: the ingest time of the articles it
  has looked at. Articles stored since then that match its filter name their stories; a story gets an
  alert unless this watchlist was already alerted of it, under its id or through any of its reports (a
  story that merges with an alerted one, or changes id when an earlier report arrives, is not news).
  The alert, its deliveries and the moved mark are one transaction: a run killed at any moment queues
  each alert exactly once when the next one runs.
- **Delivery** (``deliver_alerts``) sends what is due, each delivery on its own: a failure is recorded
  and retried later (``settings.ALERT_RETRY_S``, growing), given up after ``settings.ALERT_MAX_ATTEMPTS``.
  A delivery is marked sent right after it went out; a process killed in between sends it again on its
  next run, with the same ``Message-ID`` / ``Idempotency-Key`` so the receiver can drop the repeat.
- **Senders are injected** (``deliver_alerts(store, senders)``): ``smtp_sender`` and ``webhook_sender``
  build the real ones from settings; the tests pass local servers on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import smtplib
import sqlite3
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import urlencode, urlsplit

from steppewatch import settings
from steppewatch.query.filters import Filters
from steppewatch.store import Store
from steppewatch.store.db import utc_now  # marks are compared with articles.ingested_at

MAX_NAME_CHARS = 80
CHANNELS = ("email", "webhook")
_EMAIL_RE = re.compile(r"^[^@\s,;<>\"']+@[^@\s,;<>\"']+\.[^@\s,;<>\"']+$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_NOT_XML_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot carry
FEED_ENTRIES = 50


class WatchlistError(ValueError):
    """A watchlist that cannot be saved as given (the message says why)."""


@dataclass(frozen=True)
class Watchlist:
    """A saved filter with a name, and where its alerts go."""

    watchlist_id: int
    name: str
    filters: Filters
    emails: tuple[str, ...] = ()
    webhook: str | None = None
    feed_token: str = ""
    created_at: str = ""
    created_by: str | None = None

    @property
    def query(self) -> str:
        """The filter as a URL query string (what the dashboard shows for it)."""
        return urlencode(self.filters.to_query_params())


@dataclass(frozen=True)
class Alert:
    """One story that matched one watchlist."""

    alert_id: int
    watchlist_id: int
    watchlist: str
    story_id: str
    title: str
    first_seen: str | None
    last_seen: str | None
    n_articles: int
    sources: str
    created_at: str

    def link(self, app_url: str) -> str | None:
        """The story's page in the dashboard (None without the app's public URL)."""
        return f"{app_url.rstrip('/')}/stories?{urlencode({'story': self.story_id})}" if app_url else None


@dataclass
class DeliveryReport:
    """What one ``deliver_alerts`` call did."""

    sent: list[tuple[int, str, str]] = field(default_factory=list)  # (alert_id, channel, target)
    retrying: list[tuple[int, str, str, str]] = field(default_factory=list)  # ... and the reason
    given_up: list[tuple[int, str, str, str]] = field(default_factory=list)

    def line(self) -> str:
        """One line for the CLI."""
        return (f"alerts: {len(self.sent)} sent, {len(self.retrying)} to retry, "
                f"{len(self.given_up)} given up")


Sender = Callable[[Alert, str], None]  # (alert, target) -> None; raises on failure


def _clean_filters(filters: Filters) -> Filters:
    """What a watchlist keeps of a view: its filters, without the drill-down and the map metric."""
    return replace(filters, story=None, article=None, metric=Filters().metric)


def _check(name: str, filters: Filters, emails: Iterable[str], webhook: str | None
           ) -> tuple[str, Filters, tuple[str, ...], str | None]:
    name = " ".join(str(name).split())
    if not name or len(name) > MAX_NAME_CHARS or _CONTROL_RE.search(name):
        raise WatchlistError(f"a watchlist needs a name of 1 to {MAX_NAME_CHARS} characters")
    filters = _clean_filters(filters)
    if not (filters.countries or filters.people or filters.event_types or filters.sources):
        raise WatchlistError("a watchlist needs a country, a person, an event type or a source: "
                             "without one it would alert every story")
    addresses = tuple(dict.fromkeys(e.strip().lower() for e in emails if e.strip()))
    for address in addresses:
        if not _EMAIL_RE.match(address):
            raise WatchlistError(f"{address!r} is not an e-mail address")
    webhook = (webhook or "").strip() or None
    if webhook is not None:
        parts = urlsplit(webhook)
        if parts.scheme not in ("http", "https") or not parts.hostname or _CONTROL_RE.search(webhook):
            raise WatchlistError("a webhook must be an http(s) URL")
    return name, filters, addresses, webhook


def _text_or_none(value: object) -> str | None:
    return str(value) if value else None


def _watchlist(row: Mapping[str, object]) -> Watchlist:
    filters, _ = Filters.from_link(str(row["query"]))
    return Watchlist(watchlist_id=int(row["watchlist_id"]), name=str(row["name"]), filters=filters,  # type: ignore[call-overload]
                     emails=tuple(e for e in str(row["emails"] or "").split(",") if e),
                     webhook=_text_or_none(row["webhook"]), feed_token=str(row["feed_token"]),
                     created_at=str(row["created_at"]), created_by=_text_or_none(row["created_by"]))


def add_watchlist(store: Store, name: str, filters: Filters, emails: Iterable[str] = (),
                  webhook: str | None = None, created_by: str | None = None) -> Watchlist:
    """Save a watchlist; only stories with reports stored from now on alert it."""
    name, filters, addresses, webhook = _check(name, filters, emails, webhook)
    now = utc_now()
    query = urlencode(filters.to_query_params())
    try:
        with store.transaction() as con:
            cursor = con.execute(
                "INSERT INTO watchlists (name, query, emails, webhook, feed_token, created_at, created_by, mark)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (name, query, ",".join(addresses), webhook, secrets.token_urlsafe(18), now, created_by, now))
            # ingest times have whole seconds: reports stored in this very second are already known to it
            con.execute("INSERT OR IGNORE INTO alert_articles (watchlist_id, article_id)"
                        " SELECT ?, id FROM articles WHERE ingested_at >= ?", (cursor.lastrowid, now))
    except sqlite3.IntegrityError as exc:
        raise WatchlistError(f"there is already a watchlist named {name!r}") from exc
    return _watchlist(store.rows("SELECT * FROM watchlists WHERE watchlist_id = ?", [cursor.lastrowid])[0])


def remove_watchlist(store: Store, name: str) -> bool:
    """Delete a watchlist with its alerts and pending deliveries; False when there is none of that name."""
    with store.transaction() as con:
        row = con.execute("SELECT watchlist_id FROM watchlists WHERE name = ?", (name,)).fetchone()
        if row is None:
            return False
        wid = int(row[0])
        con.execute("DELETE FROM alert_deliveries WHERE alert_id IN (SELECT alert_id FROM alerts"
                    " WHERE watchlist_id = ?)", (wid,))
        for table in ("alerts", "alert_articles", "watchlists"):
            con.execute(f"DELETE FROM {table} WHERE watchlist_id = ?", (wid,))
    return True


def has_alert_tables(store: Store) -> bool:
    """False for a store opened read-only before it had them (an older store): nothing to show."""
    return store.has_table("watchlists")


def watchlists(store: Store) -> list[Watchlist]:
    """Every watchlist, by name."""
    if not has_alert_tables(store):
        return []
    return [_watchlist(r) for r in store.rows("SELECT * FROM watchlists ORDER BY name")]


# -- queueing ------------------------------------------------------------------------------------
def _queue_one(con: sqlite3.Connection, watchlist: Watchlist, mark: str, now: str) -> list[int]:
    from steppewatch.query.queries import article_where  # pandas: only once there is a watchlist

    where, params = article_where(watchlist.filters)
    rows = con.execute(f"SELECT a.id, a.story_id, a.ingested_at FROM articles a WHERE a.ingested_at >= ?"
                       f" AND a.story_id IS NOT NULL AND {where} ORDER BY a.ingested_at, a.id",
                       [mark, *params]).fetchall()
    if not rows:
        return []
    wid = watchlist.watchlist_id
    by_story: dict[str, list[str]] = {}
    for article_id, story_id, _ in rows:
        by_story.setdefault(str(story_id), []).append(str(article_id))
    new_alerts: list[int] = []
    for story_id, matching in by_story.items():
        members = [r[0] for r in con.execute("SELECT id FROM articles WHERE story_id = ?", (story_id,))]
        known = con.execute("SELECT 1 FROM alerts WHERE watchlist_id = ? AND story_id = ?", (wid, story_id)
                            ).fetchone() or con.execute(
            "SELECT 1 FROM alert_articles WHERE watchlist_id = ? AND article_id IN"
            " (SELECT value FROM json_each(?)) LIMIT 1", (wid, json.dumps(members))).fetchone()
        con.executemany("INSERT OR IGNORE INTO alert_articles (watchlist_id, article_id) VALUES (?, ?)",
                        [(wid, a) for a in (matching if known else members)])
        if known:
            continue
        cursor = con.execute("INSERT INTO alerts (watchlist_id, story_id, created_at) VALUES (?, ?, ?)",
                             (wid, story_id, now))
        alert_id = int(cursor.lastrowid or 0)
        targets = [("email", e) for e in watchlist.emails] + ([("webhook", watchlist.webhook)]
                                                               if watchlist.webhook else [])
        con.executemany("INSERT INTO alert_deliveries (alert_id, channel, target, status, attempts, next_try_at)"
                        " VALUES (?, ?, ?, 'pending', 0, ?)", [(alert_id, c, t, now) for c, t in targets])
        new_alerts.append(alert_id)
    con.execute("UPDATE watchlists SET mark = ? WHERE watchlist_id = ?", (max(str(r[2]) for r in rows), wid))
    return new_alerts


def queue_alerts(store: Store) -> list[int]:
    """Alerts for the stories new to each watchlist since its mark (ids of the alerts made)."""
    if store.read_only or not has_alert_tables(store):
        return []
    made: list[int] = []
    for row in store.rows("SELECT * FROM watchlists ORDER BY watchlist_id"):
        watchlist = _watchlist(row)
        with store.transaction() as con:
            made += _queue_one(con, watchlist, str(row["mark"]), utc_now())
    return made


# -- reading alerts -----------------------------------------------------------------------------
ALERT_ROWS = """
    SELECT al.alert_id, al.watchlist_id, w.name AS watchlist, al.story_id, al.created_at,
           coalesce(s.title, '(story ' || al.story_id || ')') AS title, s.first_seen, s.last_seen,
           coalesce(s.n_articles, 0) AS n_articles,
           (SELECT group_concat(src, ', ') FROM (SELECT DISTINCT a.source AS src FROM articles a
                WHERE a.story_id = al.story_id AND a.source IS NOT NULL ORDER BY a.source)) AS sources
    FROM alerts al JOIN watchlists w ON w.watchlist_id = al.watchlist_id
    LEFT JOIN stories s ON s.story_id = al.story_id"""


def _alert(row: Mapping[str, object]) -> Alert:
    return Alert(alert_id=int(row["alert_id"]), watchlist_id=int(row["watchlist_id"]),  # type: ignore[arg-type]
                 watchlist=str(row["watchlist"]), story_id=str(row["story_id"]), title=str(row["title"]),
                 first_seen=row["first_seen"] and str(row["first_seen"]),  # type: ignore[arg-type]
                 last_seen=row["last_seen"] and str(row["last_seen"]),  # type: ignore[arg-type]
                 n_articles=int(row["n_articles"] or 0), sources=str(row["sources"] or ""),  # type: ignore[arg-type]
                 created_at=str(row["created_at"]))


def recent_alerts(store: Store, limit: int = 100, watchlist_id: int | None = None) -> list[Alert]:
    """The latest alerts, newest first (of one watchlist when given)."""
    if not has_alert_tables(store):
        return []
    where = "WHERE al.watchlist_id = ?" if watchlist_id is not None else ""
    params: list[object] = [watchlist_id] if watchlist_id is not None else []
    return [_alert(r) for r in store.rows(f"{ALERT_ROWS} {where} ORDER BY al.alert_id DESC LIMIT ?",
                                          [*params, int(limit)])]


def alert_counts(store: Store) -> dict[int, tuple[int, str]]:
    """Per watchlist id that has alerts: how many, and when the latest was made."""
    if not has_alert_tables(store):
        return {}
    return {int(r["watchlist_id"]): (int(r["n"]), str(r["last"])) for r in store.rows(  # type: ignore[call-overload]
        "SELECT watchlist_id, count(*) AS n, max(created_at) AS last FROM alerts GROUP BY watchlist_id")}


def delivery_rows(store: Store, limit: int = 200) -> list[dict[str, object]]:
    """Deliveries with their alert, newest first: status, attempts, the last error."""
    if not has_alert_tables(store):
        return []
    return store.rows("""
        SELECT w.name AS watchlist, al.story_id, d.channel, d.target, d.status, d.attempts, d.last_error,
               d.next_try_at, d.sent_at, al.created_at
        FROM alert_deliveries d JOIN alerts al ON al.alert_id = d.alert_id
        JOIN watchlists w ON w.watchlist_id = al.watchlist_id
        ORDER BY al.alert_id DESC, d.channel, d.target LIMIT ?""", [int(limit)])


# -- delivery -------------------------------------------------------------------------------------
def retry_after_s(attempts: int) -> float:
    """Seconds before the next try of a delivery that failed ``attempts`` times (growing, capped)."""
    return min(settings.ALERT_RETRY_S * 4 ** max(attempts - 1, 0), 6 * 3600)


def deliver_alerts(store: Store, senders: Mapping[str, Sender], now: dt.datetime | None = None) -> DeliveryReport:
    """Queue what is new, then send every delivery that is due; each one's outcome is committed alone."""
    report = DeliveryReport()
    if store.read_only or not has_alert_tables(store):
        return report
    queue_alerts(store)
    moment = now or dt.datetime.now(dt.UTC)
    stamp = moment.isoformat(timespec="seconds")
    due = store.rows("SELECT d.*, al.alert_id FROM alert_deliveries d JOIN alerts al ON al.alert_id = d.alert_id"
                     " WHERE d.status = 'pending' AND d.next_try_at <= ? ORDER BY d.alert_id, d.channel, d.target",
                     [stamp])
    alerts = {a.alert_id: a for a in (_alert(r) for r in store.rows(
        f"{ALERT_ROWS} WHERE al.alert_id IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted({int(d['alert_id']) for d in due}))]))}  # type: ignore[call-overload]
    for delivery in due:
        alert_id, channel, target = int(delivery["alert_id"]), str(delivery["channel"]), str(delivery["target"])  # type: ignore[call-overload]
        sender = senders.get(channel)
        try:
            if sender is None:
                raise RuntimeError(f"no {channel} sender is configured"
                                   + (" (STEPPEWATCH_SMTP_HOST)" if channel == "email" else ""))
            sender(alerts[alert_id], target)
        except Exception as exc:  # the receiver's problem: recorded, retried, the rest goes on
            attempts = int(delivery["attempts"]) + 1  # type: ignore[call-overload]
            reason = f"{type(exc).__name__}: {str(exc)[:300]}"
            gave_up = attempts >= settings.ALERT_MAX_ATTEMPTS
            next_try = (moment + dt.timedelta(seconds=retry_after_s(attempts))).isoformat(timespec="seconds")
            with store.transaction() as con:
                con.execute("UPDATE alert_deliveries SET status = ?, attempts = ?, last_error = ?, next_try_at = ?"
                            " WHERE alert_id = ? AND channel = ? AND target = ?",
                            ("failed" if gave_up else "pending", attempts, reason, next_try, alert_id, channel,
                             target))
            (report.given_up if gave_up else report.retrying).append((alert_id, channel, target, reason))
            continue
        with store.transaction() as con:
            con.execute("UPDATE alert_deliveries SET status = 'sent', attempts = attempts + 1, sent_at = ?,"
                        " last_error = NULL WHERE alert_id = ? AND channel = ? AND target = ?",
                        (utc_now(), alert_id, channel, target))
        report.sent.append((alert_id, channel, target))
    return report


def alert_text(alert: Alert, app_url: str = "") -> str:
    """The plain-text body of an alert (e-mail)."""
    days = " to ".join(dict.fromkeys(d[:10] for d in (alert.first_seen, alert.last_seen) if d)) or "undated"
    lines = [f"A new story matches your watchlist \"{alert.watchlist}\":", "", alert.title, "",
             f"Reports: {alert.n_articles} ({alert.sources or 'no source named'})", f"Published: {days}"]
    if link := alert.link(app_url):
        lines += ["", f"Open it: {link}"]
    return "\n".join(lines) + "\n"


def alert_json(alert: Alert, app_url: str = "") -> dict[str, object]:
    """The webhook's JSON body."""
    return {"alert_id": alert.alert_id, "watchlist": alert.watchlist, "story_id": alert.story_id,
            "title": alert.title, "first_seen": alert.first_seen, "last_seen": alert.last_seen,
            "n_articles": alert.n_articles, "sources": [s for s in alert.sources.split(", ") if s],
            "url": alert.link(app_url), "created_at": alert.created_at}


def message_id(alert: Alert) -> str:
    """The same Message-ID for every send of one alert (a repeat after a crash is recognisable)."""
    return f"<alert-{alert.alert_id}-{alert.watchlist_id}@steppewatch>"


def smtp_sender(host: str | None = None, port: int | None = None, sender: str | None = None,
                user: str | None = None, password: str | None = None, starttls: bool | None = None,
                app_url: str | None = None, timeout_s: float = 20) -> Sender:
    """An e-mail sender over SMTP (settings by default: ``STEPPEWATCH_SMTP_*``)."""
    host = host if host is not None else settings.SMTP_HOST
    port = port or settings.SMTP_PORT
    sender = sender or settings.SMTP_FROM
    user = user if user is not None else settings.SMTP_USER
    password = password if password is not None else settings.SMTP_PASSWORD
    starttls = settings.SMTP_STARTTLS if starttls is None else starttls
    app_url = settings.APP_URL if app_url is None else app_url

    def send(alert: Alert, target: str) -> None:
        message = EmailMessage()
        message["Subject"] = f"[Steppe Watch] {alert.watchlist}: {_CONTROL_RE.sub(' ', alert.title)[:150]}"
        message["From"] = sender
        message["To"] = target
        message["Message-ID"] = message_id(alert)
        message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
        message.set_content(alert_text(alert, app_url))
        with smtplib.SMTP(host, port, timeout=timeout_s) as smtp:
            if starttls:
                smtp.starttls()
            if user:
                smtp.login(user, password or "")
            smtp.send_message(message)

    return send


def webhook_sender(app_url: str | None = None, timeout_s: float | None = None) -> Sender:
    """A webhook sender: POST of ``alert_json`` with an ``Idempotency-Key``; any 2xx is success."""
    app_url = settings.APP_URL if app_url is None else app_url
    timeout_s = timeout_s or settings.WEBHOOK_TIMEOUT_S

    def send(alert: Alert, target: str) -> None:
        body = json.dumps(alert_json(alert, app_url), ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(target, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8", "User-Agent": "SteppeWatch-alerts",
            "Idempotency-Key": f"steppewatch-alert-{alert.alert_id}"})
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # http(s) only: checked when saved
            if not 200 <= response.status < 300:
                raise urllib.error.HTTPError(target, response.status, "not a 2xx answer", response.headers, None)

    return send


def default_senders() -> dict[str, Sender]:
    """The senders the settings allow: e-mail when an SMTP host is set, webhooks always."""
    senders: dict[str, Sender] = {"webhook": webhook_sender()}
    if settings.SMTP_HOST:
        senders["email"] = smtp_sender()
    return senders


# -- the Atom feed --------------------------------------------------------------------------------
ATOM = "http://www.w3.org/2005/Atom"


def _atom_time(value: str | None) -> str:
    if not value:
        return "1970-01-01T00:00:00Z"
    return value if "T" in value else f"{value[:10]}T00:00:00Z"


def atom_feed(store: Store, token: str, app_url: str) -> bytes | None:
    """The Atom feed of the watchlist whose feed token is ``token`` (None when there is none): its latest
    alerts, newest first, each linking to its story in the dashboard at ``app_url``."""
    if not token or not has_alert_tables(store):
        return None
    rows = store.rows("SELECT * FROM watchlists WHERE feed_token = ?", [token])
    if not rows:
        return None
    watchlist = _watchlist(rows[0])
    alerts = recent_alerts(store, FEED_ENTRIES, watchlist.watchlist_id)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title", type="text").text = f"Steppe Watch: {watchlist.name}"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"urn:steppewatch:watchlist:{watchlist.watchlist_id}"
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _atom_time(alerts[0].created_at if alerts
                                                                else watchlist.created_at)
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "Steppe Watch"
    if app_url:
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate",
                      href=f"{app_url.rstrip('/')}/?{watchlist.query}")
    for alert in alerts:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title", type="text").text = _CONTROL_RE.sub(" ", alert.title)
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:steppewatch:alert:{alert.alert_id}"
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _atom_time(alert.created_at)
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = _NOT_XML_RE.sub(
            " ", alert_text(alert, ""))
        if link := alert.link(app_url):
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=link)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")
