"""Bidi embedding/override/isolate controls (U+202A-U+202E, U+2066-U+2069) in stored article
text, titles and sources never reach the screen: what a reader sees is the stored order."""

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

from store_factory import SPECS, Spec, build_store  # noqa: E402

from components.article_view import (  # noqa: E402
    BIDI_CONTROLS,
    display_frame,
    escape_markdown,
    escape_text,
    heading_html,
    highlight_html,
    plain,
    show_bidi,
    strip_bidi,
)
from steppewatch import settings  # noqa: E402

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
TITLE = f"Tokayev signs {RLO}fdp.exe{PDF} deal"
SOURCE = f"Wire{LRI} {RLO}evil"
TEXT = (f"President Tokayev spoke in Astana about {RLO}cod.txt{PDF} and {LRI}water{PDI} talks. "
        "Kazakhstan said nothing new.")


def _has_bidi(text: str) -> bool:
    return any(c in text for c in BIDI_CONTROLS)


def test_every_bidi_control_is_dropped_by_the_escaping_helpers() -> None:
    every = "a" + "b".join(BIDI_CONTROLS) + "c"
    for shown in (escape_text(every), escape_markdown(every), plain(every), strip_bidi(every),
                  heading_html(every), highlight_html(every, [(0, 3, "country")])):
        assert not _has_bidi(shown), repr(shown)
    assert strip_bidi(every) == "abbbbbbbbc"
    assert escape_text("\u200fRLM stays") == "\u200fRLM stays"  # marks, not overrides


def test_highlighting_keeps_its_spans_when_controls_are_dropped() -> None:
    text = f"{RLO}Kazakhstan{PDF} and Uzbekistan"
    html = highlight_html(text, [(1, 11, "country"), (17, 27, "country")])
    assert not _has_bidi(html)
    assert html.count("COUNTRY") == 2 and "Kazakhstan" in html and "Uzbekistan" in html


def test_raw_text_shows_the_controls_as_code_points() -> None:
    assert show_bidi(f"a{RLO}b{LRI}c") == "a[U+202E]b[U+2066]c"


def test_display_frame_cleans_string_cells_only() -> None:
    frame = pd.DataFrame({"title": [TITLE, None], "n": [1, 2]})
    shown = display_frame(frame)
    assert shown["title"].tolist()[0] == "Tokayev signs fdp.exe deal"
    assert shown["n"].tolist() == [1, 2]
    assert frame["title"].tolist()[0] == TITLE  # the stored data is untouched


# -- the app, as a reader sees it ---------------------------------------------------------------
@pytest.fixture(scope="module", autouse=True)
def bidi_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    # a1 is in story s1, whose last_seen (2023-03-01) must be one of its articles' dates
    spec = Spec(id="a1", source=SOURCE, title=TITLE, text=TEXT, published="2023-03-01",
                countries=(("Kazakhstan", "KAZ"),), places=(("Astana", "KAZ"),), focus="KAZ")
    a4 = next(s for s in SPECS if s.id == "a4")  # story s2's article (stories come from articles)
    path = build_store(tmp_path_factory.mktemp("bidi") / "store.db", (spec, a4))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(settings, "DB_PATH", path)
        yield path


def _shown(at: AppTest) -> list[str]:
    """Every text the page shows: markdown, titles, selectbox and multiselect options, tables."""
    texts = [str(e.value) for kind in ("markdown", "caption", "title", "subheader", "warning", "info")
             for e in getattr(at, kind)]
    for box in [*at.selectbox, *at.multiselect]:
        texts += [str(o) for o in box.options]
    for table in at.dataframe:
        texts += [str(v) for v in table.value.astype(str).to_numpy().ravel()]
    return texts


@pytest.mark.parametrize(("page", "params"), [
    ("views/overview.py", {}),
    ("views/article.py", {}),
    ("views/article.py", {"article": "a1"}),
    ("views/stories.py", {"story": "s1"}),
])
def test_pages_show_no_bidi_controls(page: str, params: dict[str, str]) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    assert not at.exception, at.exception
    shown = _shown(at)
    assert any("fdp.exe" in t or "cod.txt" in t for t in shown), "the article is not on the page"
    assert [t for t in shown if _has_bidi(t)] == []
    if params.get("article"):  # the raw text names the controls instead of applying them
        assert any("[U+202E]cod.txt[U+202C]" in c.value for c in at.code)
