"""Stories: groups of articles about the same event. Picking one (or ?story=<id>) opens its
page: header, sources, events, and what each source adds."""

from dataclasses import replace

import streamlit as st

from components import data
from components.article_view import display_frame, escape_markdown, escape_text, render_safe_html
from components.downloads import download_csv
from components.interactions import selected_table_rows
from components.sidebar import describe, set_filters, sidebar_filters, view_link
from components.story_view import (
    contributions_frame,
    load_contributions,
    load_story,
    render_contributions,
    render_story,
)
from steppewatch import settings

data.ensure_store()
f = sidebar_filters(data.filter_options())

st.title("Stories")
summary = describe(replace(f, story=None))
if summary:
    render_safe_html(f"<p><b>{escape_text(summary)}</b></p>")
st.caption("A story groups the articles that report the same event; 'independent' counts "
           "sources that are not republications, translations or rewrites of another.")

page = st.number_input("Page", min_value=1, value=1, step=1, key="st_page")
# the list ignores the open story (it is shown below, and the list stays browsable)
stories = data.stories_page(replace(f, story=None), settings.PAGE_SIZE,
                            (int(page) - 1) * settings.PAGE_SIZE)
if stories.empty:
    st.info("No stories match the current filters.")
else:
    table = stories.rename(columns={"n_articles": "articles", "n_independent": "independent"})
    st.dataframe(display_frame(table), key="st_table", on_select="rerun", selection_mode="single-row",
                 hide_index=True, width="stretch")
    download_csv(stories, "stories.csv", key="dl_stories", label="Download stories (CSV)")
    rows = selected_table_rows("st_table")
    picked = str(stories.iloc[rows[0]]["story_id"]) if rows and rows[0] < len(stories) else None
    if picked and picked != st.session_state.get("st_table__applied"):
        st.session_state["st_table__applied"] = picked
        f = replace(f, story=picked)
        set_filters(f)

if not f.story:
    st.caption("Pick a story in the table to see its sources and what each one adds.")
    st.stop()

detail = load_story(f.story)
if detail.story is None:
    st.warning(escape_markdown(f"Story {f.story} is not in the store (it may have been regrouped)."))
    st.stop()

st.divider()
render_story(detail, key="st_story")
contributions, n_articles = load_contributions(f.story)
render_contributions(contributions, n_articles, key="st_cmp")
download_csv(contributions_frame(contributions), f"story_{f.story}_adds.csv", key="dl_story_adds",
             label="Download what each source adds (CSV)")

st.subheader("Link to this story")
st.code(view_link(f, "stories"), language=None, wrap_lines=True)
st.button("Close the story", key="st_close", on_click=set_filters, args=(replace(f, story=None),))
