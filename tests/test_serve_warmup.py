"""serve.py imports the first page's libraries when the server starts, before any visitor arrives."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser_support import start_app  # noqa: E402

pytestmark = pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc/PID/maps")


def _mapped(pid: int, needle: str) -> bool:
    try:
        return needle in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


@pytest.mark.parametrize("script, warmed", [("serve.py", True), ("dashboard.py", False)])
def test_the_server_loads_pandas_before_the_first_visitor(tmp_path: Path, script: str, warmed: bool) -> None:
    app = start_app({"STEPPEWATCH_DB": str(tmp_path / "empty.db")}, tmp_path / "app.log", script=script)
    try:
        app.wait_healthy(120)
        deadline = time.monotonic() + (20 if warmed else 4)  # without the warm-up: nothing loads it
        loaded = False
        while time.monotonic() < deadline and not loaded:
            loaded = _mapped(app.proc.pid, "/pandas/_libs/")  # pandas' compiled modules, mapped on import
            time.sleep(0.25)
        assert loaded is warmed, app.log_tail()
    finally:
        app.stop()
