"""Stories: groups of articles about the same event, with their sources and languages."""

from dataclasses import replace

import streamlit as st

from components import data
from components.article_view import escape_text, render_safe_html
from components.downloads import download_csv
from components.interactions import selected_table_rows
from components.sidebar import describe, set_filters, sidebar_filters
from steppewatch import settings

data.ensure_store()
f = sidebar_filters(data.filter_options())

st.title("Stories")
summary = describe(f)
if summary:
    render_safe_html(f"<p><b>{escape_text(summary)}</b></p>")
st.caption("A story groups the articles that report the same event; 'independent' counts "
           "sources that are not republications or translations of another.")

page = st.number_input("Page", min_value=1, value=1, step=1, key="st_page")
stories = data.stories_page(f, settings.PAGE_SIZE, (int(page) - 1) * settings.PAGE_SIZE)
if stories.empty:
    st.info("No stories match the current filters.")
    st.stop()

table = stories.rename(columns={"n_articles": "articles", "n_independent": "independent"})
st.dataframe(table, key="st_table", on_select="rerun", selection_mode="single-row",
             hide_index=True, width="stretch")
download_csv(stories, "stories.csv", key="dl_stories", label="Download stories (CSV)")

rows = selected_table_rows("st_table")
if rows and rows[0] < len(stories):
    story_id = str(stories.iloc[rows[0]]["story_id"])
    st.subheader("Sources of the selected story")
    sources = data.story_sources(story_id)
    st.dataframe(sources, hide_index=True, width="stretch")
    download_csv(sources, f"story_{story_id}.csv", key="dl_story_sources",
                 label="Download sources (CSV)")
    st.button("Filter the dashboard to this story", key="st_filter", on_click=set_filters,
              args=(replace(f, story=story_id),))
