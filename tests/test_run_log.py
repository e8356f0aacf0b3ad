"""The server's run times (components/run_log.py): one line per run when asked, nothing otherwise."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from components.run_log import timed_run
from steppewatch import settings


def test_each_run_is_timed_only_when_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    log = tmp_path / "runs.jsonl"
    monkeypatch.setattr(settings, "RUN_TIMES_LOG", "")
    with timed_run():
        pass
    assert not log.exists()
    monkeypatch.setattr(settings, "RUN_TIMES_LOG", str(log))
    with timed_run():
        time.sleep(0.05)  # waiting: wall time, no CPU
    with pytest.raises(KeyboardInterrupt), timed_run():  # a run stopped part-way (st.rerun, a stop)
        raise KeyboardInterrupt
    slept, stopped = (json.loads(line) for line in log.read_text().splitlines())
    assert slept["ended"] == "done" and slept["wall_ms"] >= 50 > slept["cpu_ms"]
    assert stopped["ended"] == "early"
