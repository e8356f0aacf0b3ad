"""Overview: headline numbers, the regional map, countries outside it, the visit timeline
and the article list. Clicking a country filters the whole app; clicking a visit opens it."""

import streamlit as st

from components.map_placeholder import PLOTLY_CONFIG, show_placeholder_map

# The page's frame first, and on a session's first run a placeholder map in the map's place: the browser
# loads plotly.js and the shapes while the rest of this page is imported and computed.
st.title("Steppe Watch")
summary_slot = st.empty()
numbers_slot = st.container()
map_col, bar_col = st.columns([3, 1])
map_heading, map_slot = map_col.empty(), map_col.empty()
first_run = show_placeholder_map(map_slot)

from components import data  # noqa: E402  (after the placeholder: these imports take ~0.5 s cold)
from components.article_list import article_list  # noqa: E402
from components.article_view import escape_text, render_safe_html  # noqa: E402
from components.deferred import draw_below_now  # noqa: E402
from components.downloads import download_csv  # noqa: E402
from components.figures import (  # noqa: E402
    MAP_SOURCE_NOTE,
    METRIC_LABELS,
    build_outside_bar,
    map_frame,
    outside_frame,
    summary_unit,
    timeline_row_count,
    timeline_statuses,
)
from components.headline import show_headline  # noqa: E402
from components.interactions import (  # noqa: E402
    apply_map_selection,
    apply_timeline_period,
    click_chart_key,
    open_selected_article,
)
from components.sidebar import all_statuses_box, describe, more_rows_control, places_box, sidebar_filters  # noqa: E402
from steppewatch import settings  # noqa: E402
from steppewatch.query.periods import PERIOD_ADJECTIVES  # noqa: E402

data.ensure_store()
apply_map_selection("ov_map")
apply_map_selection("ov_outside")
open_selected_article("ov_timeline")
apply_timeline_period("ov_timeline_summary")
f = sidebar_filters(data.filter_options(), show_metric=True)

summary = describe(f)
with summary_slot:
    render_safe_html(f'<p style="font-size:1.1em"><b>{escape_text(summary)}</b></p>' if summary
                     else "<p>All articles in the store. Click a country to filter (more countries to add them, "
                          "a chosen one again to remove it).</p>")

numbers = data.headline(f)
show_headline(numbers_slot, numbers)
if not numbers.empty:
    with numbers_slot:
        download_csv(numbers, "headline.csv", key="dl_headline", label="Download numbers (CSV)")

counts = data.country_counts(f, f.metric)
map_heading.subheader(f"{METRIC_LABELS[f.metric]} — Central Asia and neighbours")
map_slot.plotly_chart(data.map_figure(f), key=click_chart_key("ov_map"), on_select="rerun", selection_mode="points",
                      config=PLOTLY_CONFIG)
with map_col:
    places_box(f)
    st.caption(MAP_SOURCE_NOTE + " Cities: GeoNames.")
    download_csv(map_frame(counts), "map_countries.csv", key="dl_map", label="Download map data")
with bar_col:
    st.subheader("Outside the map")
    outside = outside_frame(counts)
    if outside.empty:
        st.caption("No other countries in this view.")
    else:
        st.plotly_chart(build_outside_bar(counts), key=click_chart_key("ov_outside"), on_select="rerun",
                        selection_mode="points", config=PLOTLY_CONFIG)
    download_csv(counts, "all_countries.csv", key="dl_countries", label="Download all countries")

if not draw_below_now("ov", first_run):
    st.stop()

st.subheader("Visits, meetings and calls")
n_events = data.timeline_size(f)
if n_events == 0:
    st.caption("No visits, meetings or calls in this view.")
else:
    include_other = all_statuses_box(f)
if n_events > settings.TIMELINE_DETAIL_MAX:
    summary, n_rows = data.visitor_summary(f, include_other)
    unit = summary_unit(summary)
    st.caption(f"{n_events:,} reports in this view, too many to draw one by one: shown as "
               f"{PERIOD_ADJECTIVES[unit]} counts, one row per visitor (bubble area: count; colour: status; "
               f"symbol: visit, meeting or call). Click a bubble to see that visitor's country and {unit} "
               "one by one, or narrow the filters.")
    st.plotly_chart(data.timeline_summary_figure(f, include_other), key="ov_timeline_summary",
                    on_select="rerun", selection_mode="points", config=PLOTLY_CONFIG)
    more_rows_control(f, n_rows)
    download_csv(data.timeline_summary(f), "visits_meetings_calls_by_month.csv", key="dl_timeline_summary",
                 label="Download monthly counts per host country (CSV)")
elif n_events:
    events = data.timeline(f)
    if timeline_statuses(events, include_other).empty:
        st.caption("No occurred or planned visits, meetings or calls in this view.")
    else:
        st.caption("One row per visitor (the person, or their country when no person is named), the busiest "
                   "at the top. Colour: status (planned: open marker, dotted trip segment); symbol: visit "
                   "(circle), meeting (diamond) or phone/video call (star). A trip of several legs is one bar "
                   "with a marker per leg. Reports of the same event are one marker. Click a marker to open "
                   "its article.")
        st.plotly_chart(data.timeline_figure(f, include_other), key="ov_timeline",
                        on_select="rerun", selection_mode="points", config=PLOTLY_CONFIG)
        more_rows_control(f, timeline_row_count(events, include_other))
    download_csv(events, "visits_meetings_calls.csv", key="dl_timeline", label="Download events (CSV)")

st.subheader("Attention over time")
attention = data.attention(f)
st.caption("Articles per day, week or month by publication date in this view"
           + (", one line per chosen country" if f.countries else "")
           + "; triangles: occurred visits in the month.")
st.plotly_chart(data.attention_figure(f, with_visits=n_events > 0), key="ov_attention", config=PLOTLY_CONFIG)
download_csv(attention, "articles_per_day.csv", key="dl_attention", label="Download articles per day (CSV)")

st.subheader("Who meets whom")
from components.who_meets_whom import who_meets_whom  # noqa: E402

who_meets_whom(f)

st.subheader("Articles")
article_list(f, key="ov")
