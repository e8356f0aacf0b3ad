"""Attention over time (issue 11): articles per publication day for the current filters, one series per
filtered country, and its figure with the visits of the period marked."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from store_factory import build_store  # noqa: E402

from steppewatch.query import queries, readmodel  # noqa: E402
from steppewatch.query.filters import Filters  # noqa: E402


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("attention") / "s.db")


def _sql_days(con: sqlite3.Connection, f: Filters) -> dict[str, int]:
    where, params = queries.article_where(f)
    rows = con.execute(f"SELECT substr(a.published, 1, 10), count(*) FROM articles a WHERE {where} "
                       "AND a.published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' GROUP BY 1", params)
    return dict(rows.fetchall())


@pytest.mark.parametrize("f", [
    Filters(), Filters(countries=("KAZ",)), Filters(countries=("KAZ", "UZB")), Filters(event_types=("visit",)),
    Filters(countries=("UZB",), sources=("Reuters",)), Filters(date_from=pd.Timestamp("2023-03-01").date()),
])
def test_attention_counts_the_articles_each_day_as_the_store_does(store: Path, f: Filters) -> None:
    with sqlite3.connect(store) as con:
        model = readmodel.build(con)
        frame = model.attention(f)
        for series, part in frame.groupby("series"):
            one = f if series == "all" else Filters(**{**f.__dict__, "countries": (series,)})
            assert dict(zip(part["day"], part["n"], strict=True)) == _sql_days(con, one), series
    assert set(frame["series"]) <= ({"all"} if not f.countries else set(f.countries))
    assert not frame.empty


def test_the_figure_sums_by_a_readable_unit_and_marks_the_visits() -> None:
    from components.figures import attention_periods, build_attention

    days = pd.date_range("2022-01-01", "2023-12-31", freq="D")
    frame = pd.DataFrame({"day": days.strftime("%Y-%m-%d"), "series": "KAZ", "n": 1})
    periods, unit = attention_periods(frame)
    assert unit == "week" and periods["period"].dt.day_of_week.eq(0).all() and periods["n"].sum() == len(days)
    assert attention_periods(frame.head(30))[1] == "day"
    assert attention_periods(pd.concat([frame, frame.assign(day="2018-01-01")]))[1] == "month"
    summary = pd.DataFrame({"iso3": ["KAZ", "KAZ", "UZB"], "type": ["visit", "meeting", "visit"],
                            "status": ["occurred", "occurred", "planned"], "month": ["2023-02", "2023-02", "2023-03"],
                            "n": [2, 5, 1]})
    fig = build_attention(frame, summary)
    line, visits = fig.data
    assert line.name == "Kazakhstan" and sum(line.y) == len(days)
    assert list(visits.x) == ["2023-02-15"] and visits.customdata[0][0] == 2  # occurred visits only
    empty = build_attention(frame.head(0))
    assert not empty.data and empty.layout.annotations[0].text == "No dated articles in this view"


def test_the_overview_shows_attention_over_time(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    from steppewatch import settings

    monkeypatch.setattr(settings, "DB_PATH", store)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["country"] = "KAZ"
    at.run()
    assert not at.exception
    assert "Attention over time" in [h.value for h in at.subheader]
    assert any("one line per chosen country" in c.value for c in at.caption)
