"""Issue 9 (ingest CPU), writes: a first load into an empty store builds the BULK_INDEXES once at
the end, a store with articles keeps them throughout, and the per-article savepoints' undo pages are kept
in memory for the batch only. Whatever happens, the store ends with every index of a store never loaded."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

from steppewatch.ingest import iter_documents
from steppewatch.models import RawDocument
from steppewatch.pipeline import ingest_documents
from steppewatch.store import Store, open_store
from steppewatch.store.db import BULK_INDEXES

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from generate import generate_rows


def _indexes(store: Store) -> set[str]:
    return {str(r["name"]) for r in store.rows("SELECT name FROM sqlite_master WHERE type = 'index'"
                                               " AND sql IS NOT NULL")}


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> list[RawDocument]:
    path = tmp_path_factory.mktemp("bulk") / "bulk.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in generate_rows(30, seed=5)), encoding="utf-8")
    return list(iter_documents([path]))


@pytest.fixture(scope="module")
def every_index(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    with open_store(tmp_path_factory.mktemp("fresh") / "s.db") as store:
        found = _indexes(store)
    assert set(BULK_INDEXES) <= found
    return found


def test_a_first_load_defers_the_bulk_indexes_and_builds_them_at_the_end(
        docs: list[RawDocument], tmp_path: Path, every_index: set[str]) -> None:
    with open_store(tmp_path / "s.db") as store:
        during: list[set[str]] = []
        summary = ingest_documents(store, docs, on_item=lambda *_: during.append(_indexes(store)), batch_size=10)
        assert len(summary.ingested) == len(docs)
        assert during and all(not (seen & set(BULK_INDEXES)) for seen in during)
        assert _indexes(store) == every_index
        assert store.rows("PRAGMA integrity_check") == [{"integrity_check": "ok"}]
        assert store.rows("PRAGMA temp_store") == [{"temp_store": 0}]  # memory only within a batch


def test_a_store_with_articles_keeps_its_indexes(docs: list[RawDocument], tmp_path: Path,
                                                 every_index: set[str]) -> None:
    with open_store(tmp_path / "s.db") as store:
        ingest_documents(store, docs[:5])
        during: list[set[str]] = []
        ingest_documents(store, docs[5:], on_item=lambda *_: during.append(_indexes(store)), batch_size=10)
        assert during and all(seen == every_index for seen in during)


def test_an_interrupted_first_load_gets_its_indexes_back(docs: list[RawDocument], tmp_path: Path,
                                                         every_index: set[str]) -> None:
    def stop(origin: str, status: str) -> None:
        raise KeyboardInterrupt

    with open_store(tmp_path / "s.db") as store:
        with pytest.raises(KeyboardInterrupt):
            ingest_documents(store, docs, on_item=stop, batch_size=10)
        assert store.count("articles") == 10
        assert _indexes(store) == every_index  # rebuilt on the way out
        store.drop_bulk_indexes()  # as a kill -9 between the batches leaves it
    with open_store(tmp_path / "s.db") as store:  # opening for writing builds them again
        assert _indexes(store) == every_index


def test_a_failed_first_load_reports_its_own_error(docs: list[RawDocument], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch, every_index: set[str]) -> None:
    def full(*_: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    with open_store(tmp_path / "s.db") as store:
        monkeypatch.setattr(Store, "insert_article", full)
        monkeypatch.setattr(Store, "create_bulk_indexes", lambda self: full())
        with pytest.raises(sqlite3.OperationalError, match="disk is full") as raised:
            ingest_documents(store, docs, batch_size=10)
        assert raised.value.__context__ is None  # not an error of rebuilding the indexes on the way out
    monkeypatch.undo()
    with open_store(tmp_path / "s.db") as store:
        assert store.count("articles") == 0 and _indexes(store) == every_index
