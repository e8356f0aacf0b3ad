"""The Atom feed of a watchlist's alerts, served by the app itself (serve.py: ``/alerts/TOKEN.atom``).

A feed reader cannot sign in, so the feed's URL carries the watchlist's own secret token (shown on the
Watchlists page to signed-in users); an unknown token is a plain 404. The feed holds story titles,
dates and links into the dashboard, which asks for sign-in as usual. No Streamlit call here (the server's
config is read for the base path).
"""

from __future__ import annotations

import re

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from components.http_guard import base_url_path
from steppewatch import settings

# Routes of st.App are not under server.baseUrlPath (read when the server starts, after this module):
# both forms are routed, and the handler answers only the one of the configured base.
FEED_PATHS = ("/alerts/{token}.atom", "/{base}/alerts/{token}.atom")
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def _feed_bytes(token: str, app_url: str) -> bytes | None:
    from steppewatch.alerts import atom_feed
    from steppewatch.store import open_store

    if not settings.DB_PATH.exists():
        return None
    with open_store(settings.DB_PATH, read_only=True) as store:
        return atom_feed(store, token, app_url)


def app_url_of(request: Request) -> str:
    """The dashboard's address for links: ``settings.APP_URL``, else the feed's own URL up to /alerts/."""
    if settings.APP_URL:
        return settings.APP_URL
    return str(request.url).split("/alerts/", 1)[0] + "/"


async def alerts_feed(request: Request) -> Response:
    """GET [/BASE]/alerts/TOKEN.atom: the watchlist's Atom feed, or 404."""
    token = str(request.path_params.get("token", ""))
    right_base = str(request.path_params.get("base", "")) == base_url_path()
    body = (await run_in_threadpool(_feed_bytes, token, app_url_of(request))
            if right_base and _TOKEN_RE.match(token) else None)
    if body is None:
        return Response("Not Found", status_code=404, media_type="text/plain")
    return Response(body, media_type="application/atom+xml; charset=utf-8",
                    headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})
