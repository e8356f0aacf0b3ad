"""The story page's blocks: header, sources table and "what each source adds" columns.

Pure builders (``*_frame``, ``*_html``) turn a ``StoryDetail`` and the comparison into
DataFrames or escaped HTML (every article-derived string goes through ``escape_text``); thin
render functions place them. The cached loaders follow ``components/data.py``: keyed by the
store path and its data version, bounded, each with its own read-only connection.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from components import data
from components.article_view import display_frame, escape_text, plain, render_safe_html
from components.downloads import download_csv
from steppewatch.cluster.compare import Fact, Passage, SourceContribution, compare_sources
from steppewatch.query.countries import country_name
from steppewatch.query.stories import StoryDetail, story_articles, story_detail

# Source columns shown side by side; more sources get a picker.
MAX_COLUMNS = 4
# Articles compared with each other (the earliest ones; the rest are listed, not compared).
MAX_COMPARED = 20
# Passages and facts listed per source before "… and N more".
MAX_ITEMS = 12

FACT_NAMES: dict[str, str] = {
    "event": "Visits, meetings and calls", "quote": "Quotes", "number": "Numbers", "date": "Dates",
    "person": "People", "place": "Places", "country": "Countries", "org": "Organisations",
}
STATUS_STYLE: dict[str, str] = {
    "new": "background:#d4f2d4;color:#14532d",
    "partly new": "background:#fff3c4;color:#6b4e00",
}
NEW_WORD_STYLE = "background:#d4f2d4;padding:0 2px;border-radius:3px"
_CACHE = {"max_entries": 32, "ttl": 300, "show_spinner": False}


# -- cached loaders -------------------------------------------------------------------------
@st.cache_data(**_CACHE)
def _detail(path: str, version: str, story_id: str) -> StoryDetail:
    return data.read_with(story_detail, story_id)  # type: ignore[return-value]


@st.cache_data(**_CACHE)
def _contributions(path: str, version: str, story_id: str) -> tuple[list[SourceContribution], int]:
    with data.read_store() as store:
        articles = story_articles(store, story_id)
    return compare_sources(articles[:MAX_COMPARED]), len(articles)


def load_story(story_id: str) -> StoryDetail:
    """The story's detail (story None when unknown or unreadable; errors shown)."""
    return data.guarded(StoryDetail(story=None), _detail, data.data_version(), story_id,  # type: ignore[return-value]
                        what="the story")


def load_contributions(story_id: str) -> tuple[list[SourceContribution], int]:
    """What each source adds, and how many articles the story has."""
    return data.guarded(([], 0), _contributions, data.data_version(), story_id,  # type: ignore[return-value]
                        what="the sources to compare")


# -- pure builders --------------------------------------------------------------------------
def relation(kind: object, parent_source: object) -> str:
    """'original', or 'translation of Reuters' (any derived kind, parent named if known)."""
    k = plain(kind)
    if not k:
        return "original"
    return f"{k} of {plain(parent_source, 'another source')}"


def sources_frame(detail: StoryDetail) -> pd.DataFrame:
    """The sources table: source, relation, language, published, first seen, title, id."""
    s = detail.sources
    columns = ["source", "relation", "language", "published", "first seen", "title", "id"]
    if s.empty:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame({
        "source": [plain(v, "?") for v in s["source"]],
        "relation": [relation(k, p) for k, p in zip(s["derived_kind"], s["derived_from_source"], strict=True)],
        "language": [plain(v, "?") for v in s["language"]],
        "published": [plain(v, "undated") for v in s["published"]],
        "first seen": [plain(v)[:16].replace("T", " ") for v in s["first_seen"]],
        "title": [plain(v) for v in s["title"]],
        "id": list(s["id"]),
    }, columns=columns)


def story_header_html(detail: StoryDetail) -> str:
    """Escaped title, first/last seen, languages and the independent-sources summary."""
    story = detail.story or {}
    first, last = plain(story.get("first_seen"), "undated"), plain(story.get("last_seen"))
    seen = f"first seen {first}" + (f", last {last}" if last and last != first else "")
    langs = ", ".join(detail.languages) or plain(story.get("languages"), "?")
    meta = f"{seen} · languages: {langs}"
    return (f"<h2>{escape_text(plain(story.get('title'), '(untitled story)'))}</h2>"
            f'<p style="color:#555">{escape_text(meta)}</p>'
            f'<p style="font-size:1.1em"><b>{escape_text(detail.summary)}</b></p>')


def events_frame(detail: StoryDetail) -> pd.DataFrame:
    """The story's visits, meetings and calls, one row each (mode in plain words), for display."""
    ev = detail.events
    if ev.empty:
        return ev
    return ev.drop(columns=[c for c in ("host_country",) if c in ev.columns]).rename(
        columns={"host_name": "host", "n_reports": "reports"})


def _mark_words(text: str, words: tuple[str, ...]) -> str:
    """Escaped ``text`` with each of ``words`` (whole words) marked."""
    if not words:
        return escape_text(text)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                         + r")(?!\w)")
    parts: list[str] = []
    last = 0
    for m in pattern.finditer(text):
        parts.append(escape_text(text[last:m.start()]))
        parts.append(f'<mark style="{NEW_WORD_STYLE}">{escape_text(m.group(0))}</mark>')
        last = m.end()
    parts.append(escape_text(text[last:]))
    return "".join(parts)


def _badge(status: str) -> str:
    style = STATUS_STYLE.get(status, "background:#eee")
    return (f'<span style="{style};font-size:0.75em;font-weight:600;padding:0 4px;'
            f'border-radius:3px">{escape_text(status.upper())}</span>')


def passage_html(p: Passage) -> str:
    """One passage: status badge, offsets, the sentence with its unseen words marked."""
    where = f"chars {p.start}–{p.end}" + (" · caption" if p.in_caption else "")
    if p.similarity is not None:
        where += f" · best match {round(p.similarity * 100)}%"
    body = _mark_words(p.text, p.new_words) if p.similarity is not None else escape_text(p.text)
    extra = ""
    if p.similarity is None and p.new_words:
        extra = f'<br><span style="color:#555">facts: {escape_text("; ".join(p.new_words))}</span>'
    return (f'<div class="sw-passage" style="margin:0 0 0.6em 0">{_badge(p.status)} '
            f'<span style="color:#777;font-size:0.8em">{escape_text(where)}</span><br>{body}{extra}</div>')


def _fact_text(f: Fact) -> str:
    label = f.label
    if f.kind == "country" and len(f.key) == 3 and label == f.key:
        label = country_name(f.key)
    return label + (" (caption)" if f.in_caption else "")


def contribution_html(c: SourceContribution, limit: int = MAX_ITEMS) -> str:
    """Escaped HTML of what one source adds: facts by kind, then its new sentences."""
    head = f"<h4>{escape_text(plain(c.source, '?'))}</h4>"
    if not c.compared_with:
        return head + "<p>Only source of this story: nothing to compare with.</p>"
    if c.adds_nothing:
        return head + "<p><i>Adds nothing the other sources do not have.</i></p>"
    parts = [head]
    if c.facts:
        parts.append("<p><b>Facts only here</b></p><ul>")
        by_kind: dict[str, list[Fact]] = {}
        for f in c.facts:
            by_kind.setdefault(f.kind, []).append(f)
        for kind, facts in by_kind.items():
            shown = "; ".join(escape_text(_fact_text(f)) for f in facts[:limit])
            more = f" … and {len(facts) - limit} more" if len(facts) > limit else ""
            parts.append(f"<li><b>{escape_text(FACT_NAMES.get(kind, kind))}</b>: {shown}{escape_text(more)}</li>")
        parts.append("</ul>")
    if c.passages:
        parts.append("<p><b>Sentences only here</b></p>")
        parts.extend(passage_html(p) for p in c.passages[:limit])
        if len(c.passages) > limit:
            parts.append(f"<p>… and {len(c.passages) - limit} more sentences.</p>")
    return "".join(parts)


def contributions_frame(contributions: list[SourceContribution]) -> pd.DataFrame:
    """Every contribution as rows (source, what, kind, text, start, end, sentence), for CSV."""
    rows: list[dict[str, object]] = []
    for c in contributions:
        for f in c.facts:
            rows.append({"article_id": c.article_id, "source": c.source, "what": "fact", "kind": f.kind,
                         "text": f.label, "start": f.start, "end": f.end, "sentence": f.context,
                         "in_caption": f.in_caption})
        for p in c.passages:
            rows.append({"article_id": c.article_id, "source": c.source, "what": "sentence",
                         "kind": p.status, "text": p.text, "start": p.start, "end": p.end,
                         "sentence": p.text, "in_caption": p.in_caption})
    return pd.DataFrame(rows, columns=["article_id", "source", "what", "kind", "text", "start", "end",
                                       "sentence", "in_caption"])


def contribution_label(c: SourceContribution) -> str:
    """A picker label: source, language and the amount it adds."""
    return (f"{plain(c.source, '?')} ({plain(c.language, '?')}): {len(c.facts)} facts, "
            f"{len(c.passages)} sentences")


def default_columns(contributions: list[SourceContribution], limit: int = MAX_COLUMNS) -> list[int]:
    """The first ``limit`` sources, in story order."""
    return list(range(min(limit, len(contributions))))


# -- render ---------------------------------------------------------------------------------
def render_story(detail: StoryDetail, key: str = "sv") -> None:
    """Header, sources table (with CSV) and the deduplicated events."""
    render_safe_html(story_header_html(detail))
    st.subheader("Sources")
    table = sources_frame(detail)
    st.dataframe(display_frame(table), hide_index=True, width="stretch", key=f"{key}_sources")
    story_id = plain((detail.story or {}).get("story_id"), "story")
    download_csv(table, f"story_{story_id}_sources.csv", key=f"{key}_dl_sources",
                 label="Download sources (CSV)")
    st.subheader("Visits, meetings and calls of the story")
    events = events_frame(detail)
    if events.empty:
        st.caption("None found.")
    else:
        st.dataframe(display_frame(events), hide_index=True, width="stretch", key=f"{key}_events")
        download_csv(events, f"story_{story_id}_events.csv", key=f"{key}_dl_events",
                     label="Download events (CSV)")


def render_contributions(contributions: list[SourceContribution], n_articles: int,
                         key: str = "sv") -> list[int]:
    """Side-by-side columns of what each source adds (at most MAX_COLUMNS, then a picker).

    Returns the positions of the sources shown.
    """
    st.subheader("What each source adds")
    st.caption("Sentences and facts found in one source and in no other source of the story. "
               "Same-language sources are compared by words (marked: words no other source uses); "
               "sources in different languages by facts (places, people, dates, numbers, quotes, events).")
    if len(contributions) < 2:
        st.caption("Only one source reported this story: nothing to compare.")
        return []
    if n_articles > len(contributions):
        st.caption(f"Compared the first {len(contributions)} of {n_articles} articles.")
    shown = default_columns(contributions)
    if len(contributions) > MAX_COLUMNS:
        shown = st.multiselect("Sources side by side", list(range(len(contributions))), default=shown,
                               max_selections=MAX_COLUMNS, key=f"{key}_pick",
                               format_func=lambda i: contribution_label(contributions[i]))
    if not shown:
        st.caption("Pick sources to compare.")
        return []
    for col, i in zip(st.columns(len(shown)), shown, strict=True):
        with col:
            render_safe_html(contribution_html(contributions[i]))
    return list(shown)
