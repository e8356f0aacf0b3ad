"""Read side of the store: the Filters value object and pure query functions (no Streamlit)."""

from steppewatch.query.filters import Filters

__all__ = ["Filters"]
