"""Issue 9 (ingest CPU), cleaning: the aggregator headline tried only on paragraphs ending as it must == tried on
every paragraph; control characters translated only in a text holding one == translated always (a mention's role
set by the constructor: ``test_speed_prefilter``, beside ``shifted``)."""

from __future__ import annotations

import random
import unicodedata

from test_speed_equivalence import _real_texts

from steppewatch.clean import boilerplate, decode
from steppewatch.clean.decode import clean_control_chars

_PIECES = ["Kazakhstan signs gas deal with China", "Tokayev visits Tashkent for talks", " ", "  ", "\n", "\t", "x",
           "via", "Via", "VIA", "By", "by", " via", " By ", *boilerplate.AGENCIES, "Reuters via", "By Reuters",
           "Xinhua News Agency via", "24.kg", "Kun.uz", "RFE/RL", "ReutersX", "AP", "APvia", ".", "\u00a0", "\n\n"]


def _paragraphs() -> list[str]:
    paras = [p for text in _real_texts() for p in boilerplate._paragraphs(clean_control_chars(text))]
    rng = random.Random(21)
    paras += ["".join(rng.choice(_PIECES) + rng.choice(["", " "]) for _ in range(rng.randint(1, 9)))
              for _ in range(5000)]
    paras += ["Kazakhstan and China sign a gas deal Reuters via", "Kazakhstan and China sign a gas deal By Reuters",
              "Kazakhstan and China sign a gas deal By Reuters \n", "Kazakhstan and China sign a gas deal AFP via\n",
              "short Reuters via", "Kazakhstan and China sign a gas deal Reuters via\n\n", "A" * 300 + " Reuters via"]
    return paras


def test_aggregator_headline_gate_equals_the_pattern_on_every_paragraph() -> None:
    matched = 0
    for para in _paragraphs():
        want = boilerplate._AGGREGATOR_HEADLINE.match(para)
        got = boilerplate._aggregator_headline(para)
        assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups())), repr(para)
        matched += want is not None
    assert matched > 50



def _reference_clean_control_chars(text: str) -> str:
    """clean_control_chars as it was: the table applied to every text."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n")
    text = decode._ANSI_RE.sub("", text)
    text = decode._SURROGATE_RE.sub("", text)
    text = text.translate(decode._CONTROL_TRANSLATION)
    if "\u200c" in text or "\u200d" in text:
        text = decode._strip_joiners(text)
    return unicodedata.normalize("NFC", text)


def test_control_characters_removed_as_before() -> None:
    rng = random.Random(23)
    table = [chr(c) for c in decode._CONTROL_TRANSLATION]
    texts = _real_texts()
    texts += ["".join(rng.choice([*table, "a", "Ж", " ", "\n", "\r\n", "\u200c", "\u0627", "\x1b[31m", "e\u0301",
                                  "\ud800", "\t"]) for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    changed = 0
    for text in texts:
        want = _reference_clean_control_chars(text)
        assert clean_control_chars(text) == want, repr(text)
        changed += want != text
    assert changed > 2000 and set(table) <= set(decode._CONTROL_CHAR_RE.findall("".join(table)))
