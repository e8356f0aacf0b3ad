"""Sources: is each feed alive, when did it last work, what broke, how much did it bring in."""

import streamlit as st

from components import data, sources_data
from components.downloads import download_csv
from components.sidebar import current_filters, write_url
from components.signin import current_access
from components.sources_view import (
    FEEDS_TOML_EXAMPLE,
    RANGES,
    WATCH_COMMANDS,
    build_added_over_time,
    chart_config,
    chart_range,
    feed_table,
    fetch_table,
    only_problems,
    range_start,
    redact_feed_urls,
    summary_numbers,
)

FREQS = {"Day": "D", "Week": "W"}
COUNT_BY = {"Publication": "published", "Added": "added"}
WHEN = "YYYY-MM-DD HH:mm"  # momentJS; times are UTC

data.ensure_store()
write_url(current_filters())  # keep the shared filters in the URL on this page too

st.title("Sources")
st.caption("Health: **failing** when the last poll of the feed failed; **stale** when no poll "
           "succeeded for a day (is the watcher running?) or the feed added no article for 7 days; "
           "otherwise **ok**. Times are UTC.")

# Feed URLs may carry keys or private paths: whole for editors, cut to their site for viewers.
show_feed_urls = current_access().can_edit
status = sources_data.feed_status()
if not show_feed_urls:
    status = redact_feed_urls(status)
numbers = summary_numbers(status)
cols = st.columns(4)
cols[0].metric("Feeds", numbers["feeds"])
cols[1].metric("Failing", numbers["failing"])
cols[2].metric("Stale", numbers["stale"])
cols[3].metric("Added by feeds, 7 days", numbers["added_7d"])

st.subheader("Feeds")
if status.empty:
    st.info("No feed has been watched yet. Add feeds with the watch command (see below).")
else:
    st.dataframe(feed_table(status), key="src_feeds", hide_index=True, width="stretch", column_config={
        "url": st.column_config.LinkColumn("url"),
        "last poll": st.column_config.DatetimeColumn(format=WHEN),
        "last success": st.column_config.DatetimeColumn(format=WHEN),
        "last error at": st.column_config.DatetimeColumn(format=WHEN),
        "last article": st.column_config.DatetimeColumn(format=WHEN),
    })
    download_csv(status, "feeds.csv", key="dl_src_feeds", label="Download feed status (CSV)")

st.subheader("Articles over time, by source")
range_col, freq_col, by_col = st.columns(3)
with range_col:
    span = st.segmented_control("Range", list(RANGES), default="90 days", key="src_range") or "90 days"
with freq_col:
    freq = st.segmented_control("Per", list(FREQS), default="Day", key="src_freq") or "Day"
with by_col:
    by = st.segmented_control("Dated by", list(COUNT_BY), default="Publication", key="src_by",
                              help="Publication: the day each article was published (a backfill spreads over "
                                   "the days it covers). Added: the day it came into the store (feed health).") \
        or "Publication"
since = range_start(span)
added = sources_data.added_over_time(FREQS[freq], since, COUNT_BY[by])
figure = build_added_over_time(added, x_range=chart_range(since, FREQS[freq]), bar_days=7 if freq == "Week" else 1,
                               by=COUNT_BY[by])
st.plotly_chart(figure, key="src_added", config=chart_config())
st.caption("Feeds by name; other articles by source and how they came in "
           "(upload, bulk = JSONL/CSV row, web = page URL, file).")
download_csv(added, "articles_added.csv", key="dl_src_added", label="Download counts (CSV)")

st.subheader("Recent polls")
fetches = sources_data.recent_fetches(200)
if not show_feed_urls:
    fetches = redact_feed_urls(fetches)
if fetches.empty:
    st.info("No poll recorded yet.")
else:
    problems = st.toggle("Only polls with a problem", key="src_problems")
    shown = only_problems(fetches) if problems else fetches
    st.dataframe(fetch_table(shown), key="src_fetches", hide_index=True, width="stretch", column_config={
        "url": st.column_config.LinkColumn("url"),
        "time": st.column_config.DatetimeColumn(format=WHEN),
    })
    download_csv(shown, "polls.csv", key="dl_src_fetches", label="Download polls (CSV)")

with st.expander("How to add feeds", expanded=status.empty):
    st.write("List the feeds in a TOML file, then run the watcher next to the dashboard; it polls "
             "each feed politely (conditional requests, one request per host per second) and "
             "writes to the same store.")
    st.code(FEEDS_TOML_EXAMPLE, language="toml")
    st.code(WATCH_COMMANDS, language="bash")
