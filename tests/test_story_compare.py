"""The story page: what each source adds (sentences and facts), story detail and summary,
on the seed articles, on synthetic pairs, and through the app."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from store_factory import build_store  # noqa: E402

from components.article_view import escape_text  # noqa: E402
from components.story_view import contribution_html, sources_frame, story_header_html  # noqa: E402
from steppewatch import settings  # noqa: E402
from steppewatch.cluster.compare import (  # noqa: E402
    ArticleFacts,
    EventFact,
    MentionFact,
    Passage,
    SourceContribution,
    compare_sources,
    events_match,
    find_numbers,
)
from steppewatch.pipeline import ingest_paths  # noqa: E402
from steppewatch.query.stories import source_summary, story_articles, story_detail  # noqa: E402
from steppewatch.store.db import Store, open_store  # noqa: E402

SEEDS = Path("/work/shared/seeds")
SAMPLES = SEEDS if SEEDS.is_dir() else ROOT / "data" / "samples"
DERIVED_KINDS = ("republication", "translation", "rewrite")


# -- the seeds: Reuters original + Central News Agency rewrite/translation -------------------
@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("seeds")
    for f in SAMPLES.glob("*.txt"):
        shutil.copy(f, folder / f.name)
    path = folder / "store.db"
    store = open_store(path)
    ingest_paths(store, [folder])
    yield store
    store.close()


@pytest.fixture(scope="module")
def seed_story(seed_store: Store) -> str:
    rows = seed_store.con.execute("SELECT story_id FROM stories").fetchall()
    assert len(rows) == 1, "the two seeds are one story"
    return str(rows[0][0])


@pytest.fixture(scope="module")
def seed_contributions(seed_store: Store, seed_story: str) -> dict[str, SourceContribution]:
    return {c.source or "": c for c in compare_sources(story_articles(seed_store, seed_story))}


def test_seed_story_has_two_sources_and_one_is_derived(seed_store: Store, seed_story: str) -> None:
    detail = story_detail(seed_store, seed_story)
    assert detail.story is not None
    assert sorted(detail.sources["source"]) == ["Central News Agency", "Reuters"]
    cna = detail.sources[detail.sources["source"] == "Central News Agency"].iloc[0]
    assert cna["derived_kind"] in DERIVED_KINDS
    assert cna["derived_from_source"] == "Reuters"
    assert detail.independent == 1
    assert detail.summary == f"1 independent source + 1 {cna['derived_kind']}"
    assert detail.languages == ("en",)
    assert str(detail.story["first_seen"]).startswith("2023-02-28")
    table = sources_frame(detail)
    assert list(table[table["source"] == "Central News Agency"]["relation"]) == \
        [f"{cna['derived_kind']} of Reuters"]
    assert list(table[table["source"] == "Reuters"]["relation"]) == ["original"]
    assert escape_text(detail.summary) in story_header_html(detail)


def test_seed_story_events_are_deduplicated(seed_store: Store, seed_story: str) -> None:
    events = story_detail(seed_store, seed_story).events
    n_raw = seed_store.con.execute("SELECT count(*) FROM events").fetchone()[0]
    assert 0 < len(events) < n_raw
    tileuberdi = events[events["counterpart"].fillna("").str.contains("Tileuberdi")]
    assert len(tileuberdi) == 1  # one meeting, reported by both sources
    assert tileuberdi.iloc[0]["sources"] == "Central News Agency, Reuters"
    visits = events[events["type"] == "visit"]
    assert sorted(visits["host_country"]) == ["KAZ", "UZB"]


def test_reuters_adds_the_border_paragraph_and_its_caption_facts(
        seed_contributions: dict[str, SourceContribution], seed_store: Store) -> None:
    reuters = seed_contributions["Reuters"]
    text = seed_store.con.execute("SELECT text FROM articles WHERE source = 'Reuters'").fetchone()[0]
    border = [p for p in reuters.passages if "longest continuous land border" in p.text]
    assert len(border) == 1 and border[0].status == "new"
    assert text[border[0].start:border[0].end] == border[0].text
    facts = {(f.kind, f.key) for f in reuters.facts}
    assert ("date", "2023-02-24") in facts  # the Feb. 24 anniversary
    assert ("country", "IND") in facts  # the caption's onward leg to New Delhi
    assert ("place", "new delhi") in facts
    # shared facts are not contributions
    assert not {("person", "tokayev"), ("person", "tileuberdi"), ("country", "KAZ")} & facts
    for f in reuters.facts:
        assert text[f.context_start:f.context_end] == f.context and f.start >= f.context_start


def test_cna_adds_its_own_details_and_not_the_shared_sentences(
        seed_contributions: dict[str, SourceContribution]) -> None:
    cna = seed_contributions["Central News Agency"]
    texts = [p.text for p in cna.passages]
    assert any("annex eastern Ukraine" in t for t in texts)
    assert any("Soviet Union collapsed" in t for t in texts)
    annex = next(p for p in cna.passages if "annex" in p.text)
    assert {"annex", "eastern"} <= set(annex.new_words)
    # sentences Reuters carries too are not reported
    assert not any("Tileuberdi" in t or "reliable long-term partnerships" in t for t in texts)
    # every person, country and place CNA names is in Reuters too
    assert not [f for f in cna.facts if f.kind in ("person", "country", "place")]


# -- synthetic pairs --------------------------------------------------------------------------
BASE = ("Kazakh President Kassym-Jomart Tokayev met Chinese leader Xi Jinping in Astana on Monday. "
        "The two leaders signed agreements on energy and transport.\n\n"
        "China is Kazakhstan's largest trading partner after Russia.")


def _art(aid: str, source: str, text: str, language: str = "en", **kw: object) -> ArticleFacts:
    return ArticleFacts(article_id=aid, source=source, language=language, text=text, **kw)  # type: ignore[arg-type]


def test_identical_republication_adds_nothing() -> None:
    a, b = compare_sources([_art("a", "Reuters", BASE), _art("b", "Yahoo News", BASE)])
    assert a.adds_nothing and b.adds_nothing
    assert (a.compared_with, b.compared_with) == (1, 1)


def test_single_source_has_nothing_to_compare() -> None:
    (only,) = compare_sources([_art("a", "Reuters", BASE)])
    assert only.compared_with == 0 and only.adds_nothing
    assert "nothing to compare" in contribution_html(only)


def test_added_paragraph_is_reported_with_its_offsets() -> None:
    extra = ("Analysts in Almaty expect the pipeline to carry gas from Turkmenistan "
             "through Uzbekistan by the end of the decade.")
    longer = BASE + "\n\n" + extra
    original, rewrite = compare_sources([_art("a", "Reuters", BASE), _art("b", "Kursiv", longer)])
    assert original.adds_nothing
    assert len(rewrite.passages) == 1
    p = rewrite.passages[0]
    assert (p.start, p.end, p.status) == (len(BASE) + 2, len(longer), "new")
    assert longer[p.start:p.end] == extra
    assert p.similarity is not None and p.similarity < 0.4


def test_reworded_sentence_with_a_new_detail_is_partly_new() -> None:
    rewritten = BASE.replace("The two leaders signed agreements on energy and transport.",
                             "The two leaders signed agreements on energy, transport and a new "
                             "uranium enrichment plant near Shymkent.")
    _, b = compare_sources([_art("a", "Reuters", BASE), _art("b", "Kursiv", rewritten)])
    (p,) = b.passages
    assert p.status == "partly new" and {"uranium", "enrichment", "Shymkent"} <= set(p.new_words)


def _mention(text: str, surface: str, kind: str, key: str, label: str | None = None) -> MentionFact:
    start = text.index(surface)
    return MentionFact(kind, key, label or surface, start, start + len(surface))


EN = ("Kazakh President Kassym-Jomart Tokayev met Xi Jinping in Beijing. "
      "China will lend Kazakhstan $1.5 billion for the railway, Tokayev said.")
RU = ("Президент Казахстана Касым-Жомарт Токаев встретился с Си Цзиньпином в Пекине. "
      "Китай выделит Казахстану 1,5 млрд долларов на железную дорогу. "
      "Длина новой дороги составит 300 км, она пройдет через Алматы.")


def test_facts_are_compared_across_languages() -> None:
    en = _art("en", "Reuters", EN, "en", mentions=(
        _mention(EN, "Kassym-Jomart Tokayev", "person", "tokayev"),
        _mention(EN, "Xi Jinping", "person", "xi-jinping"),
        _mention(EN, "Beijing", "place", "g:beijing"),
        _mention(EN, "Kazakhstan", "country", "KAZ"),
        _mention(EN, "China", "country", "CHN")))
    ru = _art("ru", "TASS", RU, "ru", mentions=(
        _mention(RU, "Касым-Жомарт Токаев", "person", "tokayev"),
        _mention(RU, "Си Цзиньпином", "person", "xi-jinping"),
        _mention(RU, "Пекине", "place", "g:beijing"),
        _mention(RU, "Казахстана", "country", "KAZ"),
        _mention(RU, "Китай", "country", "CHN"),
        _mention(RU, "Алматы", "place", "g:almaty")))
    e, r = compare_sources([en, ru])
    # $1.5 billion == 1,5 млрд долларов; the same people, places and countries in both
    assert e.adds_nothing, (e.facts, e.passages)
    assert {(f.kind, f.key) for f in r.facts} == {("number", "300|km"), ("place", "g:almaty")}
    # the Russian sentence holding them is new, compared by facts (no word similarity)
    (p,) = r.passages
    assert p.text.startswith("Длина новой дороги") and p.similarity is None and p.status == "new"
    assert RU[p.start:p.end] == p.text


def test_quotes_match_by_words_and_scare_quotes_are_ignored() -> None:
    a = 'Tokayev said: "We have very good and reliable partnerships in security and energy." The "Chinese card" helps.'
    b = ('Tokayev said: "We have built very good and reliable long-term partnerships in energy and security." '
         'He praised the "Chinese card". '
         'Blinken replied: "Sometimes we just say those words, but they mean something."')
    x, y = compare_sources([_art("a", "A", a), _art("b", "B", b)])
    assert not [f for f in x.facts if f.kind == "quote"]
    (quote,) = [f for f in y.facts if f.kind == "quote"]
    assert quote.label.startswith("“Sometimes we just say")
    assert b[quote.start:quote.end].startswith('"Sometimes')


@pytest.mark.parametrize(("text", "expected"), [
    ("a loan of $1.5 billion", [("1500000000", "USD")]),
    ("кредит в 1,5 млрд долларов", [("1500000000", "USD")]),
    ("12,000 troops and 30% more", [("12000", ""), ("30", "%")]),
    ("in 2023 the C5+1 format met", []),  # a year and a format name are not quantities
    ("inflation of 5.2 percent", [("5.2", "%")]),
    ("1 500 тонн зерна", [("1500", "t")]),
])
def test_numbers_are_normalised(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(n.value, n.unit) for n in find_numbers(text)] == expected


def test_event_matching_tolerates_unknowns_but_not_other_days() -> None:
    visit = EventFact("visit", "Antony Blinken", "KAZ", "2023-02-28", "occurred", 0, 10)
    vague = EventFact("visit", "Antony Blinken", None, None, "occurred", 0, 10)
    later = EventFact("visit", "Antony Blinken", "KAZ", "2023-03-05", "occurred", 0, 10)
    planned = EventFact("visit", "Antony Blinken", "KAZ", "2023-02-28", "planned", 0, 10)
    assert events_match(visit, vague) and events_match(vague, later)
    assert not events_match(visit, later) and not events_match(visit, planned)


def test_source_summary_wording() -> None:
    assert source_summary(1, {"translation": 1}) == "1 independent source + 1 translation"
    assert source_summary(2, {"republication": 3, "rewrite": 1}) == \
        "2 independent sources + 3 republications + 1 rewrite"
    assert source_summary(1, {}) == "1 independent source"


def test_contribution_html_escapes_article_text() -> None:
    hostile = '<script>alert(1)</script> ![x](http://127.0.0.1:9/p.png) [link](javascript:alert(2))'
    c = SourceContribution("a", "<b>Evil</b>", "en",
                           passages=[Passage(0, len(hostile), hostile, "new", 0.1, ("script",))],
                           compared_with=1)
    out = contribution_html(c)
    for payload in ("<script", "<b>Evil", "![x](", "](javascript"):
        assert payload not in out
    assert "&lt;" in out and "alert&#40;1&#41;" in out  # shown as text


# -- the page ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def app_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = build_store(tmp_path_factory.mktemp("story_app") / "store.db")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(settings, "DB_PATH", path)
        yield path


def _markdown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def test_story_page_from_url_shows_the_comparison(app_store: Path) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["story"] = "s1"
    at.switch_page("views/stories.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    body = _markdown(at)
    assert escape_text("Blinken's Central Asia trip") in body
    assert escape_text("2 independent sources + 1 translation") in body
    assert "What each source adds" in [s.value for s in at.subheader]
    # one column per source: CNA (zh, compared by facts) alone names three more countries,
    # Kun.uz alone names the Uzbek president
    cna = next(m.value for m in at.markdown if "<h4>Central News Agency</h4>" in m.value)
    assert "Kyrgyzstan" in cna and "Tajikistan" in cna and "Turkmenistan" in cna
    kun = next(m.value for m in at.markdown if "<h4>Kun.uz</h4>" in m.value)
    assert "Shavkat Mirziyoyev" in kun
    assert any("story=s1" in c.value for c in at.code)
    assert at.query_params["story"] == ["s1"] or at.query_params["story"] == "s1"


def test_unknown_story_warns(app_store: Path) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["story"] = "nope"
    at.switch_page("views/stories.py").run()
    assert not at.exception
    assert any("not in the store" in w.value for w in at.warning)


def test_article_page_opens_its_story(app_store: Path) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["article"] = "a3"
    at.switch_page("views/article.py").run()
    assert not at.exception
    at.button(key="art_story").click().run()
    assert not at.exception, at.exception
    assert "What each source adds" in [s.value for s in at.subheader]
    assert at.session_state["flt__filters"].story == "s1"


def test_picking_a_story_in_the_table_opens_it_and_writes_the_url(app_store: Path) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.switch_page("views/stories.py").run()
    assert not at.exception
    assert "What each source adds" not in [s.value for s in at.subheader]
    at.session_state["st_table"] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["flt__filters"].story == "s1"
    assert dict(at.query_params) in ({"story": ["s1"]}, {"story": "s1"})
    assert "What each source adds" in [s.value for s in at.subheader]
    # closing the story keeps the list and drops the parameter
    at.button(key="st_close").click().run()
    assert at.session_state["flt__filters"].story is None
    assert "What each source adds" not in [s.value for s in at.subheader]
