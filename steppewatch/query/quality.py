"""Pure read queries over recorded evaluation runs (table ``eval_runs``), for the Quality page.

A run is the set of rows one ``python -m steppewatch eval`` (or the page's button) wrote: one row
per gold set and field (visits_dev adds rows per subset, gold set ``visits_dev:kr`` and so on).
Runs are ordered by their time, then by insertion order (``rowid``), so two runs recorded within
the same second still have a well-defined latest one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from steppewatch import settings
from steppewatch.query.queries import DbLike, _con, _frame

SCORE_COLUMNS = ["gold_set", "field", "precision", "recall", "f1", "tp", "fp", "fn"]
HISTORY_COLUMNS = ["run_id", "at", "extractor_version", "gold_set", "field", "f1"]

# Runs shown in the trend (the newest ones); the table only ever reads one run.
HISTORY_RUNS = 20


@dataclass(frozen=True)
class QualitySummary:
    """The latest recorded run: when, with which extractor, and how many runs exist."""

    run_id: str
    at: str
    extractor_version: str
    current_version: str
    n_runs: int

    @property
    def is_current(self) -> bool:
        """True when the run scored the extractor the app runs now."""
        return self.extractor_version == self.current_version

    @property
    def date(self) -> str:
        """The run's UTC date and time as ``YYYY-MM-DD HH:MM``."""
        return self.at[:16].replace("T", " ")


def _has_runs_table(db: DbLike) -> bool:
    # a store created before eval_runs existed and opened read-only has no such table
    row = _con(db).execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'eval_runs'").fetchone()
    return row is not None


def _latest_run(db: DbLike) -> tuple[str, str, str] | None:
    """(run_id, at, extractor_version) of the most recent run, or None."""
    if not _has_runs_table(db):
        return None
    row = _con(db).execute(
        "SELECT run_id, at, extractor_version FROM eval_runs ORDER BY at DESC, rowid DESC LIMIT 1").fetchone()
    return (str(row[0]), str(row[1]), str(row[2])) if row else None


def eval_version(db: DbLike) -> str:
    """A cheap fingerprint that changes whenever a run is recorded (for cache keys)."""
    if not _has_runs_table(db):
        return "none"
    n, last = _con(db).execute("SELECT count(*), max(rowid) FROM eval_runs").fetchone()
    return f"{n}:{last}"


def latest_eval(db: DbLike) -> pd.DataFrame:
    """Rows of the most recent run (one per gold set and field, in the order eval wrote them),
    with columns gold_set, field, precision, recall, f1, tp, fp, fn, run_id, at, extractor_version.

    Empty (with those columns) when no run was recorded.
    """
    columns = [*SCORE_COLUMNS, "run_id", "at", "extractor_version"]
    latest = _latest_run(db)
    if latest is None:
        return pd.DataFrame(columns=columns)
    # run ids are derived from (second, version): if two runs shared one, keep each field's last row
    return _frame(db, f"""
        SELECT {", ".join(columns)} FROM eval_runs
        WHERE rowid IN (SELECT max(rowid) FROM eval_runs WHERE run_id = ? GROUP BY gold_set, field)
        ORDER BY rowid""", (latest[0],))


def eval_history(db: DbLike, runs: int = HISTORY_RUNS) -> pd.DataFrame:
    """F1 per gold set and field for each of the last ``runs`` runs, oldest run first.

    Columns run_id, at, extractor_version, gold_set, field, f1; empty when no run was recorded.
    Only fields with an F1 over a whole gold set: not the subsets of a gold set (``visits_dev:kr``,
    ``visits_dev:hard:phone``, ...), recall-only fields or counts (their f1 is NULL).
    """
    if not _has_runs_table(db):
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    return _frame(db, """
        WITH runs AS (
            SELECT run_id, max(at) AS at, max(rowid) AS last_row FROM eval_runs
            GROUP BY run_id ORDER BY at DESC, last_row DESC LIMIT ?)
        SELECT e.run_id, r.at, e.extractor_version, e.gold_set, e.field, e.f1
        FROM eval_runs e JOIN runs r ON r.run_id = e.run_id
        WHERE e.rowid IN (SELECT max(rowid) FROM eval_runs GROUP BY run_id, gold_set, field)
          AND instr(e.gold_set, ':') = 0 AND e.f1 IS NOT NULL
        ORDER BY r.at, r.last_row, e.rowid""", (int(runs),))[HISTORY_COLUMNS]


def quality_summary(db: DbLike, current_version: str | None = None) -> QualitySummary | None:
    """The latest run's date and extractor version, compared with ``current_version``
    (default ``settings.EXTRACTOR_VERSION``); None when no run was recorded."""
    latest = _latest_run(db)
    if latest is None:
        return None
    n_runs = int(_con(db).execute("SELECT count(DISTINCT run_id) FROM eval_runs").fetchone()[0])
    run_id, at, version = latest
    return QualitySummary(run_id=run_id, at=at, extractor_version=version,
                          current_version=current_version or settings.EXTRACTOR_VERSION, n_runs=n_runs)
