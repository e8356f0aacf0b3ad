"""Issue 9 (ingest CPU): the faster code gives exactly what the plain code gave.

Each test keeps a tiny reference implementation (the code as it was) and compares on varied inputs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import random
import re
import sys
from pathlib import Path

import pytest

from steppewatch.clean import decode, published
from steppewatch.clean.boilerplate import clean_text
from steppewatch.clean.published import PublishedDate, infer_published
from steppewatch.cluster.fingerprint import _shingles, hamming, simhash, simhash_hex
from steppewatch.extract import dates, people
from steppewatch.extract.dates import DateMention
from steppewatch.extract.text import match_key, split_sentences


# -- SimHash: numpy bit counts == the loop over 64 bits ----------------------------------------
def _reference_simhash(text: str) -> int:
    weights = [0] * 64
    for shingle in _shingles(text):
        h = int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if h >> bit & 1 else -1
    return sum(1 << bit for bit in range(64) if weights[bit] > 0)


def _random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    vocab = ["Tokayev", "visited", "Tashkent", "the", "talks", "Мирзиёев", "прибыл", "в", "Астану", "习近平",
             "会见", "2024", "March", "İstanbul", "Straße", "o'zbekiston", "and", "of", "energy", "gas"]
    texts = []
    for _ in range(n):
        words = [rng.choice(vocab) for _ in range(rng.randint(0, 60))]
        texts.append(" ".join(words) + rng.choice(["", ".", "\n\nEnd"]))
    return texts


@pytest.mark.parametrize("text", [
    "", "   ", "one", "one two", "one two three", "one two three four", "Один два три четыре пять",
    "The same words. The same words. The same words.", "习近平会见托卡耶夫 2024年3月5日",
    "Lavrov arrived in Dushanbe for talks with Muhriddin.",
])
def test_simhash_equals_the_bit_loop_on_small_texts(text: str) -> None:
    assert simhash(text) == _reference_simhash(text)


def test_simhash_equals_the_bit_loop_on_random_texts() -> None:
    texts = _random_texts(300, seed=11)
    assert [simhash(t) for t in texts] == [_reference_simhash(t) for t in texts]


def test_simhash_of_a_tie_leaves_the_bit_clear() -> None:
    # two shingles: a bit set in exactly one of them weighs 0 and stays clear
    text = "alpha beta gamma delta"
    hashes = [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big") for s in _shingles(text)]
    assert len(hashes) == 2
    assert simhash(text) == hashes[0] & hashes[1] == _reference_simhash(text)


def test_simhash_hex_is_16_digits_and_hamming_reads_it() -> None:
    a, b = simhash_hex("Lavrov arrived in Dushanbe for talks."), simhash_hex("Lavrov arrived in Dushanbe for talks!")
    assert len(a) == 16 and a == f"{_reference_simhash('Lavrov arrived in Dushanbe for talks.'):016x}"
    assert hamming(a, b) == 0


# -- dates: one routed scan == every pattern over the whole text -------------------------------
ROOT = Path(__file__).resolve().parents[1]
ANCHOR = dt.date(2024, 3, 14)


def _reference_find_dates(text: str, anchor: dt.date | None, future: bool = False) -> list[DateMention]:
    """find_dates as it was: each pattern's finditer over the whole text, in order."""
    found: list[DateMention] = []
    lowered = text.lower()
    same_offsets = len(lowered) == len(text)
    if not (dates._HINT_LOWER if same_offsets else dates._HINT).search(lowered if same_offsets else text):
        return found
    taken: list[tuple[int, int]] = []
    for kind, pattern, lower_pattern in dates._PATTERNS_FAST:
        for m in lower_pattern.finditer(lowered) if lower_pattern and same_offsets else pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            mention = dates._resolve(kind, m.start(), m.end(), m.groups(), anchor, future, text[m.start():m.end()])
            if mention is not None:
                found.append(mention)
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def _real_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/fixtures/visits_dev/texts").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/fixtures/seeds").glob("*.txt"))]
    with (ROOT / "bench/multilingual_gold.jsonl").open(encoding="utf-8") as f:
        texts += [json.loads(line)["text"] for line in f if line.strip()]
    return texts


_FRAGMENTS = [
    "March", "march", "MARCH", "Mar.", "Sept", "sept.", "May", "may", "in", "In", "since", "last", "next", "this",
    "on", "Monday", "monday", "Tuesday", "today", "Today", "earlier this week", "later this month", "next month",
    "5", "05", "12", "31", "2024", "1999", "2019-yil", "2024-03-05", "12.03.2024", "1.2.2023", "14-mart",
    "14-martda", "14 наурыз", "наурызда", "2024 жылғы", "2024 жылы", "марта", "в", "во", "начале", "июля", "на",
    "июль", "в 2019 году", "соли", "марти", "моҳи", "июл", "2019年", "7月", "3月5日", "今年", "今天", "下周",
    "на следующей неделе", "в следующем месяце", "шілде", "айында", "iyul", "oyida", "İ", "ſep", "K", "ı", ",",
    ".", "-", "–", " ", "\u00a0", "\n", "\n\n", "(", "\"", "th", "st", "of", "from", "until", "by", "2019", "20",
    "5th", "1-3", "to", "through", "x", "_", "a5", "yil", "г.", "года", "сегодня", "вчера", "kecha", "бугун",
    "ertaga", "йил", "2024-yil", "-yilda", "December", "dec", "١٢", "٢٠٢٤", "14-мартта", "14 марти соли 2024",
]


_TEMPLATES = ["{w}", "{w} 5, 2024", "{w} 5th", "{w}. 5", "{w} 2024", "in {w}", "in {w} 2024", "5 {w} 2024", "5 {w}",
              "{w} March", "{w} Monday", "{w} month", "{w} this month", "{w} week", "{w} this week", "{w} morning",
              "{w} айында", "{w} oyida", "{w} 2019", "{w} июля", "{w} начале июля", "{w} июль", "{w} следующей неделе",
              "{w} 1",
              "14-{w}", "14-{w}da", "14 {w}", "14 {w} 2024", "2024-yil 14-{w}", "2024 жылғы 14 {w}да", "{w}и соли 2024"]


def _anchor_word_texts() -> list[str]:
    """Every word a date pattern can start with or needs, in the contexts of every pattern, as written
    and capitalised."""
    words = set(dates.MONTHS) | set(dates.TURKIC_MONTHS) | set(dates.LATIN_TURKIC_MONTHS) | set(dates.WEEKDAYS)
    for kind, pattern in dates._PATTERNS:  # the words of every alternation of words, first words included
        if kind in {"relative", "month_rel", "m", "y", "weekday", "my"}:
            words |= set(re.findall(r"[^\W\d_]+", re.sub(r"\\[a-zA-Z]|\(\?[:!<=]+|\{[^}]*\}|\[[^]]*\]", " ",
                                                          pattern.pattern)))
    words |= {w.capitalize() for w in words} | {"month", "Month"}
    return [template.format(w=w) for w in sorted(words) for template in _TEMPLATES]


def _fuzz_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    joins = ["", " ", " ", "  ", "-", ".", ", ", "\n"]
    return ["".join(rng.choice(_FRAGMENTS) + rng.choice(joins) for _ in range(rng.randint(1, 12)))
            for _ in range(n)]


def _dates_as_tuples(found: list[DateMention]) -> list[tuple[object, ...]]:
    return [dataclasses.astuple(d) for d in found]


def _both(text: str, anchor: dt.date | None, future: bool) -> tuple[object, object]:
    results = []
    for find in (dates.find_dates, _reference_find_dates):
        try:
            results.append(_dates_as_tuples(find(text, anchor, future)))
        except KeyError as error:  # "ſep" read case-insensitively (text with "İ"): both fail alike
            results.append(repr(error))
    return results[0], results[1]


def test_dates_found_once_equal_the_whole_text_scans_on_real_texts_and_their_sentences() -> None:
    texts = _real_texts()
    texts += [s.text for t in texts[:40] for s in split_sentences(t)]
    for text in texts:
        for anchor, future in ((None, False), (ANCHOR, False), (ANCHOR, True)):
            new, old = _both(text, anchor, future)
            assert new == old, text[:200]


def test_dates_found_once_equal_the_whole_text_scans_on_date_fragments() -> None:
    for text in _anchor_word_texts() + _fuzz_texts(4000, seed=7):
        for anchor, future in ((None, False), (ANCHOR, True)):
            new, old = _both(text, anchor, future)
            assert new == old, repr(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("On Tuesday, March 5, 2024 Tokayev met", ["Tuesday", "March 5, 2024"]),
    ("12 наурыз 2024 жыл; 2024-03-05 last week", ["12 наурыз 2024", "2024-03-05", "last week"]),
    ("в начале июля и 14-martda, 2019年7月", ["в начале июля", "14-martda"]),  # "2019年7月": neither part
    ("x2024-03-05 a5 March _5 March in March", ["in March"]),  # no word boundary before the digits
    ("İstanbul, 5 March 2024", ["5 March 2024"]),  # lower() lengthens "İ": the text is scanned as written
])
def test_dates_found_once_on_examples(text: str, expected: list[str]) -> None:
    assert [d.text for d in dates.find_dates(text, ANCHOR)] == expected
    assert _both(text, ANCHOR, False)[0] == _both(text, ANCHOR, False)[1]


def test_the_scan_is_shared_by_every_reading_of_a_text() -> None:
    text = "Tokayev arrived in Tashkent on Monday, March 4. He will visit Baku next week."
    dates._scan.cache_clear()
    dates.find_dates(text, None)
    dates.find_dates(text, ANCHOR)
    dates.find_dates(text, ANCHOR, future=True)
    info = dates._scan.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_the_character_classes_the_routing_relies_on() -> None:
    """Word runs of the lower-cased text are those of the text (where lengths agree); \\d is a decimal
    digit and \\s a space as str methods see them."""
    word, digit, space = re.compile(r"\w"), re.compile(r"\d"), re.compile(r"\s")
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        low = ch.lower()
        if len(low) == 1:
            assert bool(word.match(ch)) == bool(word.match(low)), hex(code)
        assert bool(digit.match(ch)) == ch.isdecimal(), hex(code)
        assert bool(space.match(ch)) == ch.isspace(), hex(code)


def test_date_ranges_unchanged_on_real_sentences_and_fragments() -> None:
    """The digit gate and the cache give what the patterns give over every sentence."""
    texts = [s.text for t in _real_texts()[:60] for s in split_sentences(t)] + _fuzz_texts(1000, seed=8)
    texts += ["March 1-3, 2023", "1-3 March 2023", "from March 30 to April 2", "28 February to 1 March 2023"]
    for text in texts:
        for anchor in (None, ANCHOR):
            try:
                want = list(dates._date_ranges.__wrapped__(text, anchor))
            except KeyError:  # "ſep" read case-insensitively: the scan as it was fails too
                with pytest.raises(KeyError):
                    dates.find_date_ranges(text, anchor)
                continue
            assert dates.find_date_ranges(text, anchor) == want, repr(text)
            assert dates.find_date_ranges(text, anchor) == want  # from the cache


# -- the published date: the first kind of candidate found == the best scored candidate --------
def _reference_infer_published(text: str, captions: list[tuple[int, int]], dateline: str | None,
                               declared: str | None = None, html_date: str | None = None,
                               today: dt.date | None = None) -> PublishedDate:
    """infer_published as it was: every candidate collected, the best score kept."""
    today = today or dt.date.today()
    candidates: list[PublishedDate] = []
    for raw, label, score in ((declared, "declared metadata", 1.0), (html_date, "page metadata", 0.9)):
        d = published.parse_declared_date(raw)
        if d and published._plausible(d, today):
            candidates.append(PublishedDate(d.isoformat(), "day", f"{label}: {raw}", score))
    if dateline:
        for dm in dates.find_dates(dateline, None):
            if dm.precision == "day" and dm.value:
                candidates.append(PublishedDate(dm.value, "day", f"dateline: {dm.text}", 0.85))

    def in_caption(pos: int) -> bool:
        return any(s <= pos < e for s, e in captions)

    all_dates = dates.find_dates(text, None)
    explicit = [dm for dm in all_dates if dm.kind == "absolute" and dm.precision == "day"
                and dm.value and published._plausible(dt.date.fromisoformat(dm.value), today)]
    body_dates = [dm for dm in explicit if not in_caption(dm.start)]
    if body_dates:
        latest = max(body_dates, key=lambda dm: dm.value or "")
        candidates.append(PublishedDate(latest.value, "day", f"date in text: {latest.text}", 0.6))
    caption_dates = [dm for dm in explicit if in_caption(dm.start)]
    if caption_dates:
        anchor_mention = max(caption_dates, key=lambda dm: dm.value or "")
        anchor = dt.date.fromisoformat(anchor_mention.value or "")
        weekday = published._body_weekday(text, in_caption)
        if weekday is not None:
            name, target = weekday
            shifted = anchor + dt.timedelta(days=(target - anchor.weekday()) % 7)
            candidates.append(PublishedDate(shifted.isoformat(), "day",
                                            f"caption date {anchor_mention.text} + '{name}' in the body", 0.55))
        else:
            candidates.append(PublishedDate(anchor.isoformat(), "day", f"caption date: {anchor_mention.text}", 0.4))
    months = [dm for dm in all_dates if dm.precision == "month" and dm.value]
    if months:
        latest_month = max(months, key=lambda dm: dm.value or "")
        candidates.append(PublishedDate(latest_month.value, "month", f"month in text: {latest_month.text}", 0.2))
    return max(candidates, key=lambda c: c.score) if candidates else published.UNKNOWN


_CAPTIONED = ("Tokayev in Tashkent on 26 February 2023. Photo: Akorda\n\nTokayev arrived in Tashkent on Tuesday "
              "for talks.\n\nThe talks follow a meeting in March 2022.")


@pytest.mark.parametrize("declared", [None, "", "2024-03-14", "2024-03-14T10:00:00Z", "Thu, 14 Mar 2024 10:00:00",
                                      "2099-01-01", "1980-01-01", "not a date"])
@pytest.mark.parametrize("html_date", [None, "2024-03-10", "2099-01-01"])
@pytest.mark.parametrize("dateline", [None, "ASTANA, March 12, 2024", "ASTANA", "ASTANA, 2099-01-01"])
def test_published_date_equals_the_best_scored_candidate(declared: str | None, html_date: str | None,
                                                         dateline: str | None) -> None:
    today = dt.date(2026, 12, 5)
    caption = (0, _CAPTIONED.index("\n\n"))
    texts = ((_CAPTIONED, [caption]), (_CAPTIONED, []), ("No date here at all.", []),
             ("Talks in July 2023 and in 2022.", []), ("He met Rahmon on 3 May 2023 and 1 June 2023.", []))
    for text, captions in texts:
        args = (text, captions, dateline, declared, html_date, today)
        assert infer_published(*args) == _reference_infer_published(*args)


def test_published_date_equals_the_best_scored_candidate_on_real_texts() -> None:
    today = dt.date(2026, 12, 5)
    for raw in _real_texts():
        cleaned = clean_text(raw)
        for declared in (None, "2024-03-14"):
            args = (cleaned.text, cleaned.captions, cleaned.dateline, declared, None, today)
            assert infer_published(*args) == _reference_infer_published(*args)


# -- people: the names as a prefix tree == the names joined longest first ----------------------
def _plain_alternation(keys: list[str]) -> str:
    return "|".join(re.escape(k) for k in keys)


def test_name_tree_matches_what_the_joined_names_match_on_random_key_sets() -> None:
    rng = random.Random(5)
    for _ in range(300):
        keys = {"".join(rng.choice("ab-. ") for _ in range(rng.randint(1, 5))) for _ in range(rng.randint(1, 9))}
        keys = sorted(keys, key=len, reverse=True)
        plain = re.compile(rf"(?<![\w-])({_plain_alternation(keys)})(?:ning|da)?(?![\w-])")
        tree = re.compile(rf"(?<![\w-])({people._trie_alternation(keys)})(?:ning|da)?(?![\w-])")
        for _ in range(20):
            pieces = ["a", "b", "-", ".", " ", "ning", "da", "ab", "x"]
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 15)))
            assert [m.span(1) for m in tree.finditer(text)] == [m.span(1) for m in plain.finditer(text)], (keys, text)


def test_known_names_found_as_before_on_real_texts_and_name_fragments() -> None:
    knowledge = people.default_people()
    keys = sorted(knowledge._entities_of, key=len, reverse=True)
    han = [k for k in keys if people._is_han(k)]
    cyrillic = [k for k in keys if k not in han and any("\u0400" <= c <= "\u04ff" for c in k)]
    latin = [k for k in keys if k not in set(han) | set(cyrillic)]
    plain = (re.compile(rf"(?<![\w-])({_plain_alternation(latin)}){people._LATIN_ENDING}(?![\w-])"),
             re.compile(rf"(?<![\w-])({_plain_alternation(cyrillic)}){people._CYRILLIC_ENDING}(?![\w-])"),
             re.compile(rf"({_plain_alternation(han)})"))
    rng = random.Random(6)
    texts = [match_key(t) for t in _real_texts()]
    texts += [" ".join(rng.choice(keys)[:rng.randint(1, 30)] + rng.choice(["", "ning", "da", "ов", "у", "-x", "s", "."])
                       for _ in range(8)) for _ in range(1500)]
    for old, new in zip(plain, knowledge._patterns, strict=True):
        for text in texts:
            assert [(m.span(), m.group(1)) for m in new.finditer(text)] == \
                   [(m.span(), m.group(1)) for m in old.finditer(text)], text[:200]


# -- decoding: control characters counted in C == counted char by char --------------------------
def _reference_control_ratio(text: str) -> float:
    controls = sum(1 for ch in text if ord(ch) < 0x20 and ch not in "\t\n\r\f\x1b")
    return controls / max(1, len(text))


def test_control_ratio_and_binary_guess_unchanged_on_random_data() -> None:
    rng = random.Random(12)
    for _ in range(400):
        density = rng.choice([0.0, 0.01, 0.03, 0.08, 0.2, 0.5])
        chars = [chr(rng.randrange(0x20)) if rng.random() < density else rng.choice("abc Жж\n\t\x1b\x7f字")
                 for _ in range(rng.randint(0, 300))]
        text = "".join(chars)
        assert decode._control_ratio(text) == _reference_control_ratio(text)
        for data in (text.encode("utf-8"), text.encode("utf-16-le"), bytes(rng.randrange(256) for _ in range(50))):
            assert decode._binary_controls(data) == sum(1 for b in data if (b < 0x20 or b == 0x7F)
                                                        and b not in decode._TEXT_CONTROLS)


def test_sentences_split_once_per_text_and_handed_out_as_fresh_lists() -> None:
    text = "Tokayev arrived in Tashkent. He met Mirziyoyev.\n\nThe talks ended."
    first = split_sentences(text)
    first.append(first[0])  # a caller's list is its own
    assert [s.text for s in split_sentences(text)] == ["Tokayev arrived in Tashkent.", "He met Mirziyoyev.",
                                                       "The talks ended."]
    assert split_sentences(text)[0] is split_sentences(text)[0]
