"""The Ingest page's log shows file names, upload names and URLs, never absolute server paths."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from store_factory import build_store  # noqa: E402

from components.ingest_log import shown_log, shown_origin, shown_reason  # noqa: E402
from steppewatch import settings  # noqa: E402
from steppewatch.store import open_store  # noqa: E402

SECRET_DIR = "/srv/steppe-secret/incoming"


@pytest.mark.parametrize(("origin", "shown"), [
    (f"{SECRET_DIR}/tass.txt", "tass.txt"),
    (f"{SECRET_DIR}/bulk.jsonl#row3", "bulk.jsonl#row3"),
    (f"{SECRET_DIR}/feeds/akorda.xml#item2", "akorda.xml#item2"),
    (SECRET_DIR, "incoming"),  # a folder that could not be read
    ("C:\\Users\\ops\\in\\a.html", "a.html"),
    ("upload:report.csv", "report.csv"),
    ("upload:report.csv#row7", "report.csv#row7"),
    ("https://akorda.kz/en/news/1?id=2#x", "https://akorda.kz/en/news/1?id=2#x"),
    ("http://example.org/a/b", "http://example.org/a/b"),
    ("file:///etc/passwd", "passwd"),
    ("tests/a1.txt", "a1.txt"),
    (None, ""),
    (float("nan"), ""),
])
def test_shown_origin(origin: object, shown: str) -> None:
    assert shown_origin(origin) == shown


def test_shown_reason_drops_folders_of_paths_but_not_urls() -> None:
    reason = (f"PermissionError: [Errno 13] Permission denied: '{SECRET_DIR}/a.txt' "
              "(fetched https://akorda.kz/en/news/1 from /var/lib/x/)")
    assert shown_reason(reason) == ("PermissionError: [Errno 13] Permission denied: 'a.txt' "
                                    "(fetched https://akorda.kz/en/news/1 from )")
    assert shown_reason("line 3: invalid JSON") == "line 3: invalid JSON"
    assert shown_reason(None) is None


def test_shown_log_changes_a_copy() -> None:
    log = pd.DataFrame({"status": ["failed"], "origin": [f"{SECRET_DIR}/x.txt"],
                        "reason": [f"unreadable: {SECRET_DIR}/x.txt"]})
    shown = shown_log(log)
    assert shown.to_dict("records") == [{"status": "failed", "origin": "x.txt",
                                         "reason": "unreadable: x.txt"}]
    assert log["origin"][0].startswith(SECRET_DIR)
    result = pd.DataFrame({"file": ["r.csv"], "status": ["unchanged"], "item": ["upload:r.csv#row2"],
                           "reason": ["already in the store"]})
    assert shown_log(result, "item")["item"].tolist() == ["r.csv#row2"]


@pytest.fixture()
def store_with_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = build_store(tmp_path / "store.db")
    with open_store(path) as store:
        store.log(f"{SECRET_DIR}/tass.txt", "ingested", None, "a1")
        store.log(f"{SECRET_DIR}/bulk.jsonl#row3", "failed", "line 3: invalid JSON")
        store.log(f"{SECRET_DIR}/locked.txt", "failed",
                  f"PermissionError: Permission denied: '{SECRET_DIR}/locked.txt'")
        store.log("upload:report.csv#row2", "unchanged", None, "a2")
        store.log("https://akorda.kz/en/news/1", "ingested", None, "a3")
    monkeypatch.setattr(settings, "DB_PATH", path)
    yield path


def test_ingest_page_log_shows_names_not_server_paths(store_with_paths: Path) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.switch_page("views/ingest.py").run()
    assert not at.exception, at.exception
    log = at.dataframe[-1].value
    cells = " ".join(str(v) for v in log.to_numpy().ravel())
    assert "steppe-secret" not in cells
    assert {"tass.txt", "bulk.jsonl#row3", "locked.txt", "report.csv#row2",
            "https://akorda.kz/en/news/1"} <= set(log["origin"])
    assert "PermissionError: Permission denied: 'locked.txt'" in set(log["reason"])
