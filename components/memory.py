"""The server's memory between visits: a periodic sweep (serve.py starts it) that collects cyclic
garbage and hands freed heap back to the operating system.

Streamlit's own full garbage collection after every run is off (``runner.postScriptGC``: with the read
model loaded it cost 65 of 105 ms a rerun); this sweep does the same work every ``MEMORY_SWEEP_S``
seconds instead, on a thread, and then asks glibc to return the free pages of its heap
(``malloc_trim``), so that the RSS falls back once many sessions have come and gone.

Streamlit's caches drop an entry whose ``ttl`` has passed only when that cache is next used: after a
crowd of visitors leaves, hundreds of expired views would stay in memory. The sweep expires them first
(``expire_caches``: Streamlit's cache objects, reached through its modules; if a release renames them,
the sweep skips this step and says so in the log). So are disconnected sessions past their TTL
(``expire_sessions``): Streamlit drops them only when another session connects, and then without
shutting them down, so their media files and deferred downloads stay registered. Nothing here draws.

Before the server starts its threads, ``limit_malloc_arenas`` caps glibc's arenas (one per session
thread otherwise) and fixes its mmap threshold (``settings.MALLOC_MMAP_THRESHOLD``): glibc raises that
threshold after each large free, after which a crowd's large temporaries come from the heap and stay
there, scattered, when freed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import json
import logging
import os
import sys
import threading
import time
from pathlib import Path

from steppewatch import settings

log = logging.getLogger(__name__)

SHUTDOWN_WAIT_S = 10.0  # longest wait for the server's event loop to shut the expired sessions down


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """The C library, loaded once (``find_library`` runs ``ldconfig`` in a subprocess); None without one."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def _malloc_trim() -> bool:
    """``malloc_trim(0)`` where the C library has it (glibc); False elsewhere."""
    try:
        return bool(_libc().malloc_trim(0))  # type: ignore[union-attr]
    except AttributeError:  # no C library, or not glibc
        return False


def _expire(cache: object, lock: object) -> int:
    with lock:  # type: ignore[attr-defined]
        return len(cache.expire())  # type: ignore[attr-defined]


def expire_caches() -> int:
    """Drop the entries of st.cache_data and st.cache_resource caches whose ttl has passed; returns how
    many were dropped (0, and a log line, when Streamlit's cache internals are not as expected)."""
    from streamlit.runtime.caching import cache_data_api, cache_resource_api

    dropped = 0
    try:
        for registry, storage_of in ((cache_data_api._data_caches, lambda c: c.storage),
                                     (cache_resource_api._resource_caches, lambda c: c)):
            with registry._caches_lock:
                caches = [c for per_session in registry._function_caches.values() for c in per_session.values()]
            for cache in caches:
                holder = storage_of(cache)
                if hasattr(holder, "_mem_cache") and hasattr(holder, "_mem_cache_lock"):
                    dropped += _expire(holder._mem_cache, holder._mem_cache_lock)
    except AttributeError:
        log.warning("memory sweep: Streamlit's cache internals changed; expired entries stay until used")
    return dropped


def expire_sessions() -> int:
    """Drop the disconnected sessions kept for a reconnect whose ``server.disconnectedSessionTTL`` has
    passed (Streamlit keeps them until its session store is next used: after a crowd leaves, every one
    of them stays); returns how many were dropped."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return 0
    try:
        runtime = Runtime.instance()
        manager = runtime._session_mgr
        with manager._storage_lock:
            expired = manager._session_storage._cache.expire()
        n_expired = len(expired)
        loop = runtime._get_async_objs().eventloop
    except AttributeError:
        log.warning("memory sweep: Streamlit's session store changed; expired sessions stay until the next visit")
        return 0
    if not expired:
        return 0
    closed = threading.Event()

    def shut_down() -> None:
        try:
            for _, info in expired:
                info.session.shutdown()
        finally:
            closed.set()

    # shut down as Streamlit closes a stored session (its media files, deferred downloads and uploads are
    # released only then), on the server's event loop like its own close_session; waited for, so that the
    # collection and the trim after this find what the sessions held already free
    loop.call_soon_threadsafe(shut_down)
    if not closed.wait(SHUTDOWN_WAIT_S):
        log.warning("memory sweep: %d expired sessions not shut down within %s s", n_expired, SHUTDOWN_WAIT_S)
    return n_expired


M_ARENA_MAX = -8  # glibc's mallopt parameters
M_MMAP_THRESHOLD = -3


def limit_malloc_arenas(arenas: int | None = None) -> bool:
    """Cap glibc's malloc arenas (``MALLOC_ARENA_MAX``) before the server starts its threads: each
    session's script runs on a thread of its own, and with one arena per thread (up to 8 per core) the
    memory a crowd of sessions frees stays scattered over many heaps. False where it does not apply."""
    wanted = settings.MALLOC_ARENAS if arenas is None else arenas
    threshold = settings.MALLOC_MMAP_THRESHOLD
    try:
        if threshold > 0:  # fixed: glibc no longer raises it after large frees (settings.MALLOC_MMAP_THRESHOLD)
            _libc().mallopt(M_MMAP_THRESHOLD, int(threshold))  # type: ignore[union-attr]
        return wanted > 0 and bool(_libc().mallopt(M_ARENA_MAX, int(wanted)))  # type: ignore[union-attr]
    except AttributeError:  # no C library, or not glibc
        return False


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


def memory_stats() -> dict[str, float]:
    """Where the server's memory is, in MB: the RSS; glibc's heap in use, free but held, and mapped one by
    one (``mallinfo2``, where glibc has it); Python's allocated blocks; the sessions Streamlit keeps."""
    mb = 1024 * 1024
    stats: dict[str, float] = {"pid": os.getpid(), "time": round(time.time(), 1),
                               "python_blocks": sys.getallocatedblocks()}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                stats["rss_mb"] = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    try:
        libc = _libc()
        libc.mallinfo2.restype = _MallInfo2  # type: ignore[union-attr]
        info = libc.mallinfo2()  # type: ignore[union-attr]
        stats.update(heap_mb=round(info.arena / mb, 1), heap_in_use_mb=round(info.uordblks / mb, 1),
                     heap_free_mb=round(info.fordblks / mb, 1), mapped_mb=round(info.hblkhd / mb, 1))
    except AttributeError:
        pass
    try:
        from streamlit.runtime import Runtime

        if Runtime.exists():
            stats["sessions"] = len(Runtime.instance()._session_mgr.list_sessions())
    except AttributeError:
        pass
    return stats


def _log_stats(stage: str) -> None:
    """Append ``memory_stats()`` as a JSON line to ``settings.MEMORY_STATS_LOG`` (when set)."""
    if settings.MEMORY_STATS_LOG:
        with open(settings.MEMORY_STATS_LOG, "a", encoding="utf-8") as out:
            out.write(json.dumps({"stage": stage, **memory_stats()}) + "\n")
        import tracemalloc

        if stage == "after" and tracemalloc.is_tracing():  # PYTHONTRACEMALLOC=N: what is live, by line
            tracemalloc.take_snapshot().dump(f"{settings.MEMORY_STATS_LOG}.{os.getpid()}.{int(time.time())}.snap")


def sweep() -> int:
    """One sweep: expired cache entries and sessions dropped, a full garbage collection, then the heap's
    free pages back to the system; returns the number of unreachable objects found."""
    _log_stats("before")
    expire_caches()
    expire_sessions()
    found = gc.collect()
    _malloc_trim()
    _log_stats("after")
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
