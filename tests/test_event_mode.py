"""Event mode (in person / phone / video) and the "call" type, end to end: store, export, filters,
headline counts, the timeline figure, the article and story tables, old stores."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from store_factory import SPECS, build_store, with_event_keys  # noqa: E402

from components.article_view import events_table  # noqa: E402
from components.downloads import csv_bytes  # noqa: E402
from components.figures import build_timeline  # noqa: E402
from components.story_view import events_frame  # noqa: E402
from steppewatch import settings  # noqa: E402
from steppewatch.cli import main  # noqa: E402
from steppewatch.models import Article, Event, Mention, Person, ProcessedArticle  # noqa: E402
from steppewatch.pipeline import ingest_paths  # noqa: E402
from steppewatch.query import queries  # noqa: E402
from steppewatch.query.filters import Filters  # noqa: E402
from steppewatch.query.queries import mode_words  # noqa: E402
from steppewatch.query.stories import dedupe_events, story_detail  # noqa: E402
from steppewatch.store.db import SCHEMA_VERSION, Store, open_store  # noqa: E402

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
        assert store.rows("SELECT value FROM meta WHERE key = 'schema_version'") == [{"value": str(SCHEMA_VERSION)}]
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


# -- filters and queries ------------------------------------------------------------------------
def test_call_type_in_the_url_round_trips() -> None:
    f, warnings = Filters.from_query_params({"type": "call"})
    assert (f.event_types, warnings) == (("call",), [])
    assert f.to_query_params() == {"type": "call"}
    assert Filters.from_query_params(f.to_query_params())[0] == f
    # defensive parsing: case and spaces folded, duplicates and unknown types dropped with a warning
    g, warnings = Filters.from_query_params({"type": " CALL,meeting,call,calls"})
    assert g.event_types == ("call", "meeting")
    assert g.to_query_params() == {"type": "call,meeting"}
    assert len(warnings) == 2 and "calls" in warnings[1]


def test_call_filter_selects_only_calls(store: Store) -> None:
    f = Filters.from_query_params({"type": "call"})[0]
    events = queries.visit_timeline(store, f)
    assert sorted(zip(events["article_id"], events["type"], events["mode"], strict=True)) == [
        ("c1", "call", "phone"), ("c2", "call", "video")]
    assert queries.articles_count(store, f) == 2
    assert set(queries.articles_page(store, f)["id"]) == {"c1", "c2"}
    row = queries.headline_numbers(store, f).iloc[0]
    assert (int(row["calls"]), int(row["meetings"]), int(row["visits_occurred"])) == (2, 0, 0)
    meetings = queries.visit_timeline(store, Filters(event_types=("meeting",)))
    assert "call" not in set(meetings["type"]) and "m1" in set(meetings["article_id"])


def test_headline_counts_calls_apart(store: Store) -> None:
    row = queries.headline_numbers(store, Filters()).iloc[0]
    # the shared store has 2 meetings, 2 occurred and 1 planned visit; m1 adds a meeting
    assert int(row["meetings"]) == 3
    assert int(row["calls"]) == 2
    assert (int(row["visits_occurred"]), int(row["visits_planned"])) == (2, 1)
    kaz = queries.headline_numbers(store, Filters(countries=("KAZ",))).iloc[0]
    assert (int(kaz["calls"]), int(kaz["meetings"])) == (1, 2)  # Tokayev's call; Blinken's and Tokayev's meetings


def test_country_filter_finds_both_parties_of_a_call(store: Store) -> None:
    # a call has no host: Russia takes part in Tokayev's call (participants KAZ,RUS), not in m1's meeting
    rus = Filters(countries=("RUS",))
    events = queries.visit_timeline(store, rus)
    assert set(zip(events["article_id"], events["type"], strict=True)) == {("c1", "call")}
    assert int(queries.headline_numbers(store, rus).iloc[0]["calls"]) == 1
    # c1 never names Russia as a country: the article matches through its call
    assert "c1" in set(queries.articles_page(store, rus, limit=100)["id"])
    chn = Filters(countries=("CHN",), event_types=("call",))
    assert queries.visit_timeline(store, chn)["article_id"].tolist() == ["c2"]
    assert queries.articles_count(store, Filters(countries=("KGZ",), event_types=("call",))) == 0


def test_a_call_is_no_event_location(store: Store) -> None:
    # c2 is a call with host UZB: Uzbekistan keeps only Blinken's story (s1) as an event location
    counts = queries.country_counts(store, Filters(), "events")
    n = dict(zip(counts["iso3"], counts["n"].astype(int), strict=True))
    assert n["UZB"] == 1 and n["KGZ"] == 1


def test_article_and_story_tables_say_the_mode_in_words(db: Path) -> None:
    with open_store(db) as writer:
        writer.replace_some_stories({"c1": "s9"}, {}, [
            {"story_id": "s9", "title": "Tokayev and Putin", "first_seen": "2023-03-03",
             "last_seen": "2023-03-03", "n_articles": 1, "n_independent": 1, "languages": "en"}])
    with open_store(db, read_only=True) as store:
        detail = queries.article_detail(store, "c1")
        assert detail.events["mode"].tolist() == ["phone"]  # raw in the data (and its CSV)
        shown = events_table(detail.events)
        assert shown["mode"].tolist() == ["by phone"]
        assert "evidence_start" not in shown.columns
        assert events_table(queries.article_detail(store, "m1").events)["mode"].tolist() == ["in person"]
        assert events_table(queries.article_detail(store, "a1").events)["mode"].tolist() == ["not stated"] * 3
        story = events_frame(story_detail(store, "s9"))
        assert story[["type", "mode"]].to_dict("records") == [{"type": "call", "mode": "by phone"}]


def test_story_table_takes_the_mode_a_report_states() -> None:
    reports = with_event_keys(pd.DataFrame([
        {"article_id": "x", "source": "A", "type": "call", "mode": "unspecified", "actor": "Tokayev",
         "host_country": None, "place": None, "date": "2023-03-03", "status": "occurred", "format": "bilateral",
         "counterpart": "Putin", "counterpart_key": None, "evidence_start": 0, "evidence_end": 5},
        {"article_id": "y", "source": "B", "type": "call", "mode": "video", "actor": "Tokayev",
         "host_country": None, "place": None, "date": "2023-03-03", "status": "occurred", "format": "bilateral",
         "counterpart": "Putin", "counterpart_key": None, "evidence_start": 0, "evidence_end": 5}]).assign(
        story_id="s"))
    merged = dedupe_events(reports)
    assert merged[["mode", "n_reports"]].to_dict("records") == [{"mode": "by video link", "n_reports": 2}]
    assert [mode_words(m) for m in (None, float("nan"), "", "unspecified", "phone", "odd")] == [
        "not stated", "not stated", "not stated", "not stated", "by phone", "odd"]


def test_timeline_download_has_the_mode(store: Store) -> None:
    table = list(csv.DictReader(io.StringIO(csv_bytes(queries.visit_timeline(store, Filters())).decode())))
    assert {(r["article_id"], r["mode"]) for r in table if r["type"] == "call"} == {("c1", "phone"), ("c2", "video")}


# -- the timeline figure ------------------------------------------------------------------------
def _markers(fig: go.Figure) -> list[go.Scatter]:
    return [t for t in fig.data if t.customdata is not None]


def _marker_of(fig: go.Figure, article_id: str) -> tuple[go.Scatter, int]:
    return next((t, i) for t in _markers(fig) for i, c in enumerate(t.customdata) if c[0] == article_id)


def test_timeline_draws_calls_as_calls(store: Store) -> None:
    fig = build_timeline(queries.visit_timeline(store, Filters()))
    names = {t.name for t in _markers(fig)}
    assert {"occurred, call (phone)", "occurred, call (video)", "occurred, meeting", "occurred, visit"} <= names
    phone, i = _marker_of(fig, "c1")
    video, j = _marker_of(fig, "c2")
    meeting, k = _marker_of(fig, "m1")
    visit = next(t for t in _markers(fig) if t.name == "occurred, visit")
    assert phone.marker.symbol == video.marker.symbol == "star"
    assert len({phone.marker.symbol, meeting.marker.symbol, visit.marker.symbol}) == 3
    # no place label, although c2 names Tashkent, Uzbekistan; each on its caller's row, like their meetings
    assert phone.text[i] == "" and video.text[j] == ""
    assert (phone.y[i], video.y[j]) == ("Kassym-Jomart Tokayev", "Shavkat Mirziyoyev")
    assert meeting.y[k] == "Kassym-Jomart Tokayev"
    assert "call (phone)" in phone.hovertemplate and "call with %{customdata[7]}" in phone.hovertemplate
    assert "call (video)" in video.hovertemplate and " in %{customdata[3]}" not in video.hovertemplate
    assert phone.customdata[i][7] == "Vladimir Putin"
    assert meeting.customdata[k][8] == " · in person"  # a meeting's hover says how they met


def test_planned_call_is_an_open_star_and_two_calls_of_a_day_stay_two() -> None:
    base = {"article_id": "x", "type": "call", "actor": "Tokayev", "actor_country": "KAZ", "host_country": None,
            "place": None, "date": "2024-05-02", "status": "planned", "mode": "phone", "evidence": "…",
            "source": "S", "trip_id": None, "story_id": "s"}
    events = with_event_keys(pd.DataFrame([
        {**base, "event_id": "e1", "counterpart": "Vladimir Putin"},
        {**base, "event_id": "e2", "counterpart": "Putin"},  # same call, other report
        {**base, "event_id": "e3", "counterpart": "Xi Jinping"}]))
    fig = build_timeline(events)
    (trace,) = _markers(fig)
    assert trace.name == "planned, call (phone)" and trace.marker.symbol == "star-open"
    assert sorted(c[7] for c in trace.customdata) == ["Vladimir Putin", "Xi Jinping"]
    assert list(trace.text) == ["", ""] and set(trace.y) == {"Tokayev"}


# -- the app ------------------------------------------------------------------------------------
def test_app_call_filter_from_the_url(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "DB_PATH", db)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["type"] = "call"
    at.run()
    assert not at.exception and not at.error
    assert at.multiselect(key="flt_type").value == ["call"]
    assert {k: v if isinstance(v, str) else ",".join(v) for k, v in at.query_params.items()} == {"type": "call"}
    shown = {m.label: m.value for m in at.metric}
    assert (shown["Calls"], shown["Meetings"], shown["Visits (occurred)"]) == ("2", "0", "0")


# -- the real pipeline --------------------------------------------------------------------------
CALLS_TEXT = (
    "Kazakh President Kassym-Jomart Tokayev held a telephone conversation with Russian President "
    "Vladimir Putin on March 3, 2024.\n\n"
    "Uzbek President Shavkat Mirziyoyev held talks via video link with Chinese President Xi Jinping "
    "on March 4, 2024.\n\n"
    "Tokayev met Kyrgyz President Sadyr Japarov in Bishkek on March 5, 2024.")


def test_ingested_calls_flow_to_export_and_timeline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "calls.txt").write_text(CALLS_TEXT, encoding="utf-8")
    db = tmp_path / "store.db"
    with open_store(db) as store:
        assert ingest_paths(store, [tmp_path / "calls.txt"]).ingested
    assert main(["export", "--what", "events", "--db", str(db)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    calls = sorted((r["actor_country"], r["type"], r["mode"]) for r in rows if r["type"] == "call")
    assert calls == [("KAZ", "call", "phone"), ("UZB", "call", "video")]
    assert all(r["type"] != "meeting" or r["mode"] in ("in_person", "unspecified") for r in rows)
    with open_store(db, read_only=True) as store:
        fig = build_timeline(queries.visit_timeline(store, Filters(event_types=("call",))))
    assert sorted(t.name for t in _markers(fig)) == ["occurred, call (phone)", "occurred, call (video)"]
    assert {y for t in _markers(fig) for y in t.y} == {"Kassym-Jomart Tokayev", "Shavkat Mirziyoyev"}
    assert all(label == "" for t in _markers(fig) for label in t.text)


def test_export_into_a_closed_pipe_ends_quietly(db: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    class ClosedPipe(io.StringIO):  # `export ... | head` once head has exited
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["export", "--what", "events", "--format", "jsonl", "--db", str(db)]) == 0
    assert "Traceback" not in capsys.readouterr().err
