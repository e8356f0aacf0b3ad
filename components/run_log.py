"""How long the server takes for each run of the app, when asked (``settings.RUN_TIMES_LOG``): one JSON line
per run, its wall time from the script's start to its end (what a visitor waits for, the other sessions'
runs on the same process included) and its thread's CPU time. bench/load_test.py reads it for the
server-side rerun times; nothing is written when the setting is empty."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from steppewatch import settings

_WRITE_LOCK = threading.Lock()


@contextmanager
def timed_run() -> Iterator[None]:
    """Time the body (a run of the app's page) and append it to ``settings.RUN_TIMES_LOG``; a run ended by
    ``st.rerun`` or a stop is written too, as "ended": "early"."""
    if not settings.RUN_TIMES_LOG:
        yield
        return
    started, cpu_started = time.perf_counter(), time.thread_time()
    ended = "early"
    try:
        yield
        ended = "done"
    finally:
        line = json.dumps({"pid": os.getpid(), "end": round(time.time(), 3), "ended": ended,
                           "wall_ms": round(1000 * (time.perf_counter() - started), 2),
                           "cpu_ms": round(1000 * (time.thread_time() - cpu_started), 2)})
        with _WRITE_LOCK, open(settings.RUN_TIMES_LOG, "a", encoding="utf-8") as out:
            out.write(line + "\n")
