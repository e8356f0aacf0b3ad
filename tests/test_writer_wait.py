"""An upload while another ingest writes the store says whom it waits for (on the Ingest page), then
ingests once the other has finished."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from components import data
from steppewatch import settings
from steppewatch.pipeline import writer_lock
from steppewatch.store import open_store
from steppewatch.store.locks import LockHolder

TEXT = b"Kazakhstan and Uzbekistan signed a water agreement in Tashkent on Monday."


def test_an_upload_waits_for_the_writer_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "DB_PATH", tmp_path / "s.db")
    open_store(tmp_path / "s.db").close()
    holding, release = threading.Event(), threading.Event()

    def other_ingest() -> None:
        with open_store(tmp_path / "s.db") as store, writer_lock(store, on_wait=None):
            holding.set()
            release.wait(10)

    other = threading.Thread(target=other_ingest)
    other.start()
    assert holding.wait(10)
    told: list[LockHolder] = []

    def on_wait(holder: LockHolder) -> None:
        told.append(holder)
        threading.Timer(0.3, release.set).start()  # the other ingest ends a moment later

    started = time.monotonic()
    summary = data.ingest_upload("note.txt", TEXT, on_wait=on_wait)
    other.join(10)
    assert len(told) == 1 and told[0].pid == os.getpid()
    assert told[0].since is not None and abs(time.time() - told[0].since.timestamp()) < 60
    assert time.monotonic() - started >= 0.3 and len(summary.ingested) == 1  # type: ignore[attr-defined]
    message = data.waiting_message(told[0])
    assert message.startswith(f"Waiting for another ingest (pid {os.getpid()}) since ")


def test_a_holder_written_by_an_older_version_is_described_as_far_as_known() -> None:
    assert LockHolder.parse("").described() == ""
    assert LockHolder.parse("4242").described() == " (pid 4242)"
    assert LockHolder.parse("4242 2026-12-05T14:05:09").described() == " (pid 4242) since 14:05"
    assert LockHolder.parse("garbage here").described() == ""
