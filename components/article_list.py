"""The paged article list as a fragment: turning a page reruns the list alone, not the map and timeline."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from components import data
from components.article_view import display_frame
from components.downloads import download_csv
from components.interactions import open_selected_row
from components.sidebar import current_filters, set_filters
from steppewatch import settings
from steppewatch.query.filters import Filters


def _on_page(key: str, filter_key: str) -> None:
    """Callback: the page picked goes into the filters and the URL (``page=N``)."""
    set_filters(replace(current_filters(filter_key), page=int(st.session_state[f"{key}_page"])), filter_key)


@st.fragment
def article_list(f: Filters, key: str = "ov", filter_key: str = "flt") -> None:
    """Matching articles, newest first, a page at a time (the page kept in the URL); picking a row opens the
    article."""
    total = data.articles_count(f)
    pages = max(1, -(-total // settings.PAGE_SIZE))
    page = 1
    if pages > 1:
        # the session's page, not the one of the run that drew the fragment (a page turn reruns it alone)
        page = min(max(current_filters(filter_key).page, 1), pages)
        st.session_state[f"{key}_page"] = page
        st.number_input(f"Page (of {pages:,}, {total:,} articles)", min_value=1, max_value=pages, step=1,
                        key=f"{key}_page", on_change=_on_page, args=(key, filter_key))
    articles = data.articles_page(f, settings.PAGE_SIZE, (int(page) - 1) * settings.PAGE_SIZE)
    st.dataframe(display_frame(articles), key=f"{key}_articles", on_select="rerun", selection_mode="single-row",
                 hide_index=True, width="stretch")
    open_selected_row(f"{key}_articles", articles)
    download_csv(articles, "articles_page.csv", key=f"dl_{key}_articles", label="Download this page (CSV)")
