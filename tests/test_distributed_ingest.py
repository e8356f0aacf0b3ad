"""Ingest and reprocess on Dask distributed (a 2-worker LocalCluster of processes): the stored facts
are the ones the plain path stores, a bad document fails alone, and ``--dask`` works on the CLI.
Without ``--dask`` nothing imports dask."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from steppewatch import settings
from steppewatch.ingest import iter_documents
from steppewatch.models import IngestFailure, RawDocument
from steppewatch.pipeline import ingest_documents, reprocess_stale
from steppewatch.store import open_store

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(TESTS.parent / "bench"))
from generate import generate_rows  # noqa: E402
from test_batched_ingest import facts  # noqa: E402

N = 300
ENV = {**os.environ, "PYTHONPATH": str(settings.PROJECT_ROOT)}


def test_no_dask_import_without_the_flag(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Tokayev met Japarov in Bishkek on Monday.")
    code = ("import sys; from steppewatch.cli import main;"
            f" rc = main(['ingest', {str(tmp_path / 'a.txt')!r}, '--db', {str(tmp_path / 's.db')!r}]);"
            " assert rc == 0; assert not {'dask', 'distributed'} & set(sys.modules), 'dask imported'")
    proc = subprocess.run([sys.executable, "-c", code], env=ENV, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]


distributed = pytest.importorskip(
    "distributed", reason="dask[distributed] is not installed (pip install -r requirements-distributed.txt)")

from steppewatch.ingest.distributed import ClusterError, DaskMapper, dask_mapper  # noqa: E402


@pytest.fixture(scope="module")
def mapper() -> Iterator[DaskMapper]:
    """One 2-worker LocalCluster (single-threaded worker processes) for the module."""
    with dask_mapper("local:2", partition_items=25) as m:
        yield m


@pytest.fixture(scope="module")
def bulk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bulk") / "bulk.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in generate_rows(N, seed=5)), encoding="utf-8")
    return path


def _documents(bulk: Path) -> list[RawDocument | IngestFailure]:
    docs: list[RawDocument | IngestFailure] = list(iter_documents([bulk]))
    # a document that cannot be cleaned, one that failed to be read, and a duplicate of the first
    docs.insert(40, RawDocument("upload:garbage.bin", bytes(range(256)) * 4, {}))
    docs.insert(120, IngestFailure("feeds/broken.xml", "not well-formed XML (line 1)"))
    docs.append(docs[0])
    return docs


def test_dask_stores_the_facts_of_the_plain_path(bulk: Path, tmp_path: Path, mapper: DaskMapper) -> None:
    docs = _documents(bulk)
    with open_store(tmp_path / "plain.db") as plain, open_store(tmp_path / "dask.db") as on_dask:
        expected = ingest_documents(plain, docs)
        summary = ingest_documents(on_dask, iter(docs), mapper=mapper)
        assert summary == expected
        assert len(summary.ingested) == N and len(summary.unchanged) == 1
        assert [f.origin for f in summary.failed] == ["upload:garbage.bin", "feeds/broken.xml"]  # alone
        assert facts(on_dask) == facts(plain)
        log = "SELECT origin, status, reason, article_id FROM ingest_log ORDER BY rowid"
        assert on_dask.rows(log) == plain.rows(log)

        # reprocess on Dask re-extracts as the plain path does
        for store in (plain, on_dask):
            store.con.execute("UPDATE articles SET extractor_version = 'old' WHERE rowid % 3 = 0")
            store.con.commit()
        assert reprocess_stale(on_dask, mapper=mapper) == reprocess_stale(plain) == N // 3
        assert facts(on_dask) == facts(plain)


def _dies_on_poison(item: str) -> str:
    if item == "poison":
        os._exit(1)  # the worker process dies, as on a segfault or an OOM kill
    return item.upper()


def test_a_worker_dying_on_one_item_fails_that_item_only(mapper: DaskMapper) -> None:
    items = [f"doc{i}" for i in range(12)]
    items[5] = "poison"
    small = DaskMapper(mapper.client, partition_items=4)
    out = list(small(_dies_on_poison, items, lambda item, error: f"failed:{item}"))
    assert out == [f"DOC{i}" for i in range(5)] + ["failed:poison"] + [f"DOC{i}" for i in range(6, 12)]


def _cannot_run(item: str) -> str:
    raise RuntimeError("Error during deserialization of the task graph")  # as when workers lack the code


def test_a_cluster_that_cannot_run_the_tasks_stops_the_run(mapper: DaskMapper) -> None:
    """No document is to blame: the run stops (committed batches stay) instead of failing them all."""
    small = DaskMapper(mapper.client, partition_items=3)
    with pytest.raises(ClusterError, match="cannot run the ingest"):
        list(small(_cannot_run, ["a", "b", "c", "d"], lambda item, error: "failed"))


def test_cli_dask_flag(bulk: Path, tmp_path: Path) -> None:
    few = tmp_path / "few.jsonl"
    few.write_text("".join(bulk.read_text(encoding="utf-8").splitlines(keepends=True)[:30]), encoding="utf-8")
    db = tmp_path / "cli.db"
    run = subprocess.run([sys.executable, "-m", "steppewatch", "ingest", str(few), "--db", str(db),
                          "--dask", "local:2"], env=ENV, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "ingested 30, unchanged 0, failed 0" in run.stdout
    bad = subprocess.run([sys.executable, "-m", "steppewatch", "ingest", str(few), "--db", str(db),
                          "--dask", "local:x"], env=ENV, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--dask local:x" in bad.stderr
