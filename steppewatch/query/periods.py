"""Periods of the summarised timeline: months, quarters or years, whichever keeps a row readable; and
the sidebar's quick date ranges (last 7/30/90 days, this year).

A view of years of news summarised by month puts thousands of bubbles on one chart (a row per country,
a column per month): unreadable, and slow for the browser to draw. ``by_period`` sums the monthly counts
into the finest of month, quarter and year that gives at most ``max_periods`` columns.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

PERIOD_UNITS = ("month", "quarter", "year")
PERIOD_ADJECTIVES = {"month": "monthly", "quarter": "quarterly", "year": "yearly"}


def _month_number(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _months_in(unit: str) -> int:
    return {"month": 1, "quarter": 3, "year": 12}[unit]


def period_unit(months: pd.Series, max_periods: int) -> str:
    """The finest unit in which the months of ``months`` ("YYYY-MM") span at most ``max_periods``
    periods (a year when none does)."""
    numbers = [_month_number(str(m)) for m in months.dropna().unique()]
    if not numbers:
        return "month"
    return _finest_unit(min(numbers), max(numbers), max_periods)


def _finest_unit(first: int, last: int, max_periods: int) -> str:
    return next((u for u in PERIOD_UNITS if last // _months_in(u) - first // _months_in(u) + 1 <= max_periods),
                "year")


def period_label(first_month: int, unit: str) -> str:
    """"2023-03", "2023-Q1" or "2023" of a period starting at month number ``first_month``."""
    year, month = divmod(first_month, 12)
    if unit == "year":
        return f"{year}"
    if unit == "quarter":
        return f"{year}-Q{month // 3 + 1}"
    return f"{year}-{month + 1:02d}"


def by_period(summary: pd.DataFrame, max_periods: int,
              keys: tuple[str, ...] = ("iso3", "type", "status")) -> tuple[pd.DataFrame, str]:
    """Monthly counts (``keys`` columns, month, n) summed by period: (frame, unit).

    The frame has the ``keys`` columns, period (its label), first and last (its first and last month,
    "YYYY-MM") and n, one row per (keys, period) in order of first month. Summed in plain Python: a few
    thousand rows, each view (a pandas group-by costs ten times more here)."""
    columns = [*keys, "period", "first", "last", "n"]
    if summary.empty:
        return pd.DataFrame({c: [] for c in columns}), "month"
    months = [str(m) for m in summary["month"].tolist()]
    numbers = [_month_number(m) for m in months]
    unit = _finest_unit(min(numbers), max(numbers), max_periods)
    size = _months_in(unit)
    sums: dict[tuple[object, ...], int] = {}
    values = zip(*(summary[k].tolist() for k in keys), strict=True)
    for number, row, n in zip(numbers, values, summary["n"].tolist(), strict=True):
        key = (number // size * size, *(v if isinstance(v, str) else "" for v in row))
        sums[key] = sums.get(key, 0) + int(n)
    ordered = sorted(sums)
    out = {k: [row[i + 1] or None for row in ordered] for i, k in enumerate(keys)}
    out.update({"period": [period_label(int(k[0]), unit) for k in ordered],
                "first": [period_label(int(k[0]), "month") for k in ordered],
                "last": [period_label(int(k[0]) + size - 1, "month") for k in ordered],
                "n": [sums[k] for k in ordered]})
    return pd.DataFrame(out, columns=columns), unit


# Quick date ranges of the sidebar: (URL-free key, label, days back; None = since 1 January).
DATE_PRESETS: tuple[tuple[str, str, int | None], ...] = (
    ("7d", "7d", 7), ("30d", "30d", 30), ("90d", "90d", 90), ("year", "YTD", None))


def preset_dates(preset: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The published-from and -to dates of a quick range ending ``today`` (both days included):
    "7d" is today and the six days before; "year" runs from 1 January. Unknown presets raise KeyError."""
    days = {key: back for key, _, back in DATE_PRESETS}[preset]
    start = dt.date(today.year, 1, 1) if days is None else today - dt.timedelta(days=days - 1)
    return start, today
