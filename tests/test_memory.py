"""The dashboard server's memory sweep (components/memory.py): cycles collected, expired cache entries
dropped without waiting for their cache to be used again."""

from __future__ import annotations

import sys
import time
from pathlib import Path

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
