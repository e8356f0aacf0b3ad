"""Bulk ingest on Dask distributed: 1 worker vs 2 workers (and the plain path), in one run.

    python bench/bench_dask.py                    # 20,000 generated articles
    python bench/bench_dask.py --n 2000           # a quick run
    python bench/bench_dask.py --n 2000 --baseline-rev 3b40e03   # also the plain path, per-article commits

Generates N articles once (``bench/generate.py N --out F.jsonl``; not timed), then ingests the file
into a fresh store, each run in its own subprocess. All runs import HEAD's code (``git archive HEAD``
into a temporary folder; ``--worktree``: the working tree's, which may hold unfinished changes):

- ``plain``: ``ingest_documents`` with no cluster (clean, extract and write in this process);
- ``dask:W``: ``--dask local:W`` (a LocalCluster of W single-threaded worker processes; cluster
  start-up is timed apart and excluded);
- ``baseline``: HEAD's tree with the writer
  (``--baseline-files``: steppewatch/pipeline.py and steppewatch/store/db.py) taken from
  ``--baseline-rev``, e.g. the last commit that wrote one transaction per article: everything else
  (cleaning, extraction, clustering) is the same code, so the difference is the writer's.

Reports wall time, CPU time (this process plus its children: the workers), articles/s, CPU ms per
article, the time after the last item (stories and the read-model snapshot) and the speed-up of
2 workers over 1; checks that every run stored the same facts (``export`` minus ingest times).
Writes bench/out/dask.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "bench" / "out"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def worker(mode: str, file: Path, db: Path) -> dict[str, Any]:
    """One ingest in this (fresh) process; ``mode`` is plain or dask:W."""
    from steppewatch.ingest import iter_documents
    from steppewatch.pipeline import ingest_documents
    from steppewatch.store import open_store

    marks = {"last": 0.0, "n": 0}

    def on_item(origin: str, status: str) -> None:
        marks["last"] = time.perf_counter()
        marks["n"] += 1

    setup = cpu_workers = 0.0
    with open_store(db) as store:
        if mode == "plain":
            t0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
            summary = ingest_documents(store, iter_documents([file]), on_item)
            t1 = time.perf_counter()
        else:
            from steppewatch.ingest.distributed import dask_mapper

            s0 = time.perf_counter()
            with dask_mapper(f"local:{int(mode.split(':')[1])}") as mapper:
                mapper.client.run(lambda: __import__("steppewatch.pipeline"))  # workers warm, as in a long run
                setup = time.perf_counter() - s0
                t0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
                summary = ingest_documents(store, iter_documents([file]), on_item, mapper=mapper)
                t1 = time.perf_counter()
                cpu_workers = sum(mapper.client.run(time.process_time).values())
    wall = t1 - t0
    cpu_here = time.process_time() - c0  # the writer (and, with local:N, the scheduler)
    cpu = cpu_here + (_children_cpu() - k0)
    if mode != "plain":  # worker processes may outlive the rusage accounting: take their own clocks
        cpu = max(cpu, cpu_here + cpu_workers)
    n = marks["n"]
    return {"mode": mode, "n": n, "ingested": len(summary.ingested), "failed": len(summary.failed),
            "wall_s": wall, "cpu_s": cpu, "writer_cpu_s": cpu_here, "articles_per_s": n / wall,
            "cpu_ms_per_article": 1000 * cpu / n,
            "after_last_item_s": t1 - (marks["last"] or t1), "cluster_start_s": setup}


def _export(db: Path, env: dict[str, str]) -> dict[str, list[str]]:
    out = {}
    for what in ("articles", "mentions", "events", "stories"):
        text = subprocess.run([sys.executable, "-m", "steppewatch", "export", "--db", str(db), "--what", what],
                              env=env, capture_output=True, text=True, check=True).stdout
        rows = [json.loads(line) for line in text.splitlines()]
        out[what] = [json.dumps({k: v for k, v in r.items() if k != "ingested_at"}, sort_keys=True) for r in rows]
    return out


def _run(mode: str, file: Path, db: Path, pythonpath: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    proc = subprocess.run([sys.executable, __file__, "--worker", mode, "--file", str(file), "--db", str(db)],
                          env=env, capture_output=True, text=True, cwd=pythonpath)
    if proc.returncode:
        raise SystemExit(f"{mode} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _head() -> str:
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()


def _checkout(tree: Path) -> Path:
    """The files of HEAD in ``tree`` (``git archive``)."""
    tree.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="articles (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", default="1,2", help="worker counts (default: %(default)s)")
    parser.add_argument("--no-plain", action="store_true", help="skip the plain (no cluster) run")
    parser.add_argument("--baseline-rev", default=None, help="also time the plain path with the writer of this commit")
    parser.add_argument("--baseline-files", default="steppewatch/pipeline.py,steppewatch/store/db.py",
                        help="files taken from --baseline-rev (default: %(default)s)")
    parser.add_argument("--worktree", action="store_true",
                        help="run the working tree's code (default: HEAD's, from git archive)")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--file", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--db", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, Path(args.file), Path(args.db))))
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="bench_dask_"))
    try:
        file = tmp / "articles.jsonl"
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(args.n), "--out", str(file),
                        "--seed", str(args.seed)], check=True, capture_output=True)
        # every run imports the same committed code (HEAD), not the working tree, which may hold
        # other people's unfinished changes
        code = ROOT if args.worktree else _checkout(tmp / "head")
        runs: list[tuple[str, Path]] = []
        if args.baseline_rev:
            tree = _checkout(tmp / "baseline")
            for name in args.baseline_files.split(","):
                old = subprocess.run(["git", "-C", str(ROOT), "show", f"{args.baseline_rev}:{name}"],
                                     check=True, capture_output=True).stdout
                (tree / name).write_bytes(old)
            runs.append(("baseline", tree))
        if not args.no_plain:
            runs.append(("plain", code))
        runs += [(f"dask:{w}", code) for w in args.workers.split(",")]
        results, exports = [], {}
        for label, tree in runs:
            db = tmp / f"{label.replace(':', '_')}.db"
            result = _run("plain" if label == "baseline" else label, file, db, tree)
            result["mode"] = label
            results.append(result)
            exports[label] = _export(db, {**os.environ, "PYTHONPATH": str(code)})
            print(f"{label}: {result['articles_per_s']:.1f} articles/s, {result['cpu_ms_per_article']:.2f} CPU ms"
                  f"/article, wall {result['wall_s']:.1f} s", file=sys.stderr)
        by_mode = {r["mode"]: r for r in results}
        reference = next(iter(exports.values()))
        identical = {label: exp == reference for label, exp in exports.items()}
        speedup = (by_mode["dask:1"]["wall_s"] / by_mode["dask:2"]["wall_s"]
                   if "dask:1" in by_mode and "dask:2" in by_mode else None)
        report = {"n": args.n, "code": "worktree" if args.worktree else _head(), "cpus": os.cpu_count(),
                  "load_before": os.getloadavg(),
                  "python": platform.python_version(), "results": results,
                  "speedup_2_vs_1_workers": speedup, "identical_facts": identical}
        print("| run | articles/s | wall (s) | CPU (s) | of which writer (s) | CPU ms/article | after last item (s)"
              " | cluster start (s) |")
        print("|---|---|---|---|---|---|---|---|")
        for r in results:
            print(f"| {r['mode']} | {r['articles_per_s']:.1f} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} |"
                  f" {r['writer_cpu_s']:.1f} | {r['cpu_ms_per_article']:.2f} | {r['after_last_item_s']:.2f} |"
                  f" {r['cluster_start_s']:.1f} |")
        if speedup:
            print(f"\nspeed-up, 2 workers vs 1 (wall): {speedup:.2f}x")
        print(f"identical facts (articles, mentions, events, stories vs {next(iter(exports))}): {identical}")
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        (OUT_DIR / "dask.json").write_text(json.dumps(report, indent=2))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
