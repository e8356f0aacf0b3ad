"""Pure builders for the Quality page: the scores table flagged against the pinned floors, and
the F1 trend figure (DataFrames in, DataFrame / plotly figure out; no Streamlit)."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from steppewatch import settings

# The eval gate's pinned floors (tests/test_eval_gate.py); read here, never written.
FLOORS_PATH: Path = settings.PROJECT_ROOT / "tests" / "fixtures" / "eval_floors.json"
# The bundled gold sets the page's button scores (the same folder `python -m steppewatch eval` uses).
GOLD_DIR: Path = settings.PROJECT_ROOT / "tests" / "fixtures"
GOLD_FILES = ("seeds_gold.json", "petr2_gsr_validation.xml")
EVAL_COMMAND = "python -m steppewatch eval --gold DIR"

METRICS = ("precision", "recall", "f1")
METRIC_SHORT = {"precision": "P", "recall": "R", "f1": "F1"}
TABLE_COLUMNS = ["gold set", "field", "precision", "recall", "F1", "tp", "fp", "fn", "floor", "below floor",
                 "shortfall"]

# What each scored field means (our own text, rendered as markdown).
FIELD_HELP: dict[str, str] = {
    "country mentions": "countries named in an article (names, demonyms, capitals) and linked to "
                        "their ISO code: what the map's *Articles mentioning* counts.",
    "actor countries": "the countries of the actors in a sentence (who does something to whom).",
    "people": "office holders recognised with their role and country.",
    "visits": "who travelled where (actor country → host country), with date and status: the "
              "points of the timeline and the *Visits hosted* map.",
    "meetings": "which countries met (the pair of participants), with date.",
    "visits+meetings": "any contact between a pair of countries, whether it was found as a visit or "
                       "as a meeting (a visit read as a meeting still counts).",
    "published date": "the article's publication date, within a stated tolerance: where an "
                      "article sits on the time axis and the date filters.",
    "stories": "whether the reports of one event are grouped into one story.",
}
GOLD_HELP: dict[str, str] = {
    "seeds": "the bundled sample articles, annotated by hand with every fact the app should find.",
    "petr2": "the PETRARCH-2 validation set: 77 short news-style sentences hand-coded with CAMEO events "
             "(the codes for *make a visit*, *host a visit* and *meet* become our visits and "
             "meetings), an outside check on sentences we did not write.",
}
SCORES_HELP = ("**Precision**: of what the app found, the share that is right (tp / (tp + fp)). "
               "**Recall**: of what is there, the share the app found (tp / (tp + fn)). "
               "**F1** balances the two. tp, fp, fn: true positives, false positives (found but "
               "wrong) and false negatives (missed).")


def explanation_markdown() -> str:
    """The page's explanation of gold sets, fields and scores (markdown, our own text only)."""
    gold = "\n".join(f"- **{name}**: {text}" for name, text in GOLD_HELP.items())
    fields = "\n".join(f"- **{name}**: {text}" for name, text in FIELD_HELP.items())
    return f"Gold sets:\n{gold}\n\nFields:\n{fields}\n\n{SCORES_HELP}"


def load_floors(path: Path | str | None = None) -> dict[str, dict[str, float]]:
    """Pinned floors (default ``FLOORS_PATH``) keyed ``"gold_set/field"`` -> {metric: floor};
    empty when the file is absent or unreadable."""
    try:
        pinned = json.loads(Path(FLOORS_PATH if path is None else path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    floors = pinned.get("floors", {}) if isinstance(pinned, dict) else {}
    return {str(k): {str(m): float(v) for m, v in d.items() if m in METRICS}
            for k, d in floors.items() if isinstance(d, dict)}


def shortfalls(row: dict[str, object] | pd.Series, floors: dict[str, dict[str, float]]) -> list[str]:
    """The metrics of one score row that are below their floor, as ``"recall 0.950 < 0.980"``.

    Compares scores rounded to 3 decimals, as the eval gate does; a missing score counts as below.
    """
    out = []
    for metric, floor in floors.get(f"{row['gold_set']}/{row['field']}", {}).items():
        value = row.get(metric)
        number = None if value is None or pd.isna(value) else round(float(value), 3)  # type: ignore[arg-type]
        if number is None or number < floor:
            shown = "missing" if number is None else f"{number:.3f}"
            out.append(f"{metric} {shown} < {floor:.3f}")
    return out


def floor_text(gold_set: str, field: str, floors: dict[str, dict[str, float]]) -> str:
    """The pinned floors of one field, e.g. ``"P ≥ 0.84, R ≥ 0.98"`` (empty when none)."""
    pinned = floors.get(f"{gold_set}/{field}", {})
    return ", ".join(f"{METRIC_SHORT[m]} ≥ {pinned[m]:.2f}" for m in METRICS if m in pinned)


def quality_table(latest: pd.DataFrame, floors: dict[str, dict[str, float]]) -> pd.DataFrame:
    """The latest run as a display table: scores, the field's floors, and whether it is below them."""
    rows = []
    for _, r in latest.iterrows():
        missing = shortfalls(r, floors)
        rows.append({"gold set": r["gold_set"], "field": r["field"], "precision": r["precision"],
                     "recall": r["recall"], "F1": r["f1"], "tp": int(r["tp"]), "fp": int(r["fp"]),
                     "fn": int(r["fn"]), "floor": floor_text(str(r["gold_set"]), str(r["field"]), floors),
                     "below floor": bool(missing), "shortfall": "; ".join(missing)})
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def below_floor_fields(table: pd.DataFrame) -> list[str]:
    """``"gold set / field"`` of every row of a quality table below its floor."""
    flagged = table[table["below floor"]] if len(table) else table
    return [f"{r['gold set']} / {r['field']}" for _, r in flagged.iterrows()]


def bundled_gold(gold_dir: Path | None = None) -> Path | None:
    """The folder with the gold sets (default ``GOLD_DIR``), or None when none of them is present."""
    folder = GOLD_DIR if gold_dir is None else gold_dir
    return folder if any((folder / name).is_file() for name in GOLD_FILES) else None


def build_f1_trend(history: pd.DataFrame) -> go.Figure:
    """F1 per field across runs: one line per gold set / field, runs in time order."""
    fig = go.Figure()
    if len(history):
        df = history.copy()
        df["when"] = pd.to_datetime(df["at"], utc=True, format="ISO8601")
        df["series"] = df["gold_set"].astype(str) + " / " + df["field"].astype(str)
        for series, part in df.groupby("series", sort=False):
            part = part.sort_values("when", kind="stable")
            label = html.escape(str(series)).replace("%{", "% {")  # no template variables from the store
            fig.add_trace(go.Scatter(
                x=part["when"], y=part["f1"], mode="lines+markers", name=str(series),
                customdata=part[["extractor_version"]].to_numpy(),
                hovertemplate=f"{label}<br>%{{x|%Y-%m-%d %H:%M}} UTC<br>F1 %{{y:.3f}}"
                              "<br>extractor %{customdata[0]}<extra></extra>"))
    fig.update_layout(yaxis={"title": "F1", "range": [0, 1.05]}, xaxis={"title": "run (UTC)"},
                      legend={"title": "gold set / field"}, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      height=360)
    return fig
