"""CSV downloads of the data behind every chart and table (formula-injection safe)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

# A cell starting with one of these is a formula in spreadsheet programs.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _defuse(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV of ``df`` with spreadsheet formulas neutralised."""
    safe = df.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(_defuse)
    return safe.to_csv(index=False).encode("utf-8")


def download_csv(df: pd.DataFrame, file_name: str, key: str,
                 label: str = "Download CSV") -> None:
    """A download button for ``df`` as CSV, made when it is clicked (on a thread of its own): building
    every table's CSV on every rerun was a quarter of the Overview's server time."""
    st.download_button(label, data=lambda: csv_bytes(df), file_name=file_name, mime="text/csv",
                       key=key, disabled=df.empty, on_click="ignore")
