"""Eval gate: extraction quality on the gold sets must not drop below the pinned floors, and a
gold file cannot change without the floors being re-pinned (its digest is pinned with them)."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from steppewatch.evaluation import Score, run_eval

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PINNED = json.loads((FIXTURES / "eval_floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scores() -> dict[str, Score]:
    return {f"{s.gold_set}/{s.field}": s for s in run_eval(FIXTURES, FIXTURES / "seeds")}


@pytest.mark.parametrize("name", sorted(PINNED["gold_sha256"]))
def test_gold_file_unchanged_since_floors_were_pinned(name: str) -> None:
    digest = hashlib.sha256((FIXTURES / name).read_bytes()).hexdigest()
    assert digest == PINNED["gold_sha256"][name], f"{name} changed: re-pin tests/fixtures/eval_floors.json on purpose"


def test_every_visits_dev_text_is_scored(scores: dict[str, Score]) -> None:
    """All texts of the bundled visits_dev copy went through the pipeline (a failing text would
    score as 'found nothing' and only lower the numbers)."""
    gold = json.loads((FIXTURES / "visits_dev" / "gold.json").read_text(encoding="utf-8"))
    texts = scores["visits_dev/texts"]
    assert (texts.tp, texts.fn) == (len(gold["articles"]), 0)


@pytest.mark.parametrize("field", sorted(PINNED["floors"]))
def test_score_at_or_above_floor(scores: dict[str, Score], field: str) -> None:
    assert field in scores, f"eval no longer reports {field}"
    score = scores[field]
    for metric, floor in PINNED["floors"][field].items():
        value = getattr(score, metric)
        assert round(value, 3) >= floor, f"{field} {metric} {value:.3f} < floor {floor}"
