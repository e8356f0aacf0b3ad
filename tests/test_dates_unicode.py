"""Month and weekday names spelt with any letter re.IGNORECASE takes for an ASCII one ("ſeptember" with a
long s, a Kelvin sign for k) are read, never a crash that fails the article."""

from __future__ import annotations

import datetime as dt
import re

from steppewatch.extract.dates import find_date_ranges, find_dates

# (re.IGNORECASE equates an ASCII letter only with letters below U+2200: \u017f, \u0130, \u212a ...)
LOOKALIKES = {ch: [c for c in map(chr, range(0x80, 0x2200)) if re.fullmatch(ch, c, re.I)]
              for ch in "abcdefghijklmnopqrstuvwxyz"}


def _variants(word: str) -> list[str]:
    return [word[:i] + alt + word[i + 1:] for i, ch in enumerate(word) for alt in LOOKALIKES.get(ch, [])]


def test_lookalike_letters_in_month_and_weekday_names_do_not_crash() -> None:
    anchor = dt.date(2023, 3, 1)
    months = ["september", "sep", "march", "december", "january", "august", "october", "november"]
    spelt = [v for m in months for v in _variants(m)]
    assert spelt, "no lookalike letters found: the test would check nothing"
    for month in spelt:
        for text in (f"from 3 to 5 {month} 2023", f"on 5 {month} 2023", f"{month} 3-5, 2023"):
            find_date_ranges(text, anchor)
            find_dates(text, anchor)
    for day in [v for w in ("sunday", "tuesday", "thursday") for v in _variants(w)]:
        find_dates(f"talks on {day} in Astana", anchor)


def test_a_long_s_september_is_september() -> None:
    ranges = find_date_ranges("from 3 to 5 ſeptember 2023", dt.date(2023, 3, 1))
    assert [(r.first, r.last) for r in ranges] == [("2023-09-03", "2023-09-05")]
