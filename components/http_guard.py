"""HTTP guard in front of the Streamlit server (used by serve.py; no Streamlit import).

Two things Streamlit's server does not let the app change:

- **Deep paths render a blank page.** Streamlit answers every unknown path with its index.html,
  whose scripts are relative (``./static/js/...``): under ``/article/foo`` the browser asks for
  ``/article/static/js/...``, gets index.html again (text/html, refused as a module) and shows
  nothing, before st.navigation ever runs. A browser navigation to a path of two or more segments
  is redirected to its first segment, query kept (``/article/foo?article=a1`` -> ``/article?article=a1``);
  st.navigation then opens that page, or the default page for an unknown name.
- **``/_stcore/metrics`` has no off switch** (Streamlit 1.67: always registered, no config
  option): it answers 404 here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# First path segments Streamlit serves itself (core API, assets, media, components, app static
# files, st.login): never redirected.
STREAMLIT_SEGMENTS = frozenset({"_stcore", "static", "media", "component", "app", "auth"})
BLOCKED_PATHS = ("/_stcore/metrics",)


def _prefix(base: str) -> str:
    """``server.baseUrlPath`` as a path prefix ("" or "/base")."""
    base = base.strip("/")
    return f"/{base}" if base else ""


def is_blocked(path: str, base: str = "") -> bool:
    """True for an endpoint this deployment does not serve (the metrics)."""
    return path.rstrip("/") in {_prefix(base) + p for p in BLOCKED_PATHS}


def redirect_target(path: str, accept: str, base: str = "") -> str | None:
    """Where to send a browser navigation to ``path`` (None: serve it as it is)."""
    if "text/html" not in accept:
        return None
    prefix = _prefix(base)
    if prefix and path != prefix and not path.startswith(prefix + "/"):
        return None
    segments = [s for s in path[len(prefix):].split("/") if s]
    if len(segments) < 2 or segments[0] in STREAMLIT_SEGMENTS:
        return None
    return f"{prefix}/{quote(segments[0], safe='')}"


async def _respond(send: Send, status: int, body: bytes, location: str | None = None) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"cache-control", b"no-cache"),
               (b"content-length", str(len(body)).encode())]
    if location is not None:
        headers.append((b"location", location.encode("latin-1")))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class HttpGuard:
    """ASGI middleware: 404 for blocked endpoints, a redirect for deep page paths."""

    def __init__(self, app: ASGIApp, base: Callable[[], str] = str) -> None:
        self.app = app
        self.base = base  # read per request: the config is loaded after this module

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path, base = scope.get("path", ""), self.base() or ""
            if is_blocked(path, base):
                await _respond(send, 404, b"Not Found")
                return
            headers = dict(scope.get("headers") or [])
            target = redirect_target(path, headers.get(b"accept", b"").decode("latin-1"), base)
            if target is not None:
                query = scope.get("query_string", b"").decode("latin-1")
                await _respond(send, 302, b"", target + (f"?{query}" if query else ""))
                return
        await self.app(scope, receive, send)
