"""Trips: the visits of one visitor a few days apart are the legs of one trip.

A visit's trip starts at the first visit of its *run* (the visitor's visits with no two consecutive ones
more than ``TRIP_GAP_DAYS`` apart), but never more than ``TRIP_MAX_DAYS`` before the visit itself. Real
trips are shorter than that, so for them the cap changes nothing; it bounds what a run can join when a
visitor is reported somewhere every few days for months (an unnamed delegation of a large neighbour, or
a long series of events), which would otherwise be one trip as long as the run. It also bounds the work
after an ingest: a visit's trip depends on the visitor's visits of the ``TRIP_MAX_DAYS + TRIP_GAP_DAYS``
days before it only, so new visits on some days change trips from those days up to that many days later,
never the visitor's whole history (``affected_days``).

Pure functions: the store is read and written by ``steppewatch.pipeline``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

TRIP_GAP_DAYS = 3
TRIP_MAX_DAYS = 30
CONTEXT_DAYS = TRIP_MAX_DAYS + TRIP_GAP_DAYS  # what a visit's trip can depend on, before it


def trip_start_days(days: Sequence[dt.date]) -> list[dt.date]:
    """For one visitor's visits on ``days`` (sorted), the day each one's trip starts.

    Correct for every visit at least ``CONTEXT_DAYS`` after the first of ``days`` whatever came before
    it (a window of the visitor's history may be passed), and for all when ``days`` is the whole history.
    """
    starts: list[dt.date] = []
    run_start = 0  # index of the first visit of the current run
    recent = 0  # index of the first visit not more than TRIP_MAX_DAYS before the current one
    for i, day in enumerate(days):
        if i and (day - days[i - 1]).days > TRIP_GAP_DAYS:
            run_start = i
        while (day - days[recent]).days > TRIP_MAX_DAYS:
            recent += 1
        starts.append(days[max(run_start, recent)])
    return starts


def trip_id(visitor: tuple[object, object], start: dt.date) -> str:
    """The id of the trip of ``visitor`` (actor country, actor) that starts on ``start``."""
    return "t" + hashlib.sha256(f"{visitor}:{start.isoformat()}".encode()).hexdigest()[:11]


def affected_days(changed: Sequence[dt.date]) -> list[tuple[dt.date, dt.date, dt.date]]:
    """For visits changed (added, removed, re-dated) on ``changed`` days: windows of (first day to read,
    first day whose trips may change, last day whose trips may change), one per group of changed days
    close enough for their windows to overlap, in date order."""
    context = dt.timedelta(days=CONTEXT_DAYS)
    windows: list[tuple[dt.date, dt.date, dt.date]] = []
    for day in sorted(set(changed)):
        if windows and day - context <= windows[-1][2]:
            read_from, first, _ = windows[-1]
            windows[-1] = (read_from, first, day + context)
        else:
            windows.append((day - context, day, day + context))
    return windows
