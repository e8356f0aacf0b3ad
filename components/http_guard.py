"""HTTP guard in front of the Streamlit server (used by serve.py; Streamlit only for its base path, when asked).

Two things Streamlit's server does not let the app change:

- **Deep paths render a blank page.** Streamlit answers every unknown path with its index.html,
  whose scripts are relative (``./static/js/...``): under ``/article/foo`` the browser asks for
  ``/article/static/js/...``, gets index.html again (text/html, refused as a module) and shows
  nothing, before st.navigation ever runs. A browser navigation to a path of two or more segments
  is redirected to its first segment, query kept (``/article/foo?article=a1`` -> ``/article?article=a1``);
  st.navigation then opens that page, or the default page for an unknown name.
- **Deep paths under Streamlit's own segments** (``/static/x/y``, ``/_stcore/a/b``) get its index page
  too, as blank; a browser navigation to one gets a short 404 page with a link to the dashboard.
- **``/_stcore/metrics`` has no off switch** (Streamlit 1.67: always registered, no config
  option): it answers 404 here.
- **Sign-in forgets where you were going.** st.login's callback always lands on the app's home page, so
  a colleague's shared link (``/?country=KAZ&from=...``) opened before signing in would lose its view.
  When the browser leaves for ``/auth/login``, the page it came from (its Referer, same site and under
  the app's path only) is kept in a short-lived cookie; the callback's redirect is pointed back there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote, urlsplit

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# First path segments Streamlit serves itself (core API, assets, media, components, app static
# files, st.login) or serve.py's own routes (the alerts' Atom feeds): never redirected.
STREAMLIT_SEGMENTS = frozenset({"_stcore", "static", "media", "component", "app", "auth", "alerts"})
BLOCKED_PATHS = ("/_stcore/metrics",)
RETURN_COOKIE = "steppewatch_return_to"
RETURN_MAX_AGE_S = 600  # a sign-in takes minutes at most
RETURN_MAX_CHARS = 2000


def base_url_path() -> str:
    """``server.baseUrlPath`` without slashes ("" or "base"), read when asked: the server loads its
    config after this module (Streamlit is imported here, not at the top)."""
    from streamlit import config

    return str(config.get_option("server.baseUrlPath") or "").strip("/")


def _prefix(base: str) -> str:
    """``server.baseUrlPath`` as a path prefix ("" or "/base")."""
    base = base.strip("/")
    return f"/{base}" if base else ""


def _app_segments(path: str, base: str) -> list[str] | None:
    """The segments of ``path`` under the app's base path (None when the path is outside it)."""
    prefix = _prefix(base)
    if prefix and path != prefix and not path.startswith(prefix + "/"):
        return None
    return [s for s in path[len(prefix):].split("/") if s]


def is_blocked(path: str, base: str = "") -> bool:
    """True for an endpoint this deployment does not serve (the metrics)."""
    return path.rstrip("/") in {_prefix(base) + p for p in BLOCKED_PATHS}


def redirect_target(path: str, accept: str, base: str = "") -> str | None:
    """Where to send a browser navigation to ``path`` (None: serve it as it is)."""
    segments = _app_segments(path, base) if "text/html" in accept else None
    if segments is None or len(segments) < 2 or segments[0] in STREAMLIT_SEGMENTS:
        return None
    return f"{_prefix(base)}/{quote(segments[0], safe='')}"


# Segments under which Streamlit serves files and APIs; for a path it does not know it answers with its
# index page (a blank page under a deep path), which a browser navigation gets as a 404 here instead.
_FILE_SEGMENTS = frozenset({"_stcore", "static", "media", "component", "app", "auth", "alerts"})
_OWN_ROUTES = (("auth", "login"), ("auth", "logout"))  # st.login's: redirects, never the index page
NOT_FOUND_PAGE = (b"<!doctype html><meta charset=utf-8><title>Not found</title>"
                  b"<p>There is no page at this address. <a href=\"./\">Open the dashboard</a>.</p>")


def is_unknown_streamlit_path(path: str, accept: str, base: str = "") -> bool:
    """True for a browser navigation to a deep path under one of Streamlit's file or API segments
    (``/static/x/y``, ``/_stcore/a/b``): its answer, if it is Streamlit's index page, becomes a 404."""
    segments = _app_segments(path, base) if "text/html" in accept else None
    return (segments is not None and len(segments) >= 2 and segments[0] in _FILE_SEGMENTS
            and tuple(segments) not in _OWN_ROUTES)


def _index_page_as_404(send: Send) -> Send:
    """``send`` that turns an HTML answer (Streamlit's index page) into a short 404 page."""
    replaced = False

    async def wrapped(message: MutableMapping[str, Any]) -> None:
        nonlocal replaced
        if message["type"] == "http.response.start":
            headers = dict(message.get("headers") or [])
            if message.get("status") == 200 and headers.get(b"content-type", b"").startswith(b"text/html"):
                replaced = True
                await _respond(send, 404, NOT_FOUND_PAGE, content_type=b"text/html; charset=utf-8")
                return
        elif message["type"] == "http.response.body" and replaced:
            return  # the index page's body is dropped
        await send(message)
    return wrapped


def _safe_return_path(target: str, base: str) -> str | None:
    """``target`` when it is a path (and query) of this app, never another site or a sign-in route."""
    if (not target or len(target) > RETURN_MAX_CHARS or not target.startswith("/") or target.startswith("//")
            or any(c in target for c in "\\\r\n\x00 ;,\"")):
        return None
    segments = _app_segments(urlsplit(target).path, base)
    if segments is None or (segments and (segments[0] in STREAMLIT_SEGMENTS or segments[0] == "oauth2callback")):
        return None
    return target


def return_path_for_login(referer: str, host: str, base: str = "") -> str | None:
    """The page (path and query) a browser left to sign in, from its Referer; None when the Referer is
    missing, another site's, or not a page of this app."""
    try:
        parts = urlsplit(referer)
    except ValueError:
        return None
    # Same host name (a proxy's Host header may drop the port: nginx's $host). Only a path of this app
    # is kept, so the check just keeps out pages of other sites.
    if parts.scheme not in ("http", "https") or not host or (parts.hostname or "") != _host_name(host):
        return None
    return _safe_return_path(parts.path + (f"?{parts.query}" if parts.query else ""), base)


def _host_name(host: str) -> str:
    """The name in a Host header, without its port (``[::1]:8501`` -> ``::1``)."""
    try:
        return urlsplit(f"//{host.strip()}").hostname or ""
    except ValueError:
        return ""


def return_path_from_cookies(cookie_header: str, base: str = "") -> str | None:
    """The kept page from the request's cookies (checked again: a cookie can be set by anyone)."""
    try:
        morsel = SimpleCookie(cookie_header).get(RETURN_COOKIE)
    except Exception:
        return None
    return _safe_return_path(morsel.value, base) if morsel is not None else None


def _return_cookie(value: str, base: str, max_age: int) -> bytes:
    cookie: SimpleCookie = SimpleCookie()
    cookie[RETURN_COOKIE] = value
    morsel = cookie[RETURN_COOKIE]
    morsel["path"] = _prefix(base) or "/"
    morsel["max-age"] = max_age
    morsel["httponly"] = True
    morsel["samesite"] = "Lax"
    return morsel.OutputString().encode("latin-1")


async def _respond(send: Send, status: int, body: bytes, location: str | None = None,
                   content_type: bytes = b"text/plain; charset=utf-8") -> None:
    headers = [(b"content-type", content_type), (b"cache-control", b"no-cache"),
               (b"content-length", str(len(body)).encode())]
    if location is not None:
        headers.append((b"location", location.encode("latin-1")))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class HttpGuard:
    """ASGI middleware: 404 for blocked endpoints, a redirect for deep page paths."""

    def __init__(self, app: ASGIApp, base: Callable[[], str] = base_url_path) -> None:
        self.app = app
        self.base = base  # read per request: the config is loaded after this module

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path, base = scope.get("path", ""), self.base() or ""
            if is_blocked(path, base):
                await _respond(send, 404, b"Not Found")
                return
            headers = dict(scope.get("headers") or [])
            route = path[len(_prefix(base)):].rstrip("/")
            if route == "/auth/login":
                back = return_path_for_login(headers.get(b"referer", b"").decode("latin-1"),
                                             headers.get(b"host", b"").decode("latin-1"), base)
                if back is not None:
                    send = _adding_header(send, b"set-cookie", _return_cookie(quote(back, safe=_KEEP), base,
                                                                               RETURN_MAX_AGE_S))
            elif route == "/oauth2callback":
                back = return_path_from_cookies(headers.get(b"cookie", b"").decode("latin-1"), base)
                send = _adding_header(send, b"set-cookie", _return_cookie("", base, 0))
                if back is not None:
                    send = _redirecting(send, back)
            accept = headers.get(b"accept", b"").decode("latin-1")
            if is_unknown_streamlit_path(path, accept, base):
                send = _index_page_as_404(send)
            target = redirect_target(path, accept, base)
            if target is not None:
                query = scope.get("query_string", b"").decode("latin-1")
                await _respond(send, 302, b"", target + (f"?{query}" if query else ""))
                return
        await self.app(scope, receive, send)


# Characters of a path and query kept as they are in the cookie (no space, quote, comma, semicolon or
# backslash: _safe_return_path refuses those, and quoting them keeps the cookie value plain).
_KEEP = "/?&=%:@!$'()*+-._~"


def _adding_header(send: Send, name: bytes, value: bytes) -> Send:
    """``send`` with one more header on the response start."""
    async def wrapped(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), (name, value)]}
        await send(message)
    return wrapped


def _redirecting(send: Send, target: str) -> Send:
    """``send`` with a redirect's Location replaced by ``target`` (other responses untouched)."""
    async def wrapped(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start" and message.get("status") in (302, 303, 307):
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"location"]
            message = {**message, "headers": [*headers, (b"location", target.encode("latin-1"))]}
        await send(message)
    return wrapped
