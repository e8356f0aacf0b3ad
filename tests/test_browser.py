"""Real-browser tests: the dashboard served by ``streamlit run`` and driven by headless
Debian Chromium through Playwright.

One server (fresh temp store, samples auto-ingested on first start, then one hostile article
ingested with the CLI) and one browser are shared by the whole module. Screenshots and the
measured timings go to ``artifacts/``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser_support import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    KAZ_CENTER_JS,
    MAP_SELECTOR,
    PIXEL_PORT,
    ROOT,
    AppServer,
    Recorder,
    cli,
    export_articles,
    start_app,
    wait_for_map,
    wait_for_text,
    wait_until_idle,
    write_hostile_article,
    write_timings,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Debian Chromium not installed at {CHROMIUM}"),
]

VIEWPORT = {"width": 1400, "height": 1600}
SAMPLE_SOURCES = ("Reuters", "Central News Agency")


@dataclass
class Session:
    """The shared server, browser context, recorder, store ids and timings."""

    app: AppServer
    context: Any
    recorder: Recorder
    env: dict[str, str]
    db: Path
    articles: dict[str, dict[str, Any]]  # source -> article row (samples)
    hostile: dict[str, Any]
    timings: dict[str, Any] = field(default_factory=dict)

    def new_page(self) -> Any:
        return self.context.new_page()


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    """Start the app on an empty temp store, open '/' (first start ingests the samples) and
    measure the cold start; then ingest the hostile article with the CLI."""
    from playwright.sync_api import sync_playwright

    tmp = tmp_path_factory.mktemp("browser")
    db = tmp / "steppewatch.db"
    env = {"STEPPEWATCH_DB": str(db), "STEPPEWATCH_SAMPLES": str(ROOT / "data" / "samples")}
    ARTIFACTS.mkdir(exist_ok=True)
    timings: dict[str, Any] = {}
    app = start_app(env, ARTIFACTS / "browser_streamlit.log")
    try:
        timings["cold_start_to_health_s"] = round(app.wait_healthy(90), 2)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(viewport=VIEWPORT)
                recorder = Recorder()
                recorder.attach(context)
                page = context.new_page()
                page.goto(app.url("/"))
                page.wait_for_selector(MAP_SELECTOR, state="attached", timeout=90_000)
                timings["cold_start_to_first_map_path_s"] = round(time.monotonic() - app.started_at, 2)
                timings["first_map_paths"] = wait_for_map(page, 11, 60)
                timings["cold_start_to_all_map_paths_s"] = round(time.monotonic() - app.started_at, 2)
                wait_until_idle(page)
                page.screenshot(path=str(ARTIFACTS / "first_start.png"), full_page=True)
                page.close()
                write_timings(timings)
                print(f"\ncold start: health {timings['cold_start_to_health_s']} s, first map path "
                      f"{timings['cold_start_to_first_map_path_s']} s")

                full_env = {**os.environ, **env}
                samples = {a["source"]: a for a in export_articles(db, full_env)}
                hostile_file = write_hostile_article(tmp / "hostile.txt")
                cli("ingest", str(hostile_file), "--db", str(db), env=full_env)
                hostile = [a for a in export_articles(db, full_env) if a["origin"] == str(hostile_file)]
                assert hostile, "the hostile article was not stored by `steppewatch ingest`"
                yield Session(app=app, context=context, recorder=recorder, env=full_env, db=db,
                              articles=samples, hostile=hostile[0], timings=timings)
                context.close()
            finally:
                browser.close()
    finally:
        app.stop()
        write_timings(timings)


def _assert_clean(s: Session, mark: tuple[int, int, int], page: Any) -> None:
    """No request left loopback, no page error, and no injected script ran on ``page``."""
    external = s.recorder.external_since(mark)
    assert external == [], f"requests left localhost: {external[:5]}"
    errors = s.recorder.page_errors_since(mark)
    assert errors == [], f"JavaScript errors on the page: {errors[:5]}"
    assert page.evaluate("() => typeof window.__xss") == "undefined"


def test_first_start_ingested_samples(session: Session) -> None:
    """The first start on an empty store auto-ingested both bundled samples and drew the map."""
    assert set(SAMPLE_SOURCES) <= set(session.articles), sorted(session.articles)
    assert session.timings["first_map_paths"] >= 11
    external = session.recorder.external_since()
    assert external == [], f"requests left localhost: {external[:5]}"


def test_country_url_filters_view(session: Session) -> None:
    """/?country=KAZ draws all 11 shapes offline and shows the Kazakhstan filter as applied."""
    s = session
    mark = s.recorder.mark()
    page = s.new_page()
    try:
        t0 = time.monotonic()
        page.goto(s.app.url("/?country=KAZ"))
        shapes = wait_for_map(page, 11, 60)
        s.timings["warm_load_to_map_s"] = round(time.monotonic() - t0, 2)
        assert shapes >= 11, f"only {shapes} country shapes drawn"
        assert wait_for_text(page, "Filtered to Kazakhstan"), page.inner_text("body")[:1500]
        wait_until_idle(page)
        assert "country=KAZ" in page.url
        # the sidebar multiselect carries the filter too
        assert "Kazakhstan (KAZ)" in page.locator('[data-testid="stSidebar"]').inner_text()
        page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)
        _assert_clean(s, mark, page)
    finally:
        page.close()


def test_the_timeline_and_articles_follow_the_map_without_a_click(session: Session) -> None:
    """A new visitor's first view draws the map first; the timeline and the article list follow on
    their own (the first run's deferred part), and then the page stays still (no timer left running)."""
    s = session
    page = s.new_page()
    sent: list[float] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(time.monotonic())))
    try:
        page.goto(s.app.url("/"))
        assert wait_for_map(page, 11, 60) >= 11
        assert wait_for_text(page, "Visits, meetings and calls"), page.inner_text("body")[:1500]
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=30_000)
        wait_until_idle(page)
        assert "Loading the timeline" not in page.inner_text("body")
        before = len(sent)
        page.wait_for_timeout(3500)  # over three times the default delay (1 s)
        assert len(sent) == before, "the page kept asking the server to rerun"
    finally:
        page.close()


def test_click_kazakhstan_sets_filter(session: Session) -> None:
    """Clicking Kazakhstan on the map of '/' puts country=KAZ in the URL and filters the view."""
    s = session
    mark = s.recorder.mark()
    page = s.new_page()
    try:
        page.goto(s.app.url("/"))
        assert wait_for_map(page, 11, 60) >= 11
        assert wait_for_text(page, "All articles in the store")
        wait_until_idle(page)
        before = page.inner_text("body")
        kaz = page.evaluate(KAZ_CENTER_JS)
        assert kaz is not None, "no map path carries the KAZ location"
        t0 = time.monotonic()
        page.mouse.click(kaz["x"], kaz["y"])
        page.wait_for_url("**country=KAZ**", timeout=15_000)
        s.timings["click_to_url_s"] = round(time.monotonic() - t0, 2)
        assert wait_for_text(page, "Filtered to Kazakhstan", 15)
        wait_until_idle(page)
        assert "country=KAZ" in page.url  # still there once the app settled
        after = page.inner_text("body")
        assert after != before
        assert "Filtered to Kazakhstan" not in before
        page.screenshot(path=str(ARTIFACTS / "after_click.png"), full_page=True)
        # a second click on Kazakhstan removes it from the filter
        assert wait_for_map(page, 11, 60) >= 11
        kaz = page.evaluate(KAZ_CENTER_JS)
        assert kaz is not None
        page.mouse.click(kaz["x"], kaz["y"])
        deadline = time.monotonic() + 15
        while "country=KAZ" in page.url and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        wait_until_idle(page)
        assert "country=KAZ" not in page.url
        assert wait_for_text(page, "All articles in the store", 15)
        page.screenshot(path=str(ARTIFACTS / "after_second_click.png"), full_page=True)
        _assert_clean(s, mark, page)
    finally:
        page.close()


def test_article_drilldown(session: Session) -> None:
    """/article?article=<id> shows the text with highlighted mentions and the story's other source."""
    s = session
    reuters, other = s.articles["Reuters"], s.articles["Central News Agency"]
    assert reuters["story_id"] and reuters["story_id"] == other["story_id"], "seed articles not in one story"
    mark = s.recorder.mark()
    page = s.new_page()
    try:
        page.goto(s.app.url(f"/article?article={reuters['id']}"))
        page.wait_for_selector("div.sw-article mark", timeout=60_000)
        assert wait_for_text(page, "Other sources of this story")
        wait_until_idle(page)
        marks = page.locator("div.sw-article mark").all_inner_texts()
        assert any("Astana" in m or "Tokayev" in m for m in marks), marks[:20]
        assert page.locator("div.sw-article mark.sw-country").count() > 0
        body = page.inner_text("body")
        assert reuters["title"] in body
        assert other["title"] in body, "the other source of the story is not shown"
        assert f"article={reuters['id']}" in page.url
        page.screenshot(path=str(ARTIFACTS / "drilldown.png"), full_page=True)
        _assert_clean(s, mark, page)
    finally:
        page.close()


def test_hostile_article_is_inert(session: Session) -> None:
    """The hostile article's drill-down runs no script, loads no image and shows tags as text."""
    s = session
    mark = s.recorder.mark()
    page = s.new_page()
    try:
        page.goto(s.app.url(f"/article?article={s.hostile['id']}"))
        page.wait_for_selector("div.sw-article", timeout=60_000)
        assert wait_for_text(page, "window.__xss=2")
        wait_until_idle(page)
        page.wait_for_timeout(1000)  # give any injected onerror/script a chance to fire
        assert page.evaluate("() => typeof window.__xss") == "undefined"
        bad_imgs = page.evaluate(
            """(port) => Array.from(document.querySelectorAll('img')).map(i => i.getAttribute('src') || '')
                 .filter(src => src === 'x' || src.includes('127.0.0.1:' + port + '/'))""", PIXEL_PORT)
        assert bad_imgs == []
        assert s.recorder.pixel_since(mark) == []
        heading = page.locator("h2", has_text="Hostile").first.inner_text()
        assert "<script>window.__xss=1</script>" in heading
        body = page.inner_text("body")
        assert "<script>" in body
        assert "<img src=x" in body
        assert "![x](http://127.0.0.1:9/pixel.png)" in body
        assert page.locator("script:has-text('__xss')").count() == 0
        page.screenshot(path=str(ARTIFACTS / "hostile.png"), full_page=True)
        _assert_clean(s, mark, page)
    finally:
        page.close()


# JS: the centre, size and country of the biggest visit/meeting place point on the map (null when none is drawn).
BIGGEST_PLACE_JS = """() => {
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const k = (plot.data || []).findIndex(t => t.name === 'places');
    if (k < 0) continue;
    let best = null;
    for (const p of plot.querySelectorAll('.scattergeo path.point')) {
      const r = p.getBoundingClientRect(), d = p.__data__;
      if (!d || r.width <= 0 || (best && r.width <= best.w)) continue;
      best = {x: r.x + r.width / 2, y: r.y + r.height / 2, w: r.width, code: plot.data[k].customdata[d.i][0]};
    }
    if (best) return best;
  }
  return null;
}"""


def test_click_on_a_place_point_filters_to_its_country(session: Session) -> None:
    """The samples' visit and meeting places are drawn as points over the map; clicking the biggest one puts its
    country in the URL and filters the view, as a click on the country's shape does."""
    s = session
    mark = s.recorder.mark()
    page = s.new_page()
    try:
        page.goto(s.app.url("/"))
        assert wait_for_map(page, 11, 60) >= 11
        assert wait_for_text(page, "All articles in the store")
        wait_until_idle(page)
        point = page.evaluate(BIGGEST_PLACE_JS)
        assert point is not None, "no visit or meeting place drawn on the map"
        page.screenshot(path=str(ARTIFACTS / "place_points.png"), full_page=True)
        page.mouse.click(point["x"], point["y"])
        page.wait_for_url(f"**country={point['code']}**", timeout=15_000)
        wait_until_idle(page)
        assert f"country={point['code']}" in page.url
        assert "All articles in the store" not in page.inner_text("body")
        page.screenshot(path=str(ARTIFACTS / "after_place_click.png"), full_page=True)
        _assert_clean(s, mark, page)
    finally:
        page.close()


def test_no_stray_traffic_or_errors(session: Session) -> None:
    """Across every page opened in this module: no external request, no request to the
    pixel port, no uncaught JavaScript error (console errors are reported in the timings)."""
    r = session.recorder
    session.timings["console_errors"] = r.console_errors[:20]
    session.timings["failed_responses"] = r.failed_responses[:20]
    session.timings["requests_total"] = len(r.requests)
    write_timings(session.timings)
    assert r.external_since() == [], f"requests left localhost: {sorted(set(r.external_since()))[:5]}"
    assert r.pixel_since() == [], "the hostile article's image was requested"
    assert r.page_errors == [], f"JavaScript errors: {r.page_errors[:5]}"
