"""Trips from visit days: the legs of a real trip share one, a visit changes only the trips near it."""

from __future__ import annotations

import datetime as dt
import random

from steppewatch.cluster.trips import CONTEXT_DAYS, TRIP_MAX_DAYS, affected_days, trip_start_days


def _days(*offsets: int) -> list[dt.date]:
    start = dt.date(2024, 3, 1)
    return [start + dt.timedelta(days=o) for o in offsets]


def test_the_legs_of_a_trip_share_its_first_day_and_a_gap_starts_another() -> None:
    days = _days(0, 2, 5, 8, 20, 21)  # Astana, Bishkek, Tashkent, Dushanbe; home; then a new trip
    starts = trip_start_days(days)
    assert starts[:4] == [days[0]] * 4
    assert starts[4:] == [days[4]] * 2


def test_a_run_of_visits_longer_than_any_trip_is_cut() -> None:
    days = _days(*range(0, 90, 2))  # someone reported somewhere every other day for three months
    starts = trip_start_days(days)
    assert starts[0] == days[0]
    assert all((day - start).days <= TRIP_MAX_DAYS for day, start in zip(days, starts, strict=True))
    assert len(set(starts)) > 1, "not one three-month trip"


def test_a_window_of_the_history_gives_the_trips_of_the_whole() -> None:
    """What an ingest relies on: the trips of visits CONTEXT_DAYS into a window of the history are those
    computed over the whole history, however dense or sparse the visits before the window are."""
    rng = random.Random(3)
    for _ in range(200):
        offsets = sorted({rng.randrange(0, 400) for _ in range(rng.randrange(1, 150))})
        days = _days(*offsets)
        whole = dict(zip(days, trip_start_days(days), strict=True))
        lo = days[0] + dt.timedelta(days=rng.randrange(0, 400))
        window = [d for d in days if d >= lo]
        for day, start in zip(window, trip_start_days(window), strict=True):
            if (day - lo).days >= CONTEXT_DAYS:
                assert start == whole[day], (offsets, lo, day)


def test_a_changed_visit_changes_trips_within_its_affected_days_only() -> None:
    rng = random.Random(5)
    for _ in range(200):
        offsets = sorted({rng.randrange(0, 300) for _ in range(rng.randrange(2, 120))})
        days = _days(*offsets)
        changed = _days(rng.randrange(0, 300))
        after = sorted(set(days) ^ set(changed))  # the visit added, or removed
        before_trips = dict(zip(days, trip_start_days(days), strict=True))
        windows = affected_days(changed)
        for day, start in zip(after, trip_start_days(after), strict=True):
            if day in before_trips and not any(first <= day <= last for _, first, last in windows):
                assert start == before_trips[day], (offsets, changed, day)


def test_changed_days_far_apart_get_windows_of_their_own() -> None:
    """A re-clustered story may hold reports years apart: each group of changed days is read on its own,
    never the visitor's whole history between them."""
    windows = affected_days(_days(0, 5, 700, 2))
    assert [(first, last) for _, first, last in windows] == [
        (_days(0)[0], _days(5 + CONTEXT_DAYS)[0]), (_days(700)[0], _days(700 + CONTEXT_DAYS)[0])]
    assert all(read_from == first - dt.timedelta(days=CONTEXT_DAYS) for read_from, first, _ in windows)
