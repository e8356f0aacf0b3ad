"""The founding example: the two seed articles, ingested into a real store file, must give the
gold facts of tests/fixtures/seeds_gold.json (a copy of shared/eval/seeds_gold.json)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from steppewatch.pipeline import ingest_paths
from steppewatch.store import open_store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLD = json.loads((FIXTURES / "seeds_gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("seeds")
    for f in (FIXTURES / "seeds").glob("*.txt"):
        shutil.copy(f, folder)
    db = tmp_path_factory.mktemp("db") / "store.db"
    with open_store(db) as s:
        summary = ingest_paths(s, [folder])
        assert len(summary.ingested) == 2 and not summary.failed
        yield s


def _article(store, file: str) -> dict:
    rows = store.rows("SELECT * FROM articles WHERE origin LIKE ?", (f"%{file}",))
    assert len(rows) == 1, f"{file} not stored"
    return rows[0]


def _close(a: str | None, b: str, tol: int) -> bool:
    return a is not None and abs((dt.date.fromisoformat(a[:10]) - dt.date.fromisoformat(b)).days) <= tol


@pytest.mark.parametrize("gold", GOLD["articles"], ids=lambda g: g["file"])
def test_countries_per_article_and_no_boilerplate_country(store, gold: dict) -> None:
    article = _article(store, gold["file"])
    found = {r["iso3"] for r in store.rows("SELECT DISTINCT iso3 FROM mentions WHERE article_id = ?"
                                           " AND iso3 IS NOT NULL", (article["id"],))}
    assert set(gold["countries"]) <= found, f"missing {set(gold['countries']) - found}"
    assert not set(gold["must_not"]) & found, "a country only in dropped boilerplate was counted"


@pytest.mark.parametrize("gold", GOLD["articles"], ids=lambda g: g["file"])
def test_published_date_source_and_metadata(store, gold: dict) -> None:
    article = _article(store, gold["file"])
    assert _close(article["published"], gold["published"], gold["published_tolerance_days"])
    assert article["published_precision"] == "day"
    assert article["published_evidence"]
    assert article["source"] == gold["source"]
    if "byline" in gold:
        assert article["byline"] == gold["byline"]
        assert article["dateline"] == gold["dateline"]


@pytest.mark.parametrize("gold", GOLD["articles"], ids=lambda g: g["file"])
def test_people_with_roles_and_countries(store, gold: dict) -> None:
    article = _article(store, gold["file"])
    people = {r["name"]: r for r in store.rows("SELECT * FROM people WHERE article_id = ?", (article["id"],))}
    for person in gold["people"]:
        assert person["name"] in people, f"{person['name']} not found"
        assert people[person["name"]]["role"] == person["role"]
        assert people[person["name"]]["country"] == person["country"]


@pytest.mark.parametrize("gold", GOLD["events"],
                         ids=lambda g: f"{g['type']}-{g['host_country']}-{g.get('counterpart', '')}")
def test_visits_and_meetings_in_both_sources(store, gold: dict) -> None:
    for file in gold["in"]:
        article = _article(store, file)
        events = store.rows("SELECT * FROM events WHERE article_id = ? AND type = ?", (article["id"], gold["type"]))
        matches = [
            e for e in events
            if e["actor_country"] == gold["actor_country"] and e["host_country"] == gold["host_country"]
            and _close(e["date"], gold["date"], gold.get("date_tolerance_days", 0))
            and (gold["type"] != "visit" or e["status"] == gold["status"])
            and (not gold.get("match_any") or any(w.lower() in json.dumps(e).lower() for w in gold["match_any"]))
        ]
        assert matches, f"{gold['type']} {gold['host_country']} not found in {file}: {events}"
        assert all(e["evidence"] for e in matches)
        text = article["text"]
        assert all(text[e["evidence_start"]:e["evidence_end"]] == e["evidence"] for e in matches)


def test_visits_are_not_duplicated_per_article(store) -> None:
    rows = store.rows("SELECT article_id, actor_country, host_country, count(*) AS n FROM events"
                      " WHERE type = 'visit' GROUP BY 1, 2, 3")
    assert rows and all(r["n"] == 1 for r in rows)


def test_one_story_with_two_sources(store) -> None:
    stories = store.rows("SELECT * FROM stories")
    assert len(stories) == 1
    assert stories[0]["n_articles"] == 2
    sources = {r["source"] for r in store.rows("SELECT source FROM articles")}
    assert sources == {"Reuters", "Central News Agency"}


def test_planned_tashkent_leg_and_astana_visit_form_one_trip(store) -> None:
    trips = {r["host_country"]: r["trip_id"] for r in store.rows(
        "SELECT host_country, trip_id FROM events WHERE type = 'visit'")}
    assert trips["KAZ"] and trips["KAZ"] == trips["UZB"]


def test_cli_ingest_is_idempotent_and_exports(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    run = [sys.executable, "-m", "steppewatch"]
    first = subprocess.run([*run, "ingest", str(FIXTURES / "seeds"), "--db", str(db)],
                           capture_output=True, text=True, check=True)
    assert "ingested 2, unchanged 0, failed 0" in first.stdout
    second = subprocess.run([*run, "ingest", str(FIXTURES / "seeds"), "--db", str(db)],
                            capture_output=True, text=True, check=True)
    assert "ingested 0, unchanged 2, failed 0" in second.stdout
    out = subprocess.run([*run, "export", "--db", str(db), "--what", "events", "--format", "jsonl"],
                         capture_output=True, text=True, check=True).stdout
    events = [json.loads(line) for line in out.splitlines()]
    for key in ("type", "actor", "actor_country", "host_country", "place", "date", "status",
                "article_id", "story_id", "evidence"):
        assert all(key in e for e in events)
    csv_out = subprocess.run([*run, "export", "--db", str(db), "--what", "articles", "--format", "csv"],
                             capture_output=True, text=True, check=True).stdout
    header = csv_out.splitlines()[0].split(",")
    for key in ("id", "origin", "source", "title", "published", "published_precision", "story_id"):
        assert key in header
