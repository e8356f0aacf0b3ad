"""Quality page: eval-run queries on a real store file, the below-floor flags, the trend figure,
and AppTest of views/quality.py (a recorded run, an empty store, the run button)."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from store_factory import SPECS, build_store  # noqa: E402

from components import quality_view  # noqa: E402
from components.quality_view import (  # noqa: E402
    below_floor_fields,
    build_f1_trend,
    in_ten,
    load_floors,
    quality_table,
    shortfalls,
    split_latest,
    visits_dev_breakdown,
    visits_dev_failed,
    visits_dev_flagged,
    visits_dev_sentence,
    visits_dev_table,
    visits_dev_texts,
)
from steppewatch import settings  # noqa: E402
from steppewatch.evaluation import Score, SetScore  # noqa: E402
from steppewatch.query.quality import eval_history, eval_version, latest_eval, quality_summary  # noqa: E402
from steppewatch.store.db import Store, open_store  # noqa: E402

PAGE = str(ROOT / "views" / "quality.py")
# Floors owned by these tests (the real pins move as the extractor improves); same format as
# tests/fixtures/eval_floors.json.
FLOORS = {"seeds/country mentions": {"precision": 1.0, "recall": 1.0},
          "petr2/actor countries": {"recall": 0.98, "precision": 0.84},
          "petr2/visits": {"recall": 1.0, "f1": 0.66},
          "petr2/meetings": {"f1": 0.88},
          "visits_dev/visits": {"f1": 0.40},
          "visits_dev/explicit visits": {"recall": 0.50}}

# Two runs: the older one from an earlier extractor with petr2 visits below its floor.
OLD_RUN = [Score("seeds", "country mentions", 18, 0, 1), Score("petr2", "visits", 1, 3, 1)]
NEW_RUN = [Score("seeds", "country mentions", 19, 0, 0), Score("petr2", "visits", 2, 2, 0),
           Score("petr2", "meetings", 8, 1, 1)]


# A visits_dev run as eval_visits records it: all texts, the kr / rest subsets and one hard case.
VISITS_RUN: list[Score] = [
    SetScore("visits_dev", "texts", 100, 0, 0, kind="count"),
    SetScore("visits_dev", "visits", 36, 19, 84),                        # P 0.655, F1 0.411
    SetScore("visits_dev", "explicit visits", 35, 0, 71, kind="recall"),  # R 0.330 < floor 0.50
    SetScore("visits_dev", "dated visits", 5, 0, 14, kind="recall"),      # R 0.263
    SetScore("visits_dev", "meetings", 18, 74, 130),                     # P 0.196, R 0.122
    SetScore("visits_dev", "countries", 488, 8, 21),                     # P 0.984, R 0.959
    SetScore("visits_dev:kr", "texts", 43, 0, 0, kind="count"),
    SetScore("visits_dev:kr", "visits", 2, 3, 10),
    SetScore("visits_dev:rest", "texts", 57, 0, 0, kind="count"),
    SetScore("visits_dev:rest", "visits", 34, 16, 74),
    SetScore("visits_dev:hard:phone", "texts", 25, 0, 0, kind="count"),
    SetScore("visits_dev:hard:phone", "meetings", 0, 0, 0),
]
VISITS_SENTENCE = (
    "About 7 in 10 visits on the timeline are real; the timeline finds about 3 in 10 of the visits stated "
    "in these official texts and puts about 3 in 10 of the dated visits that took place on the right day; "
    "about 2 in 10 meetings found are real, and about 1 in 10 of the meetings held in person are found; "
    "countries on the map are right more than 9 in 10 times, and it misses fewer than 1 in 10 of the "
    "countries a text names.")


def record(store: Store, scores: list[Score], version: str, at: str, run_id: str | None = None) -> str:
    """Record one run with save_eval_run, then pin its time and id (it stamps 'now', and two runs
    saved within one second with one version would otherwise share an id)."""
    before = store.con.execute("SELECT coalesce(max(rowid), 0) FROM eval_runs").fetchone()[0]
    store.save_eval_run([s.as_row() for s in scores], version)
    run_id = run_id or f"run-{at}"
    store.con.execute("UPDATE eval_runs SET at = ?, run_id = ? WHERE rowid > ?", (at, run_id, before))
    store.con.commit()
    return run_id


def two_run_store(path: Path, new_version: str = settings.EXTRACTOR_VERSION) -> tuple[Path, str, str]:
    build_store(path, SPECS[:1])
    with open_store(path) as store:
        # recorded newest first, so insertion order alone cannot pass the ordering tests
        new = record(store, NEW_RUN, new_version, "2026-11-20T09:30:00+00:00")
        old = record(store, OLD_RUN, "2026.01.01-1", "2026-10-01T08:00:00+00:00")
    return path, old, new


@pytest.fixture()
def runs_store(tmp_path: Path) -> tuple[Path, str, str]:
    return two_run_store(tmp_path / "store.db")


# -- queries ---------------------------------------------------------------------------------
def test_latest_run_wins(runs_store: tuple[Path, str, str]) -> None:
    path, _, new = runs_store
    with open_store(path, read_only=True) as store:
        latest = latest_eval(store)
    assert set(latest["run_id"]) == {new}
    assert list(zip(latest["gold_set"], latest["field"], strict=True)) == [
        ("seeds", "country mentions"), ("petr2", "visits"), ("petr2", "meetings")]
    visits = latest[latest["field"] == "visits"].iloc[0]
    assert (visits["tp"], visits["fp"], visits["fn"]) == (2, 2, 0)
    assert visits["precision"] == pytest.approx(0.5)
    assert visits["f1"] == pytest.approx(round(NEW_RUN[1].f1, 3))


def test_history_is_ordered_oldest_first(runs_store: tuple[Path, str, str]) -> None:
    path, old, new = runs_store
    with open_store(path, read_only=True) as store:
        history = eval_history(store)
    assert list(dict.fromkeys(history["run_id"])) == [old, new]
    mentions = history[history["field"] == "country mentions"]
    assert list(mentions["f1"]) == [round(OLD_RUN[0].f1, 3), 1.0]
    assert list(history["extractor_version"].unique()) == ["2026.01.01-1", settings.EXTRACTOR_VERSION]


def test_history_keeps_only_the_newest_runs(runs_store: tuple[Path, str, str]) -> None:
    path, _, new = runs_store
    with open_store(path, read_only=True) as store:
        assert set(eval_history(store, runs=1)["run_id"]) == {new}


def test_summary_compares_the_extractor_version(tmp_path: Path) -> None:
    path, _, new = two_run_store(tmp_path / "store.db")
    with open_store(path, read_only=True) as store:
        summary = quality_summary(store)
        assert summary is not None
        assert (summary.run_id, summary.n_runs, summary.date) == (new, 2, "2026-11-20 09:30")
        assert summary.is_current
        assert not quality_summary(store, current_version="2027.01.01-1").is_current  # type: ignore[union-attr]


def test_same_second_runs_do_not_duplicate_rows(tmp_path: Path) -> None:
    """Run ids come from (second, version): two quick runs may share one; the table keeps one row per field."""
    path = build_store(tmp_path / "store.db", SPECS[:1])
    with open_store(path) as store:
        record(store, OLD_RUN, "v", "2026-11-20T09:30:00+00:00", run_id="same")
        record(store, NEW_RUN, "v", "2026-11-20T09:30:00+00:00", run_id="same")
        latest = latest_eval(store)
        assert len(latest) == 3
        assert latest[latest["field"] == "visits"].iloc[0]["tp"] == 2


def test_empty_and_pre_eval_stores(tmp_path: Path) -> None:
    path = build_store(tmp_path / "store.db", SPECS[:1])
    with open_store(path, read_only=True) as store:
        assert latest_eval(store).empty
        assert eval_history(store).empty
        assert quality_summary(store) is None
    # a store written before eval_runs existed, opened read-only as the dashboard does
    old = tmp_path / "old.db"
    sqlite3.connect(old).execute("CREATE TABLE articles (id TEXT)").connection.commit()
    with open_store(old, read_only=True) as store:
        assert quality_summary(store) is None
        assert latest_eval(store).empty
        assert eval_version(store) == "none"


def test_eval_version_changes_when_a_run_is_recorded(tmp_path: Path) -> None:
    path = build_store(tmp_path / "store.db", SPECS[:1])
    with open_store(path) as store:
        before = eval_version(store)
        store.save_eval_run([s.as_row() for s in NEW_RUN], "v")
        assert eval_version(store) != before


# -- floors and the table --------------------------------------------------------------------
def write_floors(path: Path) -> Path:
    path.write_text(json.dumps({"about": "test pins", "gold_sha256": {}, "floors": FLOORS}), encoding="utf-8")
    return path


def test_floors_are_read_from_the_pinned_file(tmp_path: Path) -> None:
    assert load_floors(write_floors(tmp_path / "floors.json")) == FLOORS
    assert load_floors(tmp_path / "missing.json") == {}
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    assert load_floors(tmp_path / "bad.json") == {}
    pinned = load_floors()  # the real pins: every gold set / field has at least one metric floor
    assert pinned and all("/" in name and floors for name, floors in pinned.items())


@pytest.mark.parametrize(("score", "expected"), [
    (Score("petr2", "visits", 2, 2, 0), []),  # f1 0.667 >= 0.66, recall 1.0
    (Score("petr2", "visits", 1, 3, 1), ["recall 0.500 < 1.000", "f1 0.333 < 0.660"]),
    (Score("seeds", "country mentions", 18, 0, 1), ["recall 0.947 < 1.000"]),
    (Score("petr2", "actor countries", 111, 20, 1), []),  # precision 0.847 >= 0.84
    (Score("petr2", "actor countries", 100, 25, 1), ["precision 0.800 < 0.840"]),
    (Score("seeds", "unknown field", 0, 9, 9), []),  # no floor pinned: never flagged
])
def test_shortfalls_against_floors(score: Score, expected: list[str]) -> None:
    assert shortfalls(score.as_row(), FLOORS) == expected


def test_quality_table_flags_rows_below_floor() -> None:
    latest = pd.DataFrame([s.as_row() for s in [*OLD_RUN, NEW_RUN[2]]])
    table = quality_table(latest, FLOORS)
    assert list(table["below floor"]) == [True, True, False]
    assert below_floor_fields(table) == ["seeds / country mentions", "petr2 / visits"]
    assert table.loc[1, "floor"] == "R ≥ 1.00, F1 ≥ 0.66"
    assert table.loc[1, "shortfall"] == "recall 0.500 < 1.000; f1 0.333 < 0.660"
    assert below_floor_fields(quality_table(latest, {})) == []


def test_f1_trend_has_one_line_per_field_in_time_order(runs_store: tuple[Path, str, str]) -> None:
    path, _, _ = runs_store
    with open_store(path, read_only=True) as store:
        fig = build_f1_trend(eval_history(store))
    lines = {t.name: t for t in fig.data}
    assert set(lines) == {"seeds / country mentions", "petr2 / visits", "petr2 / meetings"}
    visits = lines["petr2 / visits"]
    assert [str(x)[:10] for x in visits.x] == ["2026-10-01", "2026-11-20"]
    assert list(visits.y) == [round(OLD_RUN[1].f1, 3), round(NEW_RUN[1].f1, 3)]
    assert len(lines["petr2 / meetings"].x) == 1  # only in the newer run
    assert len(build_f1_trend(eval_history_empty()).data) == 0


def eval_history_empty() -> pd.DataFrame:
    from steppewatch.query.quality import HISTORY_COLUMNS

    return pd.DataFrame(columns=HISTORY_COLUMNS)


# -- visits_dev -------------------------------------------------------------------------------
def visits_latest(scores: list[Score] = VISITS_RUN) -> pd.DataFrame:
    return pd.DataFrame([s.as_row() for s in [*NEW_RUN, *scores]])


def test_latest_run_splits_into_visits_dev_and_the_rest() -> None:
    visits, others = split_latest(visits_latest())
    assert set(others["gold_set"]) == {"seeds", "petr2"}
    assert len(visits) == len(VISITS_RUN)
    assert visits_dev_texts(visits) == {"all": 100, "kr": 43, "rest": 57, "hard:phone": 25}
    assert visits_dev_failed(visits) == 0
    failing = split_latest(visits_latest([SetScore("visits_dev", "texts", 98, 0, 2, kind="count")]))[0]
    assert visits_dev_failed(failing) == 2


def test_visits_dev_table_has_every_field_with_floor_and_result() -> None:
    visits, _ = split_latest(visits_latest())
    table = visits_dev_table(visits, FLOORS)
    assert list(table["field"]) == ["visits", "explicit visits", "dated visits", "meetings", "countries"]
    rows = table.set_index("field")
    assert (rows.loc["visits", "precision"], rows.loc["visits", "F1"]) == (0.655, 0.411)
    assert (rows.loc["visits", "floor"], rows.loc["visits", "result"]) == ("F1 ≥ 0.40", "pass")
    assert (rows.loc["explicit visits", "result"], rows.loc["explicit visits", "shortfall"]) == (
        "fail", "recall 0.330 < 0.500")
    assert pd.isna(rows.loc["explicit visits", "precision"]) and pd.isna(rows.loc["explicit visits", "fp"])
    assert rows.loc["dated visits", "result"] == ""  # no floor pinned in these tests
    assert visits_dev_flagged(table) == ["visits_dev / explicit visits"]
    assert split_latest(pd.DataFrame(columns=quality_view.TABLE_COLUMNS))[0].empty


def test_visits_dev_breakdown_by_subset() -> None:
    visits, _ = split_latest(visits_latest())
    breakdown = visits_dev_breakdown(visits)
    assert list(breakdown["subset"]) == ["all", "kr", "rest", "hard:phone"]
    assert list(breakdown["texts"]) == [100, 43, 57, 25]
    assert breakdown.loc[1, "visits F1"] == round(VISITS_RUN[7].f1, 3)
    assert pd.isna(breakdown.loc[3, "meetings P"])  # nothing found, nothing to find: no score


@pytest.mark.parametrize(("share", "words"), [
    (0.655, "about 7 in 10"), (0.3, "about 3 in 10"), (0.984, "more than 9 in 10"), (0.04, "fewer than 1 in 10"),
    (1.0, "10 in 10"), (0.0, "0 in 10"), (0.25, "about 3 in 10"), (0.949, "about 9 in 10"),
])
def test_shares_in_words(share: float, words: str) -> None:
    assert in_ten(share) == words


def test_visits_dev_sentence_comes_from_the_numbers() -> None:
    visits, _ = split_latest(visits_latest())
    assert visits_dev_sentence(visits) == VISITS_SENTENCE
    better = [SetScore("visits_dev", "visits", 9, 1, 11), SetScore("visits_dev", "countries", 50, 0, 50)]
    assert visits_dev_sentence(split_latest(visits_latest(better))[0]) == (
        "About 9 in 10 visits on the timeline are real; countries on the map are right 10 in 10 times, and it "
        "misses about 5 in 10 of the countries a text names.")
    assert visits_dev_sentence(split_latest(visits_latest([]))[0]) == ""


def test_trend_leaves_out_subsets_and_recall_only_fields(tmp_path: Path) -> None:
    path = build_store(tmp_path / "store.db", SPECS[:1])
    with open_store(path) as store:
        record(store, [*NEW_RUN, *VISITS_RUN], "v", "2026-11-20T09:30:00+00:00")
        history = eval_history(store)
        assert len(latest_eval(store)) == len(NEW_RUN) + len(VISITS_RUN)  # the table still reads every row
    assert set(zip(history["gold_set"], history["field"], strict=True)) == {
        ("seeds", "country mentions"), ("petr2", "visits"), ("petr2", "meetings"),
        ("visits_dev", "visits"), ("visits_dev", "meetings"), ("visits_dev", "countries")}


def test_first_start_run_includes_visits_dev(tmp_path: Path) -> None:
    """The run recorded on first start (components.data) scores the bundled visits_dev copy too."""
    from components.data import _first_eval

    with open_store(tmp_path / "fresh.db") as store:
        _first_eval(store)
        visits, _ = split_latest(latest_eval(store))
    assert visits_dev_texts(visits)["all"] == 100
    assert list(visits_dev_table(visits, {})["field"]) == ["visits", "explicit visits", "dated visits", "meetings",
                                                            "countries"]


def test_bundled_gold_is_found(tmp_path: Path) -> None:
    assert quality_view.bundled_gold() == ROOT / "tests" / "fixtures"
    assert quality_view.bundled_gold(tmp_path) is None


# -- the page --------------------------------------------------------------------------------
@pytest.fixture()
def page_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    path = build_store(tmp_path / "store.db")
    monkeypatch.setattr(settings, "DB_PATH", path)
    monkeypatch.setattr(quality_view, "FLOORS_PATH", write_floors(tmp_path / "floors.json"))
    yield path


def page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest, kind: str) -> str:
    return " ".join(str(e.value) for e in getattr(at, kind))


def test_page_shows_latest_run_flagged(page_store: Path) -> None:
    with open_store(page_store) as store:
        record(store, NEW_RUN, settings.EXTRACTOR_VERSION, "2026-10-01T08:00:00+00:00")
        record(store, OLD_RUN, settings.EXTRACTOR_VERSION, "2026-11-20T09:30:00+00:00")
    at = page()
    table = at.dataframe[0].value
    assert list(table["field"]) == ["country mentions", "visits"]
    assert list(table["tp"]) == [18, 1]
    assert list(table["below floor"]) == [True, True]
    assert "seeds / country mentions" in texts(at, "warning")
    assert "2026\\-11\\-20 09\\:30" in texts(at, "caption")  # the run's date (markdown-escaped)
    assert "extractor version" not in texts(at, "warning")  # the run scored the current extractor


# The page's tables told apart by a column only each has (AppTest does not expose a read-only table's key).
TABLE_MARK = {"ql_visits": "result", "ql_visits_tags": "subset", "ql_table": "gold set"}


def tables(at: AppTest) -> list[str]:
    """The page's tables, in page order, by key."""
    return [next(k for k, col in TABLE_MARK.items() if col in d.value.columns) for d in at.dataframe]


def frame(at: AppTest, key: str) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if TABLE_MARK[key] in d.value.columns]
    assert len(found) == 1, f"no table {key}: {tables(at)}"
    return found[0]


def test_page_shows_visits_dev_first(page_store: Path) -> None:
    with open_store(page_store) as store:
        record(store, [*NEW_RUN, *VISITS_RUN], settings.EXTRACTOR_VERSION, "2026-11-20T09:30:00+00:00")
    at = page()
    assert tables(at) == ["ql_visits", "ql_visits_tags", "ql_table"]
    visits = frame(at, "ql_visits")
    assert list(visits["field"]) == ["visits", "explicit visits", "dated visits", "meetings", "countries"]
    assert list(visits["result"]) == ["pass", "fail", "", "", ""]
    assert visits.loc[0, "floor"] == "F1 ≥ 0.40"
    assert VISITS_SENTENCE in texts(at, "markdown")
    assert "100 texts: 43 from the Kremlin (kr), 57 from the US Government (rest)" in texts(at, "caption")
    assert r"visits\_dev / explicit visits" in texts(at, "warning")  # markdown-escaped
    assert [e.label for e in at.expander][-2:] == ["By source and hard case", "Run the evaluation again"]
    assert list(frame(at, "ql_visits_tags")["subset"]) == ["all", "kr", "rest", "hard:phone"]
    assert set(frame(at, "ql_table")["gold set"]) == {"seeds", "petr2"}  # seeds and PETR2 below, as before


def test_page_without_visits_dev_says_so(page_store: Path) -> None:
    with open_store(page_store) as store:
        record(store, NEW_RUN, settings.EXTRACTOR_VERSION, "2026-11-20T09:30:00+00:00")
    at = page()
    assert "The latest run did not score visits_dev" in texts(at, "info")
    assert tables(at) == ["ql_table"]


def test_page_warns_about_an_older_extractor(page_store: Path) -> None:
    two_run_store(page_store, new_version="2026.01.02-1")
    at = page()
    assert list(at.dataframe[0].value["tp"]) == [19, 2, 8]
    warning = texts(at, "warning")
    assert "2026\\.01\\.02\\-1" in warning
    assert settings.EXTRACTOR_VERSION.replace(".", "\\.").replace("-", "\\-") in warning
    assert "Below the pinned floor" not in warning  # the newest run meets every floor


def test_empty_store_offers_the_run_button(page_store: Path) -> None:
    at = page()
    assert "No evaluation has been recorded" in texts(at, "info")
    assert not at.dataframe
    assert at.button(key="ql_run").label == "Run evaluation now"


def test_run_button_records_a_run(page_store: Path) -> None:
    at = page()
    at.button(key="ql_run").click().run()
    assert not at.exception, at.exception
    assert "Recorded run" in texts(at, "success")
    table = frame(at, "ql_table")
    assert ("petr2", "meetings") in set(zip(table["gold set"], table["field"], strict=True))
    # the bundled visits_dev copy was scored too: every field, over all its texts
    assert list(frame(at, "ql_visits")["field"]) == ["visits", "explicit visits", "dated visits", "meetings",
                                                     "countries"]
    breakdown = frame(at, "ql_visits_tags")
    assert breakdown.loc[0, "texts"] == len(json.loads(
        (ROOT / "tests" / "fixtures" / "visits_dev" / "gold.json").read_text(encoding="utf-8"))["articles"])
    assert "visits on the timeline are real" in texts(at, "markdown")
    with open_store(page_store, read_only=True) as store:
        assert quality_summary(store).n_runs == 1  # type: ignore[union-attr]


def test_run_failure_is_a_message_not_a_traceback(page_store: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "gold"
    broken.mkdir()
    (broken / "seeds_gold.json").write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(quality_view, "GOLD_DIR", broken)
    at = page()
    at.button(key="ql_run").click().run()
    assert not at.exception
    assert "The evaluation could not run: JSONDecodeError" in texts(at, "error")
    with open_store(page_store, read_only=True) as store:
        assert quality_summary(store) is None


def test_page_is_routed_by_the_dashboard(page_store: Path) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("views/quality.py").run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Quality"]
    assert not at.error, [e.value for e in at.error]
