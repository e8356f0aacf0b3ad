"""The dashboard server's memory sweep (components/memory.py): cycles collected, expired cache entries
dropped without waiting for their cache to be used again."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st

from components.memory import expire_caches


def test_memory_sweep_collects_cycles() -> None:
    import gc
    import weakref

    from components.memory import sweep

    class Node:
        def __init__(self) -> None:
            self.me = self

    gc.disable()  # only the sweep may collect them
    try:
        refs = [weakref.ref(Node()) for _ in range(1000)]
        assert all(r() is not None for r in refs)  # alive until collected: each refers to itself
    finally:
        gc.enable()
    sweep()
    assert all(r() is None for r in refs)


def test_expired_cache_entries_are_dropped_by_the_sweep() -> None:
    @st.cache_data(ttl=0.2, max_entries=100)
    def view(n: int) -> list[int]:
        return list(range(n))

    @st.cache_resource(ttl=0.2, max_entries=100)
    def figure(n: int) -> dict[str, int]:
        return {"n": n}

    for n in range(20):
        view(n)
        figure(n)
    assert expire_caches() == 0  # none has expired yet
    time.sleep(0.3)
    assert expire_caches() >= 40
    assert expire_caches() == 0


def test_the_allocator_is_set_before_the_server_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    """serve.py caps glibc's arenas and fixes its mmap threshold (large temporaries go back to the system)."""
    from components import memory
    from steppewatch import settings

    calls: list[tuple[int, int]] = []

    class FakeLibc:
        def mallopt(self, param: int, value: int) -> int:
            calls.append((param, value))
            return 1

    monkeypatch.setattr(memory, "_libc", lambda: FakeLibc())
    monkeypatch.setattr(settings, "MALLOC_ARENAS", 2)
    monkeypatch.setattr(settings, "MALLOC_MMAP_THRESHOLD", 131072)
    assert memory.limit_malloc_arenas() is True
    assert calls == [(memory.M_MMAP_THRESHOLD, 131072), (memory.M_ARENA_MAX, 2)]
    calls.clear()
    monkeypatch.setattr(settings, "MALLOC_MMAP_THRESHOLD", 0)  # 0: glibc's own (dynamic) threshold
    monkeypatch.setattr(settings, "MALLOC_ARENAS", 0)
    assert memory.limit_malloc_arenas() is False and calls == []
    monkeypatch.setattr(memory, "_libc", lambda: None)  # no C library: nothing to set, no error
    assert memory.limit_malloc_arenas() is False


def test_each_sweep_logs_where_the_memory_is_when_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import json

    from components.memory import sweep
    from steppewatch import settings

    log = tmp_path / "memory.jsonl"
    monkeypatch.setattr(settings, "MEMORY_STATS_LOG", "")
    sweep()
    assert not log.exists()
    monkeypatch.setattr(settings, "MEMORY_STATS_LOG", str(log))
    held = bytearray(64 * 1024 * 1024)  # 64 MB live: in the heap figures and the RSS
    sweep()
    before, after = (json.loads(line) for line in log.read_text().splitlines())
    assert (before["stage"], after["stage"]) == ("before", "after")
    assert after["rss_mb"] > 64 and after["python_blocks"] > 0
    if "heap_in_use_mb" in after:  # glibc
        assert after["heap_in_use_mb"] + after["mapped_mb"] >= 64
    del held
