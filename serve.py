"""Steppe Watch as it is served: `streamlit run serve.py` runs dashboard.py behind an HTTP guard.

The guard (components/http_guard.py) redirects deep paths such as /article/foo, which Streamlit
itself answers with a blank page, to their page, and answers /_stcore/metrics with 404 (Streamlit
has no option to turn it off). It also serves each watchlist's Atom feed of alerts
(``/alerts/TOKEN.atom``, components/alerts_feed.py).
At start-up the server imports, in a thread of its own, the
libraries the first page needs (pandas, pyarrow, numpy, plotly: ~0.5 s), so that the first
visitor's page does not wait for them, and a thread sweeps memory every MEMORY_SWEEP_S seconds
(components/memory.py). `streamlit run dashboard.py` still works, without these.
"""

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st
from starlette.middleware import Middleware
from starlette.routing import Route

from components.alerts_feed import FEED_PATHS, alerts_feed
from components.http_guard import HttpGuard
from components.memory import limit_malloc_arenas, start_sweeper

limit_malloc_arenas()  # before the server starts its threads (components/memory.py)

# Imported ahead of the first page by the server (no Streamlit calls in them: safe outside a session).
WARM_MODULES = ("numpy", "pandas", "pyarrow", "pyarrow.compute", "plotly.graph_objects", "plotly.io",
                "steppewatch.query.readmodel", "steppewatch.query.queries")


def _warm_up() -> None:
    import importlib

    for name in WARM_MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # a missing optional library is the page's problem, reported there
            continue


@asynccontextmanager
async def _lifespan(app: st.App) -> AsyncIterator[None]:
    threading.Thread(target=_warm_up, name="steppewatch-warm-up", daemon=True).start()
    stop_sweeping = start_sweeper()  # garbage collection and heap trimming between runs (components/memory.py)
    yield
    stop_sweeping.set()


app = st.App("dashboard.py", routes=[Route(path, alerts_feed, methods=["GET"]) for path in FEED_PATHS],
             middleware=[Middleware(HttpGuard)], lifespan=_lifespan)
