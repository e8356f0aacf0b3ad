"""visits_dev scoring (steppewatch.evaluation.eval_visits) on a tiny hand-made gold folder, with a
stub extractor so the rules of ../shared/checks/visits_eval.py are tested apart from the extractor."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from steppewatch import evaluation  # noqa: E402
from steppewatch.evaluation import (  # noqa: E402
    SetScore,
    eval_visits,
    find_visits_dev,
    format_table,
    run_eval,
    visits_matrix,
)
from steppewatch.models import Article, Event, Mention, ProcessedArticle  # noqa: E402

VISIT_ID = "sd-2023-03-01-blinken-tashkent"
CALL_ID = "kr-2022-01-13-kaz-call"
LONG_SOURCE = "U.S. Department of State, Office of the Spokesperson, Washington DC, press releases"
TEXTS = {
    VISIT_ID: "Secretary Blinken's travel to Uzbekistan\n\nSecretary of State Antony Blinken traveled to "
              "Tashkent on March 1, 2023 and met President Mirziyoyev.\n",
    CALL_ID: "Telephone conversation with President of Kazakhstan\n\nVladimir Putin had a telephone "
             "conversation with President of Kazakhstan Kassym-Jomart Tokayev.\n",
}


def visit(visitor: str, host: str, status: str, date: str | None = None, explicit: bool = True) -> dict[str, Any]:
    return {"visitor": "X", "visitor_country": visitor, "host_country": host, "place": None, "date": date,
            "status": status, "explicit": explicit, "evidence": "x"}


def meeting(countries: list[str], mode: str, status: str = "occurred") -> dict[str, Any]:
    return {"participants": [], "countries": countries, "place": None, "date": None, "status": status,
            "mode": mode, "evidence": "x"}


GOLD = [
    {"id": VISIT_ID, "file": f"texts/{VISIT_ID}.txt", "source": LONG_SOURCE, "url": None,
     "published": "2023-03-01", "countries": ["USA", "UZB", "SUN"], "tags": ["hard:multi_leg", "ca:core"],
     "visits": [visit("USA", "UZB", "occurred", "2023-03-01"),        # found, with its date
                visit("USA", "KGZ", "planned", explicit=False),       # missed; implied only: not in explicit recall
                visit("USA", "KAZ", "historical", "1995-05-01")],     # historical: left out on both sides
     "meetings": [meeting(["USA", "UZB"], "in_person")]},
    {"id": CALL_ID, "file": f"texts/{CALL_ID}.txt", "source": "President of Russia", "url": "http://en.kremlin.ru/x/1",
     "published": "2022-01-13", "countries": ["RUS", "KAZ"], "tags": ["hard:phone"],
     "visits": [],
     "meetings": [meeting(["RUS", "KAZ"], "phone")]},  # a phone call: no meeting here
]


def event(type_: str, actor: str, host: str | None, status: str = "occurred", date: str | None = None,
          participants: tuple[str, ...] = (), mode: str = "in_person") -> Event:
    return Event(type=type_, actor="X", actor_country=actor, host_country=host, place=None, date=date,
                 status=status, evidence="x", evidence_start=0, evidence_end=1, participants=participants, mode=mode)


def country(iso3: str, kind: str = "country") -> Mention:
    return Mention(kind=kind, text=iso3, start=0, end=3, iso3=iso3)


# What the stub "finds" in each text, keyed by the URL eval_visits gives it.
FOUND = {
    f"https://dev.invalid/{VISIT_ID}": (
        [country("USA"), country("UZB"), country("SUN"),
         country("KAZ", kind="place")],                                # a place mention: not a country here
        [event("visit", "USA", "UZB", date="2023-03-01T00:00"),       # date compared as date[:10]
         event("visit", "USA", "TJK", status="planned"),              # wrong: a false positive
         event("visit", "USA", "AFG", status="cancelled"),            # cancelled: left out
         event("meeting", "USA", None, participants=("UZB",))]),      # {USA, UZB}: matches the gold meeting
    "http://en.kremlin.ru/x/1": (
        [country("RUS"), country("KAZ")],
        [event("call", "RUS", None, participants=("RUS", "KAZ"), mode="phone")]),  # a call is no meeting
}


class StubExtractor:
    """Returns the facts of ``FOUND`` for each article and remembers the articles it was given."""

    def __init__(self, fail: str | None = None) -> None:
        self.seen: dict[str, Article] = {}
        self.fail = fail

    def run(self, article: Article) -> ProcessedArticle:
        assert article.url is not None
        self.seen[article.url] = article
        if self.fail and self.fail in article.url:
            raise RuntimeError("extraction failed")
        mentions, events = FOUND[article.url]
        return ProcessedArticle(article=article, mentions=list(mentions), people=[], events=list(events))


def make_gold(folder: Path) -> Path:
    (folder / "texts").mkdir(parents=True)
    for article in GOLD:
        (folder / article["file"]).write_text(TEXTS[article["id"]], encoding="utf-8")
    (folder / "gold.json").write_text(json.dumps({"version": 1, "articles": GOLD}), encoding="utf-8")
    return folder


@pytest.fixture()
def gold_dir(tmp_path: Path) -> Path:
    return make_gold(tmp_path / "visits")


def counts(scores: list[Any], gold_set: str = "visits_dev") -> dict[str, tuple[int, int, int]]:
    return {s.field: (s.tp, s.fp, s.fn) for s in scores if s.gold_set == gold_set}


def test_rules_of_visits_eval(gold_dir: Path) -> None:
    scores = eval_visits(gold_dir, StubExtractor())  # type: ignore[arg-type]
    assert counts(scores) == {
        "texts": (2, 0, 0),
        "visits": (1, 1, 1),            # USA-UZB found, USA-TJK wrong, USA-KGZ missed
        "explicit visits": (1, 0, 0),   # USA-KGZ is implied only
        "dated visits": (1, 0, 0),      # 2023-03-01 matches
        "meetings": (1, 0, 0),          # the phone call counts on neither side
        "countries": (4, 0, 0),         # SUN and the place mention left out
    }


def test_subsets_by_source_and_hard_case(gold_dir: Path) -> None:
    scores = eval_visits(gold_dir, StubExtractor())  # type: ignore[arg-type]
    assert [s.gold_set for s in scores if s.field == "texts"] == [
        "visits_dev", "visits_dev:kr", "visits_dev:rest", "visits_dev:hard:multi_leg", "visits_dev:hard:phone"]
    assert counts(scores, "visits_dev:kr") == {
        "texts": (1, 0, 0), "visits": (0, 0, 0), "explicit visits": (0, 0, 0), "dated visits": (0, 0, 0),
        "meetings": (0, 0, 0), "countries": (2, 0, 0)}
    assert counts(scores, "visits_dev:rest")["visits"] == (1, 1, 1)
    assert "visits_dev:ca:core" not in {s.gold_set for s in scores}  # only hard:* tags make subsets
    phone = {s.field: s.as_row() for s in scores if s.gold_set == "visits_dev:hard:phone"}
    # nothing to find and nothing found: no score rather than a perfect or a zero one
    assert (phone["meetings"]["precision"], phone["meetings"]["recall"], phone["meetings"]["f1"]) == (None, None, None)


def test_each_text_is_fed_as_the_bulk_row_of_visits_eval(gold_dir: Path) -> None:
    stub = StubExtractor()
    eval_visits(gold_dir, stub)  # type: ignore[arg-type]
    fed = stub.seen[f"https://dev.invalid/{VISIT_ID}"]  # no url in the gold: https://dev.invalid/ID
    assert fed.title == "Secretary Blinken's travel to Uzbekistan"  # the first line
    assert fed.source == LONG_SOURCE[:60]
    assert (fed.published, fed.language) == ("2023-03-01", "en")
    assert "traveled to Tashkent on March 1, 2023" in fed.text
    assert stub.seen["http://en.kremlin.ru/x/1"].published == "2022-01-13"


def test_a_text_that_fails_counts_as_missing(gold_dir: Path) -> None:
    scores = eval_visits(gold_dir, StubExtractor(fail="kremlin"))  # type: ignore[arg-type]
    assert counts(scores)["texts"] == (1, 0, 1)
    assert counts(scores)["countries"] == (2, 0, 2)  # its countries are all missed
    assert "1 more could not be processed" in format_table(scores)


def test_rows_for_the_store_and_the_tables(gold_dir: Path) -> None:
    scores = eval_visits(gold_dir, StubExtractor())  # type: ignore[arg-type]
    rows = {s.field: s.as_row() for s in scores if s.gold_set == "visits_dev"}
    assert rows["visits"]["f1"] == 0.5
    assert "kind" not in rows["visits"]
    assert (rows["explicit visits"]["precision"], rows["explicit visits"]["recall"],
            rows["explicit visits"]["f1"]) == (None, 1.0, None)  # recall only
    assert (rows["texts"]["tp"], rows["texts"]["recall"]) == (2, None)
    matrix = {m["subset"]: m for m in visits_matrix([s.as_row() for s in scores])}
    assert list(matrix) == ["all", "kr", "rest", "hard:multi_leg", "hard:phone"]
    assert (matrix["all"]["texts"], matrix["all"]["visits F1"], matrix["all"]["dated R"]) == (2, 0.5, 1.0)
    assert matrix["kr"]["visits P"] is None
    table = format_table(scores)
    assert "visits_dev explicit visits" in table
    assert "visits_dev: 2 texts (1 kr = Kremlin, 1 rest = US Government)" in table
    assert "hard:phone" in table and "visits_dev:kr" not in table


def test_run_eval_finds_visits_dev_in_the_gold_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gold = tmp_path / "gold"
    make_gold(gold / "visits_dev")
    scores = run_eval(gold, extractor=StubExtractor())  # type: ignore[arg-type]
    assert counts(scores)["visits"] == (1, 1, 1)
    assert find_visits_dev(gold) == gold / "visits_dev"
    # no visits_dev in the folder and none beside the checkout: nothing to score
    monkeypatch.setattr(evaluation.settings, "PROJECT_ROOT", tmp_path / "elsewhere" / "main")
    (tmp_path / "empty").mkdir()
    assert find_visits_dev(tmp_path / "empty") is None
    assert run_eval(tmp_path / "empty", extractor=StubExtractor()) == []  # type: ignore[arg-type]
    # ... but one beside the checkout (../shared/eval/visits_dev) is found
    make_gold(tmp_path / "elsewhere" / "shared" / "eval" / "visits_dev")
    assert find_visits_dev(tmp_path / "empty") == tmp_path / "elsewhere" / "shared" / "eval" / "visits_dev"


def test_set_score_undefined_metrics_are_none() -> None:
    assert SetScore("visits_dev", "visits", 0, 3, 0).as_row()["recall"] is None
    assert SetScore("visits_dev", "visits", 0, 3, 0).as_row()["precision"] == 0.0
    assert SetScore("visits_dev", "visits", 0, 0, 2).as_row()["precision"] is None


CHECK = ROOT.parent / "shared" / "checks" / "visits_eval.py"


@pytest.mark.skipif(not CHECK.exists(), reason="../shared/checks/visits_eval.py is not beside the checkout")
def test_bundled_copy_agrees_with_the_outside_check() -> None:
    """The in-process scores equal what visits_eval.py gets through ingest and export (same moment)."""
    gold = ROOT / "tests" / "fixtures" / "visits_dev"
    mine = {s.field: s.as_row() for s in eval_visits(gold) if s.gold_set == "visits_dev"}
    run = subprocess.run([sys.executable, str(CHECK), sys.executable, str(gold)], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    check = json.loads(run.stdout.splitlines()[0])

    def prf(field: str) -> list[object]:
        return [mine[field]["precision"], mine[field]["recall"], mine[field]["f1"]]

    assert check["missing"] == 0
    assert prf("visits") == check["visits_prf"]
    assert mine["explicit visits"]["recall"] == check["explicit_visit_recall"]
    assert mine["dated visits"]["recall"] == check["dated_visit_recall"]
    assert prf("meetings") == check["meetings_prf"]
    assert prf("countries") == check["countries_prf"]
