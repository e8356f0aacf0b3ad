"""The Overview's "who meets whom" section: the visitor x host matrix of the view, the people who meet most,
and the reports of the cell clicked (picking one opens its article)."""

from __future__ import annotations

import streamlit as st

from components import data
from components.article_view import display_frame, escape_markdown
from components.downloads import download_csv
from components.figures import PAIR_MATRIX_TOP, matrix_left_out
from components.interactions import open_selected_row, selected_pair
from components.map_placeholder import PLOTLY_CONFIG
from steppewatch.query.countries import country_name
from steppewatch.query.filters import Filters

# Columns of a clicked cell's reports, as the table shows them.
PAIR_EVENT_COLUMNS = ["date", "type", "status", "actor", "counterpart", "place", "source", "title"]


def who_meets_whom(f: Filters, key: str = "ov_pairs") -> None:
    """The matrix (a click on a cell lists that pair's reports below it) and the top meeting pairs."""
    pairs = data.pair_counts(f)
    if pairs.empty:
        st.caption("No visits or meetings with a known host country in this view.")
        return
    st.caption("Visits and meetings of each visitor country (rows) in each host country (columns) that took or "
               "will take place, each counted once however many reports carry it (as the headline and timeline "
               "count); "
               "in a meeting hosted by its host country's own leader the guest is the other side. Meetings "
               "whose place is not stated have no host and are not in the matrix. Click a cell to list them.")
    st.plotly_chart(data.pair_matrix_figure(f, PAIR_MATRIX_TOP), key=key, on_select="rerun",
                    selection_mode="points", config=PLOTLY_CONFIG)
    visitors, hosts = matrix_left_out(pairs, PAIR_MATRIX_TOP)
    if visitors or hosts:
        parts = ([f"visitors {', '.join(visitors)}"] if visitors else []) + (
            [f"hosts {', '.join(hosts)}"] if hosts else [])
        st.caption(escape_markdown(f"Beyond the {PAIR_MATRIX_TOP} busiest: {'; '.join(parts)} (in the CSV)."))
    download_csv(pairs, "who_meets_whom.csv", key=f"dl_{key}", label="Download visitor x host counts (CSV)")

    chosen = selected_pair(key)
    if chosen is not None:
        visitor, host = chosen
        events = data.pair_events(f, visitor, host)
        st.markdown(f"**{escape_markdown(country_name(visitor))} in {escape_markdown(country_name(host))}**: "
                    f"{len(events)} report{'s' if len(events) != 1 else ''}"
                    f"{' (the 100 most recent)' if len(events) >= 100 else ''}; pick one to open its article.")
        shown = events[[c for c in PAIR_EVENT_COLUMNS if c in events.columns]] if len(events) else events
        st.dataframe(display_frame(shown), key=f"{key}_events", on_select="rerun", selection_mode="single-row",
                     hide_index=True, width="stretch")
        open_selected_row(f"{key}_events", events, id_column="article_id")

    leaders = data.leader_pairs(f)
    if not leaders.empty:
        st.caption("Who meets whom most often: meetings between two named people, either way round.")
        st.dataframe(display_frame(leaders.rename(columns={"leader_a": "person", "leader_b": "meets"})),
                     hide_index=True, width="stretch", key=f"{key}_leaders")
