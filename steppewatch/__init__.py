"""Steppe Watch: geopolitical news about Central Asia, turned into processed articles.

This package holds all processing (ingest, clean, extract, cluster, store, query) and never
imports Streamlit, so the CLI, the tests, the benchmarks and the dashboard share it.
"""

__version__ = "0.1.0"
