"""An upload names its outlet (issue 11): the Ingest page's "Source" applies to the items that declare none
of their own; a bulk file's source column wins; left empty, the source is read from the text as before."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from components import data  # noqa: E402
from steppewatch import settings  # noqa: E402

TEXT = b"Kazakh President Tokayev met Uzbek President Mirziyoyev in Tashkent on Monday to discuss water.\n"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "s.db"
    monkeypatch.setattr(settings, "DB_PATH", db)
    return db


def _sources(db: Path) -> dict[str, str | None]:
    with sqlite3.connect(db) as con:
        return dict(con.execute("SELECT origin, source FROM articles").fetchall())


def test_a_text_upload_takes_the_source_given(store: Path) -> None:
    data.ingest_upload("water.txt", TEXT, source="  Kazinform  ")
    assert list(_sources(store).values()) == ["Kazinform"]


def test_a_bulk_rows_own_source_wins_and_the_others_take_the_given_one(store: Path) -> None:
    rows = [{"url": "https://example.org/1", "source": "AKIpress", "text": TEXT.decode()},
            {"url": "https://example.org/2", "text": TEXT.decode().replace("Monday", "Tuesday")}]
    data.ingest_upload("bulk.jsonl", "\n".join(json.dumps(r) for r in rows).encode(), source="Kun.uz")
    assert sorted(_sources(store).values()) == ["AKIpress", "Kun.uz"]


def test_without_a_source_nothing_is_declared(store: Path) -> None:
    data.ingest_upload("water.txt", TEXT)
    assert list(_sources(store).values()) != ["None"]
    assert "Kazinform" not in map(str, _sources(store).values())


def test_progress_counts_the_items_of_a_bulk_file_against_its_total(store: Path) -> None:
    rows = [{"url": f"https://example.org/{i}", "source": "AKIpress",
             "text": TEXT.decode().replace("Monday", f"day {i}")} for i in range(7)]
    seen: list[tuple[int, int]] = []
    data.ingest_upload("bulk.jsonl", "\n".join(json.dumps(r) for r in rows).encode(),
                       on_progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 7) and seen[-1] == (7, 7)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)  # never restarts


def test_the_result_table_shows_failures_first() -> None:
    import pandas as pd

    from components.ingest_log import failures_first, progress_text

    frame = pd.DataFrame({"item": ["a", "b", "c", "d"], "status": ["ingested", "failed", "unchanged", "failed"]})
    assert list(failures_first(frame)["item"]) == ["b", "d", "a", "c"]
    assert progress_text(1, 2, "/srv/uploads/bulk.jsonl", 200, 300) == "File 1 of 2 (bulk.jsonl): 200 of 300 items"
