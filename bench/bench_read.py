"""The read side at scale: a filter change on the Overview, SQL path vs read model, in one run.

1. A **base store** of ``--base`` generated articles really ingested (bench/generate.py through
   ``ingest_documents``), kept in bench/out/stores/ and reused when it exists.
2. Stores of each ``--sizes`` built from it by **replication** (``run_bench.worker_synth``: rows
   copied in SQL with suffixed ids, copy k dated 4k days earlier), marked *replicated* in the output:
   really ingesting a million articles takes hours here.
3. Per size, in a fresh subprocess (its own peak RSS):
   - read model: built from SQLite (s), snapshot written (s), snapshot loaded as at a cold start (s),
     RSS with the model loaded;
   - a **filter change**: everything the Overview computes on a rerun -- data_version, headline
     numbers, country counts (the view's metric), the timeline (its rows and figure, or its monthly
     summary above ``settings.TIMELINE_DETAIL_MAX`` events), the article count and first page, the
     choropleth -- for ``--views`` views (countries, date windows, sources,
     event types, combined; the same list at every size), each timed once after one warm-up round;
     p50 / p95 / max in ms, wall and CPU;
   - the same views as the page computed them before the read model: the SQL queries
     (``steppewatch.query.queries``), the shapes inside the map figure and the latest 2,000 events
     drawn one by one, at sizes up to
     ``--sql-max`` (the baseline of the ratios).

    .venv/bin/python bench/bench_read.py --base 2000 --sizes 20000,100000 --views 12   # about 3 min
    .venv/bin/python bench/bench_read.py --base 5000 --sizes 100000,1000000            # the issue's table

Prints a markdown table and writes bench/out/read.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

OUT = ROOT / "bench" / "out"
STORES = OUT / "stores"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 1e6


def views(n: int, seed: int = 5) -> list[dict[str, Any]]:
    """The filter changes timed: the same list at every size (deterministic)."""
    rng = random.Random(seed)
    countries = ["KAZ", "UZB", "KGZ", "TJK", "TKM", "CHN", "RUS", "AFG", "IRN", "USA", "TUR", "IND"]
    metrics = ["mentions", "focus", "events", "visits"]
    out: list[dict[str, Any]] = [{}]
    while len(out) < n:
        spec: dict[str, Any] = {"metric": rng.choice(metrics)}
        kind = len(out) % 5
        if kind in (0, 1, 3):
            spec["countries"] = tuple(sorted(rng.sample(countries, rng.choice([1, 1, 2]))))
        if kind in (1, 2, 3):
            year = rng.randint(2019, 2024)
            spec["date_from"] = f"{year}-{rng.randint(1, 12):02d}-01"
            spec["date_to"] = f"{year + rng.randint(0, 1)}-12-31"
        if kind == 4:
            spec["event_types"] = (rng.choice(["visit", "meeting", "call"]),)
        out.append(spec)
    return out


def _filters(spec: dict[str, Any]) -> Any:
    from steppewatch.query.filters import Filters

    return Filters(countries=spec.get("countries", ()), event_types=spec.get("event_types", ()),
                   date_from=dt.date.fromisoformat(spec["date_from"]) if "date_from" in spec else None,
                   date_to=dt.date.fromisoformat(spec["date_to"]) if "date_to" in spec else None,
                   metric=spec.get("metric", "mentions"))


def _timed(fn: Callable[[], Any]) -> tuple[float, float]:
    t, c = time.perf_counter(), time.process_time()
    fn()
    return 1000 * (time.perf_counter() - t), 1000 * (time.process_time() - c)


def _summary(samples: list[tuple[float, float]]) -> dict[str, float]:
    wall = sorted(s[0] for s in samples)
    cpu = sorted(s[1] for s in samples)

    def p(values: list[float], q: float) -> float:
        return values[min(len(values) - 1, round(q * (len(values) - 1)))]

    return {"p50_ms": statistics.median(wall), "p95_ms": p(wall, 0.95), "max_ms": wall[-1],
            "cpu_p50_ms": statistics.median(cpu), "cpu_p95_ms": p(cpu, 0.95)}


def worker_build(db: Path) -> dict[str, Any]:
    """A full build of the model from SQLite and its snapshot (what the first ingest of a store pays)."""
    import shutil

    from steppewatch.query import readmodel
    from steppewatch.store import open_store

    shutil.rmtree(readmodel.snapshot_dir(db), ignore_errors=True)
    with open_store(db) as store:
        readmodel.ensure_journal(store.con)  # replicated stores may have none: later writes are journaled
        t, c = time.perf_counter(), time.process_time()
        built = readmodel.build(store)
        result = {"build_s": time.perf_counter() - t, "build_cpu_s": time.process_time() - c}
        t = time.perf_counter()
        readmodel.save(built, readmodel.snapshot_dir(db))
        result["save_s"] = time.perf_counter() - t
        readmodel.trim_journal(store.con, built.change_seq)
    result["build_peak_rss_mb"] = _rss_mb()
    return result


def worker_incremental(db: Path, n: int) -> dict[str, Any]:
    """``n`` new articles into the store through the real pipeline: CPU in all, and in the snapshot patch."""
    from generate import generate_articles

    from steppewatch.pipeline import ingest_documents
    from steppewatch.query import queries, readmodel, snapshot
    from steppewatch.store import open_store

    docs = list(generate_articles(n, seed=4242))
    spent = {"snapshot_cpu_s": 0.0, "snapshot_s": 0.0}
    original = snapshot.after_ingest

    def timed_hook(store: Any) -> None:
        t, c = time.perf_counter(), time.process_time()
        original(store)
        spent["snapshot_cpu_s"] += time.process_time() - c
        spent["snapshot_s"] += time.perf_counter() - t

    snapshot.after_ingest = timed_hook
    with open_store(db) as store:
        t, c = time.perf_counter(), time.process_time()
        summary = ingest_documents(store, docs)
        result = {"new_articles": len(summary.ingested), "seconds": time.perf_counter() - t,
                  "cpu_s": time.process_time() - c, **spent}
        version = queries.data_version(store)
    result["snapshot_current"] = readmodel.load_snapshot(db, version) is not None
    result["peak_rss_mb"] = _rss_mb()
    return result


def worker(db: Path, n_views: int, sql: bool) -> dict[str, Any]:
    """A cold start (the snapshot memory-mapped) and the filter changes (model, and SQL if asked)."""
    from components.figures import build_choropleth, build_timeline, build_timeline_summary, load_geojson
    from steppewatch import settings
    from steppewatch.query import queries, readmodel
    from steppewatch.store import open_store

    result: dict[str, Any] = {"rss_start_mb": _current_rss_mb()}
    with open_store(db, read_only=True) as store:
        version = queries.data_version(store)
    t = time.perf_counter()
    model = readmodel.load_snapshot(db, version)
    result["load_s"] = time.perf_counter() - t
    assert model is not None, "no snapshot of the store's version"
    result["rss_model_mb"] = _current_rss_mb()
    result["articles"], result["events"] = model.n_articles, model.n_events
    geojson = load_geojson(settings.REGION_GEOJSON)
    page = settings.PAGE_SIZE

    def overview_model(f: Any) -> None:
        """What views/overview.py computes: a summarised timeline above TIMELINE_DETAIL_MAX events."""
        with open_store(db, read_only=True) as store:
            queries.data_version(store)
            model.headline_numbers(f)
            counts = model.country_counts(f, f.metric)
            n_events = model.timeline_ids(f, 0)[1]
            detail = 0 < n_events <= settings.TIMELINE_DETAIL_MAX
            events = readmodel.visit_timeline(model, store, f) if detail else None
            model.articles_count(f)
            readmodel.articles_page(model, store, f, page, 0)
        build_choropleth(counts, settings.REGION_GEOJSON_URL, f.metric, f.countries)  # the shapes by URL
        if events is not None and not events.empty:
            build_timeline(events)
        elif n_events:
            build_timeline_summary(model.visitor_summary(f, settings.TIMELINE_ROWS, ("occurred", "planned"))[0])

    def overview_sql(f: Any) -> None:
        with open_store(db, read_only=True) as store:
            queries.data_version(store)
            queries.headline_numbers(store, f)
            counts = queries.country_counts(store, f, f.metric)
            events = queries.visit_timeline(store, f)
            queries.articles_count(store, f)
            queries.articles_page(store, f, page, 0)
        build_choropleth(counts, geojson, f.metric, f.countries)
        if not events.empty:
            build_timeline(events)

    specs = views(n_views)
    paths = {"model": overview_model, **({"sql": overview_sql} if sql else {})}
    for name, fn in paths.items():
        fn(_filters(specs[0]))  # warm-up: page cache, imports
        samples = [_timed(lambda s=s, fn=fn: fn(_filters(s))) for s in specs]
        result[name] = _summary(samples)
        # the queries alone (no figures), to see where the time goes
        if name == "model":
            def queries_only(f: Any) -> None:
                model.headline_numbers(f)
                model.country_counts(f, f.metric)
                model.timeline_ids(f)
                model.articles_count(f)
                model.article_page_ids(f, page, 0)
            result["model_masks_only"] = _summary([_timed(lambda s=s: queries_only(_filters(s))) for s in specs])
    result["rss_after_mb"] = _current_rss_mb()
    result["peak_rss_mb"] = _rss_mb()
    return result


def _run(args: list[str], timeout: float = 7200) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=int, default=5000, help="articles really ingested (5000)")
    parser.add_argument("--sizes", default="100000,1000000", help="replicated store sizes")
    parser.add_argument("--views", type=int, default=40, help="filter changes timed per size (40)")
    parser.add_argument("--sql-max", type=int, default=100000, help="largest size also timed through SQL")
    parser.add_argument("--incremental", type=int, default=100, help="new articles ingested at the end (100)")
    parser.add_argument("--keep", action="store_true", help="keep the replicated stores (with the new articles)")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--build-worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--incr-worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--sql", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.views, args.sql)))
        return 0
    if args.build_worker:
        print(json.dumps(worker_build(args.build_worker)))
        return 0
    if args.incr_worker:
        print(json.dumps(worker_incremental(args.incr_worker, args.incremental)))
        return 0
    import run_bench

    STORES.mkdir(parents=True, exist_ok=True)
    base = STORES / f"base-{args.base}.db"
    report: dict[str, Any] = {"at": dt.datetime.now().isoformat(timespec="seconds"), "base": args.base,
                              "sizes": {}}
    if not base.exists():
        print(f"ingesting the base store ({args.base} articles)...", file=sys.stderr)
        report["base_ingest"] = run_bench.worker_ingest(base, args.base, 0, True)
    for size in [int(s) for s in args.sizes.split(",")]:
        db = STORES / f"replicated-{size}-from-{args.base}.db"
        if not db.exists():
            print(f"replicating to {size}...", file=sys.stderr)
            report["sizes"].setdefault(str(size), {})["replicate"] = run_bench.worker_synth(base, db, size)
        entry = report["sizes"].setdefault(str(size), {})
        print(f"building the model of {size}...", file=sys.stderr)
        entry.update(_run(["--build-worker", str(db)]))
        print(f"timing {size}...", file=sys.stderr)
        entry.update(_run(["--worker", str(db), "--views", str(args.views),
                           *(["--sql"] if size <= args.sql_max else [])]))
        if args.incremental:
            print(f"{args.incremental} new articles into {size}...", file=sys.stderr)
            entry["incremental"] = _run(["--incr-worker", str(db), "--incremental", str(args.incremental)])
            if not args.keep:  # it holds the new articles now: the next run replicates afresh
                for suffix in ("", "-wal", "-shm", ".lock"):
                    Path(str(db) + suffix).unlink(missing_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "read.json").write_text(json.dumps(report, indent=2))
    print(markdown(report))
    return 0


def markdown(report: dict[str, Any]) -> str:
    lines = ["| store (replicated) | articles | events | model build CPU (s) | snapshot load (s) | RSS with model (MB) "
             "| filter change p50 / p95 (ms), model | CPU p95 (ms) | masks only p95 (ms) | SQL p50 / p95 (ms) "
             "| p95 ratio SQL / model | 100 new articles: CPU (s), of which snapshot |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for size, r in report["sizes"].items():
        m, s = r.get("model", {}), r.get("sql")
        ratio = f"{s['p95_ms'] / m['p95_ms']:.1f}×" if s and m else "–"
        sql = f"{s['p50_ms']:.0f} / {s['p95_ms']:.0f}" if s else "–"
        masks = r.get("model_masks_only", {}).get("p95_ms", 0)
        inc = r.get("incremental")
        incr = f"{inc['cpu_s']:.1f}, {inc['snapshot_cpu_s']:.1f}" if inc else "–"
        lines.append(
            f"| {int(size):,} | {r.get('articles', 0):,} | {r.get('events', 0):,} | {r.get('build_cpu_s', 0):.1f} "
            f"| {r.get('load_s', 0):.2f} | {r.get('rss_model_mb', 0):.0f} | {m.get('p50_ms', 0):.0f} / "
            f"{m.get('p95_ms', 0):.0f} | {m.get('cpu_p95_ms', 0):.0f} | {masks:.0f} | {sql} | {ratio} | {incr} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
