"""Issue 9 (ingest CPU), people: titles read only in the chunks around head words == read over every token.

``find_people`` tokenises only the chunks of text around the head words of titles (``people._title_chunks``);
the reference is the code as it was: one ``_TitleReader`` over all the text's tokens. Both run on the real
texts (visits_dev, seeds, multilingual gold), generated articles and fuzzed title/name/country texts, with
dates on which the data file's people hold no office (so the titles of known names are read too).
"""

from __future__ import annotations

import dataclasses
import random
import re
import sys
from pathlib import Path

import pytest
from test_speed_equivalence import _real_texts  # visits_dev, seeds and multilingual gold texts

from steppewatch.extract import people
from steppewatch.extract.gazetteer import default_gazetteer
from steppewatch.extract.text import match_key
from steppewatch.models import Mention, Person

ROOT = Path(__file__).resolve().parents[1]
DATES = (None, "2024-03-14", "1985-01-01")  # 1985: nobody in office, titles of known names read from the text


def _generated_texts(n: int) -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate  # bench/generate.py
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return [raw.data.decode("utf-8") for raw in generate.generate_articles(n, seed=3)]


# Pieces of titles, names, places and what breaks them, in every case a rule reads.
_PIECES = [
    "President", "president", "PRESIDENT", "Minister", "minister", "Foreign", "Deputy", "Special", "Representative",
    "Envoy", "Secretary", "Secretary-General", "Vice-President", "vice-president", "President-elect", "Ambassador",
    "Ambassador-at-large", "Chief", "chief", "Head", "head", "General", "general", "chargé", "Chargé", "d'Affaires",
    "Akim", "Mayor", "Governor", "Chairman", "Speaker", "Senator", "King", "KING", "\u212aing", "Leader", "Affairs",
    "Political", "Under", "Assistant", "Acting", "former", "Former", "then", "the", "The", "of", "for", "to", "and",
    "&", "on", "in", "at", "from", "with", "said", "met", "visited", "talks", "Monday", "Visits", "Dr.", "Mr.", "Gen.",
    "U.S.", "U.K.", "J.", "T.", "Antony", "Blinken", "Victoria", "Nuland", "Mukhtar", "Tileuberdi", "Tokayev",
    "Mirziyoyev", "Japarov", "Berdimuhamedov", "Kim", "Jong", "Un", "Sung", "de", "la", "von", "der", "bin", "al-Sisi",
    "O'Brien", "Kazakhstan", "Kazakh", "Kazakhstan's", "Uzbekistan", "United", "States", "Georgia", "Israel", "Israeli",
    "China", "Chinese", "Russia", "Almaty", "Moscow", "Tashkent", "Astana", "University", "Summit", "Doctrine", "'s",
    "’s", ",", ",", "(", ")", ".", ";", ":", "-", "—", "\"", "2024", "5", "\n", "İ", "ı", "Президент", "Токаев",
    "总统", "托卡耶夫", "Prezident", "Raisi", "Xitoy", "Si", "Szinpin",
]
_JOINS = [" ", " ", " ", " ", "", "  ", "\n", ", ", "\t", "\u00a0"]


def _fuzz_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) + rng.choice(_JOINS) for _ in range(rng.randint(1, 40))) for _ in range(n)]


def _crafted_texts() -> list[str]:
    return [
        "", " ", "President", "President Tokayev", "Kazakh Foreign Minister Mukhtar Tileuberdi met Antony Blinken.",
        "Under Secretary for Political Affairs Victoria Nuland said. Nuland visited Almaty.",
        "Special Representative for the DPRK Ambassador Sung Kim\nKim said",
        "the President of Georgia Mikheil Saakashvili",
        "Deputy Chief of Staff of the President of the Republic of Kazakhstan Timur Suleimenov",
        "said President-elect John Smith and Minister 5 Jane Doe",
        "Moscow Mayor Sergei Sobyanin, Almaty Akim Yerbolat Dossayev",
        "Kazakhstan's Ambassador to China, Shakhrat Nuryshev, said", "Minister\nJohn Smith", "Minister John\nSmith",
        "talks with U.S. Special Presidential Envoy for Climate John Kerry on Monday.", "PRESIDENT JOE BIDEN",
        "İlham President Aliyev", "\u212aing Charles",
        "Minister (Foreign Affairs) Ahmad Shah & Deputy Minister Ali Khan",
        "Mr. Smith, Minister de la Cruz said; Minister von der Leyen",
        "the minister al-Sisi met Chargé d'Affaires Ann Lee",
        "Jake Sullivan Doctrine; President John Smith University", "2024 Minister John Smith 2025 President Jane Roe",
        # gazetteer names holding a token that would bound a chunk ("va", "-", "de"): never a chunk's bound
        "Trinidad va Tobago Ambassador John Smith said", "the trinidad va Tobago Foreign Minister Amery Browne",
        "Papua - Yangi Gvineya Foreign Minister Justin Tkatchenko met", "Папуа - Янги Гвинея Minister John Smith",
        "LAO PEOPLE'S DEMOCRATIC REPUBLIC Ambassador Khamphao Ernthavanh", "Mayor of León de los Aldama Ale Flores",
        "Governor of Leon de los Aldama Jane Roe and Minister of Trinidad va Tobago John Smith",
    ]


def _texts() -> list[str]:
    return _crafted_texts() + _real_texts() + _generated_texts(150) + _fuzz_texts(1500, seed=9)


def _plain(result: tuple[list[Mention], list[Person]]) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    mentions, found = result
    return [dataclasses.astuple(m) for m in mentions], [dataclasses.astuple(p) for p in found]


def _reference_find_people(text: str, on_date: str | None, places: list[Mention],
                           monkeypatch: pytest.MonkeyPatch) -> object:
    """find_people as it was: one reader over every token of the text, every name pattern tried."""
    knowledge = people.default_people()
    chunked = people._title_readers
    with monkeypatch.context() as patch:
        patch.setattr(people, "_title_readers", lambda text, countries: chunked(text, countries, whole=True))
        patch.setattr(people, "_phrase", lambda readers, start, taken: readers[0][0].phrase(start, taken))
        patch.setattr(knowledge, "_gates", (None, None, None))
        return _plain(people.find_people(text, knowledge, on_date, places))


def test_people_read_in_chunks_equal_people_read_over_every_token(monkeypatch: pytest.MonkeyPatch) -> None:
    gazetteer, knowledge = default_gazetteer(), people.default_people()
    titled = 0
    for n, text in enumerate(_texts()):
        places = gazetteer.find(text)
        for on_date in DATES if n % 3 == 0 else DATES[1:2]:
            new = _plain(people.find_people(text, knowledge, on_date, places))
            assert new == _reference_find_people(text, on_date, places, monkeypatch), (on_date, text[:300])
            titled += sum(1 for m in new[0] if m[5] and m[5] not in knowledge.entity_ids)
    assert titled > 300  # names read after titles, not only known names


def _head_tokens(text: str) -> list[people._Tok]:
    return [t for t in people._tokens(text) if t.kind == "word" and t.low in people._HEADS]


def test_every_head_word_is_inside_a_chunk_and_chunks_are_bounded_by_breakers() -> None:
    gazetteer = default_gazetteer()
    heads = 0
    for text in _crafted_texts() + _real_texts()[:60] + _fuzz_texts(800, seed=10):
        places = gazetteer.find(text)
        every = people._tokens(text)
        chunks = people._title_chunks(text, places)
        covered = people._Covered(places)
        for tokens, to_end in chunks:
            first = every.index(tokens[0])
            assert every[first:first + len(tokens)] == tokens  # a run of the text's own tokens
            assert first == 0 or (people._is_breaker(tokens[0]) and not covered(tokens[0].start))
            assert (to_end and tokens[-1] == every[-1]) or (
                not to_end and people._is_breaker(tokens[-1]) and not covered(tokens[-1].start))
        inside = {t for tokens, _ in chunks for t in tokens}
        for head in _head_tokens(text):
            heads += 1
            assert head in inside, (head, text[:200])
    assert heads > 1000


def test_a_letter_and_its_lower_case_are_letters_alike_and_ignorecase_finds_every_head_letter() -> None:
    """What the head-word search relies on: on the lower-cased text (same length) a word token's neighbours stay
    non-letters; with re.IGNORECASE every character whose lower case is a head's letter matches that letter."""
    letter = re.compile(r"[^\W\d_]")
    alphabet = {c for head in people._HEADS for c in head}
    checked = 0
    for code in range(0x110000):
        c = chr(code)
        low = c.lower()
        if len(low) != 1:
            continue
        assert bool(letter.match(c)) == bool(letter.match(low)), hex(code)
        if low in alphabet:
            checked += 1
            assert re.fullmatch(f"(?i:{re.escape(low)})", c), hex(code)
    assert checked > len(alphabet)


@pytest.mark.parametrize("text", ["PRESIDENT JOE BIDEN", "\u212aING Charles III", "İlham Minister Aliyev",
                                  "the Vice-President Kamala Harris", "CHARGÉ D'AFFAIRES John Smith"])
def test_head_words_in_any_case_are_found(text: str) -> None:
    chunks = people._title_chunks(text, [])
    inside = {t for tokens, _ in chunks for t in tokens}
    assert _head_tokens(text) and all(t in inside for t in _head_tokens(text))


def test_tenures_by_person_equal_the_scan_of_the_data_file() -> None:
    knowledge = people.default_people()

    def held(entity_id: str) -> list[people.Tenure]:
        return [t for t in knowledge.tenures if t.entity_id == entity_id]

    dates = [None, "1990-06-01", "2000-01-01", "2016-09-02", "2019-03-20", "2022-01-05", "2024-03-14", "2030-01-01"]
    for entity_id in sorted(knowledge.entity_ids):
        assert knowledge.canonical(entity_id) == held(entity_id)[0].name
        assert knowledge.first_country(entity_id) == min(held(entity_id), key=lambda t: t.start).country
        for on_date in dates:
            tenure = knowledge.role_on(entity_id, on_date)
            assert tenure is None or tenure in held(entity_id)
            if on_date:
                current = [t for t in held(entity_id) if t.start <= on_date and (t.end is None or on_date <= t.end)]
                before = [t for t in held(entity_id) if t.start <= on_date]
                assert tenure == (current[0] if current else max(before, key=lambda t: t.start) if before else None)
            else:
                assert tenure == max(held(entity_id), key=lambda t: t.start)
    assert knowledge.role_on("nobody", "2024-01-01") is None and knowledge.first_country("nobody") is None
    with pytest.raises(StopIteration):
        knowledge.canonical("nobody")


def test_known_names_scanned_without_the_look_behind_equal_the_patterns() -> None:
    knowledge = people.default_people()
    assert [scan is not None for scan in knowledge._scans] == [True, True, False]
    rng = random.Random(14)
    keys = sorted(knowledge._entities_of)
    texts = _real_texts() + _fuzz_texts(300, seed=15)
    glue = ["", "x", "-", " ", "5", "_", "’", "ning", "ов"]  # before a key: a boundary or none
    texts += ["".join(rng.choice(glue) + rng.choice(keys)[:rng.randint(2, 30)] for _ in range(10))
              for _ in range(2000)]
    found = 0
    for text in texts:
        folded = match_key(text)
        for pattern, scan in zip(knowledge._patterns, knowledge._scans, strict=True):
            if scan is not None:
                want = [(m.span(), m.groups()) for m in pattern.finditer(folded)]
                assert [(m.span(), m.groups()) for m in people._after_boundary(scan, folded)] == want, text[:200]
                found += len(want)
    assert found > 1500
