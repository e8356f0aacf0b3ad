"""Story clustering on signatures: same event joins, template text on other dates stays apart."""

from __future__ import annotations

from steppewatch.cluster.fingerprint import simhash_hex
from steppewatch.cluster.stories import ArticleSignature, cluster_stories

TEMPLATE = ("President Tokayev received the Foreign Minister of Uzbekistan Bakhtiyor Saidov in Astana on {day}. "
            "The sides discussed trade, water and energy cooperation and the agenda of upcoming talks.")


def _sig(aid: str, day: str, source: str, people: set[str] | None = None) -> ArticleSignature:
    text = TEMPLATE.format(day=day)
    return ArticleSignature(id=aid, published=day, source=source, language="en", title=text[:40],
                            fingerprint=simhash_hex(text),
                            event_keys={("visit", "UZB", "KAZ", day)},
                            people=people if people is not None else {"tokayev", "saidov"}, text_head=text)


def test_same_visit_from_two_outlets_is_one_story() -> None:
    stories, derived = cluster_stories([_sig("a", "2024-03-05", "Kazinform"), _sig("b", "2024-03-05", "AKIpress")])
    assert stories["a"] == stories["b"]
    assert derived == {"b": ("a", "republication")}


def test_template_text_on_different_dates_is_not_merged() -> None:
    stories, _ = cluster_stories([_sig("a", "2024-03-05", "Kazinform"), _sig("b", "2024-05-14", "Kazinform")])
    assert stories["a"] != stories["b"]


def test_undated_report_joins_the_dated_story_of_the_same_event() -> None:
    dated = _sig("a", "2024-03-05", "Reuters")
    undated = ArticleSignature(id="b", published=None, source="Eurasianet", language="en", title="x", fingerprint=None,
                               event_keys={("visit", "UZB", "KAZ", None)}, people={"tokayev", "saidov"},
                               text_head="Reuters reported that ...")
    stories, derived = cluster_stories([dated, undated])
    assert stories["a"] == stories["b"]
    assert derived["b"] == ("a", "rewrite")


def test_unrelated_visits_stay_apart() -> None:
    other = ArticleSignature(id="c", published="2024-03-05", source="TASS", language="en", title="y",
                             fingerprint=simhash_hex("Lavrov arrived in Dushanbe for talks with Muhriddin."),
                             event_keys={("visit", "RUS", "TJK", "2024-03-05")}, people={"lavrov", "muhriddin"})
    stories, _ = cluster_stories([_sig("a", "2024-03-05", "Kazinform"), other])
    assert stories["a"] != stories["c"]


def _citing(source: str, language: str, head: str = "Reuters reported that Blinken will visit ...") -> ArticleSignature:
    return ArticleSignature(id="b", published=None, source=source, language=language, title="x", fingerprint=None,
                            event_keys={("visit", "UZB", "KAZ", None)}, people={"tokayev", "saidov"}, text_head=head)


def test_english_text_credited_to_a_chinese_language_agency_is_a_translation() -> None:
    _, derived = cluster_stories([_sig("a", "2024-03-05", "Reuters"), _citing("Central News Agency", "en")])
    assert derived["b"] == ("a", "translation")


def test_russian_text_citing_an_english_report_is_a_translation() -> None:
    _, derived = cluster_stories([_sig("a", "2024-03-05", "Reuters"),
                                  _citing("Tengrinews", "ru", "Reuters reported that ... Как сообщает агентство")])
    assert derived["b"] == ("a", "translation")


def test_same_language_report_citing_another_outlet_is_a_rewrite() -> None:
    _, derived = cluster_stories([_sig("a", "2024-03-05", "Reuters"), _citing("Kazinform", "en")])
    assert derived["b"] == ("a", "rewrite")
