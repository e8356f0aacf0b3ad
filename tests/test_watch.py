"""The feed watcher against a loopback HTTP server (no internet)."""

from __future__ import annotations

import hashlib
import html
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from steppewatch.cli import main
from steppewatch.ingest.watch import Feed, Fetcher, FetchError, Watcher, load_feeds, parse_duration
from steppewatch.store import Store, open_store

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
FEED_TEMPLATE = (FIXTURES / "feeds" / "local.xml").read_text(encoding="utf-8")
ITEM_TEMPLATE = (FIXTURES / "feeds" / "item.xml").read_text(encoding="utf-8")


def page_html(i: int) -> bytes:
    """Seed text ``i`` as an HTML page, one escaped <p> per paragraph."""
    text = SEEDS[i].read_text(encoding="utf-8")
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return (f"<html><head><title>Article {i}</title></head>"
            f"<body><article>{paras}</article></body></html>").encode()


@dataclass
class Reply:
    """A canned response; ``delay_s`` sleeps before answering."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


Route = Reply | Callable[[BaseHTTPRequestHandler], Reply]


class Server:
    """ThreadingHTTPServer on 127.0.0.1:0 with mutable routes and a log of requests."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[tuple[str, dict[str, str]]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                outer.hits.append((self.path, dict(self.headers.items())))
                route = outer.routes.get(self.path, Reply(404))
                reply = route(self) if callable(route) else route
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                try:
                    self.send_response(reply.status)
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:  # client gave up (timeout test)
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def feed(self, path: str, items: list[tuple[str, str]]) -> None:
        """Serve an RSS feed at ``path`` with (title, link path) items; ETag = body hash."""
        body = FEED_TEMPLATE.format(base=self.base, items="".join(
            ITEM_TEMPLATE.format(title=t, base=self.base, path=p, guid=p) for t, p in items)).encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:12] + '"'

        def reply(handler: BaseHTTPRequestHandler) -> Reply:
            if handler.headers.get("If-None-Match") == etag:
                return Reply(304)
            return Reply(200, body, {"Content-Type": "application/rss+xml", "ETag": etag,
                                     "Last-Modified": "Tue, 28 Feb 2023 10:00:00 GMT"})

        self.routes[path] = reply

    def page(self, path: str, i: int) -> None:
        self.routes[path] = Reply(200, page_html(i), {"Content-Type": "text/html; charset=utf-8"})

    def requests_to(self, path: str) -> list[dict[str, str]]:
        return [h for p, h in self.hits if p == path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    yield srv
    srv.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "store.db") as s:
        yield s


def n_articles(store: Store) -> int:
    return store.count("articles")


def make_watcher(store: Store) -> Watcher:
    return Watcher(store, Fetcher(host_interval_s=0))


def test_first_round_stores_both_then_conditional_304(server: Server, store: Store) -> None:
    server.feed("/feed.xml", [("Article 0", "/a0.html"), ("Article 1", "/a1.html")])
    server.page("/a0.html", 0)
    server.page("/a1.html", 1)
    watcher = make_watcher(store)
    feed = Feed("Local", f"{server.base}/feed.xml")

    first = watcher.poll(feed)
    assert (first.status, first.added, first.errors) == ("ok", 2, [])
    assert n_articles(store) == 2
    urls = {r["url"] for r in store.rows("SELECT url FROM articles")}
    assert urls == {f"{server.base}/a0.html", f"{server.base}/a1.html"}
    assert all(h.get("User-Agent") == "SteppeWatch/0.1" for _, h in server.hits)
    state = watcher.state(feed.url)
    assert state["etag"] and state["last_status"] == "ok" and state["items_added"] == 2

    second = watcher.poll(feed)
    assert second.status == "not modified" and second.added == 0
    assert n_articles(store) == 2
    last_feed_request = server.requests_to("/feed.xml")[-1]
    assert last_feed_request.get("If-None-Match") == state["etag"]
    assert last_feed_request.get("If-Modified-Since") == "Tue, 28 Feb 2023 10:00:00 GMT"
    assert len(server.requests_to("/a0.html")) == 1  # pages not fetched again
    assert watcher.state(feed.url)["last_status"] == "not modified"


def test_changed_feed_adds_only_the_new_item(server: Server, store: Store) -> None:
    server.feed("/feed.xml", [("Article 0", "/a0.html")])
    server.page("/a0.html", 0)
    server.page("/a1.html", 1)
    watcher = make_watcher(store)
    feed = Feed("Local", f"{server.base}/feed.xml")
    assert watcher.poll(feed).added == 1

    server.feed("/feed.xml", [("Article 1", "/a1.html"), ("Article 0", "/a0.html")])
    result = watcher.poll(feed)
    assert (result.status, result.added, result.skipped) == ("ok", 1, 1)
    assert n_articles(store) == 2
    assert len(server.requests_to("/a0.html")) == 1  # the known link is not fetched again


def test_a_known_link_with_tracking_parameters_is_not_fetched_again(server: Server, store: Store) -> None:
    server.feed("/feed.xml", [("Article 0", "/a0.html")])
    server.page("/a0.html", 0)
    watcher = make_watcher(store)
    feed = Feed("Local", f"{server.base}/feed.xml")
    assert watcher.poll(feed).added == 1

    server.feed("/feed.xml", [("Article 0", "/a0.html?utm_source=rss&amp;utm_medium=feed#comments")])
    result = watcher.poll(feed)
    assert (result.status, result.added, result.skipped) == ("ok", 0, 1)
    assert [path for path, _ in server.hits if path.startswith("/a0.html")] == ["/a0.html"]


def test_404_page_and_500_feed_are_recorded_and_others_go_on(server: Server, store: Store) -> None:
    server.routes["/broken.xml"] = Reply(500, b"oops")
    server.feed("/feed.xml", [("Gone", "/missing.html"), ("Article 0", "/a0.html")])
    server.page("/a0.html", 0)
    watcher = make_watcher(store)
    broken = Feed("Broken", f"{server.base}/broken.xml")
    good = Feed("Local", f"{server.base}/feed.xml")
    lines: list[str] = []

    results = watcher.run_round([broken, good], echo=lines.append)
    assert [r.status for r in results] == ["error", "ok"]
    assert "HTTP 500" in results[0].errors[0]
    assert results[1].added == 1
    assert any("HTTP 404" in e and "/missing.html" in e for e in results[1].errors)
    assert n_articles(store) == 1
    assert len(lines) == 2 and lines[0].startswith("Broken: error: HTTP 500")
    state = watcher.state(broken.url)
    assert state["last_status"] == "error" and "HTTP 500" in str(state["last_error"])
    assert state["last_success"] is None
    assert "HTTP 404" in str(watcher.state(good.url)["last_error"])


def test_failed_page_is_retried_next_round(server: Server, store: Store) -> None:
    server.feed("/feed.xml", [("Article 0", "/a0.html")])
    server.routes["/a0.html"] = Reply(500)
    watcher = make_watcher(store)
    feed = Feed("Local", f"{server.base}/feed.xml")
    assert watcher.poll(feed).added == 0
    assert watcher.state(feed.url)["etag"] is None  # no 304 next time: the page must be retried
    server.page("/a0.html", 0)
    assert watcher.poll(feed).added == 1
    assert watcher.state(feed.url)["etag"]
    assert watcher.poll(feed).status == "not modified"


def test_not_a_feed_is_an_error(server: Server, store: Store) -> None:
    server.routes["/feed.xml"] = Reply(200, b"<html><body>hello</body></html>", {"Content-Type": "text/html"})
    result = make_watcher(store).poll(Feed("Html", f"{server.base}/feed.xml"))
    assert result.status == "error" and result.errors[0].startswith("bad feed")


def test_slow_feed_is_recorded_as_timeout(server: Server, store: Store) -> None:
    server.routes["/slow.xml"] = Reply(200, b"<rss/>", delay_s=2.5)
    server.feed("/feed.xml", [("Article 0", "/a0.html")])
    server.page("/a0.html", 0)
    watcher = make_watcher(store)
    slow = Feed("Slow", f"{server.base}/slow.xml", timeout_s=1)
    started = time.monotonic()
    results = watcher.run_round([slow, Feed("Local", f"{server.base}/feed.xml")], echo=lambda _: None)
    assert time.monotonic() - started < 10
    assert results[0].status == "error" and "timeout" in results[0].errors[0]
    assert "timeout" in str(watcher.state(slow.url)["last_error"])
    assert results[1].added == 1


def test_redirect_is_followed(server: Server, store: Store) -> None:
    server.feed("/feed.xml", [("Moved", "/old-a1.html")])
    server.routes["/old-a1.html"] = Reply(301, headers={"Location": "/a1.html"})
    server.page("/a1.html", 1)
    result = make_watcher(store).poll(Feed("Local", f"{server.base}/feed.xml"))
    assert result.added == 1 and not result.errors
    row = store.rows("SELECT origin, url FROM articles")[0]
    assert row["origin"] == f"{server.base}/old-a1.html"
    assert len(server.requests_to("/a1.html")) == 1


def test_byte_cap(server: Server) -> None:
    server.routes["/big"] = Reply(200, b"x" * 2000)
    with pytest.raises(FetchError, match="too large"):
        Fetcher(host_interval_s=0, max_bytes=1000).get(f"{server.base}/big", 5)


def test_per_host_politeness(server: Server) -> None:
    server.routes["/p"] = Reply(200, b"ok")
    fetcher = Fetcher(host_interval_s=0.3)
    started = time.monotonic()
    for _ in range(3):
        fetcher.get(f"{server.base}/p", 5)
    assert time.monotonic() - started >= 0.6


def test_feed_list_and_durations(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text('[[feed]]\nname = "A"\nurl = "https://example.org/rss"\nevery = "15m"\ntimeout_s = 5\n'
                    '[[feed]]\nurl = "http://example.net/atom"\n', encoding="utf-8")
    a, b = load_feeds(path)
    assert (a.name, a.every_s, a.timeout_s) == ("A", 900.0, 5.0)
    assert (b.name, b.every_s) == ("http://example.net/atom", None)
    assert parse_duration("30s") == 30 and parse_duration("1h") == 3600 and parse_duration("2") == 2
    with pytest.raises(ValueError):
        parse_duration("soon")
    path.write_text('[[feed]]\nname = "bad"\nurl = "file:///etc/passwd"\n', encoding="utf-8")
    with pytest.raises(ValueError):
        load_feeds(path)


def test_cli_watch_once(server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server.feed("/feed.xml", [("Article 0", "/a0.html"), ("Article 1", "/a1.html")])
    server.page("/a0.html", 0)
    server.page("/a1.html", 1)
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nname = "Local"\nurl = "{server.base}/feed.xml"\n', encoding="utf-8")
    db = tmp_path / "cli.db"
    assert main(["watch", "--feeds", str(feeds), "--db", str(db), "--once"]) == 0
    assert "Local: added 2" in capsys.readouterr().out
    assert main(["watch", "--feeds", str(feeds), "--db", str(db), "--once"]) == 0
    assert "Local: not modified" in capsys.readouterr().out
    with open_store(db, read_only=True) as s:
        assert s.count("articles") == 2
    assert main(["watch", "--feeds", str(tmp_path / "nope.toml"), "--db", str(db), "--once"]) == 2
