"""Pure builders for the Quality page: the scores table flagged against the pinned floors, and
the F1 trend figure (DataFrames in, DataFrame / plotly figure out; no Streamlit)."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from steppewatch import settings
from steppewatch.evaluation import VISITS_DEV, VISITS_FIELDS, VISITS_MATRIX_COLUMNS, visits_dev_subset, visits_matrix

# The eval gate's pinned floors (tests/test_eval_gate.py); read here, never written.
FLOORS_PATH: Path = settings.PROJECT_ROOT / "tests" / "fixtures" / "eval_floors.json"
# The bundled gold sets the page's button scores (the same folder `python -m steppewatch eval` uses).
GOLD_DIR: Path = settings.PROJECT_ROOT / "tests" / "fixtures"
GOLD_FILES = ("seeds_gold.json", "petr2_gsr_validation.xml", f"{VISITS_DEV}/gold.json")
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
# visits_dev fields, as scored by steppewatch.evaluation.eval_visits (our own text, markdown).
VISITS_FIELD_HELP: dict[str, str] = {
    "visits": "who travelled where, as (visitor country, host country) per text, visits that took place "
              "or are planned: what the timeline and the *Visits hosted* map show.",
    "explicit visits": "recall only: of the visits a text states in words (travelled, arrived, on a visit), "
                       "the share found.",
    "dated visits": "recall only: of the stated visits that took place on a given day, the share found "
                    "with that day: where a visit sits on the timeline.",
    "meetings": "which countries met in person (or without a stated medium), as the set of their "
                "countries; phone and video calls are not meetings here.",
    "countries": "the countries each text names (not places inside them, not the Soviet Union): what the "
                 "map's *Mentioned* counts.",
}
GOLD_HELP: dict[str, str] = {
    "visits_dev": "100 official texts (Kremlin news in English; US State Department, White House and "
                  "Congressional Record items), annotated by hand with every visit, meeting and country. "
                  "*kr* are the Kremlin texts, *rest* the US Government ones; *hard:…* tags mark the hard "
                  "cases a text contains (phone calls, multi-leg trips, historical visits, …).",
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
    visits = "\n".join(f"- **{name}**: {text}" for name, text in VISITS_FIELD_HELP.items())
    fields = "\n".join(f"- **{name}**: {text}" for name, text in FIELD_HELP.items())
    return (f"Gold sets:\n{gold}\n\nFields of visits_dev:\n{visits}\n\nFields of seeds and petr2:\n{fields}"
            f"\n\n{SCORES_HELP}")


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


# -- visits_dev ------------------------------------------------------------------------------
VISITS_TABLE_COLUMNS = ["field", "precision", "recall", "F1", "tp", "fp", "fn", "floor", "result", "shortfall"]
BREAKDOWN_COLUMNS = list(VISITS_MATRIX_COLUMNS)


def split_latest(latest: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(visits_dev rows of every subset, rows of the other gold sets) of the latest run."""
    if not len(latest):
        return latest, latest
    is_visits = latest["gold_set"].map(lambda g: visits_dev_subset(str(g)) is not None)
    return latest[is_visits].reset_index(drop=True), latest[~is_visits].reset_index(drop=True)


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def _count(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


def _all_texts(visits: pd.DataFrame) -> dict[str, dict[str, object]]:
    """The visits_dev rows over all texts, keyed by field."""
    if not len(visits):
        return {}
    rows = visits[visits["gold_set"] == VISITS_DEV]
    return {str(r["field"]): r.to_dict() for _, r in rows.iterrows()}


def visits_dev_texts(visits: pd.DataFrame) -> dict[str, int]:
    """How many texts were scored per subset (``all``, ``kr``, ``rest``, ``hard:…``)."""
    return {m["subset"]: m["texts"] for m in visits_matrix(visits.to_dict("records")) if m["texts"] is not None}


def visits_dev_failed(visits: pd.DataFrame) -> int:
    """How many visits_dev texts could not be processed in the run (scored as found nothing)."""
    row = _all_texts(visits).get("texts")
    return (_count(row["fn"]) or 0) if row else 0


def visits_dev_table(visits: pd.DataFrame, floors: dict[str, dict[str, float]]) -> pd.DataFrame:
    """visits_dev over all texts, one row per field (``VISITS_FIELDS`` order): scores, counts, the
    pinned floor and ``pass`` / ``fail`` (empty when no floor is pinned). A metric a field does not
    have (precision of a recall-only field) or cannot have (nothing to find) is None."""
    rows = []
    fields = _all_texts(visits)
    for name in VISITS_FIELDS:
        r = fields.get(name)
        if r is None:
            continue
        missing = shortfalls(r, floors)
        pinned = floor_text(VISITS_DEV, name, floors)
        recall_only = _number(r["precision"]) is None and _number(r["f1"]) is None
        rows.append({"field": name, "precision": _number(r["precision"]), "recall": _number(r["recall"]),
                     "F1": _number(r["f1"]), "tp": _count(r["tp"]), "fp": None if recall_only else _count(r["fp"]),
                     "fn": _count(r["fn"]), "floor": pinned,
                     "result": ("fail" if missing else "pass") if pinned else "",
                     "shortfall": "; ".join(missing)})
    table = pd.DataFrame(rows, columns=VISITS_TABLE_COLUMNS)
    return table.astype({"tp": "Int64", "fp": "Int64", "fn": "Int64"})  # fp of a recall-only field: <NA>


def visits_dev_flagged(table: pd.DataFrame) -> list[str]:
    """``"visits_dev / field"`` of every row of a visits_dev table that fails its floor."""
    return [f"{VISITS_DEV} / {r['field']}" for _, r in table.iterrows() if r["result"] == "fail"]


def visits_dev_breakdown(visits: pd.DataFrame) -> pd.DataFrame:
    """One row per subset (all, kr, rest, then each hard:* tag) with its number of texts and scores."""
    return pd.DataFrame(visits_matrix(visits.to_dict("records")), columns=BREAKDOWN_COLUMNS)


def in_ten(share: float) -> str:
    """A share in words out of ten: ``"about 7 in 10"``, ``"more than 9 in 10"``, ``"10 in 10"``."""
    if share >= 1:
        return "10 in 10"
    if share <= 0:
        return "0 in 10"
    tenths = int(share * 10 + 0.5)
    if tenths >= 10:
        return "more than 9 in 10"
    if tenths <= 0:
        return "fewer than 1 in 10"
    return f"about {tenths} in 10"


def visits_dev_sentence(visits: pd.DataFrame) -> str:
    """What the visits_dev scores mean for the map and the timeline, in plain words (from the numbers;
    a clause whose score is undefined is left out). Empty when visits_dev was not scored."""
    fields = _all_texts(visits)

    def score(field: str, metric: str) -> float | None:
        return _number(fields.get(field, {}).get(metric))

    clauses = []
    if (p := score("visits", "precision")) is not None:
        clauses.append(f"{in_ten(p)} visits on the timeline are real")
    timeline = []
    if (r := score("explicit visits", "recall")) is not None:
        timeline.append(f"finds {in_ten(r)} of the visits stated in these official texts")
    if (d := score("dated visits", "recall")) is not None:
        timeline.append(f"puts {in_ten(d)} of the dated visits that took place on the right day")
    if timeline:
        clauses.append("the timeline " + " and ".join(timeline))
    meetings = []
    if (mp := score("meetings", "precision")) is not None:
        meetings.append(f"{in_ten(mp)} meetings found are real")
    if (mr := score("meetings", "recall")) is not None:
        meetings.append(f"{in_ten(mr)} of the meetings held in person are found")
    if meetings:
        clauses.append(", and ".join(meetings))
    if (cp := score("countries", "precision")) is not None:
        clause = f"countries on the map are right {in_ten(cp)} times"
        if (cr := score("countries", "recall")) is not None:
            clause += f", and it misses {in_ten(1 - cr)} of the countries a text names"
        clauses.append(clause)
    if not clauses:
        return ""
    text = "; ".join(clauses) + "."
    return text[0].upper() + text[1:]


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
