"""Issue 9 (ingest CPU), cleaning: the aggregator headline tried only on paragraphs ending as it must == tried on
every paragraph (a mention's role set by the constructor: ``test_speed_prefilter``, beside ``shifted``)."""

from __future__ import annotations

import random

from test_speed_equivalence import _real_texts

from steppewatch.clean import boilerplate
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

