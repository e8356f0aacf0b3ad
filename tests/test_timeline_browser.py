"""The visit timeline in a real browser (headless Debian Chromium through Playwright).

On the bundled samples: clicking a leg of Blinken's trip opens its article with that event's evidence
marked. On a generated 2,000-article store: the timeline is summarised, one row per visitor, the busiest
first and limited; "Show N more rows" adds rows and puts them in the URL, so a reload (or a colleague
opening the link) shows the same rows; a click on a bubble expands that visitor's country and period into
single events. Screenshots go to ``artifacts/`` (timeline_*.png).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from browser_support import (
    ARTIFACTS,
    CHROMIUM,
    ROOT,
    AppServer,
    chromium,
    start_app,
    wait_for_map,
    wait_for_text,
    wait_until_idle,
)

from steppewatch import settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Debian Chromium not installed at {CHROMIUM}"),
]

VIEWPORT = {"width": 1400, "height": 1800}

# JS: the timeline's plot (detailed or summarised): its rows (top first) and its traces' names.
TIMELINE_JS = """() => {
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const data = gd._fullData || [];
    if (!data.some(t => /^(occurred|planned|postponed|cancelled|historical), /.test(t.name || ''))) continue;
    return {rows: Array.from(gd._fullLayout.yaxis.categoryarray || []).reverse(), names: data.map(t => t.name)};
  }
  return null;
}"""

# JS: the screen position of the first marker of kind ``arg.kind`` ("visit" ...) on a row that has a trip bar
# (``arg.trip``) or on any row, with its custom data (article id, event id).
POINT_JS = """(arg) => {
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const data = gd._fullData || [];
    if (!data.some(t => /^(occurred|planned), /.test(t.name || ''))) continue;
    const trip = data.find(t => (t.name || '').startsWith('trip'));
    if (arg.trip && !trip) continue;
    const row = arg.trip ? Array.from(trip.y).find(y => y !== null) : null;
    const fl = gd._fullLayout;
    for (const t of data) {
      if (!t.customdata || !(t.name || '').startsWith('occurred') || !(t.name || '').includes(arg.kind)) continue;
      for (let i = 0; i < t.y.length; i++) {
        if (row !== null && t.y[i] !== row) continue;
        gd.scrollIntoView({block: 'center'});
        const r = gd.getBoundingClientRect();
        const at = (tr, k) => [fl.xaxis.l2p(fl.xaxis.d2l(tr.x[k])) + fl.xaxis._offset + r.left,
                               fl.yaxis.l2p(fl.yaxis.d2l(tr.y[k])) + fl.yaxis._offset + r.top];
        const [x, y] = at(t, i);
        // every marker drawn on that spot (a visit and a meeting of the same day share it)
        const here = [];
        for (const u of data) {
          if (!u.customdata) continue;
          for (let k = 0; k < u.y.length; k++) {
            const [ux, uy] = at(u, k);
            if (Math.abs(ux - x) < 4 && Math.abs(uy - y) < 4) here.push(String(u.customdata[k][1]));
          }
        }
        return {x, y, custom: Array.from(t.customdata[i]).map(String), here};
      }
    }
  }
  return null;
}"""


def _timeline(page: Any, timeout_s: float = 30) -> dict[str, Any]:
    """The timeline's rows and trace names, once it is drawn."""
    for _ in range(int(timeout_s * 4)):
        found = page.evaluate(TIMELINE_JS)
        if found and found["rows"]:
            return found
        page.wait_for_timeout(250)
    raise AssertionError("no timeline drawn: " + page.inner_text("body")[:1500])


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def sample_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    db = tmp_path_factory.mktemp("tl_samples") / "steppewatch.db"
    app = start_app({"STEPPEWATCH_DB": str(db), "STEPPEWATCH_SAMPLES": str(ROOT / "data" / "samples")},
                    ARTIFACTS / "timeline_samples_streamlit.log")
    try:
        app.wait_healthy(90)
        yield app
    finally:
        app.stop()


@pytest.fixture(scope="module")
def store_2k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2,000-article store from bench/generate.py, ingested by the real pipeline."""
    from generate import generate_articles

    from steppewatch.pipeline import ingest_documents
    from steppewatch.store import open_store

    db = tmp_path_factory.mktemp("tl_2k") / "steppewatch.db"
    with open_store(db) as store:
        ingest_documents(store, generate_articles(2000, seed=5))
    return db


@pytest.fixture(scope="module")
def app_2k(store_2k: Path) -> Iterator[AppServer]:
    app = start_app({"STEPPEWATCH_DB": str(store_2k)}, ARTIFACTS / "timeline_2k_streamlit.log")
    try:
        app.wait_healthy(90)
        yield app
    finally:
        app.stop()


def test_clicking_a_trip_leg_opens_its_article_with_that_event_marked(browser: Any, sample_app: AppServer) -> None:
    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.goto(sample_app.url("/"))
        assert wait_for_map(page, 11, 90) >= 11
        timeline = _timeline(page)
        # Blinken's Astana and Tashkent legs: one trip bar
        assert any(n.startswith("trip") for n in timeline["names"]), timeline
        wait_until_idle(page)
        leg = page.evaluate(POINT_JS, {"kind": "visit", "trip": True})
        assert leg is not None, "no visit marker on the trip's row"
        page.screenshot(path=str(ARTIFACTS / "timeline_samples.png"), full_page=True)
        page.mouse.click(leg["x"], leg["y"])
        page.wait_for_url("**event=**", timeout=20_000)
        clicked = page.url.split("event=")[1].split("&")[0]
        assert clicked in leg["here"], (clicked, leg)  # the leg's event, or the meeting drawn on the same spot
        assert "article=" in page.url
        page.wait_for_selector("span.sw-chosen", timeout=30_000)
        assert wait_for_text(page, "the event you clicked", 15) or page.locator("span.sw-chosen").count() >= 1
        chosen = page.locator("span.sw-chosen").first.inner_text()
        assert "Astana" in chosen or "Tashkent" in chosen or "Blinken" in chosen, chosen
        page.screenshot(path=str(ARTIFACTS / "timeline_leg_clicked.png"), full_page=True)
    finally:
        page.close()


def test_a_large_timeline_is_one_row_per_visitor_and_more_rows_survive_a_reload(browser: Any,
                                                                                app_2k: AppServer) -> None:
    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.goto(app_2k.url("/"))
        assert wait_for_map(page, 11, 90) >= 11
        assert wait_for_text(page, "one row per visitor", 60), page.inner_text("body")[:2000]
        first = _timeline(page)
        step = settings.TIMELINE_ROWS
        assert len(first["rows"]) == step, first["rows"]
        assert len(set(first["rows"])) == step  # each visitor once
        wait_until_idle(page)
        page.screenshot(path=str(ARTIFACTS / "timeline_2k.png"), full_page=True)
        more = page.get_by_role("button", name="more rows")
        assert more.count() == 1, page.inner_text("body")[-2000:]
        more.click()
        page.wait_for_url(f"**rows={2 * step}**", timeout=20_000)
        wait_until_idle(page)
        grown = _timeline(page)
        for _ in range(40):
            if len(grown["rows"]) > step:
                break
            page.wait_for_timeout(250)
            grown = _timeline(page)
        assert len(grown["rows"]) > step and grown["rows"][:step] == first["rows"]  # the busiest stay on top
        shared_link = page.url
        page.screenshot(path=str(ARTIFACTS / "timeline_2k_more_rows.png"), full_page=True)
        # the link reproduces the timeline: a colleague opening it sees the same rows
        other = browser.new_page(viewport=VIEWPORT)
        try:
            other.goto(shared_link)
            assert wait_for_map(other, 11, 90) >= 11
            assert _timeline(other)["rows"] == grown["rows"]
        finally:
            other.close()
        page.reload()
        assert wait_for_map(page, 11, 90) >= 11
        assert _timeline(page)["rows"] == grown["rows"] and f"rows={2 * step}" in page.url
    finally:
        page.close()


def test_a_click_on_a_bubble_shows_that_country_and_period_one_by_one(browser: Any, app_2k: AppServer) -> None:
    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.goto(app_2k.url("/"))
        assert wait_for_map(page, 11, 90) >= 11
        _timeline(page)
        wait_until_idle(page)
        bubble = page.evaluate(POINT_JS, {"kind": "visit", "trip": False})
        assert bubble is not None
        country, month = bubble["custom"][:2]
        page.mouse.click(bubble["x"], bubble["y"])
        page.wait_for_url(f"**from={month}-01**", timeout=20_000)
        assert f"country={country}" in page.url if country else True
        wait_until_idle(page)
        assert wait_for_text(page, "Click a marker to open its article", 30), page.inner_text("body")[:2000]
        expanded = _timeline(page)
        assert expanded["rows"] and any(n.startswith("occurred, visit") for n in expanded["names"])
        page.screenshot(path=str(ARTIFACTS / "timeline_2k_expanded.png"), full_page=True)
    finally:
        page.close()



@pytest.mark.parametrize("start", [(), ("KAZ",)], ids=["unfiltered", "kazakhstan"])
def test_the_browsers_back_and_forward_buttons_restore_the_earlier_view(browser: Any, sample_app: AppServer,
                                                                       start: tuple[str, ...]) -> None:
    """Every view is a history entry (Streamlit pushes one per address the app writes): Back shows the
    view before, Forward the one after, in the same session (from the unfiltered view too)."""
    import datetime as dt

    from components.sidebar import describe
    from steppewatch.query.filters import Filters

    first = Filters(countries=start)
    later = Filters(countries=start, date_from=dt.date(dt.date.today().year, 1, 1), date_to=dt.date.today())
    query = "?" + urlencode(first.to_query_params()) if start else ""
    first_text = describe(first) or "All articles in the store"
    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.goto(sample_app.url("/" + query))
        assert wait_for_map(page, 11, 90) >= 11
        assert wait_for_text(page, first_text, 30)
        wait_until_idle(page)
        page.get_by_role("button", name="YTD").click()
        page.wait_for_url("**from=**", timeout=20_000)
        assert wait_for_text(page, describe(later), 30), page.inner_text("body")[:1500]
        wait_until_idle(page)
        page.go_back()
        page.wait_for_url(lambda u: "from=" not in u, timeout=20_000)
        wait_until_idle(page)
        body = page.inner_text("body")
        assert first_text in body and describe(later) not in body, body[:1500]
        assert page.url.endswith("/" + query)  # the app did not write the later view back
        page.go_forward()
        page.wait_for_url("**from=**", timeout=20_000)
        assert wait_for_text(page, describe(later), 30), page.inner_text("body")[:1500]
    finally:
        page.close()
