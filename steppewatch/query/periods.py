"""Periods of the summarised timeline: months, quarters or years, whichever keeps a row readable.

A view of years of news summarised by month puts thousands of bubbles on one chart (a row per country,
a column per month): unreadable, and slow for the browser to draw. ``by_period`` sums the monthly counts
into the finest of month, quarter and year that gives at most ``max_periods`` columns.
"""

from __future__ import annotations

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
    first, last = min(numbers), max(numbers)
    for unit in PERIOD_UNITS:
        size = _months_in(unit)
        if last // size - first // size + 1 <= max_periods:
            return unit
    return "year"


def period_label(first_month: int, unit: str) -> str:
    """"2023-03", "2023-Q1" or "2023" of a period starting at month number ``first_month``."""
    year, month = divmod(first_month, 12)
    if unit == "year":
        return f"{year}"
    if unit == "quarter":
        return f"{year}-Q{month // 3 + 1}"
    return f"{year}-{month + 1:02d}"


def by_period(summary: pd.DataFrame, max_periods: int) -> tuple[pd.DataFrame, str]:
    """Monthly counts (iso3, type, status, month, n) summed by period: (frame, unit).

    The frame has iso3, type, status, period (its label), first and last (its first and last month,
    "YYYY-MM") and n, one row per (iso3, type, status, period) in order of first month."""
    columns = ["iso3", "type", "status", "period", "first", "last", "n"]
    if summary.empty:
        return pd.DataFrame({c: [] for c in columns}), "month"
    unit = period_unit(summary["month"], max_periods)
    size = _months_in(unit)
    starts = [(_month_number(str(m)) // size) * size for m in summary["month"]]
    frame = pd.DataFrame({"iso3": summary["iso3"].astype(object).where(summary["iso3"].notna(), ""),
                          "type": summary["type"].astype(str), "status": summary["status"].astype(str),
                          "start": starts, "n": summary["n"].astype("int64")})
    grouped = frame.groupby(["iso3", "type", "status", "start"], sort=False, as_index=False)["n"].sum()
    grouped = grouped.sort_values(["start", "iso3", "type", "status"], kind="stable").reset_index(drop=True)
    grouped["period"] = [period_label(s, unit) for s in grouped["start"]]
    grouped["first"] = [period_label(s, "month") for s in grouped["start"]]
    grouped["last"] = [period_label(s + size - 1, "month") for s in grouped["start"]]
    grouped["iso3"] = grouped["iso3"].where(grouped["iso3"] != "", None)
    return grouped[columns], unit
