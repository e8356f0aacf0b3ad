"""AppTest: a click on a place point filters like a country click, a click on a who-meets-whom cell lists that
pair's reports (a picked one opens its article), and the map's places can be hidden through the URL."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from app_support import app, url  # noqa: E402
from store_factory import build_store  # noqa: E402

from steppewatch import settings  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def test_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = build_store(tmp_path_factory.mktemp("app_net") / "store.db")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(settings, "DB_PATH", path)
        yield path






def select(at: AppTest, key: str, custom: list[object]) -> None:
    at.session_state[key] = {"selection": {"points": [{"customdata": custom, "point_index": 0}],
                                           "point_indices": [0], "box": [], "lasso": []}}
    at.run()


def test_a_click_on_a_place_point_filters_to_its_country() -> None:
    """A point carries no ``location`` (it is no shape): its custom data names the country."""
    at = app()
    at.run()
    select(at, "ov_map_0", ["UZB"])
    assert not at.exception
    assert url(at) == {"country": "UZB"}


def test_a_click_on_a_matrix_cell_lists_its_reports_and_a_pick_opens_one() -> None:
    at = app()
    at.run()
    assert not [t for t in at.markdown if "United States in Uzbekistan" in t.value]
    select(at, "ov_pairs", ["USA", "UZB", 1, 1])
    assert not at.exception
    # the planned and the occurred report of Blinken's Tashkent visit (one visit in the matrix) and the meeting
    assert any("United States in Uzbekistan**: 3 reports" in m.value for m in at.markdown)
    listed = next(d.value for d in at.dataframe if "counterpart" in d.value.columns)
    assert sorted(listed["type"]) == ["meeting", "visit", "visit"]
    assert sorted(listed["status"]) == ["occurred", "occurred", "planned"]
    assert set(listed["place"]) == {"Tashkent"}
    assert url(at) == {}  # listing changes no filter
    planned = int(listed.index[list(listed["status"]).index("planned")])
    at.session_state["ov_pairs_events"] = {"selection": {"rows": [planned], "columns": []}}
    at.run()
    assert not at.exception
    assert url(at) == {"article": "a1"}  # the planned visit is reported by Reuters' a1


def test_a_cell_naming_no_known_country_lists_nothing() -> None:
    at = app()
    at.run()
    select(at, "ov_pairs", ["<script>", "KAZ"])
    assert not at.exception
    assert not [d for d in at.dataframe if "counterpart" in d.value.columns]


def test_the_places_box_hides_and_shows_them_through_the_url() -> None:
    at = app(country="KAZ")
    at.run()
    box = next(c for c in at.checkbox if c.label == "Show visit and meeting places")
    assert box.value
    box.uncheck().run()
    assert url(at) == {"country": "KAZ", "places": "hide"}
    box = next(c for c in at.checkbox if c.label == "Show visit and meeting places")
    assert not box.value
    box.check().run()
    assert url(at) == {"country": "KAZ"}
