"""Trips on the timeline, planned styling, and the map metrics (events, role-aware mentions)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_factory import SPECS, Spec, build_store, with_event_keys  # noqa: E402

from components.figures import (  # noqa: E402
    METRIC_LABELS,
    build_timeline,
    timeline_legs,
    timeline_row_count,
    trip_frame,
)
from steppewatch import settings  # noqa: E402
from steppewatch.query import queries  # noqa: E402
from steppewatch.query.filters import METRICS, Filters  # noqa: E402
from steppewatch.store.db import Store, open_store  # noqa: E402


def event(event_id: str, article_id: str, date: str, host: str, place: str, status: str,
          trip: str | None = None, story: str | None = None, kind: str = "visit",
          actor: str = "Antony Blinken", source: str = "Reuters") -> dict[str, object]:
    return {"event_id": event_id, "article_id": article_id, "type": kind, "date": date,
            "actor": actor, "actor_country": "USA", "host_country": host, "place": place,
            "status": status, "evidence": f"{actor} in {place}", "source": source,
            "trip_id": trip, "story_id": story}


# Blinken's 2023 trip as the pipeline stores it: Astana reported by Reuters and CNA (one
# story), Tashkent announced by Reuters and reported as done by Kun.uz; a meeting in Astana;
# and an unrelated one-leg visit by Lavrov.
TRIP_EVENTS = with_event_keys(pd.DataFrame([
    event("e1", "a1", "2023-02-28", "KAZ", "Astana", "occurred", "t1", "s1"),
    event("e2", "a2", "2023-02-28", "KAZ", "Astana", "occurred", "t1", "s1", source="CNA"),
    event("e3", "a1", "2023-03-01", "UZB", "Tashkent", "planned", "t1", "s1"),
    event("e4", "a3", "2023-03-01", "UZB", "Tashkent", "occurred", "t1", "s1", source="Kun.uz"),
    event("e5", "a1", "2023-02-28", "KAZ", "Astana", "occurred", None, "s1", kind="meeting"),
    event("e6", "a7", "2023-05-10", "TJK", "Dushanbe", "occurred", "t2", "s7",
          actor="Sergey Lavrov", source="TASS"),
]))


def markers(fig: object) -> list[object]:
    return [t for t in fig.data if t.customdata is not None]  # type: ignore[attr-defined]


def bars(fig: object) -> list[object]:
    return [t for t in fig.data if t.name.startswith("trip")]  # type: ignore[attr-defined]


def test_trip_frame_one_row_per_trip_of_two_legs_or_more() -> None:
    trips = trip_frame(TRIP_EVENTS)
    assert len(trips) == 1  # Lavrov's one-leg trip is not a trip on the timeline
    trip = trips.iloc[0]
    assert trip["visitor"] == "Antony Blinken"
    assert trip["legs"] == 2  # four reports, two legs
    assert (trip["start"], trip["end"]) == ("2023-02-28", "2023-03-01")
    assert trip["route"] == "Astana → Tashkent"
    assert trip["planned_legs"] == 0  # Tashkent was announced, then reported as done
    assert trip["articles"] == 3


def test_trip_frame_of_only_announced_second_leg_and_empty_input() -> None:
    announced = TRIP_EVENTS[TRIP_EVENTS["event_id"] != "e4"]
    assert trip_frame(announced).iloc[0]["planned_legs"] == 1
    assert trip_frame(pd.DataFrame()).empty
    assert list(trip_frame(pd.DataFrame()).columns)[:3] == ["trip_id", "visitor", "actor_country"]


def test_same_visit_from_several_articles_is_one_leg() -> None:
    legs = timeline_legs(TRIP_EVENTS)
    visits = legs[legs["type"] == "visit"].set_index("place")
    assert visits.loc["Astana", "n_articles"] == 2
    assert visits.loc["Astana", "sources"] == "CNA, Reuters"
    # the occurred report represents the leg, not the announcement
    assert visits.loc["Tashkent", "status"] == "occurred"
    assert visits.loc["Tashkent", "article_id"] == "a3"
    assert len(legs) == 4  # Astana, Tashkent, the meeting, Lavrov


def test_timeline_draws_a_trip_as_one_bar_with_a_marker_per_leg() -> None:
    fig = build_timeline(TRIP_EVENTS)
    trip_bars = bars(fig)
    assert len(trip_bars) == 1 and trip_bars[0].mode == "lines"
    xs = [x for x in trip_bars[0].x if x is not None]
    assert [pd.Timestamp(x).date() for x in xs] == [dt.date(2023, 2, 28), dt.date(2023, 3, 1)]
    row = "Antony Blinken"  # one row per visitor: the trip's bar and every marker of his
    assert {y for y in trip_bars[0].y if y is not None} == {row}
    legs = [(t, i) for t in markers(fig) if t.name.endswith("visit") for i, y in enumerate(t.y) if y == row]
    assert sorted(t.text[i] for t, i in legs) == ["Astana", "Tashkent"]
    # each leg opens its article: custom_data[0] is what components/interactions.py reads
    assert sorted(tuple(t.customdata[i][:2]) for t, i in legs) == [("a1", "e1"), ("a3", "e4")]
    astana = next(t.customdata[i] for t, i in legs if t.text[i] == "Astana")
    assert astana[6] == "reported by 2 articles"
    assert "trip: Astana → Tashkent" in trip_bars[0].text[0]
    # the bar takes no hover or click (a click at a leg reaches the leg); the legs' hovers name the trip
    assert trip_bars[0].hoverinfo == "skip"
    assert astana[9] == "<br>part of a trip: Astana → Tashkent" and "%{customdata[9]}" in legs[0][0].hovertemplate
    # his meeting in Astana sits on his row too (its city already written there that day: no second label);
    # Lavrov's one-leg visit on his own row, below the busier one
    meeting = next(t for t in markers(fig) if t.name.endswith("meeting"))
    assert list(meeting.y) == [row] and list(meeting.text) == [""]
    assert {y for t in markers(fig) for y in t.y} == {row, "Sergey Lavrov"}
    assert list(fig.layout.yaxis.categoryarray) == ["Sergey Lavrov", row]  # a category axis runs upwards


def test_a_marker_of_no_known_place_is_not_labelled_but_its_hover_says_so() -> None:
    nowhere = with_event_keys(pd.DataFrame([event("n1", "a1", "2023-02-28", None, None, "occurred", story="s1",
                                                  kind="meeting")]))
    (trace,) = markers(build_timeline(nowhere))
    assert list(trace.text) == [""] and trace.customdata[0][3] == "unknown place"


def test_rows_are_limited_to_the_busiest_visitors_and_say_how_many_there_are() -> None:
    visitors = [f"Visitor {k:02d}" for k in range(15)]
    many = with_event_keys(pd.DataFrame([
        event(f"v{k}-{j}", f"a{k}-{j}", f"2023-0{1 + j}-1{k % 10}", "KAZ", "Astana", "occurred", story=f"s{k}-{j}",
              actor=name)
        for k, name in enumerate(visitors) for j in range(1 + k % 4)]))
    assert timeline_row_count(many) == 15
    fig = build_timeline(many, max_rows=5)
    shown = list(fig.layout.yaxis.categoryarray)[::-1]  # top first
    assert len(shown) == 5 and shown[:3] == ["Visitor 07", "Visitor 03", "Visitor 11"]  # 4 events each, latest first
    assert {y for t in markers(fig) for y in t.y} == set(shown)
    assert len(list(build_timeline(many).layout.yaxis.categoryarray)) == settings.TIMELINE_ROWS


def test_planned_legs_are_open_markers_and_dotted_segments() -> None:
    announced = TRIP_EVENTS[TRIP_EVENTS["event_id"] != "e4"]
    fig = build_timeline(announced)
    planned = [t for t in markers(fig) if t.name.startswith("planned")]
    occurred = [t for t in markers(fig) if t.name.startswith("occurred")]
    assert planned and occurred
    assert all(t.marker.symbol.endswith("-open") for t in planned)
    assert not any(t.marker.symbol.endswith("-open") for t in occurred)
    segment = bars(fig)
    assert [t.name for t in segment] == ["trip (planned leg)"] and segment[0].line.dash == "dot"
    assert bars(build_timeline(TRIP_EVENTS))[0].line.dash == "solid"


def test_other_statuses_hidden_unless_asked() -> None:
    events = with_event_keys(pd.concat([TRIP_EVENTS, pd.DataFrame([
        event("e7", "a8", "2023-06-01", "KGZ", "Bishkek", "cancelled", story="s8"),
        event("e8", "a9", "1991-12-25", "RUS", "Moscow", "historical", story="s9")])]))
    shown = {t.name.split(",")[0] for t in markers(build_timeline(events))}
    assert shown == {"occurred"}
    everything = {t.name.split(",")[0] for t in markers(build_timeline(events, True))}
    assert everything == {"occurred", "cancelled", "historical"}


def test_hostile_visitor_name_is_escaped_in_row_labels() -> None:
    hostile = TRIP_EVENTS.assign(actor="<img src=x onerror=alert(1)>")
    fig = build_timeline(hostile)
    labels = [str(y) for t in fig.data for y in t.y if y is not None]
    assert labels and not any("<img" in y for y in labels)
    assert any("&lt;img" in y for y in labels)


# -- the map metrics on a real store ----------------------------------------------------------
EXTRA = (
    Spec(id="b1", source="AKIpress", title="Lavrov visit to Bishkek postponed",
         text="Sergey Lavrov postponed his visit to Bishkek. Russian-language media reported it.",
         published="2023-04-02",
         countries=(("Russian", "RUS"),),
         events=({"type": "visit", "actor": "Sergey Lavrov", "actor_country": "RUS",
                  "host_country": "KGZ", "place": "Bishkek", "date": "2023-04-10",
                  "status": "postponed", "evidence": "Sergey Lavrov postponed his visit to Bishkek."},),
         focus="KGZ"),
    Spec(id="b2", source="Asia-Plus", title="Wang Yi trip to Dushanbe cancelled",
         text="Wang Yi cancelled his trip to Dushanbe.", published="2023-04-03",
         events=({"type": "visit", "actor": "Wang Yi", "actor_country": "CHN",
                  "host_country": "TJK", "place": "Dushanbe", "date": "2023-04-12",
                  "status": "cancelled", "evidence": "Wang Yi cancelled his trip to Dushanbe."},),
         focus="TJK"),
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = build_store(tmp_path_factory.mktemp("trips") / "store.db", SPECS + EXTRA)
    with open_store(path) as writer:  # the 'Russian' in b1 is a language, not the country
        writer.con.execute("UPDATE mentions SET role = 'language' WHERE article_id = 'b1'"
                           " AND kind = 'country'")
        writer.con.commit()
    with open_store(path, read_only=True) as s:
        yield s


def counts(store: Store, metric: str, f: Filters | None = None) -> dict[str, int]:
    df = queries.country_counts(store, f or Filters(), metric)
    return dict(zip(df["iso3"], df["n"].astype(int), strict=True))


def test_event_locations_count_stories_with_an_event_there_except_cancelled(store: Store) -> None:
    n = counts(store, "events")
    # Blinken's story has events in both countries; the postponed Bishkek visit counts, the
    # cancelled Dushanbe one does not
    assert n == {"KAZ": 1, "UZB": 1, "KGZ": 1}
    assert counts(store, "visits") == {"KAZ": 1, "UZB": 1}  # occurred visits only
    assert counts(store, "events", Filters(date_from=dt.date(2023, 4, 1))) == {"KGZ": 1}


def test_language_mentions_do_not_count_as_mentions(store: Store) -> None:
    n = counts(store, "mentions")
    assert n["RUS"] == 3  # a1 a2 a6, not b1's "Russian-language"
    assert n["KAZ"] == 5
    row = queries.headline_numbers(store, Filters(sources=("AKIpress",))).iloc[0]
    assert int(row["articles"]) == 1 and int(row["countries"]) == 0


def test_every_metric_has_a_label_and_old_metric_urls_still_parse() -> None:
    assert set(METRICS) == set(METRIC_LABELS) and "events" in METRICS
    assert METRIC_LABELS["events"] == "Event locations"
    for old in ("mentions", "visits", "focus"):
        f, warnings = Filters.from_query_params({"metric": old})
        assert f.metric == old and not warnings
    f, warnings = Filters.from_query_params({"metric": "events", "country": "KAZ"})
    assert f.metric == "events" and not warnings
    assert Filters.from_query_params(f.to_query_params())[0] == f


@pytest.mark.parametrize("published", ["2023-03-31", "2023-03-31T23:59:00+00:00", "2023-03",
                                       "2023", "2023-04", "2023-04-01T00:00:00Z"])
def test_date_bounds_match_the_first_ten_characters(tmp_path: Path, published: str) -> None:
    spec = Spec(id="c1", source="X", title="t", text="Kazakhstan.", published=published,
                countries=(("Kazakhstan", "KAZ"),))
    path = build_store(tmp_path / "s.db", (spec,))
    with open_store(path, read_only=True) as s:
        for lo, hi in [(None, dt.date(2023, 3, 31)), (dt.date(2023, 3, 1), None),
                       (dt.date(2023, 4, 1), dt.date(2023, 4, 30)), (None, dt.date(2022, 12, 31))]:
            day = published[:10]
            expected = (lo is None or day >= lo.isoformat()) and (hi is None or day <= hi.isoformat())
            f = Filters(date_from=lo, date_to=hi)
            assert queries.articles_count(s, f) == int(expected), (published, lo, hi)
            assert counts(s, "mentions", f) == ({"KAZ": 1} if expected else {})


def test_overview_offers_event_locations_and_the_status_checkbox(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    from steppewatch import settings

    monkeypatch.setattr(settings, "DB_PATH", build_store(tmp_path / "app.db", SPECS + EXTRA))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["metric"] = "events"
    at.run()
    assert not at.exception
    assert at.radio(key="flt_metric").value == "events"
    assert any(s.value.startswith("Event locations") for s in at.subheader)
    box = at.checkbox(key="flt_all_statuses")
    assert box.value is False
    box.check().run()
    assert not at.exception and at.checkbox(key="flt_all_statuses").value is True
    metric = at.query_params["metric"]
    assert (metric if isinstance(metric, str) else ",".join(metric)) == "events"  # URL kept


def test_store_written_before_roles_is_migrated_and_counted(tmp_path: Path) -> None:
    import sqlite3

    path = build_store(tmp_path / "old.db")
    con = sqlite3.connect(path)
    con.execute("DROP INDEX mentions_country")
    con.execute("ALTER TABLE mentions DROP COLUMN role")  # as written by schema version 1
    con.commit()
    con.close()
    with open_store(path) as writer:  # migrates: role column, then the covering index
        indexes = {r[1] for r in writer.con.execute("PRAGMA index_list(mentions)")}
        assert "mentions_country" in indexes
    with open_store(path, read_only=True) as s:
        assert counts(s, "mentions")["KAZ"] == 5  # NULL roles count
