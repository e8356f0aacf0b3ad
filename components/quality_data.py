"""The app edge of the Quality page: bounded caches over the eval-run queries, and running the
evaluation from the page.

Cache keys are the store path and a fingerprint of ``eval_runs`` (not the article data version:
a run recorded by the CLI in another process must show up on the next rerun).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from components.data import db_path, guarded, read_store, read_with
from steppewatch import settings
from steppewatch.query import quality

_CACHE = {"max_entries": 16, "ttl": 300, "show_spinner": False}


@dataclass(frozen=True)
class EvalOutcome:
    """One evaluation run started from the page."""

    run_id: str
    n_scores: int
    seconds: float


def eval_version() -> str:
    """Fingerprint of the recorded runs (uncached; part of every cache key)."""
    try:
        with read_store() as store:
            return quality.eval_version(store)
    except Exception:
        return "unavailable"


@st.cache_data(**_CACHE)
def _latest(path: str, version: str) -> pd.DataFrame:
    return read_with(quality.latest_eval)  # type: ignore[return-value]


@st.cache_data(**_CACHE)
def _history(path: str, version: str, runs: int) -> pd.DataFrame:
    return read_with(quality.eval_history, runs)  # type: ignore[return-value]


@st.cache_data(**_CACHE)
def _summary(path: str, version: str, current: str) -> quality.QualitySummary | None:
    return read_with(quality.quality_summary, current)  # type: ignore[return-value]


def _safe(default: object, fn: Callable[..., object], *args: object) -> object:
    """A cached query keyed by the recorded runs (see ``components.data.guarded``)."""
    return guarded(default, fn, eval_version(), *args, what="the evaluation runs")


def latest_eval() -> pd.DataFrame:
    return _safe(pd.DataFrame(columns=quality.SCORE_COLUMNS), _latest)  # type: ignore[return-value]


def eval_history(runs: int = quality.HISTORY_RUNS) -> pd.DataFrame:
    return _safe(pd.DataFrame(columns=quality.HISTORY_COLUMNS), _history, runs)  # type: ignore[return-value]


def quality_summary() -> quality.QualitySummary | None:
    return _safe(None, _summary, settings.EXTRACTOR_VERSION)  # type: ignore[return-value]


def run_and_record(gold_dir: Path) -> EvalOutcome:
    """Score the current extractor on the gold sets in ``gold_dir`` and record the run in the store.

    Raises ValueError when the folder holds no gold set; store and extraction errors propagate.
    """
    from steppewatch.evaluation import record_run, run_eval
    from steppewatch.store import open_store

    started = time.monotonic()
    scores = run_eval(gold_dir)
    if not scores:
        raise ValueError(f"no gold set found in {gold_dir}")
    with open_store(db_path()) as store:
        run_id = record_run(store, scores)
    return EvalOutcome(run_id=run_id, n_scores=len(scores), seconds=time.monotonic() - started)
