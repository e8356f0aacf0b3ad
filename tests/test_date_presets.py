"""Quick date ranges (issue 11): last 7/30/90 days and this year, both ends included."""

from __future__ import annotations

import datetime as dt

import pytest

from steppewatch.query.periods import DATE_PRESETS, preset_dates


@pytest.mark.parametrize(("preset", "start"), [
    ("7d", dt.date(2024, 2, 24)), ("30d", dt.date(2024, 2, 1)), ("90d", dt.date(2023, 12, 3)),
    ("year", dt.date(2024, 1, 1)),
])
def test_a_preset_ends_today_and_counts_today_as_its_first_day(preset: str, start: dt.date) -> None:
    today = dt.date(2024, 3, 1)  # 2024 is a leap year: 29 February is inside "7 days"
    assert preset_dates(preset, today) == (start, today)
    if preset != "year":
        assert (today - start).days + 1 == dict((k, d) for k, _, d in DATE_PRESETS)[preset]


def test_an_unknown_preset_is_refused() -> None:
    with pytest.raises(KeyError):
        preset_dates("1y", dt.date(2024, 3, 1))
