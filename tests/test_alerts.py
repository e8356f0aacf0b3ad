"""Watchlists and alerts: one alert per (watchlist, story), out by e-mail to a local SMTP server, to a
local webhook receiver and into the Atom feed the app serves; failures retried; nothing sent twice
across watch rounds and a restart."""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from test_watch import Server

from steppewatch import settings
from steppewatch.alerts import (
    ATOM,
    WatchlistError,
    add_watchlist,
    atom_feed,
    deliver_alerts,
    queue_alerts,
    recent_alerts,
    remove_watchlist,
    smtp_sender,
    watchlists,
    webhook_sender,
)
from steppewatch.ingest.watch import Feed, watch
from steppewatch.models import RawDocument
from steppewatch.pipeline import ingest_documents
from steppewatch.query.filters import Filters
from steppewatch.store import Store, open_store

KAZ_VISITS = Filters(countries=("KAZ",), event_types=("visit",))
ASTANA = ("Mirziyoyev arrives in Astana for talks with Tokayev\n\nASTANA, 14 March 2024 (Reuters) - Uzbek "
          "President Shavkat Mirziyoyev arrived in Astana on Thursday for a two-day state visit to Kazakhstan, "
          "where he will hold talks with President Kassym-Jomart Tokayev on water and transport, the Kazakh "
          "presidential press service said.\n")
BISHKEK = ("Japarov hosts Rahmon in Bishkek\n\nBISHKEK, 2 May 2024 (AKIpress) - Tajik President Emomali Rahmon "
           "arrived in Bishkek on Wednesday for talks with Kyrgyz President Sadyr Japarov on the border, the "
           "Kyrgyz presidential office said.\n")
ALMATY = ("Erdogan to visit Kazakhstan next week\n\nANKARA, 20 June 2024 (Reuters) - Turkish President Recep "
          "Tayyip Erdogan will pay an official visit to Kazakhstan next week and meet President Kassym-Jomart "
          "Tokayev in Astana, his office said on Thursday. <script>alert(1)</script>\n")


def ingest_text(store: Store, name: str, text: str) -> None:
    summary = ingest_documents(store, [RawDocument(origin=f"tests/{name}.txt", data=text.encode())])
    assert summary.ingested, summary.failed


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "store.db") as s:
        yield s


# -- local receivers -------------------------------------------------------------------------------
@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1: answers ``fail_first`` requests with 500, then 204."""

    fail_first: int = 0
    requests: list[tuple[dict[str, str], dict[str, Any]]] = field(default_factory=list)
    url: str = ""

    def start(self) -> ThreadingHTTPServer:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append((dict(self.headers.items()), body))
                self.send_response(500 if len(outer.requests) <= outer.fail_first else 204)
                self.send_header("Content-Length", "0")
                self.end_headers()

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server

    @property
    def delivered(self) -> list[dict[str, Any]]:
        return [body for _, body in self.requests[self.fail_first:]]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    hook = Receiver()
    server = hook.start()
    yield hook
    server.shutdown()
    server.server_close()


@pytest.fixture
def smtp() -> Iterator[tuple[list[bytes], int]]:
    """A local SMTP server (aiosmtpd) on 127.0.0.1; yields the messages it got and its port."""
    pytest.importorskip("aiosmtpd")
    from aiosmtpd.controller import Controller

    messages: list[bytes] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            messages.append(envelope.original_content)
            return "250 OK"

    from browser_support import free_port

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield messages, port
    finally:
        controller.stop()


# -- watchlists ------------------------------------------------------------------------------------
def test_a_watchlist_needs_a_name_a_narrowing_filter_and_good_targets(store: Store) -> None:
    with pytest.raises(WatchlistError, match="name"):
        add_watchlist(store, "  ", KAZ_VISITS)
    with pytest.raises(WatchlistError, match="every story"):
        add_watchlist(store, "All", Filters(date_from=dt.date(2024, 1, 1)))
    with pytest.raises(WatchlistError, match="not an e-mail address"):
        add_watchlist(store, "K", KAZ_VISITS, emails=["analyst at example.org"])
    with pytest.raises(WatchlistError, match="http"):
        add_watchlist(store, "K", KAZ_VISITS, webhook="file:///etc/passwd")
    saved = add_watchlist(store, "Kazakhstan visits", Filters(countries=("KAZ",), event_types=("visit",),
                                                              story="s1", article="a1"),
                          emails=["Analyst@Example.org", "analyst@example.org"])
    assert (saved.filters, saved.emails, saved.query) == (KAZ_VISITS, ("analyst@example.org",),
                                                          "country=KAZ&type=visit")
    with pytest.raises(WatchlistError, match="already"):
        add_watchlist(store, "Kazakhstan visits", KAZ_VISITS)
    assert [w.name for w in watchlists(store)] == ["Kazakhstan visits"]
    assert remove_watchlist(store, "Kazakhstan visits") and not remove_watchlist(store, "Kazakhstan visits")
    assert watchlists(store) == []


def test_only_new_matching_stories_alert_and_each_once(store: Store) -> None:
    ingest_text(store, "before", ASTANA)  # stored before the watchlist: not news to it
    watchlist = add_watchlist(store, "Kazakhstan visits", KAZ_VISITS)
    assert queue_alerts(store) == []
    ingest_text(store, "bishkek", BISHKEK)  # new, but Kyrgyzstan
    assert recent_alerts(store) == []
    ingest_text(store, "almaty", ALMATY)  # new and a visit to Kazakhstan: queued by the ingest itself
    alerts = recent_alerts(store)
    assert len(alerts) == 1 and alerts[0].title.startswith("Erdogan to visit Kazakhstan")
    assert alerts[0].watchlist == watchlist.name
    ingest_documents(store, [RawDocument(origin="tests/almaty.txt", data=ALMATY.encode())])  # unchanged
    assert queue_alerts(store) == [] and len(recent_alerts(store)) == 1


def test_a_story_that_changes_id_is_not_alerted_again(store: Store) -> None:
    add_watchlist(store, "Kazakhstan visits", KAZ_VISITS)
    ingest_text(store, "almaty", ALMATY)
    [alert] = recent_alerts(store)
    with store.transaction() as con:  # re-clustered under another id (an earlier report arrived)
        con.execute("UPDATE articles SET story_id = 'snew', ingested_at = ? WHERE story_id = ?",
                    (dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), alert.story_id))
        con.execute("UPDATE stories SET story_id = 'snew' WHERE story_id = ?", (alert.story_id,))
    assert queue_alerts(store) == [] and len(recent_alerts(store)) == 1


def test_email_and_webhook_delivered_once_and_retried_after_a_failure(
        store: Store, receiver: Receiver, smtp: tuple[list[bytes], int], monkeypatch: pytest.MonkeyPatch) -> None:
    messages, port = smtp
    receiver.fail_first = 1
    add_watchlist(store, "Kazakhstan visits", KAZ_VISITS, emails=["analyst@example.org"], webhook=receiver.url)
    ingest_text(store, "almaty", ALMATY)
    senders = {"email": smtp_sender(host="127.0.0.1", port=port, sender="alerts@example.org", user="",
                                    password="", starttls=False, app_url="https://news.example.org/steppewatch/"),
               "webhook": webhook_sender(app_url="https://news.example.org/steppewatch/", timeout_s=5)}
    first = deliver_alerts(store, senders)
    assert [c for _, c, _ in first.sent] == ["email"] and [c for _, c, _, _ in first.retrying] == ["webhook"]
    assert "500" in first.retrying[0][3]
    again = deliver_alerts(store, senders)  # not due yet: nothing is sent
    assert not again.sent and not again.retrying and len(receiver.requests) == 1
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=settings.ALERT_RETRY_S + 1)
    retried = deliver_alerts(store, senders, now=later)
    assert [c for _, c, _ in retried.sent] == ["webhook"]
    assert not deliver_alerts(store, senders, now=later + dt.timedelta(days=1)).sent  # sent is final

    [mail] = messages
    message = message_from_bytes(mail)
    assert message["To"] == "analyst@example.org" and "Kazakhstan visits" in message["Subject"]
    assert message["Message-ID"].startswith("<alert-")
    body = message.get_payload()
    assert "Erdogan to visit Kazakhstan" in body and "https://news.example.org/steppewatch/stories?story=s" in body
    [delivered] = receiver.delivered
    assert delivered["watchlist"] == "Kazakhstan visits" and delivered["title"].startswith("Erdogan")
    assert delivered["url"].startswith("https://news.example.org/steppewatch/stories?story=")
    keys = {headers["Idempotency-Key"] for headers, _ in receiver.requests}
    assert len(keys) == 1  # the retry carries the same key: a receiver can drop a repeat


def test_a_delivery_is_given_up_after_the_last_attempt(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "ALERT_MAX_ATTEMPTS", 2)
    add_watchlist(store, "Kazakhstan visits", KAZ_VISITS, webhook="http://127.0.0.1:9/refused")
    ingest_text(store, "almaty", ALMATY)
    senders = {"webhook": webhook_sender(timeout_s=2)}
    when = dt.datetime.now(dt.UTC)
    assert len(deliver_alerts(store, senders, now=when).retrying) == 1
    final = deliver_alerts(store, senders, now=when + dt.timedelta(hours=7))
    assert len(final.given_up) == 1 and not final.retrying
    assert not deliver_alerts(store, senders, now=when + dt.timedelta(days=2)).given_up  # not tried again
    # no SMTP server configured: e-mail waits with the reason instead of being lost
    add_watchlist(store, "Mail", Filters(countries=("KAZ",)), emails=["a@example.org"])
    ingest_text(store, "astana", ASTANA)
    waiting = [reason for _, channel, _, reason in deliver_alerts(store, {}).retrying if channel == "email"]
    assert waiting and "STEPPEWATCH_SMTP_HOST" in waiting[0]


def test_the_atom_feed_lists_the_alerts_with_titles_as_text(store: Store) -> None:
    watchlist = add_watchlist(store, "Kazakhstan visits", KAZ_VISITS)
    assert atom_feed(store, "wrong-token", "") is None
    empty = ET.fromstring(atom_feed(store, watchlist.feed_token, "https://h/steppewatch/") or b"")
    assert empty.findall(f"{{{ATOM}}}entry") == []
    ingest_text(store, "almaty", ALMATY)
    feed = ET.fromstring(atom_feed(store, watchlist.feed_token, "https://h/steppewatch/") or b"")
    [entry] = feed.findall(f"{{{ATOM}}}entry")
    assert entry.findtext(f"{{{ATOM}}}title", "").startswith("Erdogan to visit Kazakhstan")
    link = entry.find(f"{{{ATOM}}}link")
    assert link is not None and link.get("href", "").startswith("https://h/steppewatch/stories?story=")
    assert feed.findtext(f"{{{ATOM}}}title") == "Steppe Watch: Kazakhstan visits"


# -- watch rounds and a restart ----------------------------------------------------------------------
def test_each_matching_story_is_alerted_once_across_two_watch_rounds_and_a_restart(
        tmp_path: Path, receiver: Receiver, smtp: tuple[list[bytes], int]) -> None:
    messages, port = smtp
    server = Server()
    try:
        server.routes["/almaty.html"] = _page(ALMATY)
        server.routes["/bishkek.html"] = _page(BISHKEK)
        server.feed("/feed.xml", [("Erdogan", "/almaty.html"), ("Japarov", "/bishkek.html")])
        feeds = [Feed("Local", f"{server.base}/feed.xml")]
        senders = {"email": smtp_sender(host="127.0.0.1", port=port, user="", password="", starttls=False,
                                        app_url=""), "webhook": webhook_sender(app_url="", timeout_s=5)}
        db = tmp_path / "store.db"
        with open_store(db) as store:
            add_watchlist(store, "Kazakhstan visits", KAZ_VISITS, emails=["a@example.org"], webhook=receiver.url)
            lines: list[str] = []
            watch(store, feeds, once=True, host_interval_s=0, echo=lines.append, senders=senders)
            assert "alerts: 2 sent, 0 to retry, 0 given up" in lines  # one story: an e-mail and a webhook
            watch(store, feeds, once=True, host_interval_s=0, echo=lines.append, senders=senders)
        with open_store(db) as store:  # a restart: a new process would open the store afresh
            watch(store, feeds, once=True, host_interval_s=0, echo=lines.append, senders=senders)
            assert len(messages) == 1 and len(receiver.delivered) == 1
            server.routes["/astana.html"] = _page(ASTANA)  # a second story appears in the feed
            server.feed("/feed.xml", [("Erdogan", "/almaty.html"), ("Japarov", "/bishkek.html"),
                                      ("Mirziyoyev", "/astana.html")])
            watch(store, feeds, once=True, host_interval_s=0, echo=lines.append, senders=senders)
            assert len(messages) == 2 and len(receiver.delivered) == 2
            assert len({body["story_id"] for body in receiver.delivered}) == 2
            assert len(recent_alerts(store)) == 2
    finally:
        server.close()


def _page(text: str) -> Any:
    from html import escape

    from test_watch import Reply

    title, _, body = text.partition("\n\n")
    return Reply(200, f"<html><head><title>{escape(title)}</title></head><body><article><h1>{escape(title)}</h1>"
                      f"<p>{escape(body)}</p></article></body></html>".encode(),
                 {"Content-Type": "text/html; charset=utf-8"})


def test_the_app_serves_the_feed_under_its_base_path(tmp_path: Path) -> None:
    import urllib.error
    import urllib.request

    from browser_support import ARTIFACTS, start_app

    db = tmp_path / "store.db"
    with open_store(db) as store:
        watchlist = add_watchlist(store, "Kazakhstan visits", KAZ_VISITS)
        ingest_text(store, "almaty", ALMATY)
    app = start_app({"STEPPEWATCH_DB": str(db)}, ARTIFACTS / "alerts_feed_streamlit.log",
                    options={"server.baseUrlPath": "steppewatch"})
    try:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
        from hosted_demo import wait_for

        wait_for(app.url(f"/steppewatch/alerts/{watchlist.feed_token}.atom"), [app.proc], 60)
        with urllib.request.urlopen(app.url(f"/steppewatch/alerts/{watchlist.feed_token}.atom"), timeout=5) as r:
            assert r.headers["Content-Type"].startswith("application/atom+xml")
            feed = ET.fromstring(r.read())
        [entry] = feed.findall(f"{{{ATOM}}}entry")
        link = entry.find(f"{{{ATOM}}}link")
        assert link is not None and link.get("href", "").startswith(f"{app.base}/steppewatch/stories?story=")
        for path in (f"/alerts/{watchlist.feed_token}.atom", "/steppewatch/alerts/not-the-token.atom"):
            with pytest.raises(urllib.error.HTTPError) as missing:
                urllib.request.urlopen(app.url(path), timeout=5)
            assert missing.value.code == 404
    finally:
        app.stop()



def test_alert_counts_per_watchlist(store: Store) -> None:
    from steppewatch.alerts import alert_counts

    kaz = add_watchlist(store, "Kazakhstan visits", KAZ_VISITS)
    other = add_watchlist(store, "Kyrgyzstan", Filters(countries=("KGZ",)))
    assert alert_counts(store) == {}
    ingest_text(store, "almaty", ALMATY)
    ingest_text(store, "astana", ASTANA)
    [latest, *_] = recent_alerts(store, 10, kaz.watchlist_id)
    assert alert_counts(store) == {kaz.watchlist_id: (2, latest.created_at)}
    assert other.watchlist_id not in alert_counts(store)
