"""kill -9 at random moments of a bulk ingest, then the same command again: does the store converge?

    .venv/bin/python bench/crash_convergence.py                 # 3,000 articles, 20 kill points
    .venv/bin/python bench/crash_convergence.py --n 500 --points 3

Generates N articles as a bulk JSONL file (``generate.py``), ingests it once uninterrupted with the CLI
(``python -m steppewatch ingest FILE --db S``) and records what ``export`` shows (ingest times left out)
and its duration. Then, for each of ``--points`` moments drawn at random over that duration (seeded),
starts the same command on a fresh store, sends it SIGKILL at that moment (reading, extracting, writing a
batch, clustering stories or writing the read-model snapshot, whatever it was doing), runs the same
command again to its end, and compares: SQLite's integrity check, the exported facts (articles,
mentions, people, events, stories) and the search index (every indexed token of every article: term, column,
offset) with the uninterrupted run's, and that the snapshot beside the store is the one of its data version.
Prints a JSON line; writes bench/out/crash.json. Exit 1 if any differs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate_rows  # noqa: E402

from steppewatch.cli import EXPORT_QUERIES  # noqa: E402
from steppewatch.query import queries, readmodel  # noqa: E402
from steppewatch.store import open_store  # noqa: E402
from steppewatch.store.search_index import SEARCH_TABLE, has_index  # noqa: E402

OUT = ROOT / "bench" / "out"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _ingest(bulk: Path, db: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "steppewatch", "ingest", str(bulk), "--db", str(db)],
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def digest(db: Path) -> dict[str, str]:
    """A hash per exported table (rows in export order, ingest times left out)."""
    out = {}
    with open_store(db, read_only=True) as store:
        for what, sql in EXPORT_QUERIES.items():
            rows = [{k: v for k, v in r.items() if k != "ingested_at"} for r in store.rows(sql)]
            out[what] = hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()[:16]
        out["search"] = _search_digest(store.con) if has_index(store.con) else "no index"
    return out


def _search_digest(con: Any) -> str:
    """A hash of the search index's contents by article id (rowids may differ between runs): every
    (article, term, column, offset) it holds, read through an fts5vocab table (temporary: the connection
    is read-only)."""
    con.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms USING fts5vocab(main, {SEARCH_TABLE}, instance)")
    digest = hashlib.sha256()
    for row in con.execute("SELECT a.id, v.term, v.col, v.offset FROM temp.search_terms v"
                           " JOIN articles a ON a.rowid = v.doc ORDER BY 1, 2, 3, 4"):
        digest.update(json.dumps(list(row), ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


def check(db: Path) -> dict[str, Any]:
    """Integrity, facts' digest and whether the snapshot is the store's current one."""
    with open_store(db, read_only=True) as store:
        ok = store.rows("PRAGMA integrity_check") == [{"integrity_check": "ok"}]
        version = queries.data_version(store)
    return {"integrity": ok, "digest": digest(db),
            "snapshot_current": readmodel.load_snapshot(db, version) is not None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=3000, help="articles (default: %(default)s)")
    parser.add_argument("--points", type=int, default=20, help="kill moments (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="sw-crash-"))
    try:
        bulk = work / "bulk.jsonl"
        bulk.write_text("".join(json.dumps(r) + "\n" for r in generate_rows(args.n, seed=11)), encoding="utf-8")
        whole = work / "whole.db"
        started = time.monotonic()
        if _ingest(bulk, whole).wait() != 0:
            raise SystemExit("the uninterrupted ingest failed")
        duration = time.monotonic() - started
        expected = check(whole)
        rng = random.Random(args.seed)
        runs = []
        for point in sorted(rng.uniform(0.02, 0.98) * duration for _ in range(args.points)):
            db = work / f"killed-{len(runs)}.db"
            proc = _ingest(bulk, db)
            time.sleep(point)
            killed = proc.poll() is None
            if killed:
                proc.send_signal(signal.SIGKILL)
            proc.wait()
            rerun = _ingest(bulk, db).wait()
            got = check(db)
            runs.append({"kill_at_s": round(point, 2), "killed": killed, "rerun_rc": rerun, **got,
                         "converged": rerun == 0 and got == expected})
            for path in work.glob(f"killed-{len(runs) - 1}.db*"):
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        result = {"articles": args.n, "uninterrupted_s": round(duration, 1), "points": len(runs),
                  "killed": sum(r["killed"] for r in runs), "converged": sum(r["converged"] for r in runs),
                  "expected": expected, "runs": runs}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "crash.json").write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k not in {"runs", "expected"}}))
    print(f"kill -9 at {result['points']} moments ({result['killed']} before the end): "
          f"{result['converged']}/{result['points']} converge to the uninterrupted run")
    return 0 if result["converged"] == result["points"] else 1


if __name__ == "__main__":
    sys.exit(main())
