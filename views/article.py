"""Article drill-down: escaped title and metadata, the cleaned text with countries, people,
places and dates highlighted and event evidence marked, the raw text, and the other sources
of the same story."""

from dataclasses import replace

import streamlit as st

from components import data
from components.article_view import (
    article_spans,
    chosen_event_line,
    display_frame,
    escape_markdown,
    escape_text,
    events_table,
    heading_html,
    plain,
    render_article_text,
    render_safe_html,
    search_hits_line,
    show_bidi,
)
from components.downloads import download_csv
from components.sidebar import set_filters, sidebar_filters, view_link

data.ensure_store()
f = sidebar_filters(data.filter_options())


def _on_pick() -> None:
    """Callback: open the picked article, then clear the picker."""
    picked = st.session_state.get("art_pick")
    st.session_state["art_pick"] = None
    if picked:
        set_filters(replace(f, article=str(picked)))


def article_picker(label: str) -> None:
    """Pick one of the articles matching the filters (first 200)."""
    choices = data.articles_page(f, 200, 0)
    if choices.empty:
        st.info("No article matches the current filters.")
        return
    labels = {row.id: f"{plain(row.published, 'undated')} · {plain(row.source, '?')} · "
                      f"{plain(row.title, '(untitled)')}" for row in choices.itertuples()}
    st.selectbox(label, list(labels), index=None, format_func=labels.get, key="art_pick",
                 placeholder="Choose an article", on_change=_on_pick)


if not f.article:
    st.title("Article")
    article_picker("Open an article")
    st.stop()

detail = data.article_detail(f.article)
if detail.article is None:
    st.warning("This article is not in the store (it may have been removed).")
    article_picker("Open another article")
    st.stop()

article = {k: (None if plain(v) == "" else v) for k, v in detail.article.items()}
main, side = st.columns([3, 1])
with main:
    render_safe_html(heading_html(article.get("title")))
    meta = " · ".join(str(v) for v in (
        article.get("source") or "unknown source",
        (f"published {article.get('published') or 'unknown'}"
         f" ({article.get('published_precision') or 'unknown'} precision)"),
        f"language {article.get('language') or '?'}") if v)
    render_safe_html(f'<p style="color:#555">{escape_text(meta)}</p>')
    if article.get("url"):
        render_safe_html(f'<p style="color:#555">URL: {escape_text(article["url"])}</p>')
    clicked = chosen_event_line(detail.events, f.event)
    if clicked:
        st.caption(escape_markdown(clicked))
    text = str(article.get("text") or "")
    hits = data.search_hits(text, f.search)
    if f.search:
        st.caption(escape_markdown(search_hits_line(len(hits), f.search)))
    render_article_text(text, article_spans(detail.mentions, detail.events, f.event, hits))
    with st.expander("Raw text as received"):
        st.code(show_bidi(str(article.get("raw_text") or "")), language=None, wrap_lines=True)
    st.subheader("Visits, meetings and calls in this article")
    if detail.events.empty:
        st.caption("None found.")
    else:
        st.dataframe(display_frame(events_table(detail.events)), hide_index=True, width="stretch")
    download_csv(detail.events, f"events_{f.article}.csv", key="dl_art_events",
                 label="Download events (CSV)")
    st.subheader("Mentions")
    st.dataframe(display_frame(detail.mentions), hide_index=True, width="stretch")
    download_csv(detail.mentions, f"mentions_{f.article}.csv", key="dl_art_mentions",
                 label="Download mentions (CSV)")

with side:
    st.subheader("Other sources of this story")
    story_id = article.get("story_id")
    if story_id and st.button("Open the story", key="art_story",
                              help="All sources of this story and what each one adds"):
        set_filters(replace(f, story=str(story_id)))
        st.switch_page("views/stories.py")
    others = data.story_sources(str(story_id)) if story_id else None
    if others is None or others.empty or len(others) < 2:
        st.caption("No other source reported this story.")
    else:
        for row in others.itertuples():
            if row.id == f.article:
                continue
            kind = (f" ({plain(row.derived_kind)} of {plain(row.derived_from_source, plain(row.derived_from))})"
                    if plain(row.derived_kind) else "")
            render_safe_html(f"<p><b>{escape_text(plain(row.source, '?'))}</b>"
                             f"{escape_text(kind)}<br>{escape_text(plain(row.title))}<br>"
                             f'<span style="color:#777">'
                             f"{escape_text(plain(row.published, 'undated'))}"
                             f" · {escape_text(plain(row.language))}</span></p>")
            st.button("Open", key=f"art_open_{row.id}", on_click=set_filters,
                      args=(replace(f, article=row.id),))
        download_csv(others, f"story_{story_id}.csv", key="dl_art_story",
                     label="Download sources (CSV)")
    st.subheader("Link to this view")
    st.code(view_link(f, "article"), language=None, wrap_lines=True)
    if st.button("Back to the article list", key="art_back"):  # the list is on the Overview
        set_filters(f.without_article())
        st.switch_page("views/overview.py")
