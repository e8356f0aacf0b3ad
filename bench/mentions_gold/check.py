#!/usr/bin/env python3
"""Validate dev.jsonl, holdout.jsonl and holdout2.jsonl (offsets, ids, pairs, spans, word boundaries) and print
mention counts."""
import itertools
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
# file -> sentences expected per language
FILES = {"dev.jsonl": {"ru": 30, "zh": 30, "en": 12, "kk": 6, "uz": 6},
         "holdout.jsonl": {"ru": 30, "zh": 30, "en": 12, "kk": 6, "uz": 6},
         "holdout2.jsonl": {"ru": 40, "zh": 40, "en": 12, "kk": 0, "uz": 0}}
LANGS = {"ru", "zh", "en", "kk", "uz"}
KINDS = ["name", "adjective", "demonym", "capital", "city", "metonym", "side", "pair"]
# ISO 3166-1 alpha-3 codes used (or plausibly usable) in this set
ISO3 = set(["AFG", "ARE", "AZE", "CHN", "DEU", "EGY", "FRA", "GBR", "GEO", "IND", "IRN", "ITA", "JPN", "KAZ", "KGZ", "KOR", "LUX", "MEX", "MNG", "PAK", "RUS", "SYR", "TJK", "TKM", "TUR", "UKR", "USA", "UZB", "BRA", "BGD", "IRQ", "CHE", "ARM"])


def main():
    errors = []
    seen_ids = {}
    for fname in FILES:
        path = HERE / fname
        by_lang = Counter()
        mentions_lang = Counter()
        kind_lang = defaultdict(Counter)
        kind_total = Counter()
        empty = Counter()
        for ln, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{fname}:{ln}"
            rec = json.loads(line)
            for key in ("id", "language", "text", "mentions"):
                if key not in rec:
                    errors.append(f"{where}: missing {key}")
            rid, lang, text = rec["id"], rec["language"], rec["text"]
            if rid in seen_ids:
                errors.append(f"{where}: duplicate id {rid} (also {seen_ids[rid]})")
            seen_ids[rid] = where
            if lang not in LANGS:
                errors.append(f"{where}: bad language {lang}")
            by_lang[lang] += 1
            if not rec["mentions"]:
                empty[lang] += 1
            spans = defaultdict(list)
            for m in rec["mentions"]:
                s, t = m["start"], m["text"]
                if text[s:s + len(t)] != t:
                    errors.append(f"{where} {rid}: offset mismatch {t!r}@{s} -> {text[s:s+len(t)]!r}")
                if m.get("kind") not in KINDS:
                    errors.append(f"{where} {rid}: bad kind {m.get('kind')}")
                if m.get("iso3") not in ISO3:
                    errors.append(f"{where} {rid}: bad iso3 {m.get('iso3')}")
                spans[(s, t)].append(m)
                mentions_lang[lang] += 1
                kind_lang[lang][m["kind"]] += 1
                kind_total[m["kind"]] += 1
            for (s, t), ms in spans.items():
                codes = [m["iso3"] for m in ms]
                if len(set(codes)) != len(codes):
                    errors.append(f"{where} {rid}: duplicate mention {t!r}@{s}")
                if len(ms) > 1 and any(m["kind"] != "pair" for m in ms):
                    errors.append(f"{where} {rid}: shared span {t!r}@{s} not of kind pair")
                if any(m["kind"] == "pair" for m in ms) and len(ms) < 2:
                    errors.append(f"{where} {rid}: pair {t!r}@{s} with <2 countries")
            # word-boundary check for alphabetic scripts
            if lang in ("ru", "en"):
                for (s, t) in spans:
                    b, a = text[s-1:s], text[s+len(t):s+len(t)+1]
                    if (b and b.isalpha()) or (a and a.isalpha()):
                        errors.append(f"{where} {rid}: mention {t!r}@{s} not at word boundary")
            # no overlapping distinct spans
            iv = sorted((s, s + len(t)) for s, t in spans)
            for a, b in itertools.pairwise(iv):
                if b[0] < a[1]:
                    errors.append(f"{where} {rid}: overlapping spans {a} {b}")
        for lang, n in FILES[fname].items():
            if by_lang[lang] != n:
                errors.append(f"{fname}: {lang} has {by_lang[lang]} sentences, expected {n}")
        print(f"== {fname}: {sum(by_lang.values())} sentences, {sum(mentions_lang.values())} mentions")
        print(f"{'lang':<5}{'sents':>6}{'empty':>6}{'ments':>6}  " + " ".join(f"{k:>9}" for k in KINDS))
        for lang in ["ru", "zh", "en", "kk", "uz"]:
            print(f"{lang:<5}{by_lang[lang]:>6}{empty[lang]:>6}{mentions_lang[lang]:>6}  "
                  + " ".join(f"{kind_lang[lang][k]:>9}" for k in KINDS))
        print(f"{'all':<5}{sum(by_lang.values()):>6}{sum(empty.values()):>6}{sum(mentions_lang.values()):>6}  "
              + " ".join(f"{kind_total[k]:>9}" for k in KINDS))
    if errors:
        print(f"\n{len(errors)} ERROR(S):")
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("\nOK: all offsets valid, ids unique.")


if __name__ == "__main__":
    main()
