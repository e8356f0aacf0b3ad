"""Steppe Watch benchmarks: ingest throughput and the server-side cost of a filter change.

For each store size N (default 1k, 10k, 100k; ``--quick``: 200, 2k), in one run:

1. **bulk ingest**: N synthetic articles (bench/generate.py) through the real pipeline
   (``ingest_documents``: clean, extract, store, then story clustering) into a fresh SQLite
   file. Time spent generating the articles is excluded. When the estimated CPU time exceeds
   ``--max-ingest-s``, the store is instead built from the largest real store by duplicating
   its rows in SQL (shifted ids and dates) -- flagged ``synthetic`` in the output;
2. **filter change**: the query functions the Overview page calls on a rerun
   (data_version, headline_numbers, country_counts, visit_timeline, articles_count,
   articles_page -- each on its own read-only connection, as components/data.py does), for
   three views: unfiltered, country=KAZ + 2022-2023, then country=UZB + 2022-2023; medians of
   ``--reps`` repetitions after one warm-up. The Stories page (stories_page) is timed apart;
3. **incremental ingest**: ``--incremental`` new articles into a copy of the size-N store and
   of its read-model snapshot (what a daily ingest costs once the store is large: stories
   re-cluster the new articles' neighbourhood, the snapshot is patched), under a time and
   memory cap.

Each step runs in its own subprocess, so its peak RSS (``getrusage``) is its own. Ratios are
against the smallest size of the same run. Prints a markdown table and writes
bench/out/results.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

OUT_DIR = ROOT / "bench" / "out"
VIEWS: dict[str, dict[str, Any]] = {
    "unfiltered": {},
    "KAZ 2022-23": {"countries": ("KAZ",), "date_from": "2022-01-01", "date_to": "2023-12-31"},
    "UZB 2022-23": {"countries": ("UZB",), "date_from": "2022-01-01", "date_to": "2023-12-31"},
}
OVERVIEW_CALLS = ("data_version", "headline_numbers", "country_counts", "visit_timeline",
                  "articles_count", "articles_page")


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    shutil.rmtree(Path(str(path) + ".readmodel"), ignore_errors=True)  # its read-model snapshot


def _copy_db(path: Path, copy: Path) -> None:
    """``path`` and its read-model snapshot (as a store in use has one: a writer patches it)."""
    _remove_db(copy)
    shutil.copy(path, copy)
    if Path(str(path) + ".readmodel").is_dir():
        shutil.copytree(Path(str(path) + ".readmodel"), Path(str(copy) + ".readmodel"))


def _table_counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "mentions", "people", "events", "stories")}
    finally:
        con.close()


def _db_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")
               if p.suffix != ".lock") / 1e6


class _TimedIter:
    """Wraps an iterator and accumulates the wall and CPU time spent producing its items."""

    def __init__(self, items: Iterable[Any]) -> None:
        self._it = iter(items)
        self.seconds = 0.0
        self.cpu_seconds = 0.0

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        t, c = time.perf_counter(), time.process_time()
        try:
            return next(self._it)
        finally:
            self.seconds += time.perf_counter() - t
            self.cpu_seconds += time.process_time() - c


# -- workers (each runs in its own process) ------------------------------------------------------
def worker_ingest(db: Path, n: int, seed: int, fresh: bool) -> dict[str, Any]:
    """Ingest ``n`` generated articles into ``db``; time items and story clustering apart."""
    from generate import generate_articles

    from steppewatch.pipeline import ingest_documents
    from steppewatch.store import open_store

    if fresh:
        _remove_db(db)
    docs = _TimedIter(generate_articles(n, seed))
    marks = {"last_item": 0.0}

    def on_item(origin: str, status: str) -> None:
        marks["last_item"] = time.perf_counter()

    with open_store(db) as store:
        before = store.count("articles")
        t0, c0 = time.perf_counter(), time.process_time()
        summary = ingest_documents(store, docs, on_item)
        t1, c1 = time.perf_counter(), time.process_time()
    last = marks["last_item"] or t1
    total = t1 - t0 - docs.seconds
    cpu = c1 - c0 - docs.cpu_seconds
    return {
        "n": n, "store_before": before, "ingested": len(summary.ingested),
        "unchanged": len(summary.unchanged), "failed": len(summary.failed),
        "seconds": total, "generate_seconds": docs.seconds,
        "items_seconds": last - t0 - docs.seconds, "stories_seconds": t1 - last,
        "cpu_seconds": cpu, "articles_per_s": n / total, "ms_per_article": 1000 * total / n,
        "cpu_ms_per_article": 1000 * cpu / n,
        "peak_rss_mb": peak_rss_mb(), "tables": _table_counts(db), "db_mb": _db_mb(db),
    }


# Copy k is moved REPLICA_STRIDE_DAYS * k days back: further apart than the story window and the trip gap,
# so that no two copies of one article join one story or one trip. With a stride of one day the copies of
# each article form a chain (near-identical texts a day apart, the same visitor every day) that the
# clustering of the original never saw: the first ingest into such a store re-clustered thousands of
# copies, which no really ingested store asks for.
REPLICA_STRIDE_DAYS = 4
_SHIFT = ("CASE WHEN length({c}) = 10 THEN date({c}, '-' || (:k * " + str(REPLICA_STRIDE_DAYS)
          + ") || ' days') ELSE {c} END")
_SUFFIX = "{c} || '-d' || :k"
# Stories and trips of a copy are named as the pipeline names them (a story after its smallest article id,
# a trip after its visitor and first day), so that re-clustering a copy keeps their names: with suffixed
# names every story an ingest re-clusters was renamed, and its articles went through the snapshot patch.
_NAMED = {
    "story_id": "(SELECT sw_story_id(f.first_id || '-d' || :k) FROM story_first f WHERE f.story_id = {c})",
    "trip_id": "(SELECT sw_trip_id(t.actor_country, t.actor, date(t.first_day, '-' || (:k * "
               + str(REPLICA_STRIDE_DAYS) + ") || ' days')) FROM trip_first t WHERE t.trip_id = {c})",
}


def _name_functions(con: sqlite3.Connection) -> None:
    """The pipeline's story and trip names as SQL functions, and each original story's smallest article
    id and trip's visitor and first day (temporary tables of ``con``)."""
    from steppewatch.cluster.trips import trip_id

    con.create_function("sw_story_id", 1, lambda first: "s" + hashlib.sha256(first.encode()).hexdigest()[:11],
                        deterministic=True)
    con.create_function("sw_trip_id", 3, lambda country, actor, day: trip_id(
        (country, actor), dt.date.fromisoformat(day)), deterministic=True)
    con.execute("CREATE TEMP TABLE story_first AS SELECT story_id, min(id) AS first_id FROM src.articles"
                " WHERE story_id IS NOT NULL GROUP BY story_id")
    con.execute("CREATE UNIQUE INDEX temp.story_first_id ON story_first(story_id)")
    con.execute("CREATE TEMP TABLE trip_first AS SELECT trip_id, actor_country, actor, min(date) AS first_day"
                " FROM src.events WHERE trip_id IS NOT NULL GROUP BY trip_id")
    con.execute("CREATE UNIQUE INDEX temp.trip_first_id ON trip_first(trip_id)")


def _dup_sql(con: sqlite3.Connection, table: str, shifted: set[str], suffixed: set[str]) -> str:
    cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
    exprs = []
    for c in cols:
        q = f'src.{table}."{c}"'
        exprs.append(_SHIFT.format(c=q) if c in shifted else _NAMED[c].format(c=q) if c in _NAMED
                     else _SUFFIX.format(c=q) if c in suffixed else q)
    names = ", ".join(f'"{c}"' for c in cols)
    return f"INSERT INTO {table} ({names}) SELECT {', '.join(exprs)} FROM src.{table}"


def _relink_trips(db: Path) -> int:
    """Link the trips of the whole copied store once, as an ingest would (copies of different articles
    may now be days apart): the store an incremental ingest starts from is then one the pipeline would
    have written. Returns how many visits changed trip."""
    from steppewatch.pipeline import _trips
    from steppewatch.store import open_store

    with open_store(db) as store:
        before = dict(store.con.execute("SELECT event_id, trip_id FROM events WHERE trip_id IS NOT NULL"))
        trips = _trips(store)
        store.set_trips(trips)
    return sum(1 for event, trip in trips.items() if before.get(event) != trip) + sum(
        1 for event in before if event not in trips)


def worker_synth(base: Path, db: Path, n: int) -> dict[str, Any]:
    """Build a store of about ``n`` articles by duplicating ``base`` with shifted ids and dates."""
    from steppewatch.store.search_index import forget_index

    _remove_db(db)
    t0 = time.perf_counter()
    src = sqlite3.connect(base)
    src.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    base_n = src.execute("SELECT count(*) FROM articles").fetchone()[0]
    dst = sqlite3.connect(db)
    src.backup(dst)
    src.close()
    dst.execute("PRAGMA journal_mode=WAL")
    dst.execute("ATTACH DATABASE ? AS src", (str(base),))
    _name_functions(dst)
    plan = {
        "articles": ({"published"}, {"id", "origin", "url", "story_id", "derived_from"}),
        "mentions": (set(), {"article_id"}),
        "people": (set(), {"article_id"}),
        "events": ({"date", "date_end"}, {"event_id", "article_id", "story_id", "trip_id"}),
        "stories": ({"first_seen", "last_seen"}, {"story_id"}),
    }
    copies = max(1, round(n / base_n))
    with dst:
        for k in range(1, copies):
            for table, (shifted, suffixed) in plan.items():
                dst.execute(_dup_sql(dst, table, shifted, suffixed), {"k": k})
        forget_index(dst)  # the copies are not in the search index: the next writer (below) indexes all
    dst.execute("DETACH DATABASE src")
    dst.execute("ANALYZE")
    dst.close()
    relinked = _relink_trips(db)
    return {"n": base_n * copies, "base_n": base_n, "copies": copies, "trips_relinked": relinked,
            "seconds": time.perf_counter() - t0, "peak_rss_mb": peak_rss_mb(),
            "tables": _table_counts(db), "db_mb": _db_mb(db)}


def worker_query(db: Path, reps: int) -> dict[str, Any]:
    """Median time of each query a page calls, per view, each on a fresh read-only connection."""
    from steppewatch import settings
    from steppewatch.query import queries
    from steppewatch.query.filters import Filters
    from steppewatch.store import open_store

    def call(fn: Callable[..., Any], *args: Any) -> tuple[float, float]:
        t, c = time.perf_counter(), time.process_time()
        store = open_store(db, read_only=True)
        try:
            fn(store, *args)
        finally:
            store.close()
        return time.perf_counter() - t, time.process_time() - c

    page = settings.PAGE_SIZE
    views = {}
    for name, spec in VIEWS.items():
        f = Filters(countries=spec.get("countries", ()),
                    date_from=dt.date.fromisoformat(spec["date_from"]) if "date_from" in spec else None,
                    date_to=dt.date.fromisoformat(spec["date_to"]) if "date_to" in spec else None)
        steps: dict[str, tuple[Callable[..., Any], tuple[Any, ...]]] = {
            "data_version": (queries.data_version, ()),
            "headline_numbers": (queries.headline_numbers, (f,)),
            "country_counts": (queries.country_counts, (f, "mentions")),
            "visit_timeline": (queries.visit_timeline, (f,)),
            "articles_count": (queries.articles_count, (f,)),
            "articles_page": (queries.articles_page, (f, page, 0)),
            "stories_page": (queries.stories_page, (f, page, 0)),
        }
        samples: dict[str, list[float]] = {k: [] for k in steps}
        totals: list[float] = []
        cpu_totals: list[float] = []
        for rep in range(reps + 1):  # the first round warms the page cache
            round_total = round_cpu = 0.0
            for key, (fn, args) in steps.items():
                seconds, cpu = call(fn, *args)
                if key in OVERVIEW_CALLS:
                    round_total += seconds
                    round_cpu += cpu
                if rep:
                    samples[key].append(seconds)
            if rep:
                totals.append(round_total)
                cpu_totals.append(round_cpu)
        with open_store(db, read_only=True) as store:
            matched = queries.articles_count(store, f)
        views[name] = {
            "matched_articles": matched,
            "overview_ms": 1000 * statistics.median(totals),
            "overview_ms_min_max": [1000 * min(totals), 1000 * max(totals)],
            "overview_cpu_ms": 1000 * statistics.median(cpu_totals),
            "calls_ms": {k: 1000 * statistics.median(v) for k, v in samples.items()},
        }
    return {"reps": reps, "views": views, "peak_rss_mb": peak_rss_mb()}


# -- the driver ---------------------------------------------------------------------------------
def _limit_memory(mb: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (mb * 1024 * 1024, mb * 1024 * 1024))
    return apply


def run_worker(args: list[str], timeout: float | None = None,
               memory_mb: int | None = None) -> dict[str, Any]:
    """Run one worker step in a subprocess; return its JSON result (or an error record)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", *args]
    t = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                              preexec_fn=_limit_memory(memory_mb) if memory_mb else None)
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish within {timeout:.0f} s",
                "seconds": time.perf_counter() - t}
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"error": f"exit {proc.returncode}: {tail[:300]}", "seconds": time.perf_counter() - t}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _progress(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run(sizes: list[int], reps: int, incremental: int, max_ingest_s: float,
        incr_timeout: float, memory_mb: int, seed: int, keep: bool) -> dict[str, Any]:
    """All steps for all sizes; returns the results document."""
    store_dir = OUT_DIR / "stores"
    store_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version(), "sqlite": sqlite3.sqlite_version},
        "settings": {"sizes": sizes, "reps": reps, "incremental": incremental,
                     "max_ingest_s": max_ingest_s, "seed": seed},
        "sizes": {},
    }
    real: list[tuple[int, Path, float]] = []  # (n, store, CPU ms per article) of real ingests
    for n in sizes:
        db = store_dir / f"store_{n}.db"
        entry: dict[str, Any] = {}
        estimate = None
        if real:
            # per-article cost may grow with the store (clustering): extrapolate the last growth. CPU time,
            # not wall time: a busy machine must not switch a run from real to replicated ingest
            ms = real[-1][2]
            growth = ms / real[-2][2] if len(real) > 1 else 1.0
            estimate = ms / 1000 * n * max(growth, 1.0)
        if estimate is None or estimate <= max_ingest_s:
            _progress(f"ingest {n} articles (estimate {estimate or 0:.0f} s)")
            entry["ingest"] = run_worker(["ingest", str(db), str(n), str(seed), "1"])
            if "error" not in entry["ingest"]:
                real.append((n, db, entry["ingest"]["cpu_ms_per_article"]))
        else:
            base_n, base_db, _ = real[-1]
            _progress(f"ingest of {n} estimated at {estimate:.0f} CPU s > {max_ingest_s:.0f} s: "
                      f"building it from the {base_n} store by SQL duplication")
            entry["ingest"] = {"skipped": True, "estimate_seconds": estimate}
            entry["synthetic"] = run_worker(["synth", str(base_db), str(db), str(n)])
        _progress(f"queries on the {n} store")
        entry["query"] = run_worker(["query", str(db), str(reps)])
        if incremental:
            copy = store_dir / f"store_{n}_incr.db"
            _copy_db(db, copy)
            _progress(f"incremental ingest of {incremental} articles into the {n} store")
            entry["incremental"] = run_worker(["ingest", str(copy), str(incremental),
                                               str(seed + 1_000_003), "0"],
                                              timeout=incr_timeout, memory_mb=memory_mb)
            _remove_db(copy)
        results["sizes"][str(n)] = entry
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        (OUT_DIR / "results.json").write_text(json.dumps(results, indent=2))
    if not keep:
        for n in sizes:
            _remove_db(store_dir / f"store_{n}.db")
    return results


def _fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _ratio(value: float | None, base: float | None) -> str:
    return "—" if value is None or not base else f"{value / base:.2f}×"


def markdown(results: dict[str, Any]) -> str:
    """The results as markdown tables (ratios against the smallest size)."""
    sizes = list(results["sizes"])
    rows = results["sizes"]
    base = rows[sizes[0]]
    lines = [f"Run {results['date']} — {results['machine']['cpus']} CPUs, Python "
             f"{results['machine']['python']}, SQLite {results['machine']['sqlite']}", "",
             "**Bulk ingest** (N articles into an empty store; ratio = per-article cost / "
             f"per-article cost at {sizes[0]}, wall clock and CPU time)", "",
             "| N | articles/s | ms/article | ratio | CPU ms/article | CPU ratio | of which stories (s) "
             "| peak RSS (MB) | store (MB) |",
             "|---|---|---|---|---|---|---|---|---|"]
    b_ms = base["ingest"].get("ms_per_article")
    b_cpu = base["ingest"].get("cpu_ms_per_article")
    for n in sizes:
        ing = rows[n]["ingest"]
        if ing.get("skipped"):
            syn = rows[n].get("synthetic", {})
            lines.append(f"| {int(n):,} | not run (estimated {ing['estimate_seconds']:.0f} s) — store built "
                         f"by SQL duplication of the {syn.get('base_n', '?'):,}-article store "
                         f"×{syn.get('copies', '?')} in {_fmt(syn.get('seconds'))} s | | | | | | "
                         f"{_fmt(syn.get('peak_rss_mb'), 0)} | {_fmt(syn.get('db_mb'), 0)} |")
        elif "error" in ing:
            lines.append(f"| {int(n):,} | error: {ing['error']} | | | | | | | |")
        else:
            lines.append(f"| {int(n):,} | {_fmt(ing['articles_per_s'])} | {_fmt(ing['ms_per_article'], 2)} | "
                         f"{_ratio(ing['ms_per_article'], b_ms)} | {_fmt(ing['cpu_ms_per_article'], 2)} | "
                         f"{_ratio(ing['cpu_ms_per_article'], b_cpu)} | {_fmt(ing['stories_seconds'], 2)} | "
                         f"{_fmt(ing['peak_rss_mb'], 0)} | {_fmt(ing['db_mb'], 0)} |")
    if any("incremental" in rows[n] for n in sizes):
        inc0 = base.get("incremental", {}).get("ms_per_article")
        lines += ["", "**Incremental ingest** (new articles into the size-N store; stories re-cluster the "
                  "new articles' neighbourhood)", "",
                  "| store N | new articles | total (s) | ms/article | ratio | CPU ms/article "
                  "| of which stories (s) | peak RSS (MB) |", "|---|---|---|---|---|---|---|---|"]
        for n in sizes:
            inc = rows[n].get("incremental")
            if not inc:
                continue
            if "error" in inc:
                lines.append(f"| {int(n):,} | {results['settings']['incremental']} | "
                             f"{inc['error']} | | | | | |")
                continue
            lines.append(f"| {int(n):,} | {inc['n']} | {_fmt(inc['seconds'], 2)} | "
                         f"{_fmt(inc['ms_per_article'], 1)} | {_ratio(inc['ms_per_article'], inc0)} | "
                         f"{_fmt(inc['cpu_ms_per_article'], 1)} | "
                         f"{_fmt(inc['stories_seconds'], 2)} | {_fmt(inc['peak_rss_mb'], 0)} |")
    lines += ["", "**Filter change, server side** (Overview page calls: data_version, headline_numbers, "
              "country_counts, visit_timeline, articles_count, articles_page; each on a fresh "
              f"read-only connection; median of {results['settings']['reps']} reps; ratio vs "
              f"{sizes[0]})", "",
              "| store N | view | matched articles | overview total (ms) | ratio | CPU (ms) | CPU ratio "
              "| slowest call (ms) | stories_page (ms) | peak RSS (MB) |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for n in sizes:
        q = rows[n]["query"]
        if "error" in q:
            lines.append(f"| {int(n):,} | error: {q['error']} | | | | | | | | |")
            continue
        for view, v in q["views"].items():
            bv = base["query"].get("views", {}).get(view, {})
            b, bc = bv.get("overview_ms"), bv.get("overview_cpu_ms")
            calls = {k: ms for k, ms in v["calls_ms"].items() if k in OVERVIEW_CALLS}
            slow = max(calls, key=calls.__getitem__)
            label = f"{int(n):,}" + (" (synthetic)" if "synthetic" in rows[n] else "")
            lines.append(f"| {label} | {view} | {v['matched_articles']:,} | {_fmt(v['overview_ms'])} | "
                         f"{_ratio(v['overview_ms'], b)} | {_fmt(v['overview_cpu_ms'])} | "
                         f"{_ratio(v['overview_cpu_ms'], bc)} | {slow} {_fmt(calls[slow])} | "
                         f"{_fmt(v['calls_ms']['stories_page'])} | {_fmt(q['peak_rss_mb'], 0)} |")
    if any("synthetic" in rows[n] for n in sizes):
        lines += ["", "Sizes marked synthetic were NOT ingested through the pipeline: their store is "
                  "the largest real store duplicated in SQL (ids suffixed, copy k dated 4k days earlier)."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated store sizes")
    parser.add_argument("--quick", action="store_true", help="sizes 200,2000")
    parser.add_argument("--reps", type=int, default=7, help="query repetitions (median)")
    parser.add_argument("--incremental", type=int, default=100,
                        help="articles for the incremental ingest (0: skip)")
    parser.add_argument("--max-ingest-s", type=float, default=900,
                        help="above this estimated CPU time (s) a store is built by SQL duplication")
    parser.add_argument("--incr-timeout", type=float, default=600,
                        help="seconds before an incremental ingest is abandoned")
    parser.add_argument("--memory-mb", type=int, default=8000,
                        help="address-space cap of the incremental ingest process")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the stores in bench/out/stores")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        kind, *rest = args.worker
        if kind == "ingest":
            out = worker_ingest(Path(rest[0]), int(rest[1]), int(rest[2]), rest[3] == "1")
        elif kind == "synth":
            out = worker_synth(Path(rest[0]), Path(rest[1]), int(rest[2]))
        else:
            out = worker_query(Path(rest[0]), int(rest[1]))
        print(json.dumps(out))
        return 0

    sizes = [200, 2000] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    with contextlib.suppress(KeyboardInterrupt):
        results = run(sizes, args.reps, args.incremental, args.max_ingest_s, args.incr_timeout,
                      args.memory_mb, args.seed, args.keep)
        text = markdown(results)
        (OUT_DIR / "results.md").write_text(text + "\n")
        print(text)
        print(f"\nwrote {OUT_DIR / 'results.json'}")
        return 0
    return 130


if __name__ == "__main__":
    raise SystemExit(main())
