"""Issue 9 (ingest CPU), events: a sentence's masked copy built only where there is something to blank ==
built character by character."""

from __future__ import annotations

import datetime as dt
import random

from test_speed_equivalence import _real_texts

from steppewatch.extract import events_en
from steppewatch.extract.dates import DateMention, find_dates
from steppewatch.extract.text import split_sentences


def _reference_mask(text: str, dates: list[DateMention], anchor: dt.date | None = None) -> str:
    """_mask as it was."""
    chars = list(text)
    spans = [(d.start, d.end) for d in dates] + [(r.start, r.end) for r in events_en._date_ranges(text, anchor)]
    for lo, hi in spans:
        for i in range(max(0, lo), min(len(chars), hi)):
            chars[i] = " "
    return events_en._ACRONYM.sub(lambda m: " " * len(m.group(0)), "".join(chars))


def test_mask_equals_the_character_by_character_mask() -> None:
    rng = random.Random(31)
    sentences = [s.text for t in _real_texts() for s in split_sentences(t)]
    sentences += ["Blinken (NATO) met the EU (E.U.) envoy on March 1-3, 2023 (UN)", "(OSCE)", "()", "", "March 5"]
    blanked = 0
    for text in sentences:
        for anchor in (None, dt.date(2024, 3, 14)):
            dates = find_dates(text, anchor)
            odd = [DateMention(rng.randint(-5, len(text) + 5), rng.randint(-5, len(text) + 5), "x", "absolute",
                               None, "day") for _ in range(rng.randint(0, 2))]  # spans past either end, empty
            for given in (dates, dates + odd, []):
                want = _reference_mask(text, given, anchor)
                assert events_en._mask(text, given, anchor) == want, text
                blanked += want != text
    assert blanked > 500


def test_clause_starts_from_the_cache_equal_the_scan() -> None:
    """The rules ask for the clause of the same position again: the cached answer is the scan's, for every
    position of real sentences (the function reads nothing but its arguments)."""
    events_en._clause_start.cache_clear()
    opened = 0
    for text in [s.text for t in _real_texts()[:40] for s in split_sentences(t)]:
        masked = events_en._mask(text, find_dates(text, None))
        for position in range(0, len(masked) + 1, 3):
            want = events_en._clause_start.__wrapped__(masked, position)
            assert events_en._clause_start(masked, position) == want == events_en._clause_start(masked, position)
            opened += want[1] is not None
    assert opened > 1000 and events_en._clause_start.cache_info().hits > 1000
