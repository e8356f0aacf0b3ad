"""Country-mention recall and precision per language on the mention gold sets (issue 12).

    .venv/bin/python bench/mention_recall.py                      # dev, holdout and holdout2
    .venv/bin/python bench/mention_recall.py --split dev --misses # what dev misses, to read

The gold (``bench/mentions_gold/{dev,holdout}.jsonl``, written for this project: ru, zh, en, kk, uz
sentences in the style of wire stories and official releases) marks every span that names a country:
names, adjectives, demonyms, capitals, cities, metonyms, Chinese "side" forms (中方) and pairs (中哈:
one mention per country). Each sentence goes through the product's own extractor (as ``ingest`` runs
it); a gold mention is found when a country or place mention of the same country overlaps its span. A
found mention that overlaps no gold mention of its country is a false positive. Also the countries of
each sentence (the set), scored as the per-article countries F1. Writes bench/out/mention_recall.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from steppewatch.extract import default_extractor  # noqa: E402
from steppewatch.models import Article  # noqa: E402

GOLD = ROOT / "bench" / "mentions_gold"
OUT = ROOT / "bench" / "out"


def _predicted(text: str, language: str) -> list[tuple[int, int, str]]:
    article = Article(id="m", origin="m", text=text, raw_text=text, language=language)
    mentions = default_extractor().run(article).mentions
    return [(m.start, m.end, m.iso3) for m in mentions
            if m.iso3 and m.kind in {"country", "place"} and m.value != "place" and m.start >= 0]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(rows: list[dict[str, Any]], misses: bool = False) -> dict[str, Any]:
    """Per language: mention recall and precision, recall per kind, per-sentence countries P/R/F1."""
    tally: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    kinds: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for row in rows:
        lang, text = row["language"], row["text"]
        predicted = _predicted(text, lang)
        gold = [(g["start"], g["start"] + len(g["text"]), g["iso3"], g["kind"], g["text"]) for g in row["mentions"]]
        t = tally[lang]
        for start, end, iso3, kind, surface in gold:
            found = any(p[2] == iso3 and _overlaps((start, end), p[:2]) for p in predicted)
            t["gold"] += 1
            t["found"] += found
            kinds[lang][kind][0] += found
            kinds[lang][kind][1] += 1
            if misses and not found:
                print(f"MISS {row['id']} {kind:8} {iso3} {surface!r}")
        for start, end, iso3 in predicted:
            right = any(g[2] == iso3 and _overlaps((start, end), g[:2]) for g in gold)
            t["predicted"] += 1
            t["right"] += right
            if misses and not right:
                print(f"FP   {row['id']} {iso3} {text[start:end]!r}")
        gold_set, predicted_set = {g[2] for g in gold}, {p[2] for p in predicted}
        t["set_tp"] += len(gold_set & predicted_set)
        t["set_fp"] += len(predicted_set - gold_set)
        t["set_fn"] += len(gold_set - predicted_set)
    out: dict[str, Any] = {}
    for lang in [*sorted(tally), "all"]:
        t = tally[lang] if lang != "all" else {k: sum(tally[x][k] for x in tally) for k in tally["ru"]}
        tp, fp, fn = t["set_tp"], t["set_fp"], t["set_fn"]
        out[lang] = {
            "mentions": int(t["gold"]),
            "recall": round(t["found"] / t["gold"], 3) if t["gold"] else None,
            "precision": round(t["right"] / t["predicted"], 3) if t["predicted"] else None,
            "countries_f1": round(2 * tp / (2 * tp + fp + fn), 3) if tp + fp + fn else None,
            "by_kind": {k: f"{v[0]}/{v[1]}" for k, v in sorted(kinds[lang].items())} if lang != "all" else None,
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["dev", "holdout", "holdout2", "all"], default="all")
    parser.add_argument("--misses", action="store_true", help="print every missed and every false mention")
    args = parser.parse_args(argv)
    result = {}
    for split in (["dev", "holdout", "holdout2"] if args.split == "all" else [args.split]):
        rows = [json.loads(line) for line in (GOLD / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
                if line.strip()]
        result[split] = score(rows, args.misses)
        for lang, s in result[split].items():
            print(f"{split:8} {lang:4} mentions {s['mentions']:4}  recall {s['recall']}  precision {s['precision']}"
                  f"  countries F1 {s['countries_f1']}  {s['by_kind'] or ''}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "mention_recall.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
