"""The server's memory between visits: a periodic sweep (serve.py starts it) that collects cyclic
garbage and hands freed heap back to the operating system.

Streamlit's own full garbage collection after every run is off (``runner.postScriptGC``: with the read
model loaded it cost 65 of 105 ms a rerun); this sweep does the same work every ``MEMORY_SWEEP_S``
seconds instead, on a thread, and then asks glibc to return the free pages of its heap
(``malloc_trim``), so that the RSS falls back once many sessions have come and gone. No Streamlit here.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import threading

from steppewatch import settings

log = logging.getLogger(__name__)


def _malloc_trim() -> bool:
    """``malloc_trim(0)`` where the C library has it (glibc); False elsewhere."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.malloc_trim(0))
    except (OSError, AttributeError):
        return False


def sweep() -> int:
    """One sweep: a full garbage collection, then the heap's free pages back to the system; returns the
    number of unreachable objects found."""
    found = gc.collect()
    _malloc_trim()
    return found


def start_sweeper(interval_s: float | None = None) -> threading.Event:
    """Sweep every ``interval_s`` seconds on a daemon thread until the returned event is set."""
    interval = settings.MEMORY_SWEEP_S if interval_s is None else interval_s
    stop = threading.Event()

    def run() -> None:
        while not stop.wait(interval):
            try:
                sweep()
            except Exception:  # never take the server down for housekeeping
                log.exception("memory sweep failed")

    if interval > 0:
        threading.Thread(target=run, name="steppewatch-memory-sweep", daemon=True).start()
    return stop
