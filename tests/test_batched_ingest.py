"""Ingest writes in batches: one transaction per batch, each article all-or-nothing with its
ingest-log row, and an interrupted run (kill -9, Ctrl-C, a full disk) leaves whole batches only,
so that running it again gives exactly the store an uninterrupted run gives."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from steppewatch import pipeline, settings
from steppewatch.cli import EXPORT_QUERIES, INTERRUPTED
from steppewatch.ingest import iter_documents
from steppewatch.models import IngestFailure, ProcessedArticle, RawDocument
from steppewatch.pipeline import ingest_documents, refresh_stories
from steppewatch.store import Store, open_store
from steppewatch.store.db import Store as StoreClass

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from generate import generate_rows  # noqa: E402

N = 120
BATCH = 50


def facts(store: Store) -> dict[str, list[dict[str, object]]]:
    """What ``export --what articles|mentions|people|events|stories`` shows, ingest times left out."""
    out = {}
    for what, sql in EXPORT_QUERIES.items():
        out[what] = [{k: v for k, v in r.items() if k != "ingested_at"} for r in store.rows(sql)]
    return out


@pytest.fixture(scope="module")
def bulk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """N generated articles as a bulk JSONL file (what ``bench/generate.py N --out F`` writes)."""
    path = tmp_path_factory.mktemp("bulk") / "bulk.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in generate_rows(N, seed=11)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def docs(bulk: Path) -> list[RawDocument]:
    return list(iter_documents([bulk]))


@pytest.fixture(scope="module")
def uninterrupted(docs: list[RawDocument], tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    with open_store(tmp_path_factory.mktemp("whole") / "s.db") as store:
        summary = ingest_documents(store, docs, batch_size=BATCH)
        assert len(summary.ingested) == N and not summary.failed
        return facts(store)


def _log(store: Store) -> list[tuple[object, ...]]:
    return [(r["origin"], r["status"], r["article_id"]) for r in store.rows(
        "SELECT origin, status, article_id FROM ingest_log ORDER BY rowid")]


def test_one_commit_per_batch(docs: list[RawDocument], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commits: list[str] = []
    at_stories: list[int] = []
    real_refresh = pipeline.refresh_stories

    def refresh(*args: object, **kwargs: object) -> None:
        at_stories.append(len(commits))
        real_refresh(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "refresh_stories", refresh)
    with open_store(tmp_path / "s.db") as store:
        store.con.set_trace_callback(lambda sql: commits.append(sql) if sql.strip().upper() == "COMMIT" else None)
        summary = ingest_documents(store, docs, batch_size=BATCH)
        store.con.set_trace_callback(None)
        assert len(summary.ingested) == N
        assert at_stories == [3]  # 120 articles and their log rows in 3 transactions (was 240)
        assert store.count("ingest_log") == N


def test_a_failing_article_is_rolled_back_alone(docs: list[RawDocument], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    poisoned = docs[7].origin
    real_insert = StoreClass._insert

    def insert(con: sqlite3.Connection, processed: ProcessedArticle, *args: object) -> None:
        real_insert(con, processed, *args)  # type: ignore[arg-type]
        if processed.article.origin == poisoned:  # its rows are written, then something breaks
            raise ValueError("bad value in a fact")

    monkeypatch.setattr(StoreClass, "_insert", staticmethod(insert))
    batch = [*docs[:20], IngestFailure("feed.xml", "not well-formed XML")]
    with open_store(tmp_path / "s.db") as store:
        summary = ingest_documents(store, batch, batch_size=BATCH)
        assert [f.origin for f in summary.failed] == [poisoned, "feed.xml"]
        assert "ValueError: bad value in a fact" in summary.failed[0].reason
        assert len(summary.ingested) == 19 and store.count("articles") == 19
        assert not store.rows("SELECT 1 FROM articles WHERE origin = ?", (poisoned,))
        stored = {str(r["id"]) for r in store.rows("SELECT id FROM articles")}
        for table in ("mentions", "people", "events"):
            orphans = {str(r["article_id"]) for r in store.rows(f"SELECT DISTINCT article_id FROM {table}")}
            assert orphans <= stored, table
        log = store.rows("SELECT status, reason FROM ingest_log WHERE origin = ?", (poisoned,))
        assert [r["status"] for r in log] == ["failed"]
        assert store.count("ingest_log") == 21


def _rerun_gives_the_uninterrupted_store(store: Store, docs: list[RawDocument], committed: int,
                                         uninterrupted: dict[str, object]) -> None:
    summary = ingest_documents(store, docs, batch_size=BATCH)
    assert len(summary.unchanged) == committed and len(summary.ingested) == N - committed
    assert not store.rows("SELECT id FROM articles WHERE story_id IS NULL")
    assert facts(store) == uninterrupted


def test_ctrl_c_mid_batch_keeps_whole_batches(docs: list[RawDocument], tmp_path: Path,
                                              uninterrupted: dict[str, object]) -> None:
    def interrupted() -> Iterator[RawDocument]:
        for i, doc in enumerate(docs):
            if i == BATCH + 25:
                raise KeyboardInterrupt
            yield doc

    with open_store(tmp_path / "s.db") as store:
        with pytest.raises(KeyboardInterrupt):
            ingest_documents(store, interrupted(), batch_size=BATCH)
        assert store.count("articles") == BATCH  # the first batch; nothing of the second
        assert store.count("ingest_log") == BATCH
        assert {r["status"] for r in store.rows("SELECT status FROM ingest_log")} == {"ingested"}
        # stories run after the last batch: the committed articles wait for the next run
        assert store.count("stories") == 0
        _rerun_gives_the_uninterrupted_store(store, docs, BATCH, uninterrupted)


def test_full_disk_mid_batch_rolls_the_batch_back(docs: list[RawDocument], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  uninterrupted: dict[str, object]) -> None:
    real_insert = StoreClass.insert_article
    calls = {"n": 0}

    def insert(self: Store, con: sqlite3.Connection, processed: ProcessedArticle, *args: str | None) -> None:
        calls["n"] += 1
        if calls["n"] == BATCH + 10:
            raise sqlite3.OperationalError("database or disk is full")
        real_insert(self, con, processed, *args)

    with open_store(tmp_path / "s.db") as store:
        monkeypatch.setattr(StoreClass, "insert_article", insert)
        with pytest.raises(sqlite3.OperationalError, match="disk is full"):
            ingest_documents(store, docs, batch_size=BATCH)
        monkeypatch.undo()
        assert store.count("articles") == BATCH and store.count("ingest_log") == BATCH
        _rerun_gives_the_uninterrupted_store(store, docs, BATCH, uninterrupted)


KILL_AT_INSERT = """
import os, signal, sys
from steppewatch.cli import main
from steppewatch.store.db import Store

real = Store.insert_article
seen = {"n": 0}

def insert(self, con, processed, *args):
    seen["n"] += 1
    if seen["n"] == int(os.environ["KILL_AT"]):  # rows of this batch are written, not committed
        os.kill(os.getpid(), signal.SIGKILL)
    real(self, con, processed, *args)

Store.insert_article = insert
sys.exit(main(sys.argv[1:]))
"""


def test_kill_9_in_the_middle_of_a_batch(bulk: Path, tmp_path: Path, uninterrupted: dict[str, object]) -> None:
    db = tmp_path / "s.db"
    env = {**os.environ, "PYTHONPATH": str(settings.PROJECT_ROOT), "KILL_AT": str(BATCH + 25)}
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(KILL_AT_INSERT), "ingest", str(bulk),
                           "--db", str(db), "--batch-size", str(BATCH)],
                          env=env, capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
    with open_store(db) as store:
        assert store.rows("PRAGMA integrity_check") == [{"integrity_check": "ok"}]
        assert store.count("articles") == BATCH and store.count("ingest_log") == BATCH
        assert len(store.rows("SELECT id FROM articles WHERE story_id IS NULL")) == BATCH
    rerun = subprocess.run([sys.executable, "-m", "steppewatch", "ingest", str(bulk), "--db", str(db)],
                           env=env, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert f"ingested {N - BATCH}, unchanged {BATCH}, failed 0" in rerun.stdout
    with open_store(db) as store:
        assert not store.rows("SELECT id FROM articles WHERE story_id IS NULL")  # clustered at last
        assert facts(store) == uninterrupted


def test_incremental_stories_read_no_whole_table(docs: list[RawDocument], tmp_path: Path) -> None:
    """Re-clustering after a small ingest reads the new articles' neighbourhood by index: no pass
    over every fingerprint, visit or story of the store (a count of the articles excepted)."""
    with open_store(tmp_path / "s.db") as store:
        ingest_documents(store, docs[:100])
        ingest_documents(store, docs[100:110])
        new_ids = [str(r["id"]) for r in store.rows("SELECT id FROM articles ORDER BY rowid DESC LIMIT 10")]
        statements: list[str] = []
        store.con.set_trace_callback(statements.append)
        refresh_stories(store, new_ids=new_ids)
        store.con.set_trace_callback(None)
        scans = set()
        for sql in statements:
            if sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
                for row in store.rows("EXPLAIN QUERY PLAN " + sql):
                    detail = str(row["detail"])
                    if detail.startswith("SCAN") and "json_each" not in detail and "CONSTANT" not in detail:
                        scans.add((detail, sql[:120]))
        counts = {s for s in scans if s[1] == "SELECT count(*) FROM articles" and "COVERING INDEX" in s[0]}
        assert scans == counts, scans
        assert any("substr(fingerprint" in sql for sql in statements)  # near-duplicates were looked up


def test_ctrl_c_from_the_cli_says_one_line_and_the_rerun_converges(bulk: Path, tmp_path: Path,
                                                                    uninterrupted: dict[str, object]) -> None:
    db = tmp_path / "s.db"
    env = {**os.environ, "PYTHONPATH": str(settings.PROJECT_ROOT), "KILL_AT": str(BATCH + 25)}
    # Python's own Ctrl-C handler, as in a terminal: a test run started in the background by a
    # non-interactive shell hands its children SIGINT ignored, and the ingest would not see the signal
    script = ("import signal\nsignal.signal(signal.SIGINT, signal.default_int_handler)\n"
              + textwrap.dedent(KILL_AT_INSERT).replace("signal.SIGKILL", "signal.SIGINT"))
    proc = subprocess.run([sys.executable, "-c", script, "ingest", str(bulk), "--db", str(db),
                           "--batch-size", str(BATCH)], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 130, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == INTERRUPTED
    rerun = subprocess.run([sys.executable, "-m", "steppewatch", "ingest", str(bulk), "--db", str(db)],
                           env=env, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    with open_store(db) as store:
        assert facts(store) == uninterrupted


HOLD_THE_WRITER = """
import sys, time
from steppewatch.pipeline import writer_lock
from steppewatch.store import open_store

with open_store(sys.argv[1]) as store, writer_lock(store):
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_second_ingest_says_whom_it_waits_for_then_ingests(bulk: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    env = {**os.environ, "PYTHONPATH": str(settings.PROJECT_ROOT)}
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(HOLD_THE_WRITER), str(db), "3"],
                              env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        proc = subprocess.run([sys.executable, "-m", "steppewatch", "ingest", str(bulk), "--db", str(db)],
                              env=env, capture_output=True, text=True, timeout=120)
    finally:
        holder.wait(timeout=30)
    assert proc.returncode == 0, proc.stderr[-2000:]
    waiting = [line for line in proc.stderr.splitlines() if line.startswith("waiting for another ingest")]
    assert len(waiting) == 1, proc.stderr[-2000:]
    assert re.fullmatch(rf"waiting for another ingest \(pid {holder.pid}\) since \d\d:\d\d to finish writing "
                        r"this store", waiting[0])
    assert f"ingested {N}" in proc.stdout
