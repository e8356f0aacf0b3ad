"""The paged article list as a fragment: turning a page reruns the list alone, not the map and timeline."""

from __future__ import annotations

import streamlit as st

from components import data
from components.article_view import display_frame
from components.downloads import download_csv
from components.interactions import open_selected_row
from steppewatch import settings
from steppewatch.query.filters import Filters


@st.fragment
def article_list(f: Filters, key: str = "ov") -> None:
    """Matching articles, newest first, a page at a time; picking a row opens the article."""
    total = data.articles_count(f)
    pages = max(1, -(-total // settings.PAGE_SIZE))
    page = st.number_input(f"Page (of {pages}, {total} articles)", min_value=1, max_value=pages,
                           value=1, step=1, key=f"{key}_page") if pages > 1 else 1
    articles = data.articles_page(f, settings.PAGE_SIZE, (int(page) - 1) * settings.PAGE_SIZE)
    st.dataframe(display_frame(articles), key=f"{key}_articles", on_select="rerun", selection_mode="single-row",
                 hide_index=True, width="stretch")
    open_selected_row(f"{key}_articles", articles)
    download_csv(articles, "articles_page.csv", key=f"dl_{key}_articles", label="Download this page (CSV)")
