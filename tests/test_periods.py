"""The summarised timeline counts by month, quarter or year, whichever keeps a row readable, and a
bubble's period is exactly the months it counts."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from components.figures import build_timeline_summary, summary_unit
from steppewatch.query.periods import by_period, period_unit


def _summary(months: list[str], n: list[int] | None = None) -> pd.DataFrame:
    return pd.DataFrame({"iso3": ["KAZ"] * len(months), "type": ["visit"] * len(months),
                         "status": ["occurred"] * len(months), "month": months,
                         "n": n or [1] * len(months)})


@pytest.mark.parametrize(("months", "unit"), [
    (["2023-01", "2025-12"], "month"),    # 36 months
    (["2023-01", "2026-01"], "quarter"),  # 37 months, 13 quarters
    (["2016-01", "2024-12"], "quarter"),  # 36 quarters
    (["2016-01", "2025-01"], "year"),     # 37 quarters
])
def test_the_finest_unit_that_keeps_at_most_36_columns(months: list[str], unit: str) -> None:
    assert period_unit(pd.Series(months), 36) == unit


def test_quarters_sum_their_months_and_say_which_months_they_are() -> None:
    periods, unit = by_period(_summary(["2023-01", "2023-03", "2023-04", "2026-02"], [2, 3, 5, 7]), 36)
    assert unit == "quarter"
    assert periods[["period", "first", "last", "n"]].values.tolist() == [
        ["2023-Q1", "2023-01", "2023-03", 5], ["2023-Q2", "2023-04", "2023-06", 5],
        ["2026-Q1", "2026-01", "2026-03", 7]]


@pytest.mark.parametrize("seed", range(60))
def test_periods_keep_every_count_and_never_exceed_the_limit_unless_by_year(seed: int) -> None:
    rng = random.Random(seed)
    rows = [(rng.randint(2010, 2026), rng.randint(1, 12), rng.randint(1, 50), rng.choice(["KAZ", "UZB", None]),
             rng.choice(["visit", "call"])) for _ in range(rng.randint(1, 40))]
    limit = rng.randint(1, 40)
    summary = pd.DataFrame({"iso3": [r[3] for r in rows], "type": [r[4] for r in rows],
                            "status": ["occurred"] * len(rows),
                            "month": [f"{y}-{m:02d}" for y, m, *_ in rows], "n": [r[2] for r in rows]})
    periods, unit = by_period(summary, limit)
    assert periods["n"].sum() == summary["n"].sum()
    if unit != "year":
        assert periods["period"].nunique() <= limit
    for month, n in zip(summary["month"], summary["n"], strict=True):  # each month lies in one period
        assert (periods["first"] <= month).any() and (periods["last"] >= month).any()
        assert n <= periods[(periods["first"] <= month) & (periods["last"] >= month)]["n"].sum()


def test_years_of_news_draw_a_bubble_per_year_and_the_caption_unit_matches() -> None:
    months = [f"{y}-{m:02d}" for y in range(2016, 2026) for m in range(1, 13)]
    summary = _summary(months)
    fig = build_timeline_summary(summary.rename(columns={"iso3": "visitor_country"}).assign(
        visitor="Kazakhstan", person=False))
    assert sum(len(t.x) for t in fig.data) == 10
    assert summary_unit(summary) == "year" and fig.layout.xaxis.title.text == "year"
    assert sorted(tuple(c) for t in fig.data for c in t.customdata)[0] == ("KAZ", "2016-01", 12, "2016-12")
    assert "2016" in fig.data[0].text
