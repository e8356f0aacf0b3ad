"""Steppe Watch dashboard: page routing only (run with `streamlit run dashboard.py`)."""

import streamlit as st

st.set_page_config(page_title="Steppe Watch", page_icon="🌐", layout="wide")
st.navigation([
    st.Page("pages/overview.py", title="Overview", icon="🗺️", default=True),
    st.Page("pages/article.py", title="Article", icon="📰"),
    st.Page("pages/stories.py", title="Stories", icon="🧵"),
    st.Page("pages/ingest.py", title="Ingest", icon="📥"),
]).run()
