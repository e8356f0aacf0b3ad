"""Issue 9 (ingest CPU), dates: day ranges read over the lower-cased text == read with re.IGNORECASE.

``dates._date_ranges`` runs the range patterns compiled case-sensitive over the lower-cased text where that
finds the same matches; the reference is the code as it was (each re.IGNORECASE pattern over the text).
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sys

from test_speed_equivalence import _fuzz_texts, _real_texts

from steppewatch.extract import dates
from steppewatch.extract.dates import DateRange
from steppewatch.extract.text import split_sentences

ANCHORS = (None, dt.date(2024, 3, 14), dt.date(2023, 1, 2))


def _reference_date_ranges(text: str, anchor: dt.date | None) -> list[DateRange] | str:
    """_date_ranges as it was: each re.IGNORECASE pattern's finditer over the text (or the error it raised)."""
    out: list[DateRange] = []
    try:
        for kind, pattern in dates._RANGES:
            for m in pattern.finditer(text):
                g = m.groups()
                if kind == "md-d":
                    m1, d1, m2, d2, year = (dates._month(g[0]), int(g[1]), dates._month(g[2]) if g[2] else None,
                                            int(g[3]), g[4])
                    m2 = m2 or m1
                else:
                    d1, m1_token, d2, m2, year = int(g[0]), g[1], int(g[2]), dates._month(g[3]), g[4]
                    m1 = dates._month(m1_token) if m1_token else m2
                y2 = dates._year_for(m2, d2, year, anchor)
                if y2 is None:
                    continue
                y1 = y2 - 1 if m1 > m2 else y2
                first, last = dates._safe_date(y1, m1, d1), dates._safe_date(y2, m2, d2)
                if first is None or last is None or not 0 < (last - first).days <= 31:
                    continue
                out.append(DateRange(m.start(), m.end(), m.group(0), first.isoformat(), last.isoformat()))
    except (KeyError, ValueError) as error:
        return repr(error)
    return sorted(out, key=lambda r: r.start)


def _new(text: str, anchor: dt.date | None) -> list[DateRange] | str:
    try:
        return list(dates._date_ranges.__wrapped__(text, anchor))
    except (KeyError, ValueError) as error:
        return repr(error)


_PIECES = ["March", "MARCH", "march", "Mar.", "mar", "Sept.", "SEPT", "sep", "May", "may", "Dec", "december", "Nov.",
           "1", "3", "12", "28", "31", "5th", "1st", "2nd", "3RD", "2023", "2024", "-", "–", "—", " to ", " TO ",
           " until ", " Until ", " through ", " THROUGH ", ",", ", ", ".", " ", "  ", "\n", "\u00a0", "from",
           "марта", "МАРТА", "января", "мая", "сентября", "октября", "ſep", "ſeptember", "Sept\u0131", "unt\u0131l",
           "throu\u0261h", "ᲀ", "ᲂктября", "\u212a", "İ", "ẞ", "ı", "Ꮃ", "x", "a5", "١٢", "٢٠٢٤"]


def _range_fuzz(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 14))) for _ in range(n)]


def test_date_ranges_over_the_lower_cased_text_equal_the_ignorecase_patterns() -> None:
    texts = [s.text for t in _real_texts() for s in split_sentences(t)] + _fuzz_texts(1500, seed=12)
    texts += _range_fuzz(6000, seed=13)
    texts += ["March 1-3, 2023", "1-3 March 2023", "from March 30 to April 2", "28 February to 1 March 2023",
              "MARCH 1 TO 3", "ſeptember 1–3", "Sept 1 unt\u0131l 3", "1 ᲂктября - 3 ᲂктября", "İ March 1-3, 2023"]
    found = 0
    for text in texts:
        for anchor in ANCHORS:
            want = _reference_date_ranges(text, anchor)
            assert _new(text, anchor) == want, (repr(text), anchor)
            found += bool(want) and not isinstance(want, str)
    assert found > 100


def test_ignorecase_letters_of_the_range_patterns_are_their_lower_case_but_the_extras() -> None:
    """What the lower-cased path relies on, over every code point: re.IGNORECASE matches a character to a
    letter of the patterns exactly when its lower case is that letter, except the characters in
    ``_RANGE_EXTRAS`` (looked for in the lower-cased text); and \\d, \\s, \\w read a character as its lower case."""
    chars = "".join(chr(code) for code in range(sys.maxunicode + 1) if len(chr(code).lower()) == 1)
    letters = {c for _, p in dates._RANGES for c in p.pattern if c.isalpha()}
    extras = set(dates._RANGE_EXTRAS)
    assert {"ı", "ſ"} <= extras and all(letter == letter.lower() for letter in letters)  # compiled lower-case
    for letter in sorted(letters):
        ignorecase = set(re.findall(f"(?i:{re.escape(letter)})", chars))
        lowered = {c for c in chars if c.lower() == letter.lower()}
        assert ignorecase - {c for c in ignorecase if c.lower() in extras} == lowered, letter
    for cls in (r"\d", r"\s", r"\w"):
        pattern = re.compile(cls)
        assert all(bool(pattern.match(c)) == bool(pattern.match(c.lower())) for c in chars), cls
