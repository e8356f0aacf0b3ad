"""CPU ms per article of the extractor, before (a baseline commit) and after (this checkout), in one run.

The baseline is checked out in a temporary git worktree (``git worktree add --detach``, removed at the
end). Both trees are measured in the same run, alternating (baseline, current, baseline, current, ...)
so that machine noise hits both alike. Every (tree, corpus, rep) runs in its own fresh subprocess whose
``sys.path[0]`` is that tree's root, so the two trees' imports never mix.

In a worker: 20 warm-up documents are processed first and discarded (first use loads gazetteers and
tables); then, for every document, ``time.process_time()`` is read around

(a) ``steppewatch.pipeline.process(doc)`` (clean + extract), and
(b) ``default_extractor().run(article)`` after ``clean_document(doc)`` outside the timed section
    (the extraction alone).

Corpora (the same documents for both trees, built once by this process from the current tree):

- ``synthetic``: ``bench/generate.py`` ``generate_articles(n, seed=0)``;
- ``visits_dev``: the real texts of ``tests/fixtures/visits_dev/texts`` (else ``../shared/eval/visits_dev/
  texts``) as the bulk rows the eval ingests (url, source, first line as title, published, en): official
  releases and records, long and event-dense, the worst case;
- ``seeds``: the two raw seed articles in ``tests/fixtures/seeds``, as a file ingest reads them;
- ``multilingual``: the mention gold sentences (``bench/mentions_gold``: ru, zh, en, kk, uz) and
  ``bench/multilingual_gold.jsonl``, each with its language: short, name-dense, the gazetteer's worst case.

The warm-up documents are ``generate_articles(20, seed=1)``, never a measured document.

Per (tree, corpus) the result is the median over reps of each rep's mean (and median) CPU ms per article;
the ratio is after / before. Prints a markdown table and writes ``bench/out/extract.json``.

    .venv/bin/python bench/bench_extract.py                      # n=1000, reps 3, baseline b455579
    .venv/bin/python bench/bench_extract.py --n 200 --reps 1 --corpora synthetic,seeds
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
DEFAULT_BASELINE = "b455579"
CORPORA = ("synthetic", "visits_dev", "seeds", "multilingual")
WARMUP = 20
MIN_TIMED = 50  # a corpus smaller than this (the 2 seeds) is run several times in a worker
LIMIT = 2.0  # the issue: the new extractor may cost at most 2x today's per-article CPU

Doc = dict[str, Any]  # {"origin": str, "text": str, "meta": {str: str}}: a RawDocument, tree-neutral


# -- corpora (built in the parent, from the current tree) ----------------------------------------------------

def _generate_module() -> Any:
    import importlib.util

    if "_sw_bench_generate" in sys.modules:
        return sys.modules["_sw_bench_generate"]
    spec = importlib.util.spec_from_file_location("_sw_bench_generate", BENCH / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def _plain(raw: Any) -> Doc:
    return {"origin": raw.origin, "text": raw.data.decode("utf-8"), "meta": dict(raw.meta)}


def synthetic_docs(n: int, seed: int = 0) -> list[Doc]:
    """``generate_articles(n, seed)`` of the current tree's bench/generate.py, as plain dicts."""
    return [_plain(raw) for raw in _generate_module().generate_articles(n, seed=seed)]


def visits_dev_dir(root: Path = ROOT) -> Path | None:
    for texts in (root / "tests/fixtures/visits_dev/texts", root.parent / "shared/eval/visits_dev/texts"):
        if texts.is_dir() and any(texts.glob("*.txt")):
            return texts
    return None


def visits_dev_docs(texts: Path) -> list[Doc]:
    """Each text as the bulk JSONL row the visits_dev eval ingests (url or https://dev.invalid/ID,
    source[:60], first line as title, published from gold.json, language en)."""
    gold_path = texts.parent / "gold.json"
    gold: dict[str, dict[str, Any]] = {}
    if gold_path.exists():
        for article in json.loads(gold_path.read_text(encoding="utf-8")).get("articles", []):
            gold[Path(str(article.get("file") or article.get("id"))).stem] = article
    docs = []
    for path in sorted(texts.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        article = gold.get(path.stem, {})
        url = article.get("url") or f"https://dev.invalid/{article.get('id') or path.stem}"
        meta = {"url": url, "source": (article.get("source") or "visits_dev")[:60],
                "title": text.partition("\n")[0].strip(), "published": article.get("published") or "",
                "language": article.get("language") or "en"}
        meta = {k: v for k, v in meta.items() if v}
        meta.update(content_type="text/plain", charset="utf-8")
        docs.append({"origin": url, "text": text, "meta": meta})
    return docs


def seed_docs(root: Path = ROOT) -> list[Doc]:
    """The raw seed files as a file ingest reads them (origin = absolute path, text/plain)."""
    return [{"origin": str(path.resolve()), "text": path.read_text(encoding="utf-8"),
             "meta": {"content_type": "text/plain"}}
            for path in sorted((root / "tests/fixtures/seeds").glob("*.txt"))]


def multilingual_docs() -> list[Doc]:
    """The mention gold sentences (ru, zh, en, kk, uz; bench/mentions_gold) and bench/multilingual_gold.jsonl,
    each with its language, as bulk rows."""
    rows = []
    for path in (*sorted((BENCH / "mentions_gold").glob("*.jsonl")), BENCH / "multilingual_gold.jsonl"):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{"origin": f"https://multilingual.invalid/{row['id']}", "text": row["text"],
             "meta": {"language": row["language"], "content_type": "text/plain", "charset": "utf-8"}}
            for row in rows]


def build_corpora(names: Iterable[str], n: int) -> dict[str, list[Doc]]:
    corpora: dict[str, list[Doc]] = {}
    for name in names:
        if name == "synthetic":
            corpora[name] = synthetic_docs(n)
        elif name == "visits_dev":
            texts = visits_dev_dir()
            if texts is None:
                print("visits_dev texts not found: corpus skipped", file=sys.stderr)
                continue
            corpora[name] = visits_dev_docs(texts)
        elif name == "seeds":
            corpora[name] = seed_docs()
        elif name == "multilingual":
            corpora[name] = multilingual_docs()
        else:
            raise SystemExit(f"unknown corpus {name!r} (known: {', '.join(CORPORA)})")
    return corpora


# -- measurement (runs in a worker, or in process for the current tree) ---------------------------------------

def measure(docs: list[Doc], warmup_docs: list[Doc], passes: int = 1) -> dict[str, Any]:
    """CPU ms per article of the ``steppewatch`` importable here: whole ``process()`` and extraction alone.

    Every document is processed twice, interleaved: once through ``pipeline.process`` (timed whole),
    once as ``clean_document`` (untimed) then ``default_extractor().run`` (timed). With ``passes`` > 1
    (tiny corpora) the corpus is run that many times and each document's time is its mean over passes.
    """
    from steppewatch import pipeline
    from steppewatch.clean.article import clean_document
    from steppewatch.extract import default_extractor
    from steppewatch.models import RawDocument

    def raw(d: Doc) -> RawDocument:
        return RawDocument(d["origin"], d["text"].encode("utf-8"), dict(d["meta"]))

    t0 = time.process_time()
    extractor = default_extractor()
    for d in warmup_docs:
        pipeline.process(raw(d))
    warmup_s = time.process_time() - t0

    clock = time.process_time
    whole, extract = [0.0] * len(docs), [0.0] * len(docs)
    events = mentions = words = 0
    for p in range(passes):
        for i, d in enumerate(docs):
            doc = raw(d)
            start = clock()
            processed = pipeline.process(doc)
            whole[i] += (clock() - start) * 1000 / passes
            article = clean_document(raw(d))
            start = clock()
            extractor.run(article)
            extract[i] += (clock() - start) * 1000 / passes
            if p == 0:
                events += len(processed.events)
                mentions += len(processed.mentions)
                words += len(article.text.split())
    n = len(docs) or 1
    return {"n": len(docs), "passes": passes, "warmup_docs": len(warmup_docs), "warmup_cpu_s": round(warmup_s, 3),
            "whole_ms": whole, "extract_ms": extract,
            "whole_mean": statistics.fmean(whole) if whole else 0.0,
            "whole_median": statistics.median(whole) if whole else 0.0,
            "extract_mean": statistics.fmean(extract) if extract else 0.0,
            "extract_median": statistics.median(extract) if extract else 0.0,
            "events_per_article": events / n, "mentions_per_article": mentions / n,
            "words_per_article": words / n}


def _worker(tree: Path, corpus_file: Path, corpus: str) -> int:
    """Entry point of a worker subprocess: import ``tree``'s steppewatch, measure one corpus, print JSON."""
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    sys.path.insert(0, str(tree))
    import steppewatch

    found = Path(steppewatch.__file__).resolve()
    if not found.is_relative_to(tree.resolve()):
        raise SystemExit(f"imported steppewatch from {found}, expected under {tree}")
    data = json.loads(corpus_file.read_text(encoding="utf-8"))
    docs = data["corpora"][corpus]
    result = measure(docs, data["warmup"], passes=max(1, -(-MIN_TIMED // max(len(docs), 1))))
    import resource

    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["steppewatch"] = str(found.parent)
    print(json.dumps(result))
    return 0


def _run_worker(tree: Path, corpus_file: Path, corpus: str) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(tree),
           "--corpus-file", str(corpus_file), "--corpus", corpus]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSTARTUP")}
    env["PYTHONHASHSEED"] = "0"
    done = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"worker {tree} {corpus} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- git -------------------------------------------------------------------------------------------------------

def _git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def _tree_info(tree: Path) -> dict[str, Any]:
    head = _git("rev-parse", "HEAD", cwd=tree)
    dirty = _git("status", "--porcelain", "--", "steppewatch", cwd=tree)
    return {"path": str(tree), "commit": head, "short": head[:7],
            "subject": _git("log", "-1", "--format=%s", cwd=tree)[:100],
            "steppewatch_dirty": [line[3:] for line in dirty.splitlines()]}


# -- the run ---------------------------------------------------------------------------------------------------

def _summary(reps: list[dict[str, Any]]) -> dict[str, Any]:
    return {key: statistics.median(r[key] for r in reps)
            for key in ("whole_mean", "whole_median", "extract_mean", "extract_median",
                        "events_per_article", "mentions_per_article", "words_per_article", "peak_rss_mb")}


def _tail(values: list[float]) -> dict[str, float]:
    if len(values) < 2:
        return {"p90": max(values, default=0.0), "max": max(values, default=0.0)}
    return {"p90": statistics.quantiles(values, n=10, method="inclusive")[-1], "max": max(values)}


def run(baseline: str, n: int, reps: int, corpora_names: list[str], out: Path,
        after_ref: str | None = None) -> dict[str, Any]:
    """Measure ``baseline`` (a worktree) and this checkout (or ``after_ref``, a second worktree)."""
    started = time.time()
    corpora = build_corpora(corpora_names, n)
    warmup = synthetic_docs(WARMUP, seed=1)
    results: dict[str, Any] = {"when": dt.datetime.now().isoformat(timespec="seconds"), "baseline_ref": baseline,
                               "after_ref": after_ref or "working tree", "n_synthetic": n, "reps": reps,
                               "warmup_docs": WARMUP, "python": sys.version.split()[0], "cpus": os.cpu_count(),
                               "loadavg_start": os.getloadavg(), "limit": LIMIT}
    with tempfile.TemporaryDirectory(prefix="sw-bench-extract-") as tmp:
        corpus_file = Path(tmp) / "corpora.json"
        corpus_file.write_text(json.dumps({"corpora": corpora, "warmup": warmup}), encoding="utf-8")
        trees = {"before": Path(tmp) / "before", "after": Path(tmp) / "after" if after_ref else ROOT}
        added: list[Path] = []
        try:
            for label, ref in (("before", baseline), ("after", after_ref)):
                if ref:
                    _git("worktree", "add", "--detach", str(trees[label]), ref)
                    added.append(trees[label])
            results["trees"] = {label: _tree_info(path) for label, path in trees.items()}
            runs: dict[str, dict[str, list[dict[str, Any]]]] = {c: {"before": [], "after": []} for c in corpora}
            for rep in range(reps):
                for corpus in corpora:
                    for label, tree in trees.items():  # A B A B ...: both trees under the same load
                        t0 = time.time()
                        result = _run_worker(tree, corpus_file, corpus)
                        runs[corpus][label].append(result)
                        print(f"rep {rep + 1}/{reps} {corpus:<10} {label:<6} {result['n']:>5} docs "
                              f"process {result['whole_mean']:7.2f} ms/article (median {result['whole_median']:.2f}), "
                              f"extract {result['extract_mean']:7.2f}; {time.time() - t0:5.1f} s wall",
                              file=sys.stderr, flush=True)
        finally:
            for path in added:
                _git("worktree", "remove", "--force", str(path))
    results["corpora"] = {}
    for corpus, by_tree in runs.items():
        before, after = _summary(by_tree["before"]), _summary(by_tree["after"])
        entry: dict[str, Any] = {"articles": len(corpora[corpus]), "passes": by_tree["after"][0]["passes"],
                                 "before": before, "after": after}
        for key in ("whole_mean", "whole_median", "extract_mean", "extract_median"):
            entry[f"ratio_{key}"] = after[key] / before[key] if before[key] else None
        entry["ratio_whole_mean_per_rep"] = [a["whole_mean"] / b["whole_mean"]
                                             for a, b in zip(by_tree["after"], by_tree["before"], strict=True)]
        entry["reps"] = {label: [{k: v for k, v in r.items() if not k.endswith("_ms")} for r in rs]
                         for label, rs in by_tree.items()}
        entry["per_doc_ms"] = {label: {"whole": [statistics.median(x) for x in zip(*(r["whole_ms"] for r in rs),
                                                                                    strict=True)],
                                       "extract": [statistics.median(x)
                                                   for x in zip(*(r["extract_ms"] for r in rs), strict=True)]}
                               for label, rs in by_tree.items()}
        entry["origins"] = [d["origin"] for d in corpora[corpus]]
        entry["tail"] = {label: _tail(entry["per_doc_ms"][label]["whole"]) for label in ("before", "after")}
        per_doc = [(a / b if b else 0.0, o) for a, b, o in zip(entry["per_doc_ms"]["after"]["whole"],
                                                              entry["per_doc_ms"]["before"]["whole"],
                                                              entry["origins"], strict=True)]
        entry["highest_article_ratio"] = max(per_doc, default=(0.0, ""))
        results["corpora"][corpus] = entry
    results["loadavg_end"] = os.getloadavg()
    results["wall_s"] = round(time.time() - started, 1)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return results


def markdown(results: dict[str, Any]) -> str:
    trees = results["trees"]
    before, after = trees["before"], trees["after"]
    dirty = f" + uncommitted changes in {len(after['steppewatch_dirty'])} steppewatch file(s)" \
        if after["steppewatch_dirty"] else ""
    lines = [f"before = {before['short']} ({results['baseline_ref']}), after = {after['short']}{dirty}; "
             f"CPU ms per article (`process_time`), median over {results['reps']} rep(s) of each rep's mean "
             f"(or median) per article; {results['warmup_docs']} warm-up docs discarded; "
             f"{results['cpus']} CPUs, load {results['loadavg_start'][0]:.1f} → {results['loadavg_end'][0]:.1f}; "
             f"{results['wall_s']:.0f} s in all.", ""]
    for key, title in (("whole", "(a) `pipeline.process(doc)`: clean + extract"),
                       ("extract", "(b) `default_extractor().run(article)`: extraction only")):
        lines += [f"**{title}**", "",
                  "| corpus | articles | words/article | before mean | after mean | **ratio** | "
                  "before median | after median | ratio (median) | ratio per rep (mean) |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for corpus, e in results["corpora"].items():
            b, a = e["before"], e["after"]
            per_rep = ", ".join(f"{r:.2f}" for r in e["ratio_whole_mean_per_rep"]) if key == "whole" else "–"
            times = f" (each ×{e['passes']})" if e["passes"] > 1 else ""
            lines.append(f"| {corpus} | {e['articles']:,}{times} | {a['words_per_article']:,.0f} "
                         f"| {b[key + '_mean']:.2f} | {a[key + '_mean']:.2f} | **{e[f'ratio_{key}_mean']:.2f}×** "
                         f"| {b[key + '_median']:.2f} | {a[key + '_median']:.2f} | {e[f'ratio_{key}_median']:.2f}× "
                         f"| {per_rep} |")
        lines.append("")
    lines += ["**Tail and output** (process, each article's median over reps)", "",
              "| corpus | p90 before | p90 after | slowest before | slowest after | highest ratio of one article | "
              "events/article before | after | mentions/article before | after |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for corpus, e in results["corpora"].items():
        b, a = e["tail"]["before"], e["tail"]["after"]
        lines.append(f"| {corpus} | {b['p90']:.2f} | {a['p90']:.2f} | {b['max']:.2f} | {a['max']:.2f} "
                     f"| {e['highest_article_ratio'][0]:.2f}× "
                     f"| {e['before']['events_per_article']:.2f} | {e['after']['events_per_article']:.2f} "
                     f"| {e['before']['mentions_per_article']:.1f} | {e['after']['mentions_per_article']:.1f} |")
    worst = max(((e["ratio_whole_mean"], c) for c, e in results["corpora"].items()), default=(0.0, "-"))
    verdict = "within" if worst[0] <= results["limit"] else "ABOVE"
    lines += ["", f"Highest ratio (process, mean): {worst[0]:.2f}× on {worst[1]}: {verdict} the "
              f"{results['limit']:.1f}× limit."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="git ref of the 'before' tree (b455579)")
    parser.add_argument("--n", type=int, default=1000, help="synthetic articles (1000)")
    parser.add_argument("--reps", type=int, default=3, help="fresh-process repetitions per tree and corpus (3)")
    parser.add_argument("--corpora", default=",".join(CORPORA), help="comma-separated: " + ",".join(CORPORA))
    parser.add_argument("--out", type=Path, default=BENCH / "out" / "extract.json")
    parser.add_argument("--after", default=None,
                        help="git ref of the 'after' tree (default: this checkout, uncommitted changes included)")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--corpus-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return _worker(args.worker, args.corpus_file, args.corpus)
    names = [c.strip() for c in args.corpora.split(",") if c.strip()]
    results = run(args.baseline, args.n, args.reps, names, args.out, args.after)
    print(markdown(results))
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
