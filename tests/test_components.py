"""Pure component builders: figures (offline map) and the escaping article renderer."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from components.article_view import (  # noqa: E402
    EVIDENCE,
    Span,
    escape_markdown,
    escape_text,
    heading_html,
    highlight_html,
)
from components.downloads import csv_bytes  # noqa: E402
from components.figures import (  # noqa: E402
    build_choropleth,
    build_outside_bar,
    build_timeline,
    load_geojson,
    outside_frame,
)
from components.map_placeholder import EMPTY_TOPO, PLOTLY_CONFIG, placeholder_map_spec  # noqa: E402
from steppewatch import settings  # noqa: E402
from steppewatch.query.countries import MAP_COUNTRIES  # noqa: E402

COUNTS = pd.DataFrame({"iso3": ["KAZ", "USA", "UZB", "SUN", "IND"],
                       "name": ["Kazakhstan", "United States", "Uzbekistan", "Soviet Union",
                                "India"],
                       "n": [5, 3, 2, 1, 1]})


@pytest.fixture(scope="module")
def geojson() -> dict:
    return load_geojson(settings.REGION_GEOJSON)


def test_region_geojson_has_the_11_countries_with_clockwise_rings(geojson: dict) -> None:
    codes = sorted(f["properties"]["iso3"] for f in geojson["features"])
    assert codes == sorted(MAP_COUNTRIES)

    def signed_area(ring: list[list[float]]) -> float:
        return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring))

    for feature in geojson["features"]:
        geometry = feature["geometry"]
        polygons = ([geometry["coordinates"]] if geometry["type"] == "Polygon"
                    else geometry["coordinates"])
        assert all(signed_area(poly[0]) < 0 for poly in polygons), feature["properties"]


def test_choropleth_draws_all_11_countries_offline(geojson: dict) -> None:
    fig = build_choropleth(COUNTS, geojson, "mentions")
    trace = fig.data[0]
    assert sorted(trace.locations) == sorted(MAP_COUNTRIES)
    z = dict(zip(trace.locations, trace.z, strict=True))
    assert z["KAZ"] == 5 and z["UZB"] == 2 and z["MNG"] == 0  # zeros are drawn too
    assert trace.geojson is not None and trace.featureidkey == "properties.iso3"
    assert [c[0] for c in trace.customdata] == list(trace.locations)
    assert fig.layout.geo.visible is False
    assert list(fig.layout.geo.lonaxis.range) == [40, 125]  # all of Mongolia, China to its coast
    assert list(fig.layout.geo.lataxis.range) == [18, 56]
    names = fig.data[1]  # the countries' names, on the map, clickable like their shapes
    assert names.mode == "text" and [c[0] for c in names.customdata] == list(trace.locations)
    assert all(lo <= 125 and 18 <= la <= 56 for lo, la in zip(names.lon, names.lat, strict=True))
    assert "Kazakhstan" in names.text[list(trace.locations).index("KAZ")]
    assert PLOTLY_CONFIG["topojsonURL"] == EMPTY_TOPO
    assert EMPTY_TOPO.startswith("data:application/json,") and EMPTY_TOPO.endswith("#")


def test_choropleth_outlines_selected_countries(geojson: dict) -> None:
    fig = build_choropleth(COUNTS, geojson, "visits", selected=("KAZ", "USA"))
    assert len(fig.data) == 3  # counts, names, the selection's outline
    assert list(fig.data[2].locations) == ["KAZ"]  # USA is not on the map
    assert fig.data[2].marker.line.width > fig.data[0].marker.line.width


def test_choropleth_with_no_data(geojson: dict) -> None:
    empty = pd.DataFrame({"iso3": [], "name": [], "n": []})
    fig = build_choropleth(empty, geojson, "focus")
    assert len(fig.data[0].locations) == 11 and set(fig.data[0].z) == {0}


def test_placeholder_map_has_the_real_maps_frame_and_no_data(geojson: dict) -> None:
    """The placeholder sent before anything is computed: the same shapes, projection and size as the
    map that replaces it (no jump), grey, with nothing to hover or read off a colour bar."""
    spec = placeholder_map_spec()
    placeholder = go.Figure(spec)  # a valid plotly figure (validated here; the app sends the spec)
    real = build_choropleth(COUNTS, settings.REGION_GEOJSON_URL, "mentions")
    trace = placeholder.data[0]
    assert sorted(trace.locations) == sorted(MAP_COUNTRIES) and set(trace.z) == {0}
    assert trace.geojson == real.data[0].geojson == settings.REGION_GEOJSON_URL
    assert trace.showscale is False and trace.hoverinfo == "skip"
    assert placeholder.layout.geo == real.layout.geo and placeholder.layout.height == real.layout.height


def test_outside_bar_ranks_countries_not_on_the_map() -> None:
    outside = outside_frame(COUNTS)
    assert list(outside["iso3"]) == ["USA", "IND", "SUN"]
    fig = go.Figure(build_outside_bar(COUNTS).to_plotly_json())  # the spec is a valid figure
    assert list(fig.data[0].y) == ["Soviet Union (hist.)", "India", "United States"]  # largest on top
    assert list(fig.data[0].x) == sorted(fig.data[0].x)
    assert [c[0] for c in fig.data[0].customdata] == ["SUN", "IND", "USA"]  # a click names its country


def test_timeline_custom_data_and_escaped_hover() -> None:
    events = pd.DataFrame({
        "event_id": ["e1", "e2"], "article_id": ["a1", "a3"], "type": ["visit", "meeting"],
        "date": ["2023-02-28", "2023-03-01"], "actor": ["Antony Blinken", "<b>x</b>"],
        "actor_country": ["USA", "USA"], "host_country": ["KAZ", "UZB"],
        "place": ["Astana", "Tashkent"], "status": ["occurred", "planned"],
        "evidence": ["Blinken arrived <img src=x onerror=alert(2)>", "met"],
        "source": ["Reuters", "Kun.uz"]})
    fig = build_timeline(events)
    points = {tuple(c[:2]) for trace in fig.data for c in trace.customdata}
    assert points == {("a1", "e1"), ("a3", "e2")}
    hover = " ".join(str(c) for trace in fig.data for c in trace.customdata.ravel())
    assert "<img" not in hover and "&lt;img" in hover and "<b>" not in hover
    assert {t.name.split(",")[0].strip() for t in fig.data} == {"occurred", "planned"}


def test_timeline_with_no_events() -> None:
    fig = build_timeline(pd.DataFrame())
    assert all(len(t.x) == 0 for t in fig.data)


HOSTILE = "<script>alert(1)</script> & <img src=x onerror=alert(2)> ![x](http://127.0.0.1:9/p.png)"


def test_highlight_html_escapes_every_fragment() -> None:
    text = HOSTILE + " Kazakhstan"
    start = text.index("Kazakhstan")
    out = highlight_html(text, [(0, 8, "country"), (start, start + 10, "country")])
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;" in out and "&lt;img" in out
    assert "&amp;" in out
    assert "![x](" not in out and "](http" not in out
    assert "\n" not in out
    assert out.count("<mark") == 2 and out.count("COUNTRY") == 2


def test_hover_text_is_inert_keeps_quotes_and_cuts_at_a_word() -> None:
    from components.figures import _hover_text

    quoted = _hover_text('Tokayev said: "We welcome our guests" <script>alert(1)</script> & more')
    assert '"We welcome our guests"' in quoted and "&quot;" not in quoted  # plotly shows entities literally
    assert "<script" not in quoted and "&lt;script&gt;" in quoted and "&amp; more" in quoted
    long = _hover_text("The Kazakh president welcomed his Uzbek counterpart " * 10, limit=100)
    assert long.endswith("…") and len(long) <= 101
    words = {"The", "Kazakh", "president", "welcomed", "his", "Uzbek", "counterpart"}
    assert long[:-1].split()[-1] in words  # it ends on a whole word


def test_highlight_html_overlapping_and_nested_spans() -> None:
    text = "Kassym-Jomart Tokayev met Blinken in Astana."
    spans = [Span(0, 21, "person"), Span(14, 21, "person"), Span(0, 44, EVIDENCE),
             Span(37, 43, "place"), Span(30, 40, "country"), Span(5, 3, "date"),
             Span(40, 999, "org")]
    out = highlight_html(text, spans)
    assert out.count("PERSON") == 2 and out.count("PLACE") == 1 and out.count("COUNTRY") == 1
    assert out.count("sw-evidence") >= 1
    assert out.count("<mark") == out.count("</mark>")
    assert out.count("<span") == out.count("</span>")
    # the visible text is intact
    import re
    visible = re.sub(r"<span style=\"font-size[^>]*>[A-Z]+</span>", "", out)
    visible = re.sub(r"<[^>]+>", "", visible)
    assert visible.replace("&#45;", "-") == text


def test_unknown_labels_become_a_constant() -> None:
    out = highlight_html("abc", [(0, 3, "<script>")])
    assert "script" not in out and "ENTITY" in out


def test_escape_helpers() -> None:
    assert escape_text("a\nb") == "a<br>b"
    assert "<" not in escape_text("<img>") and "[" not in escape_text("[x](y)")
    assert "<h2>" in heading_html("<script>x</script>") and "<script" not in heading_html(
        "<script>x</script>")
    assert escape_markdown("![x](http://h/p.png)") == r"\!\[x\]\(http\://h/p\.png\)"


def test_csv_download_neutralises_formulas() -> None:
    data = csv_bytes(pd.DataFrame({"a": ["=HYPERLINK(1)", "ok", "+1", None], "n": [1, 2, 3, 4]}))
    text = data.decode()
    assert "'=HYPERLINK" in text and "'+1" in text and "\n=" not in text


def test_summarised_timeline_has_one_row_per_visitor_and_a_bubble_per_month_and_status() -> None:
    import pandas as pd

    from components.figures import build_timeline_summary

    summary = pd.DataFrame({"visitor": ["Xi Jinping", "Xi Jinping", "Uzbekistan", "Vladimir Putin", "<b>x</b>"],
                            "visitor_country": ["CHN", "CHN", "UZB", "RUS", None],
                            "person": [True, True, False, True, True],
                            "type": ["visit", "meeting", "visit", "call", "visit"],
                            "status": ["occurred", "occurred", "planned", "occurred", "occurred"],
                            "month": ["2023-02", "2023-02", "2023-03", "2023-03", "2023-04"],
                            "n": [40, 3, 1, 7, 2]})
    fig = build_timeline_summary(summary)
    points = [(y, c[0], c[1], int(c[2])) for t in fig.data for y, c in zip(t.y, t.customdata, strict=True)]
    assert sorted(points) == sorted([("Xi Jinping", "CHN", "2023-02", 40), ("Xi Jinping", "CHN", "2023-02", 3),
                                     ("Uzbekistan", "UZB", "2023-03", 1), ("Vladimir Putin", "RUS", "2023-03", 7),
                                     ("&lt;b&gt;x&lt;/b&gt;", "", "2023-04", 2)])
    sizes = {int(c[2]): s for t in fig.data for c, s in zip(t.customdata, t.marker.size, strict=True)}
    assert sizes[40] > sizes[7] > sizes[1]  # the bubble grows with the count
    # the busiest visitor on top (a category axis runs upwards)
    assert list(fig.layout.yaxis.categoryarray)[::-1][:2] == ["Xi Jinping", "Vladimir Putin"]


def test_the_app_map_refers_to_its_shapes_by_url_and_counts_in_whole_numbers() -> None:
    import pandas as pd

    from components.figures import build_choropleth

    fig = build_choropleth(pd.DataFrame({"iso3": ["KAZ"], "name": ["Kazakhstan"], "n": [2]}),
                           settings.REGION_GEOJSON_URL, "mentions", selected=("KAZ",))
    assert all(t.geojson == settings.REGION_GEOJSON_URL for t in fig.data if t.type == "choropleth")
    assert len(fig.to_json()) < 20_000  # the shapes are not inside the figure
    assert fig.data[0].colorbar.dtick == 1 and fig.data[0].colorbar.tick0 == 0
    served = ROOT / settings.REGION_GEOJSON_URL.removeprefix("app/")  # Streamlit serves static/ at app/static/
    assert served.resolve() == settings.REGION_GEOJSON.resolve() and served.stat().st_size > 100_000


def test_the_map_spec_is_valid_plotly(geojson: dict) -> None:
    """The map is wrapped without plotly's validation in the app: the same spec must pass it here."""
    import plotly.graph_objects as go

    from components.figures import build_choropleth

    for selected in ((), ("KAZ", "CHN")):
        fig = build_choropleth(COUNTS, geojson, "events", selected=selected)
        validated = go.Figure(fig.to_dict())  # raises on any invalid property
        assert len(validated.data) == 2 + bool(selected)


def test_more_articles_is_a_darker_blue(geojson: dict) -> None:
    from components.figures import build_choropleth

    scale = build_choropleth(COUNTS, geojson).data[0].colorscale
    lightness = [sum(int(c.lstrip("rgb(").rstrip(")").split(",")[i]) for i in range(3)) if c.startswith("rgb")
                 else sum(int(c[i:i + 2], 16) for i in (1, 3, 5)) for _, c in scale]
    assert lightness[0] > lightness[-1]  # zero is pale, the maximum dark


def test_the_summarised_timeline_spec_is_valid_plotly() -> None:
    import plotly.graph_objects as go

    from components.figures import build_timeline_summary

    summary = pd.DataFrame({"visitor": ["Kazakhstan", "Sadyr Japarov"], "visitor_country": ["KAZ", None],
                            "person": [False, True], "type": ["visit", "call"], "status": ["planned", "occurred"],
                            "month": ["2023-02", "2023-03"], "n": [4, 2]})
    validated = go.Figure(build_timeline_summary(summary).to_dict())  # raises on any invalid property
    assert len(validated.data) == 2


@pytest.mark.parametrize(("n", "shown"), [(0, "0"), (6, "6"), (4_999, "4,999"), (99_999, "99,999"),
                                          (100_000, "100k"), (834_943, "835k"), (999_499, "999k"),
                                          (999_500, "1.00M"), (1_001_562, "1.00M"), (12_345_678, "12M")])
def test_headline_counts_fit_a_metric_of_seven_in_a_row(n: int, shown: str) -> None:
    from components.headline import compact_count

    assert compact_count(n) == shown
    assert len(compact_count(n)) <= 6


def test_timeline_labels_only_where_there_is_room() -> None:
    from components.figures import LABELS_MAX, labels_with_room

    days = ["2023-01-01", "2023-01-02", "2023-01-03", "2023-06-01", "2023-12-31", "2023-01-02"]
    rows = ["Blinken", "Blinken", "Blinken", "Blinken", "Blinken", "Lavrov"]
    labels = ["Astana", "Tashkent", "Bishkek", "Dushanbe", "Ashgabat", "Astana"]
    # two neighbouring legs fit (one label above the bar, one below); a third within days would overprint;
    # another row keeps its own label
    assert labels_with_room(rows, days, labels) == ["Astana", "Tashkent", "", "Dushanbe", "Ashgabat", "Astana"]
    many = [f"2023-01-{d:02d}" for d in range(1, 29)] * 3
    crowded = labels_with_room([f"row {i}" for i in range(len(many))], many, ["x"] * len(many))
    assert len(many) > LABELS_MAX and crowded == [""] * len(many)  # too many: hover only
    assert labels_with_room(["a"], [None], ["Astana"]) == [""]


@pytest.mark.parametrize(("top", "ticks", "step"), [(0, 6, 1), (2, 6, 1), (7, 6, 2), (1592, 6, 500), (1000, 5, 200),
                                                    (30, 6, 5), (61, 6, 20)])
def test_colour_bar_and_axis_steps_are_round_whole_numbers(top: int, ticks: int, step: int) -> None:
    from components.figures import whole_step

    assert whole_step(top, ticks) == step


def test_a_shared_figure_sends_the_same_spec_without_copying_it_on_every_draw() -> None:
    import plotly.graph_objects as go
    import plotly.io
    import plotly.tools

    from components.figures import build_timeline_summary, shared

    summary = pd.DataFrame({"visitor": ["Xi Jinping"] * 3, "visitor_country": ["CHN"] * 3, "person": [True] * 3,
                            "type": ["visit"] * 3, "status": ["occurred"] * 3,
                            "month": ["2023-01", "2023-02", "2023-03"], "n": [1, 2, 3]})
    figure = build_timeline_summary(summary)
    once = shared(figure)
    # what st.plotly_chart does with it: the same JSON as the figure itself, from one dict made once
    as_sent = plotly.tools.return_figure_from_figure_or_data(once, validate_figure=True)
    assert as_sent is once.to_dict() and as_sent is plotly.tools.return_figure_from_figure_or_data(once, True)
    assert plotly.io.to_json(once, validate=False) == plotly.io.to_json(figure, validate=False)
    assert isinstance(once, go.Figure)
