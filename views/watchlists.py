"""Watchlists: saved filters with a name; a new story that matches one is alerted once, by e-mail, to a
webhook, and in the watchlist's Atom feed. Editors save and delete them."""

import streamlit as st

from components import data, watchlist_data
from components.article_view import display_frame
from components.article_view import escape_markdown as md
from components.sidebar import current_filters, describe, write_url
from components.signin import current_access
from steppewatch.alerts import WatchlistError

data.ensure_store()
filters = current_filters()
write_url(filters)  # keep the shared filters in the URL on this page too
access = current_access()

st.title("Watchlists")
st.caption("A watchlist is a saved filter. When an ingest or the feed watcher brings a new story that matches "
           "it, one alert goes out: by e-mail, to a webhook, and into the watchlist's Atom feed (its link below "
           "works in any feed reader; keep it private). The watcher sends alerts after each round; "
           "`python -m steppewatch alerts send` sends them from the command line.")

outcome = st.session_state.pop("wl_outcome", None)
if outcome:
    st.success(outcome)

if access.can_edit:
    with st.expander("Save the current view as a watchlist", expanded=False):
        shown = (describe(filters).removeprefix("Filtered to ")
                 or "no filter (choose a country, person or event type first)")
        st.markdown(f"**Filter:** {md(shown)}")
        with st.form("wl_form", clear_on_submit=False):
            name = st.text_input("Name", max_chars=80, key="wl_name")
            emails = st.text_input("E-mail to (comma-separated, optional)", key="wl_emails")
            webhook = st.text_input("Webhook URL (optional; receives each alert as JSON)", key="wl_webhook")
            if st.form_submit_button("Save watchlist", type="primary"):
                try:
                    saved = watchlist_data.save_watchlist(name, filters, emails, webhook, access.email)
                except WatchlistError as exc:
                    st.error(f"Not saved: {md(str(exc))}")
                else:
                    st.session_state["wl_outcome"] = f"Saved watchlist {md(saved.name)}."
                    st.rerun()

items = watchlist_data.all_watchlists()
st.subheader("Watchlists")
if not items:
    st.info("No watchlist yet." + (" Filter the Overview to what you follow, then save it here." if access.can_edit
                                   else " Editors can save one."))
else:
    st.dataframe(display_frame(watchlist_data.watchlist_table(items, show_targets=access.can_edit)),
                 key="wl_table", hide_index=True, width="stretch", column_config={
                     "view": st.column_config.LinkColumn("view", display_text="open"),
                     "Atom feed": st.column_config.LinkColumn("Atom feed", display_text="feed"),
                     "last alert": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")})
    if access.can_edit:
        with st.expander("Delete a watchlist"):
            doomed = st.selectbox("Watchlist", [w.name for w in items], key="wl_delete_name")
            if st.button("Delete it and its alerts", key="wl_delete") and doomed:
                watchlist_data.delete_watchlist(doomed)
                st.session_state["wl_outcome"] = f"Deleted watchlist {md(doomed)}."
                st.rerun()

st.subheader("Recent alerts")
alerts = watchlist_data.alerts_table()
if alerts.empty:
    st.caption("No alert yet: they come with stories stored after a watchlist was saved.")
else:
    st.dataframe(display_frame(alerts), key="wl_alerts", hide_index=True, width="stretch", column_config={
        "open": st.column_config.LinkColumn("open", display_text="story")})

if access.can_edit:
    st.subheader("Deliveries")
    deliveries = watchlist_data.deliveries_table()
    if deliveries.empty:
        st.caption("Nothing sent or waiting.")
    else:
        st.caption("A failed delivery is tried again later, less and less often, then given up (status failed).")
        st.dataframe(display_frame(deliveries), key="wl_deliveries", hide_index=True, width="stretch")
