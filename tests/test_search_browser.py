"""The search in Chromium (issue 11): a link with ``q`` opens the searched view, the article page marks the
hits, a reload keeps the search (box, URL, view), and typing in the box writes the URL."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser_support import (
    ARTIFACTS,
    CHROMIUM,
    MAP_SELECTOR,
    ROOT,
    AppServer,
    Recorder,
    chromium,
    cli,
    start_app,
    wait_for_text,
    wait_until_idle,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Debian Chromium not installed at {CHROMIUM}"),
]

SEARCH_BOX = 'input[aria-label="Search titles and texts"]'
WORD = "Douliery"  # the photographer credited in one of the two sample articles only


@dataclass
class Site:
    app: AppServer
    env: dict[str, str]
    db: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The dashboard on an empty temp store: its first page load ingests the samples."""
    tmp = tmp_path_factory.mktemp("search_browser")
    db = tmp / "steppewatch.db"
    env = {"STEPPEWATCH_DB": str(db), "STEPPEWATCH_SAMPLES": str(ROOT / "data" / "samples")}
    ARTIFACTS.mkdir(exist_ok=True)
    app = start_app(env, ARTIFACTS / "search_streamlit.log")
    try:
        app.wait_healthy(90)
        with chromium() as browser:
            page = browser.new_page()
            page.goto(app.url("/"))
            page.wait_for_selector(MAP_SELECTOR, state="attached", timeout=90_000)
            page.close()
        yield Site(app=app, env={**os.environ, **env}, db=db)
    finally:
        app.stop()


def _query(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _headline_articles(page: Any) -> str:
    """The headline's article count as shown."""
    return page.locator('[data-testid="stMetric"]', has_text="Articles").first.locator(
        '[data-testid="stMetricValue"]').inner_text().strip()


def test_a_searched_link_survives_a_reload_and_marks_the_hits(site: Site) -> None:
    rows = [json.loads(line) for line in cli("export", "--db", str(site.db), "--what", "articles", "--url",
                                             f"q={WORD}", env=site.env).splitlines()]
    assert len(rows) == 1
    article = rows[0]["id"]
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 1600})
        recorder = Recorder()
        recorder.attach(context)
        page = context.new_page()
        # the Overview of the searched view
        page.goto(site.app.url(f"/?q={WORD}"))
        page.wait_for_selector(SEARCH_BOX, timeout=60_000)
        assert wait_for_text(page, f"search: {WORD}")
        wait_until_idle(page)
        assert page.input_value(SEARCH_BOX) == WORD
        assert _headline_articles(page) == "1"
        page.reload()
        page.wait_for_selector(SEARCH_BOX, timeout=60_000)
        assert wait_for_text(page, f"search: {WORD}")
        wait_until_idle(page)
        assert page.input_value(SEARCH_BOX) == WORD and _query(page).get("q") == [WORD]
        assert _headline_articles(page) == "1"
        # the article page marks the hit, and keeps it after a reload
        page.goto(site.app.url(f"/article?article={article}&q={WORD}"))
        page.wait_for_selector("div.sw-article mark.sw-search-hit", timeout=60_000)
        assert page.locator("div.sw-article mark.sw-search-hit").all_inner_texts() == [WORD]
        wait_until_idle(page)  # the sidebar drawn too (its box holds the search)
        page.screenshot(path=str(ARTIFACTS / "search_hit.png"), full_page=True)
        page.reload()
        page.wait_for_selector("div.sw-article mark.sw-search-hit", timeout=60_000)
        wait_until_idle(page)
        assert page.locator("div.sw-article mark.sw-search-hit").all_inner_texts() == [WORD]
        assert _query(page) == {"article": [article], "q": [WORD]}
        assert page.input_value(SEARCH_BOX) == WORD
        # typing another search in the box writes the URL and narrows the Overview
        page.goto(site.app.url("/"))
        page.wait_for_selector(SEARCH_BOX, timeout=60_000)
        wait_until_idle(page)
        assert _headline_articles(page) == "2"
        page.fill(SEARCH_BOX, '"Olivier Douliery" Astana')
        page.press(SEARCH_BOX, "Enter")
        assert wait_for_text(page, 'search: "Olivier Douliery" Astana')
        wait_until_idle(page)
        assert _query(page).get("q") == ['"Olivier Douliery" Astana']
        assert _headline_articles(page) == "1"
        assert recorder.external_since() == [] and recorder.page_errors == []
        context.close()
