"""Issue 9 (ingest CPU): the literal prefilters never skip a search that would have matched.

``prefilter.may_match(pattern, fold(text))`` is False only when ``pattern`` cannot match ``text`` (nor its
masked copy): checked on every sentence of the real texts (visits_dev, the seeds, the multilingual gold),
of the generated corpus and of crafted case-folding and masking cases, for every pattern the extractors
gate; and the folding against ``re.IGNORECASE`` over every code point.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from steppewatch.extract import events_en
from steppewatch.extract.dates import DateMention, find_dates, shifted_date
from steppewatch.extract.event_lexicon import TABLES, lexicon
from steppewatch.extract.prefilter import Gate, PatternSet, factors, fold, may_match
from steppewatch.extract.text import match_key, shifted, split_sentences, with_role
from steppewatch.models import Mention

ROOT = Path(__file__).resolve().parents[1]
ANCHOR = dt.date(2024, 3, 14)

# Patterns matched on the English rules' masked copy of a sentence (dates and acronyms blanked).
MASKED = list(events_en.MASKED_GATED)
# Patterns matched on the sentence as written (remote mode) or its ``match_key`` (the trigger tables).
PLAIN = list(events_en.PLAIN_GATED)
LEXICON_FIELDS = (*events_en.LEXICON_GATED, "historical")
LEXICON = [p for lang in ["en", *TABLES] for f in LEXICON_FIELDS
           if (p := getattr(lexicon(lang), f)) is not None]


# -- folding -----------------------------------------------------------------------------------------------
def test_fold_keeps_every_offset_and_reads_ignorecase_equivalents() -> None:
    assert fold("İſKAbc Ёж") == "iskabc ёж"  # dotted İ, long s, Kelvin sign: the ASCII letters re.I reads
    assert fold("Visited TASHKENT") == "visited tashkent"
    for text in ["İstanbul", "ǅ", "ﬀ", "Straße", "ΣΑΣ", "", "习近平", "O‘ZBEKISTON"]:
        assert len(fold(text)) == len(text)
        assert fold(text) == "".join(fold(ch) for ch in text)


def _all_code_points() -> str:
    return "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


def _factor_chars() -> set[str]:
    chars: set[str] = set()
    for pattern in MASKED + PLAIN + LEXICON:
        for blanks in (True, False):
            for s in factors(pattern, blanks) or ():
                chars.update(s)
    return chars


def test_every_character_ignorecase_matches_to_a_factor_letter_folds_to_it() -> None:
    everything = _all_code_points()
    chars = _factor_chars()
    assert len(chars) > 50
    for ch in sorted(chars):
        for m in re.finditer(re.escape(ch), everything, re.I):
            assert fold(m.group(0)) == fold(ch), (ch, m.group(0), hex(ord(m.group(0))))


# -- factors of small patterns -----------------------------------------------------------------------------
@pytest.mark.parametrize(("pattern", "blanks", "expected"), [
    (r"ab(?:c|d)e", True, ("abce", "abde")),
    (r"\bvisit(?:s|ed|ing)?\b", True, ("visit",)),
    (r"c[oa]me", True, ("came", "come")),
    (r"is to|are to", True, ("is", "are")),  # a space may be a blank of the masked copy
    (r"is to|are to", False, ("is to", "are to")),
    (r"x?", True, None),
    (r"\w+ing", True, ("ing",)),
    (r"(?:meet|met)\s+with", True, ("with",)),  # {"meet", "met"} or {"with"}: the fewer strings
    (r"[a-z]+", True, None),
    (r"TRAVEL", False, ("travel",)),
])
def test_factors_of_small_patterns(pattern: str, blanks: bool, expected: tuple[str, ...] | None) -> None:
    assert factors(re.compile(pattern, re.I), blanks) == expected


def test_may_match_rejects_a_sentence_without_the_words() -> None:
    assert not may_match(events_en._MEET, fold("The central bank cut its base rate on Tuesday."))
    assert may_match(events_en._MEET, fold("Tokayev MET with Putin."))
    assert not may_match(lexicon("en").planned, fold("Exports rose 5% in March."), blanks=False)


# -- soundness on real and generated sentences ---------------------------------------------------------------
def _texts() -> Iterator[str]:
    texts = ROOT / "tests/fixtures/visits_dev/texts"
    for path in sorted(texts.glob("*.txt")):
        yield path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "tests/fixtures/seeds").glob("*.txt")):
        yield path.read_text(encoding="utf-8")
    with (ROOT / "bench/multilingual_gold.jsonl").open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)["text"]
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate  # bench/generate.py
    finally:
        sys.path.remove(str(ROOT / "bench"))
    for raw in generate.generate_articles(300, seed=3):
        yield raw.data.decode("utf-8")


CRAFTED = [
    "He wAS March 5 in Tashkent.", "The minister was (OSCE) in Vienna.", "ſhe VISITED Astana", "İS IN Baku",
    "They Co-Chaired the session", "They cochaired the Summit.", "Tokayev TRAVELLED on to Beijing",
    "Mirziyoyev held a 2024-03-01 telephone conversation with Xi", "Blinken spoke by phone with Lavrov",
    "PHONED", "via VIDEO link", "Путин ПРИБЫЛ в Ташкент", "Тоқаев Мәскеуге БАРДЫ", "Mirziyoyev Moskvaga bordi.",
    "Mirziyoyev Pekinga jo‘nab ketdi", "习近平抵达阿斯塔纳", "He is going to visit Bishkek next week.",
    "Q: Will you visit Astana?", "the visiting delegation from Kyrgyzstan", "Welcome to Moscow!",
]


def _sentences() -> list[str]:
    out = list(CRAFTED)
    for text in _texts():
        out += [s.text for s in split_sentences(text)]
    return out


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    found = _sentences()
    assert len(found) > 5000
    return found


def test_no_masked_pattern_match_is_prefiltered_away(sentences: list[str]) -> None:
    hits = 0
    for text in sentences:
        dates = find_dates(text, ANCHOR) + find_dates(text, ANCHOR, future=True)
        masked = events_en._mask(text, dates, ANCHOR)
        folded = fold(text)
        for pattern in MASKED:
            for copy in (text, masked):
                if pattern.search(copy):
                    hits += 1
                    assert may_match(pattern, folded), (pattern.pattern[:60], copy)
    assert hits > 1000


def test_no_plain_pattern_match_is_prefiltered_away(sentences: list[str]) -> None:
    hits = 0
    for text in sentences:
        keyed = match_key(text)
        for copy in (text, keyed):
            folded = fold(copy)
            for pattern in PLAIN + LEXICON:
                if pattern.search(copy):
                    hits += 1
                    assert may_match(pattern, folded, blanks=False), (pattern.pattern[:60], copy)
                    assert may_match(pattern, folded), (pattern.pattern[:60], copy)
    assert hits > 1000


def test_the_prefilters_skip_most_generated_sentences(sentences: list[str]) -> None:
    # not a correctness matter: the point of the filters (the meeting scan is skipped in most sentences)
    skipped = sum(not may_match(events_en._MEET, fold(s)) for s in sentences)
    assert skipped > len(sentences) / 3


def _gate(text: str) -> Gate:
    return events_en.gates().gate(fold(text))


def test_one_automaton_pass_gates_as_each_pattern_alone(sentences: list[str]) -> None:
    keys = list(events_en.gates().bits)
    assert len(keys) > 40
    differ = 0
    for text in sentences:
        for copy in (text, match_key(text)):
            folded = fold(copy)
            gate = events_en.gates().gate(folded)
            for pattern, blanks in keys:
                differ += gate.may(pattern, blanks) != may_match(pattern, folded, blanks)
    assert differ == 0
    unknown = re.compile("no such pattern")
    assert _gate("anything").may(unknown)  # a pattern not in the set always may match


def test_pattern_set_reports_overlapping_factors() -> None:
    a, b = re.compile("visit", re.I), re.compile("sit", re.I)
    patterns = PatternSet([(a, True), (b, True), (re.compile(r"\w+"), True)])
    gate = patterns.gate(fold("VISIT"))
    assert gate.may(a) and gate.may(b) and gate.may(re.compile(r"\w+"))
    gate = patterns.gate(fold("a sitting"))
    assert not gate.may(a) and gate.may(b)
    re.purge()  # the gate finds a pattern by its object (hashing a pattern costs microseconds): a copy compiled
    apart = re.compile("visit", re.I)  # apart is not found, and always may match (never a wrong "cannot")
    assert apart == a and apart is not a and gate.may(apart)


def _fits_anywhere(masked: str) -> bool:
    return any(events_en.EnglishEvents._fits(t.group("verb").lower(), t.group("prep").strip().lower())
               for t in events_en._TRAVEL.finditer(masked))


def test_may_travel_holds_wherever_a_travel_trigger_fits(sentences: list[str]) -> None:
    fitting = skipped = 0
    for text in sentences:
        masked = events_en._mask(text, find_dates(text, ANCHOR), ANCHOR)
        if _fits_anywhere(masked):
            fitting += 1
            assert events_en.may_travel(masked, _gate(text)), text
        elif not events_en.may_travel(masked, _gate(text)):
            skipped += 1
    assert fitting > 500 and skipped > 500


def test_may_travel_reads_be_in_only_with_in() -> None:
    assert events_en.may_travel("The minister was in Tashkent", _gate("The minister was in Tashkent"))
    text = "The minister was                in Tashkent"  # a blanked date between the verb and "in"
    assert events_en.may_travel(text, _gate("The minister was on March 5th in Tashkent"))
    assert not events_en.may_travel("Exports were up 5% last year", _gate("Exports were up 5% last year"))


def test_travel_without_be_is_travel_less_its_be_alternatives() -> None:
    assert events_en._TRAVEL_NOT_BE.pattern == events_en._TRAVEL.pattern.replace("|be|is|are|was|were)", ")")
    assert events_en._TRAVEL_NOT_BE.flags == events_en._TRAVEL.flags


# -- shifted copies ------------------------------------------------------------------------------------------
def test_shifted_mention_and_with_role_equal_replace() -> None:
    assert [f.name for f in dataclasses.fields(Mention)] == [
        "kind", "text", "start", "end", "iso3", "entity_id", "role", "value", "in_caption"]
    rng = random.Random(5)
    for _ in range(200):
        m = Mention(rng.choice(["person", "place", "country", "date"]), "X" * rng.randint(1, 5),
                    rng.randint(-1, 500), rng.randint(0, 600), rng.choice([None, "KAZ"]), rng.choice([None, "q1"]),
                    rng.choice([None, "actor"]), rng.choice([None, "v"]), rng.random() < 0.5)
        by = rng.randint(-5, 300)
        assert shifted(m, by) == dataclasses.replace(m, start=m.start - by, end=m.end - by)
        role = rng.choice([None, "actor", "location", "modifier", "language"])
        assert with_role(m, role) == dataclasses.replace(m, role=role)  # the roles' copies


def test_match_key_of_long_texts_folded_once_equals_the_translation() -> None:
    from steppewatch.extract import text as text_module

    texts = list(_texts())[:80] + ["O\u2018zbekiston \u2013 Tashkent\u00a0ё" * n for n in (1, 9, 10, 40)] + [""]
    for text in texts:
        for copy in (text, text[: text_module._LONG - 1], text[: text_module._LONG], text.upper()):
            assert match_key(copy) == copy.translate(text_module._FOLD) and len(match_key(copy)) == len(copy)
    long = "Oʻzbekiston’s “visit” — " * 30
    text_module._long_match_key.cache_clear()
    assert match_key(long) == match_key(long) == long.translate(text_module._FOLD)
    assert text_module._long_match_key.cache_info().hits == 1


def test_shifted_date_equals_replace() -> None:
    assert [f.name for f in dataclasses.fields(DateMention)] == ["start", "end", "text", "kind", "value", "precision"]
    for d in find_dates("On March 5, 2024 and yesterday and in 2019 and next Monday", ANCHOR):
        assert shifted_date(d, 3) == dataclasses.replace(d, start=d.start - 3, end=d.end - 3)


_DUMP = r"""
import dataclasses, json, sys
if sys.argv[1] == "without":
    sys.modules["re._casefix"] = None  # as on an interpreter without CPython's regex internals
sys.path[:0] = [sys.argv[2], sys.argv[2] + "/bench"]
from generate import generate_articles
from steppewatch.extract import prefilter
from steppewatch.pipeline import process
out = [dataclasses.asdict(process(doc)) for doc in generate_articles(40, seed=5)]
print(json.dumps({"available": prefilter.AVAILABLE, "out": out}, default=str))
"""


def test_without_cpython_regex_internals_nothing_is_filtered_and_results_are_the_same() -> None:
    import subprocess

    root = str(Path(__file__).resolve().parents[1])
    runs = {}
    for mode in ("with", "without"):
        done = subprocess.run([sys.executable, "-c", _DUMP, mode, root], capture_output=True, text=True,
                              timeout=300, check=True)
        runs[mode] = json.loads(done.stdout)
    assert runs["with"]["available"] is True and runs["without"]["available"] is False
    assert runs["with"]["out"] == runs["without"]["out"]
