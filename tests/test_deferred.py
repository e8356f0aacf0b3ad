"""On a session's first run the Overview draws its map and leaves the timeline and the article list
for a rerun a moment later (its browser timer); any later run draws the whole page."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from store_factory import build_store  # noqa: E402

from components.deferred import LOADING_TEXT  # noqa: E402
from steppewatch import settings  # noqa: E402

APP = str(ROOT / "dashboard.py")


@pytest.fixture(scope="module", autouse=True)
def test_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = build_store(tmp_path_factory.mktemp("deferred") / "store.db")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(settings, "DB_PATH", path)
        yield path


def _texts(at: AppTest) -> list[str]:
    return [c.value for c in at.caption] + [h.value for h in at.subheader]


def test_the_first_run_draws_the_map_and_says_the_rest_is_coming(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "DEFER_BELOW_MAP_S", 1.0)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert LOADING_TEXT in _texts(at)
    assert "Visits, meetings and calls" not in _texts(at) and not at.dataframe
    assert any(chart.proto.spec and "choropleth" in chart.proto.spec for chart in at.get("plotly_chart"))
    at.run()  # the timer's rerun (or any click before it)
    assert not at.exception
    assert LOADING_TEXT not in _texts(at)
    assert "Visits, meetings and calls" in _texts(at) and at.dataframe


def test_with_no_delay_the_first_run_draws_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "DEFER_BELOW_MAP_S", 0.0)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert LOADING_TEXT not in _texts(at) and at.dataframe
