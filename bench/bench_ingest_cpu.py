"""Issue 9: CPU ms per article of ``pipeline.process(doc)`` and articles/s per core, before and after, in one run.

The 'before' tree is a baseline commit checked out in a temporary ``git worktree add --detach`` (removed at
the end); 'after' is this checkout (uncommitted changes included). The trees are measured alternately
(before, after, before, after ...) so machine noise hits both alike, each (tree, corpus, rep) in a fresh
subprocess importing only that tree's ``steppewatch``: the worker, the corpora and the warm-up are those of
``bench/bench_extract.py`` (imported, not copied): 20 warm-up documents discarded, then
``time.process_time()`` around ``process(doc)`` (clean + extract) for every document.

Corpora: ``synthetic`` (``bench/generate.py`` ``generate_articles(n, seed=0)``) and ``visits_dev`` (the real
texts of ``tests/fixtures/visits_dev/texts`` as the eval ingests them). Per (tree, corpus): the median over
reps of each rep's mean CPU ms per article; articles/s per core = 1000 / that; ratio = after / before.

``--check`` first compares the outputs instead of the times: every document of ``generate_articles(n_check,
seed=3)``, visits_dev, the seeds and ``bench/multilingual_gold.jsonl`` (with and without language), each
also without its declared date (the text is then read for one), through both trees' ``process``:
``dataclasses.asdict`` of the ProcessedArticle plus the article's SimHash, as JSON. Any difference is
printed and the run exits 1 (a speed change must not change a single fact).

    .venv/bin/python bench/bench_ingest_cpu.py                    # baseline 3b40e03, n=1000, reps 3
    .venv/bin/python bench/bench_ingest_cpu.py --check --reps 1   # outputs identical? then one timing rep
    .venv/bin/python bench/bench_ingest_cpu.py --check --reps 0   # outputs only
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import bench_extract as be  # noqa: E402  (bench/ is not a package: the sibling script by path)

ROOT = be.ROOT
DEFAULT_BASELINE = "3b40e03"  # HEAD when the issue 9 ingest-CPU work started
CORPORA = ("synthetic", "visits_dev", "multilingual")
TARGET = 400.0  # issue 9: articles/s per core


# -- equivalence (--check) ---------------------------------------------------------------------------------

def check_docs(n: int) -> list[tuple[str, be.Doc]]:
    """The documents whose outputs must not change, tagged by origin corpus."""
    docs: list[tuple[str, be.Doc]] = [("synthetic", d) for d in be.synthetic_docs(n, seed=3)]
    texts = be.visits_dev_dir()
    if texts is not None:
        docs += [("visits_dev", d) for d in be.visits_dev_docs(texts)]
    docs += [("seeds", d) for d in be.seed_docs()]
    with (HERE / "multilingual_gold.jsonl").open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                docs.append(("multilingual", {"origin": row["id"], "text": row["text"],
                                              "meta": {"language": row["language"]}}))
                docs.append(("multilingual-no-language", {"origin": row["id"], "text": row["text"], "meta": {}}))
    undated = [(f"{tag}-undated", {**d, "meta": {k: v for k, v in d["meta"].items() if k != "published"}})
               for tag, d in docs if d["meta"].get("published")]
    return docs + undated


def dump_outputs(docs: list[dict[str, Any]]) -> list[str]:
    """One JSON line per document: its ProcessedArticle and SimHash, or the error it raised."""
    from steppewatch.cluster.fingerprint import simhash_hex
    from steppewatch.models import RawDocument
    from steppewatch.pipeline import process

    lines = []
    for d in docs:
        try:
            processed = process(RawDocument(d["origin"], d["text"].encode("utf-8"), dict(d["meta"])))
            out: dict[str, Any] = dataclasses.asdict(processed)
            out["fingerprint"] = simhash_hex(processed.article.text)
        except Exception as error:  # the same failure in both trees is the same output
            out = {"error": repr(error)}
        lines.append(json.dumps(out, ensure_ascii=False, sort_keys=True))
    return lines


def _dump_worker(tree: Path, docs_file: Path, out_file: Path) -> int:
    sys.path.insert(0, str(tree))
    import steppewatch

    found = Path(steppewatch.__file__).resolve()
    if not found.is_relative_to(tree.resolve()):
        raise SystemExit(f"imported steppewatch from {found}, expected under {tree}")
    docs = json.loads(docs_file.read_text(encoding="utf-8"))
    out_file.write_text("\n".join(dump_outputs(docs)) + "\n", encoding="utf-8")
    return 0


def compare_outputs(trees: dict[str, Path], n: int, tmp: Path) -> dict[str, Any]:
    tagged = check_docs(n)
    docs_file = tmp / "check_docs.json"
    docs_file.write_text(json.dumps([d for _, d in tagged]), encoding="utf-8")
    outputs: dict[str, list[str]] = {}
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSTARTUP")}
    for label, tree in trees.items():
        out_file = tmp / f"outputs_{label}.jsonl"
        done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--dump-worker", str(tree),
                               "--docs-file", str(docs_file), "--out-file", str(out_file)],
                              cwd=tree, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"dump worker {tree} failed:\n{done.stderr[-3000:]}")
        outputs[label] = out_file.read_text(encoding="utf-8").splitlines()
    differing = [(tag, d["origin"]) for (tag, d), a, b in zip(tagged, outputs["before"], outputs["after"], strict=True)
                 if a != b]
    by_corpus: dict[str, int] = {}
    for tag, _ in tagged:
        by_corpus[tag] = by_corpus.get(tag, 0) + 1
    return {"documents": len(tagged), "by_corpus": by_corpus, "differing": differing,
            "errors_both": sum('"error"' in line[:10] for line in outputs["after"])}


# -- timing ------------------------------------------------------------------------------------------------

def run(baseline: str, n: int, reps: int, corpora_names: list[str], check_n: int | None) -> dict[str, Any]:
    started = time.time()
    results: dict[str, Any] = {"when": dt.datetime.now().isoformat(timespec="seconds"), "baseline_ref": baseline,
                               "n_synthetic": n, "reps": reps, "python": sys.version.split()[0],
                               "cpus": os.cpu_count(), "loadavg_start": os.getloadavg()}
    corpora = be.build_corpora(corpora_names, n) if reps else {}
    with tempfile.TemporaryDirectory(prefix="sw-bench-ingest-cpu-") as tmp_name:
        tmp = Path(tmp_name)
        trees = {"before": tmp / "before", "after": ROOT}
        be._git("worktree", "add", "--detach", str(trees["before"]), baseline)
        try:
            results["trees"] = {label: be._tree_info(path) for label, path in trees.items()}
            if check_n is not None:
                results["check"] = compare_outputs(trees, check_n, tmp)
                print(f"check: {results['check']['documents']} documents, "
                      f"{len(results['check']['differing'])} differ", file=sys.stderr, flush=True)
            corpus_file = tmp / "corpora.json"
            corpus_file.write_text(json.dumps({"corpora": corpora, "warmup": be.synthetic_docs(be.WARMUP, seed=1)}),
                                   encoding="utf-8")
            runs: dict[str, dict[str, list[dict[str, Any]]]] = {c: {"before": [], "after": []} for c in corpora}
            for rep in range(reps):
                for corpus in corpora:
                    for label, tree in trees.items():  # before, after, before, after ...
                        result = be._run_worker(tree, corpus_file, corpus)
                        runs[corpus][label].append({k: v for k, v in result.items() if not k.endswith("_ms")})
                        print(f"rep {rep + 1}/{reps} {corpus:<10} {label:<6} {result['n']:>5} docs "
                              f"process {result['whole_mean']:6.2f} CPU ms/article", file=sys.stderr, flush=True)
        finally:
            be._git("worktree", "remove", "--force", str(trees["before"]))
    results["corpora"] = {}
    for corpus, by_tree in runs.items():
        entry: dict[str, Any] = {"articles": len(corpora[corpus])}
        for label in ("before", "after"):
            ms = statistics.median(r["whole_mean"] for r in by_tree[label])
            entry[label] = {"ms_per_article": ms, "articles_per_s_per_core": 1000 / ms if ms else None,
                            "per_rep_ms": [r["whole_mean"] for r in by_tree[label]],
                            "events_per_article": by_tree[label][0]["events_per_article"],
                            "mentions_per_article": by_tree[label][0]["mentions_per_article"]}
        entry["ratio"] = entry["after"]["ms_per_article"] / entry["before"]["ms_per_article"]
        results["corpora"][corpus] = entry
    results["loadavg_end"] = os.getloadavg()
    results["wall_s"] = round(time.time() - started, 1)
    return results


def markdown(results: dict[str, Any]) -> str:
    before, after = results["trees"]["before"], results["trees"]["after"]
    dirty = f" + uncommitted changes in {len(after['steppewatch_dirty'])} steppewatch file(s)" \
        if after["steppewatch_dirty"] else ""
    lines = [f"before = {before['short']} ({results['baseline_ref']}), after = {after['short']}{dirty}; "
             f"`pipeline.process(doc)` CPU ms per article (`process_time`), median over {results['reps']} rep(s) "
             f"of each rep's mean; {results['cpus']} CPUs, load {results['loadavg_start'][0]:.1f} → "
             f"{results['loadavg_end'][0]:.1f}; {results['wall_s']:.0f} s in all.", ""]
    check = results.get("check")
    if check:
        verdict = "all identical" if not check["differing"] else f"{len(check['differing'])} DIFFER"
        lines += [f"Outputs compared on {check['documents']} documents "
                  f"({', '.join(f'{k} {v}' for k, v in check['by_corpus'].items())}): {verdict}.", ""]
        lines += [f"- differs: {tag} {origin}" for tag, origin in check["differing"][:20]]
    if results["corpora"]:
        lines += ["| corpus | articles | before ms | after ms | **ratio** | before art/s/core | after art/s/core | "
                  f"≥ {TARGET:.0f}/s? | per rep before | per rep after |", "|---|---|---|---|---|---|---|---|---|---|"]
        for corpus, e in results["corpora"].items():
            b, a = e["before"], e["after"]
            lines.append(f"| {corpus} | {e['articles']:,} | {b['ms_per_article']:.2f} | {a['ms_per_article']:.2f} "
                         f"| **{e['ratio']:.2f}×** | {b['articles_per_s_per_core']:.0f} "
                         f"| {a['articles_per_s_per_core']:.0f} "
                         f"| {'yes' if a['articles_per_s_per_core'] >= TARGET else 'no'} "
                         f"| {', '.join(f'{x:.2f}' for x in b['per_rep_ms'])} "
                         f"| {', '.join(f'{x:.2f}' for x in a['per_rep_ms'])} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=DEFAULT_BASELINE,
                        help=f"git ref of the 'before' tree ({DEFAULT_BASELINE})")
    parser.add_argument("--n", type=int, default=1000, help="synthetic articles timed (1000)")
    parser.add_argument("--reps", type=int, default=3, help="fresh-process repetitions per tree and corpus (3)")
    parser.add_argument("--corpora", default=",".join(CORPORA), help="comma-separated: " + ",".join(CORPORA))
    parser.add_argument("--check", action="store_true", help="compare both trees' outputs first")
    parser.add_argument("--check-n", type=int, default=1000, help="synthetic articles compared (1000)")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "ingest_cpu.json")
    parser.add_argument("--dump-worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--docs-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.dump_worker:
        return _dump_worker(args.dump_worker, args.docs_file, args.out_file)
    names = [c.strip() for c in args.corpora.split(",") if c.strip()]
    results = run(args.baseline, args.n, args.reps, names, args.check_n if args.check else None)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(markdown(results))
    print(f"\nwrote {args.out}")
    return 1 if results.get("check", {}).get("differing") else 0


if __name__ == "__main__":
    raise SystemExit(main())
