"""serve.py: deep paths (two or more segments) render the app instead of a blank page, and
/_stcore/metrics answers 404. Unit tests of the guard, then the real server in Chromium."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT, AppServer, free_port

from components.http_guard import (
    RETURN_COOKIE,
    HttpGuard,
    is_blocked,
    redirect_target,
    return_path_for_login,
    return_path_from_cookies,
)

HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
MALFORMED = ["/article/foo", "/overview/x/y", "/a/b/c/d", "/stories/s1/extra?story=s1",
             "/article/foo?article=nope", "/%E2%80%AE/x", "/sources//x", "/quality/%00/x",
             "/ingest/<script>/x", "/nope/", "/article/"]

# JS: the sidebar navigation is drawn and the main area shows some text of a page.
SHOWS_APP_JS = """() => document.body.innerText.includes('Overview')
  && (document.querySelector('[data-testid="stMain"]')?.innerText || '').trim().length > 10"""


@pytest.mark.parametrize(("path", "target"), [
    ("/article/foo", "/article"),
    ("/overview/x/y", "/overview"),
    ("/a/b/c/d", "/a"),
    ("/sources//x", "/sources"),
    ("/\u202e/x", "/%E2%80%AE"),
    ("/evil.com\\/x", "/evil.com%5C"),
    ("/article", None),
    ("/", None),
    ("/static/js/index.js", None),
    ("/_stcore/stream/x", None),
    ("/app/static/central_asia.geojson", None),
    ("/media/abc/def.png", None),
    ("/auth/login", None),
])
def test_redirect_target(path: str, target: str | None) -> None:
    assert redirect_target(path, HTML) == target


def test_redirect_only_browser_navigations_and_inside_the_base_path() -> None:
    assert redirect_target("/article/foo", "*/*") is None  # a script or fetch: served as is
    assert redirect_target("/sw/article/foo", HTML, base="/sw/") == "/sw/article"
    assert redirect_target("/sw/article", HTML, base="sw") is None
    assert redirect_target("/other/x/y", HTML, base="sw") is None


@pytest.mark.parametrize(("referer", "host", "base", "kept"), [
    ("http://127.0.0.1:8501/?country=KAZ&from=2023-01-01", "127.0.0.1:8501", "", "/?country=KAZ&from=2023-01-01"),
    ("https://news.example.org/steppewatch/article?article=a1", "news.example.org", "steppewatch",
     "/steppewatch/article?article=a1"),
    ("http://127.0.0.1:8080/steppewatch/?country=KAZ", "127.0.0.1", "steppewatch",  # nginx's $host: no port
     "/steppewatch/?country=KAZ"),
    ("https://evil.example.com/?country=KAZ", "news.example.org", "", None),  # another site
    ("https://news.example.org.evil.com/?country=KAZ", "news.example.org", "", None),
    ("https://news.example.org/other/app", "news.example.org", "steppewatch", None),  # not under the app
    ("https://news.example.org/auth/login?provider=x", "news.example.org", "", None),  # a sign-in route
    ("https://news.example.org/oauth2callback?code=1", "news.example.org", "", None),
    ("javascript:alert(1)", "news.example.org", "", None),
    ("", "news.example.org", "", None),
])
def test_the_page_left_for_sign_in_is_kept_only_when_it_is_this_app(referer: str, host: str, base: str,
                                                                     kept: str | None) -> None:
    assert return_path_for_login(referer, host, base) == kept


@pytest.mark.parametrize("value", ["//evil.example.com/", "https://evil.example.com/", "/\\evil.example.com",
                                   "/x\r\nSet-Cookie: a=b", "/auth/logout", "x"])
def test_a_forged_return_cookie_never_redirects_away(value: str) -> None:
    from http.cookies import SimpleCookie

    cookie: SimpleCookie = SimpleCookie()
    cookie[RETURN_COOKIE] = value
    assert return_path_from_cookies(cookie.output(header="").strip()) is None


def _asgi(guard: HttpGuard, path: str, headers: dict[bytes, bytes]) -> dict[str, Any]:
    """One HTTP request through ``guard``: the response's status and headers."""
    import asyncio

    start: dict[str, Any] = {}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: Any) -> None:
        if message["type"] == "http.response.start":
            start.update(status=message["status"], headers=list(message["headers"]))

    scope = {"type": "http", "path": path, "query_string": b"", "headers": list(headers.items())}
    asyncio.run(guard(scope, receive, send))
    return start


def test_sign_in_returns_to_the_shared_link() -> None:
    async def streamlit(scope: Any, receive: Any, send: Any) -> None:  # both routes answer a redirect
        location = b"/auth/provider" if scope["path"].endswith("/auth/login") else b"/steppewatch/"
        await send({"type": "http.response.start", "status": 302, "headers": [(b"location", location)]})
        await send({"type": "http.response.body", "body": b""})

    guard = HttpGuard(streamlit, base=lambda: "steppewatch")
    login = _asgi(guard, "/steppewatch/auth/login", {
        b"host": b"news.example.org", b"accept": b"text/html",
        b"referer": b"https://news.example.org/steppewatch/?country=KAZ&event=visit"})
    cookies = [v.decode() for k, v in login["headers"] if k == b"set-cookie"]
    assert len(cookies) == 1 and "HttpOnly" in cookies[0] and "Path=/steppewatch" in cookies[0]
    assert dict(login["headers"])[b"location"] == b"/auth/provider"  # the sign-in itself is untouched
    callback = _asgi(guard, "/steppewatch/oauth2callback", {b"cookie": cookies[0].split(";")[0].encode()})
    assert dict(callback["headers"])[b"location"] == b"/steppewatch/?country=KAZ&event=visit"
    assert any(b"Max-Age=0" in v for k, v in callback["headers"] if k == b"set-cookie")  # used once
    plain = _asgi(guard, "/steppewatch/oauth2callback", {})  # no cookie: Streamlit's own redirect
    assert dict(plain["headers"])[b"location"] == b"/steppewatch/"


def test_deep_paths_under_streamlits_segments_are_not_found_pages() -> None:
    from components.http_guard import is_unknown_streamlit_path

    assert is_unknown_streamlit_path("/static/x/y", HTML) and is_unknown_streamlit_path("/_stcore/a/b", HTML)
    assert is_unknown_streamlit_path("/steppewatch/app/x/y", HTML, "steppewatch")
    assert not is_unknown_streamlit_path("/static/js/index.js", "*/*")  # files the page loads itself
    assert not is_unknown_streamlit_path("/article/foo", HTML)  # a page path: redirected instead
    assert not is_unknown_streamlit_path("/auth/login", HTML)  # sign-in routes answer themselves


def test_metrics_blocked_with_and_without_base() -> None:
    assert is_blocked("/_stcore/metrics") and is_blocked("/_stcore/metrics/")
    assert is_blocked("/sw/_stcore/metrics", "sw") and not is_blocked("/_stcore/health")


# -- the real server ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """`streamlit run serve.py` on a loopback port, on a copy of the sample store."""
    tmp = tmp_path_factory.mktemp("serve")
    env = {**os.environ, "STEPPEWATCH_DB": str(tmp / "steppewatch.db"),
           "STEPPEWATCH_SAMPLES": str(ROOT / "data" / "samples")}
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / "serve_streamlit.log"
    log_file = open(log_path, "wb")  # noqa: SIM115 - closed by AppServer.stop
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    app = AppServer(proc=proc, port=port, started_at=time.monotonic(), log_path=log_path,
                    log_file=log_file)
    try:
        app.wait_healthy(90)
        yield app
    finally:
        app.stop()


# Path pieces and queries of the URL fuzz: page names, Streamlit's own segments, dot segments, encodings,
# bidi and CJK text, markup, very long pieces, stray punctuation.
FUZZ_PIECES = ["article", "stories", "overview", "ingest", "quality", "sources", "watchlists", "foo", "..", ".",
               "%2e%2e", "%00", "%E2%80%AE", "\u202e", "\u00fc", "\u65e5\u672c", "<script>", "a" * 300, "%", "%zz",
               "~", "static", "media", "_stcore", "app", "component", "index.html", "favicon.ico", "x.js", "y.css",
               ";", "@", "!", "$", "'", "(", ")", "alerts", "auth", "oauth2callback"]
FUZZ_QUERIES = ["", "?country=KAZ", "?article=%00", "?story=<x>", "?" + "q=" * 200, "?from=9999-99-99", "?%ZZ",
                "?a=1&&&b", "#frag"]


def fuzzed_paths(n: int, seed: int = 10) -> list[str]:
    """``n`` malformed paths (seeded): 1 to 6 pieces, some with a trailing or a doubled slash."""
    from urllib.parse import quote

    rng = random.Random(seed)
    paths = []
    for _ in range(n):
        pieces = [rng.choice(FUZZ_PIECES) for _ in range(rng.choice([1, 2, 2, 3, 4, 6]))]
        path = "/" + "/".join(quote(p, safe="%~@!$'();.") for p in pieces)
        path += "/" if rng.random() < 0.3 else ""
        path = path.replace("/", "//", 1) if rng.random() < 0.15 else path
        paths.append(path + rng.choice(FUZZ_QUERIES))
    return paths


def renders(base: str, path: str) -> tuple[str, object]:
    """What a browser gets at ``path``: "page" (an HTML page whose scripts and styles load as such),
    "message" (a 4xx with a body), or what went wrong."""
    import re
    from urllib.parse import urljoin

    request = urllib.request.Request(base + path, headers={"Accept": HTML})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            final, kind = response.geturl(), response.headers.get("Content-Type", "")
            body = response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        text = exc.read().decode("utf-8", "replace").strip()
        return ("message", exc.code) if 400 <= exc.code < 500 and text else ("error", exc.code)
    if "text/html" not in kind:
        return "not html", kind
    for asset in re.findall(r'<script[^>]+src="([^"]+)"', body) + re.findall(r'<link[^>]+href="([^"]+\.css)"', body):
        with urllib.request.urlopen(urljoin(final, asset), timeout=10) as response:
            if "text/html" in response.headers.get("Content-Type", ""):
                return "blank", (final, asset)  # the page's own script comes back as HTML: nothing renders
    return "page", final


def _get(url: str, accept: str = "*/*") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def test_metrics_endpoint_gives_no_metrics(server: AppServer) -> None:
    for accept in ("*/*", "application/openmetrics-text", "application/x-protobuf"):
        status, body = _get(server.url("/_stcore/metrics"), accept)
        assert status == 404 and "session" not in body and "# TYPE" not in body
    assert _get(server.url("/_stcore/metrics?families=session_events"))[0] == 404
    assert _get(server.url("/_stcore/health")) == (200, "ok")


def test_100_fuzzed_urls_render_a_page_or_a_clear_message(server: AppServer) -> None:
    outcomes = {path: renders(server.base, path) for path in fuzzed_paths(100)}
    wrong = {p: o for p, o in outcomes.items() if o[0] not in ("page", "message")}
    assert wrong == {}, f"{len(wrong)} of 100 fuzzed URLs render nothing: {list(wrong.items())[:5]}"
    assert sum(o[0] == "page" for o in outcomes.values()) > 50  # most are pages of the app


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Debian Chromium not installed at {CHROMIUM}")
def test_malformed_paths_render_the_app(server: AppServer) -> None:
    from playwright.sync_api import sync_playwright

    blank: dict[str, Any] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            for path in MALFORMED:
                page = context.new_page()
                page.goto(server.url(path))
                try:  # the app's navigation and its page's own text are visible
                    page.wait_for_function(SHOWS_APP_JS, timeout=60_000)
                except Exception:
                    blank[path] = (page.url, page.inner_text("body")[:200])
                page.close()
        finally:
            browser.close()
    assert blank == {}, f"paths that rendered no app: {blank}"
