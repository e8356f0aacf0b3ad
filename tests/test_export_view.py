"""``steppewatch export --url LINK`` (issue 11): the events or articles of exactly the view a dashboard link
shows, all of them, in the columns of the page's own download; a bad parameter is dropped with a warning."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from steppewatch.query import queries  # noqa: E402
from steppewatch.query.filters import Filters  # noqa: E402


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "steppewatch", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("export") / "s.db"
    done = _cli("ingest", str(ROOT / "data" / "samples"), "--db", str(db))
    assert done.returncode == 0, done.stdout + done.stderr
    return db


@pytest.mark.parametrize("link", [
    "http://127.0.0.1:8501/?country=KAZ&type=meeting", "/overview?country=USA&from=2023-02-28&to=2023-02-28",
    "type=visit", "?person=Antony%20Blinken", "/?q=Blinken%20Astana&type=visit", "q=%22Central%20Asia%22",
])
def test_the_events_of_a_link_are_the_events_its_view_selects(store: Path, link: str) -> None:
    done = _cli("export", "--db", str(store), "--what", "events", "--url", link)
    assert done.returncode == 0, done.stderr
    exported = [json.loads(line) for line in done.stdout.splitlines()]
    query = link.split("?", 1)[1] if "?" in link else link
    from urllib.parse import parse_qsl

    filters, warnings = Filters.from_query_params(dict(parse_qsl(query)))
    assert not warnings
    with sqlite3.connect(store) as con:
        expected = queries.visit_timeline(con, filters, limit=10_000)
    assert sorted(e["event_id"] for e in exported) == sorted(expected["event_id"])
    everything = _cli("export", "--db", str(store), "--what", "events")
    assert 0 < len(exported) <= len(everything.stdout.splitlines())


def test_a_bad_parameter_is_dropped_with_a_warning_and_the_rest_applies(store: Path) -> None:
    done = _cli("export", "--db", str(store), "--what", "articles", "--format", "csv", "--url",
                "country=KAZ,XYZ&from=notadate")
    assert done.returncode == 0
    assert "Ignored country 'XYZ'" in done.stderr and "'from' date 'notadate'" in done.stderr
    assert done.stdout.splitlines()[0].startswith("id,published,source,title")
    assert len(done.stdout.splitlines()) == 3  # both sample articles name Kazakhstan


def test_url_applies_to_events_and_articles_only(store: Path) -> None:
    done = _cli("export", "--db", str(store), "--what", "people", "--url", "country=KAZ")
    assert done.returncode == 2 and "events or articles" in done.stderr


def test_a_searched_link_exports_the_articles_that_match(store: Path) -> None:
    done = _cli("export", "--db", str(store), "--what", "articles", "--format", "csv", "--url", "/?q=Douliery")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 2  # one sample article names the photographer
    nothing = _cli("export", "--db", str(store), "--what", "articles", "--format", "csv", "--url", "q=zzzqqq")
    assert len(nothing.stdout.splitlines()) == 1
