"""Event mode (in person / phone / video) and the "call" type, end to end: store, export, filters,
headline counts, the timeline figure, the article and story tables, old stores."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_factory import SPECS, build_store

from steppewatch.cli import main
from steppewatch.models import Article, Event, Mention, Person, ProcessedArticle
from steppewatch.store.db import Store, open_store

PHONE_TEXT = "Kassym-Jomart Tokayev held a phone call with Vladimir Putin on March 3, 2023."
VIDEO_TEXT = "Shavkat Mirziyoyev and Xi Jinping held talks by video link from Tashkent on March 4, 2023."
MEETING_TEXT = "Kassym-Jomart Tokayev met Sadyr Japarov in Bishkek on March 5, 2023."


def _article(aid: str, text: str, published: str, event: Event,
             people: tuple[tuple[str, str], ...]) -> ProcessedArticle:
    mentions = []
    persons = []
    for name, iso3 in people:
        start = text.index(name)
        pid = "p:" + name.lower().replace(" ", "-")
        mentions.append(Mention(kind="person", text=name, start=start, end=start + len(name), entity_id=pid,
                                value=name))
        persons.append(Person(entity_id=pid, name=name, role=None, country=iso3))
    return ProcessedArticle(
        article=Article(id=aid, origin=f"tests/{aid}.txt", text=text, raw_text=text, source=f"Wire {aid}",
                        title=text[:40], published=published, published_precision="day"),
        mentions=mentions, people=persons, events=[event], focus_country=event.actor_country)


def _event(text: str, **fields: object) -> Event:
    return Event(evidence=text, evidence_start=0, evidence_end=len(text), status="occurred", **fields)  # type: ignore[arg-type]


PHONE = _article("c1", PHONE_TEXT, "2023-03-03", _event(
    PHONE_TEXT, type="call", mode="phone", actor="Kassym-Jomart Tokayev", actor_country="KAZ",
    host_country=None, place=None, date="2023-03-03", counterpart="Vladimir Putin",
    participants=("KAZ", "RUS")), (("Kassym-Jomart Tokayev", "KAZ"), ("Vladimir Putin", "RUS")))
# the extractor may name where a party sat ("from Tashkent"): still not a meeting in Tashkent
VIDEO = _article("c2", VIDEO_TEXT, "2023-03-04", _event(
    VIDEO_TEXT, type="call", mode="video", actor="Shavkat Mirziyoyev", actor_country="UZB",
    host_country="UZB", place="Tashkent", date="2023-03-04", counterpart="Xi Jinping",
    participants=("UZB", "CHN")), (("Shavkat Mirziyoyev", "UZB"), ("Xi Jinping", "CHN")))
MEETING = _article("m1", MEETING_TEXT, "2023-03-05", _event(
    MEETING_TEXT, type="meeting", mode="in_person", actor="Kassym-Jomart Tokayev", actor_country="KAZ",
    host_country="KGZ", place="Bishkek", date="2023-03-05", counterpart="Sadyr Japarov",
    participants=("KAZ", "KGZ")), (("Kassym-Jomart Tokayev", "KAZ"), ("Sadyr Japarov", "KGZ")))


def build_mode_store(path: Path) -> Path:
    """The shared test store (Blinken's trip etc., modes unspecified) plus two calls and an in-person meeting."""
    build_store(path, SPECS)
    with open_store(path) as store:
        for processed in (PHONE, VIDEO, MEETING):
            store.save(processed)
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build_mode_store(tmp_path / "store.db")


@pytest.fixture
def store(db: Path) -> Store:
    s = open_store(db, read_only=True)
    yield s  # type: ignore[misc]
    s.close()


def _make_old(path: Path) -> None:
    """Turn ``path`` into a store as schema 2 wrote it: events without the mode column."""
    con = sqlite3.connect(path)
    con.execute("ALTER TABLE events DROP COLUMN mode")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.commit()
    con.close()


# -- store and export ---------------------------------------------------------------------------
def test_stored_call_keeps_type_and_mode(store: Store) -> None:
    rows = {r["article_id"]: r for r in store.rows("SELECT article_id, type, mode FROM events")}
    assert rows["c1"] == {"article_id": "c1", "type": "call", "mode": "phone"}
    assert rows["c2"] == {"article_id": "c2", "type": "call", "mode": "video"}
    assert rows["m1"] == {"article_id": "m1", "type": "meeting", "mode": "in_person"}
    assert rows["a1"]["mode"] == "unspecified"  # Event's default


def test_reextracted_facts_keep_the_mode(db: Path) -> None:
    with open_store(db) as store:
        store.replace_facts(PHONE)
        assert store.rows("SELECT type, mode FROM events WHERE article_id = 'c1'") == [
            {"type": "call", "mode": "phone"}]


def test_export_events_has_mode(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--what", "events", "--format", "jsonl", "--db", str(db)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert all("mode" in r for r in rows)
    by_article = {r["article_id"]: r for r in rows}
    assert (by_article["c1"]["type"], by_article["c1"]["mode"]) == ("call", "phone")
    assert (by_article["c2"]["type"], by_article["c2"]["mode"]) == ("call", "video")
    assert by_article["m1"]["mode"] == "in_person"

    assert main(["export", "--what", "events", "--format", "csv", "--db", str(db)]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert "mode" in table[0]
    assert {(r["article_id"], r["mode"]) for r in table if r["type"] == "call"} == {("c1", "phone"), ("c2", "video")}


def test_empty_csv_export_header_names_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    open_store(tmp_path / "empty.db").close()
    assert main(["export", "--what", "events", "--format", "csv", "--db", str(tmp_path / "empty.db")]) == 0
    header = capsys.readouterr().out.splitlines()[0].split(",")
    assert header[:3] == ["event_id", "type", "mode"]


def test_old_store_gets_the_mode_column(db: Path) -> None:
    _make_old(db)
    with sqlite3.connect(db) as con:
        assert "mode" not in {r[1] for r in con.execute("PRAGMA table_info(events)")}
    with open_store(db) as store:  # a writer migrates
        assert store.has_column("events", "mode")
        assert store.rows("SELECT value FROM meta WHERE key = 'schema_version'") == [{"value": "3"}]
        # rows stored before modes: NULL (not recorded), and new rows are written with theirs
        assert store.rows("SELECT DISTINCT mode FROM events") == [{"mode": None}]
        store.replace_facts(VIDEO)
        assert store.rows("SELECT mode FROM events WHERE article_id = 'c2'") == [{"mode": "video"}]
    with open_store(db) as store:  # a second open finds nothing to add (a second ALTER would raise)
        assert [r["type"] for r in store.rows("PRAGMA table_info(events)") if r["name"] == "mode"] == ["TEXT"]


def test_old_store_exports_read_only(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _make_old(db)
    assert main(["export", "--what", "events", "--db", str(db)]) == 0  # read-only: not migrated
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and all(r["mode"] is None for r in rows)
    with sqlite3.connect(db) as con:
        assert "mode" not in {r[1] for r in con.execute("PRAGMA table_info(events)")}
