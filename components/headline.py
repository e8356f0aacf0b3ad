"""The Overview's headline numbers: seven metrics in a row, each short enough to be read whole."""

from __future__ import annotations

from typing import Any

import pandas as pd

# (label, column of ``data.headline``, help)
HEADLINE_METRICS: tuple[tuple[str, str, str | None], ...] = (
    ("Articles", "articles", None),
    ("Sources", "sources", None),
    ("Countries mentioned", "countries", None),
    ("Visits (occurred)", "visits_occurred", "One per visit, however many articles of its story report it."),
    ("Visits (planned)", "visits_planned", "One per announced visit, however many articles of its story report it."),
    ("Meetings", "meetings", "In person (or not said how); calls not included."),
    ("Calls", "calls", "Phone and video calls (each report counted, as for meetings)."),
)


def compact_count(n: int) -> str:
    """A count in at most six characters: 98,765 / 835k / 1.00M (a metric of seven in a row shows
    about six; "1001562" was cut to "1001…")."""
    if n < 100_000:
        return f"{n:,}"
    if n < 999_500:
        return f"{n / 1000:.0f}k"
    return f"{n / 1_000_000:.2f}M" if n < 9_995_000 else f"{n / 1_000_000:.0f}M"


def show_headline(container: Any, numbers: pd.DataFrame) -> None:
    """The headline row in ``container`` (nothing for an empty frame); a shortened count gives its
    exact value in its help."""
    if numbers.empty:
        return
    row = numbers.iloc[0]
    for column, (label, key, help_text) in zip(container.columns(len(HEADLINE_METRICS)), HEADLINE_METRICS,
                                               strict=True):
        n = int(row[key])
        shown = compact_count(n)
        exact = None if shown == f"{n:,}" else f"Exactly {n:,}."
        column.metric(label, shown, help=" ".join(t for t in (help_text, exact) if t) or None)
