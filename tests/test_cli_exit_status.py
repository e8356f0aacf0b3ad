"""``steppewatch ingest`` tells scripts and cron jobs when items failed (issue 11): exit status 1, each
failure listed, the good items stored all the same; 0 when everything was stored or unchanged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOOD = "ASTANA, Feb 28 (Reuters) - U.S. Secretary of State Antony Blinken met Kazakh President Tokayev in Astana.\n"


def _ingest(*paths: Path, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "steppewatch", "ingest", *map(str, paths), "--db", str(db)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)


def test_some_items_failing_exit_1_and_the_others_are_stored(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "broken.html.gz").write_bytes(b"not gzip at all")
    db = tmp_path / "s.db"
    done = _ingest(folder, db=db)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "failed: " in done.stdout and "broken.html.gz" in done.stdout
    assert "Traceback" not in done.stderr
    again = _ingest(folder / "good.txt", db=db)  # stored the first time: unchanged now, and all is well
    assert again.returncode == 0, again.stdout + again.stderr
    assert "unchanged 1" in again.stdout or "1 unchanged" in again.stdout, again.stdout
