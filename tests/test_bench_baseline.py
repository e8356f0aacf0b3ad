"""The pure helpers of bench/baseline.py: candidate spans, the coco guard, and the scoring rules.

These need neither country_converter nor spaCy: the baselines themselves run in their own venv.
"""

from __future__ import annotations

import json
import re

from bench_support import load_bench_script

bl = load_bench_script("bench_baseline", "baseline.py")


def test_candidates_stay_inside_runs_of_capitalised_words_longest_first() -> None:
    spans = bl.candidate_spans("Kazakh President Kassym-Jomart Tokayev met U.S. Secretary of State Antony Blinken.")
    assert spans[0] == "Kazakh President Kassym-Jomart Tokayev"
    assert {"Kazakh", "U.S.", "U.S. Secretary", "State Antony Blinken"} <= set(spans)
    assert bl.candidate_spans("Evidence was presented by the US.") == ["Evidence", "US"]
    assert not any("met" in s or "Tokayev U.S." in s or "Secretary of" in s for s in spans)
    assert all(len(s.split()) <= 4 for s in spans)


def test_punctuation_ends_a_run_and_uzbek_apostrophes_stay_in_the_word() -> None:
    assert "Astana Kazakhstan" not in bl.candidate_spans("He flew to Astana, Kazakhstan on Monday.")
    spans = bl.candidate_spans("O\u02bbzbekiston va Qirg\u2018iziston, O'zbekiston va Afg`oniston")
    assert {"O\u02bbzbekiston", "Qirg\u2018iziston", "O'zbekiston", "Afg`oniston"} <= set(spans)


def test_chinese_sentences_split_on_full_stops_and_give_no_capitalised_candidates() -> None:
    text = "中国国家主席习近平在阿斯塔纳会见托卡耶夫。塔吉克斯坦与阿富汗边境局势保持稳定。Rahmon met Japarov. Then"
    assert bl.split_sentences(text) == [
        "中国国家主席习近平在阿斯塔纳会见托卡耶夫。", "塔吉克斯坦与阿富汗边境局势保持稳定。",
        "Rahmon met Japarov.", "Then"]
    assert bl.candidate_spans("塔吉克斯坦与阿富汗边境局势保持稳定。") == []


def test_short_words_reach_coco_only_in_capitals() -> None:
    assert [n for n in ("In", "At", "It", "By", "US", "UAE", "U.S", "Iran", "Chad") if bl.plausible_name(n)] == [
        "US", "UAE", "U.S", "Iran", "Chad"]


def test_longest_match_wins_and_skips_its_words() -> None:
    table = {"Papua New Guinea": {"PNG"}, "Guinea": {"GIN"}, "Kazakh": {"KAZ"}, "In": {"IND"}}

    def lookup(name: str) -> set[str]:
        return table.get(name, set())

    assert bl.longest_matches(["Papua", "New", "Guinea", "Kazakh"], lookup) == {"PNG", "KAZ"}
    assert bl.longest_matches(["In", "Guinea"], lookup) == {"GIN"}


def test_petr2_precision_counts_only_coded_sentences_and_never_the_soviet_union() -> None:
    t = bl.score_petr2_actors([({"KAZ", "USA"}, {"KAZ", "RUS", "SUN"}), (set(), {"CHN", "IND"})])
    assert (t.tp, t.fp, t.fn) == (1, 1, 1)
    assert (t.precision, t.recall) == (0.5, 0.5)


def test_seed_scores_count_must_not_hits_and_strict_counts_every_extra() -> None:
    gold, pred = {"USA", "KAZ", "SUN"}, {"USA", "KAZ", "MEX", "IND"}
    loose = bl.score_mentions([(gold, pred, {"MEX"})])
    strict = bl.score_mentions([(gold, pred, None)])
    assert (loose.tp, loose.fp, loose.fn) == (2, 1, 1)
    assert (strict.tp, strict.fp, strict.fn) == (2, 2, 1)
    assert round(strict.f1, 3) == round(2 * (2 / 4) * (2 / 3) / (2 / 4 + 2 / 3), 3)


def test_one_scoring_path_for_every_system() -> None:
    gold = {"petr2": {"p1": {"countries": ["RUS", "UKR"]}},
            "seeds": {"s1": {"countries": ["KAZ"], "must_not": ["MEX"]}},
            "multilingual": {"m1": {"countries": ["UZB"], "language": "uz"},
                             "m2": {"countries": [], "language": "ru"}}}
    scores = bl.score_system({"p1": ["RUS"], "s1": ["KAZ", "MEX"], "m1": ["UZB"], "m2": ["KGZ"]}, gold)
    assert {k: (v.tp, v.fp, v.fn) for k, v in scores.items()} == {
        "petr2 actor countries": (1, 0, 1), "seeds country mentions": (1, 1, 0),
        "seeds strict": (1, 1, 0), "multilingual": (1, 1, 0)}
    by_lang = bl.multilingual_by_language({"m1": ["UZB"], "m2": ["KGZ"]}, gold)
    assert by_lang["uz"].f1 == 1.0 and by_lang["ru"].precision == 0.0


def test_multilingual_gold_is_well_formed() -> None:
    rows = [json.loads(line) for line in bl.MULTILINGUAL_GOLD.read_text(encoding="utf-8").splitlines() if line]
    assert len(rows) >= 30
    assert len({r["id"] for r in rows}) == len(rows)
    assert {r["language"] for r in rows} == {"ru", "kk", "ky", "uz", "tg", "zh", "en"}
    assert all(re.fullmatch(r"[A-Z]{3}", c) for r in rows for c in r["countries"])
    assert all(len(r["text"]) > 10 for r in rows)
