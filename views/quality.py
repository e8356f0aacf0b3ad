"""Quality: how far to trust the map and timeline -- the latest evaluation on the gold sets
(visits_dev first, in plain words and by hard case; then seeds and PETR2), flagged against the
pinned floors, with its date, extractor version and the F1 trend."""

import logging

import streamlit as st

from components import data, quality_data
from components.article_view import escape_markdown as md
from components.map_placeholder import PLOTLY_CONFIG
from components.quality_view import (
    EVAL_COMMAND,
    below_floor_fields,
    build_f1_trend,
    bundled_gold,
    explanation_markdown,
    load_floors,
    quality_table,
    split_latest,
    visits_dev_breakdown,
    visits_dev_failed,
    visits_dev_flagged,
    visits_dev_sentence,
    visits_dev_table,
    visits_dev_texts,
)
from components.sidebar import current_filters, write_url
from components.signin import current_access

log = logging.getLogger(__name__)

data.ensure_store()
write_url(current_filters())  # keep the shared filters in the URL on this page too

st.title("Quality")
st.markdown("How far to trust the map and the timeline: the extractor is scored against gold sets, "
            "texts whose facts were annotated by hand, and each field must stay at or above a "
            "pinned floor (the eval gate in the test suite).")
with st.expander("What the gold sets and fields mean", expanded=False):
    st.markdown(explanation_markdown())

outcome = st.session_state.pop("ql_outcome", None)
if outcome:
    st.success(outcome)

summary = quality_data.quality_summary()
if summary is None:
    st.info("No evaluation has been recorded in this store yet. Run it below, or from the command "
            f"line: `{EVAL_COMMAND}` (it records each run in the store).")
else:
    st.subheader("Latest evaluation")
    st.caption(f"Run {md(summary.run_id)} on {md(summary.date)} UTC, extractor version {md(summary.extractor_version)} "
               f"({summary.n_runs} run{'s' if summary.n_runs != 1 else ''} recorded).")
    if not summary.is_current:
        st.warning(f"This run scored extractor version {md(summary.extractor_version)}, but the app now runs "
                   f"{md(summary.current_version)}: the scores may not describe what the map shows. "
                   "Run the evaluation again.")
    floors = load_floors()
    visits, others = split_latest(quality_data.latest_eval())
    visits_table = visits_dev_table(visits, floors)
    table = quality_table(others, floors)
    flagged = visits_dev_flagged(visits_table) + below_floor_fields(table)
    if flagged:
        st.warning(f"Below the pinned floor: {md(', '.join(flagged))}. Treat these fields with care.")
    elif not floors:
        st.caption("The pinned floors (tests/fixtures/eval_floors.json) are not installed: nothing is flagged.")
    scores_format = {name: st.column_config.NumberColumn(format="%.3f") for name in ("precision", "recall", "F1")}

    st.subheader("Visits and meetings in official texts (visits_dev)")
    if len(visits_table):
        texts = visits_dev_texts(visits)
        st.caption(f"{texts.get('all', 0)} texts: {texts.get('kr', 0)} from the Kremlin (kr), "
                   f"{texts.get('rest', 0)} from the US Government (rest), annotated by hand.")
        if failed := visits_dev_failed(visits):
            st.warning(f"{failed} visits_dev text{'s' if failed != 1 else ''} could not be processed in this run "
                       "and count as finding nothing.")
        st.markdown(visits_dev_sentence(visits))
        st.dataframe(visits_table, key="ql_visits", hide_index=True, width="stretch", column_config={
            **scores_format,
            "result": st.column_config.TextColumn(help="pass: every score at or above the floor pinned "
                                                       "for this field; fail: one is under it"),
        })
        with st.expander("By source and hard case"):
            st.caption("All texts, the Kremlin (kr) and US Government (rest) texts, then the texts with each "
                       "hard case. An empty cell has nothing to count: no visit or meeting found (precision), "
                       "none to find (recall).")
            breakdown = visits_dev_breakdown(visits)
            st.dataframe(breakdown, key="ql_visits_tags", hide_index=True, width="stretch",
                         column_config={c: st.column_config.NumberColumn(format="%.3f") for c in breakdown.columns[2:]})
    else:
        st.info("The latest run did not score visits_dev. Run the evaluation again below, or "
                f"`{EVAL_COMMAND}` with a folder holding visits_dev/.")

    st.subheader("Seeds and PETR2")
    st.dataframe(table, key="ql_table", hide_index=True, width="stretch", column_config={
        **scores_format,
        "below floor": st.column_config.CheckboxColumn(help="a score is under the floor pinned for this field"),
    })

    st.subheader("F1 over time")
    history = quality_data.eval_history()
    if history["run_id"].nunique() < 2:
        st.caption("The trend appears once a second run is recorded.")
    else:
        st.plotly_chart(build_f1_trend(history), key="ql_trend", config=PLOTLY_CONFIG)


def _run_button() -> None:
    """The "Run evaluation now" button (or the CLI command when no gold set is bundled)."""
    if not current_access().can_edit:
        st.caption("Only editors can run the evaluation (it records a run in the store); "
                   f"on the server: `{EVAL_COMMAND}`.")
        return
    gold = bundled_gold()
    if gold is None:
        st.info(f"The gold sets are not bundled with this installation. Run `{EVAL_COMMAND}` with a "
                "folder holding seeds_gold.json, petr2_gsr_validation.xml and/or visits_dev/.")
        return
    st.caption(f"Scores the current extractor on the gold sets in {gold.name}/ and records the run in the store.")
    if st.button("Run evaluation now", key="ql_run", type="primary"):
        try:
            with st.spinner("Running the evaluation…"):
                result = quality_data.run_and_record(gold)
        except Exception as exc:
            log.exception("evaluation failed")
            st.error(f"The evaluation could not run: {type(exc).__name__}: {md(str(exc)[:300])}")
            return
        st.session_state["ql_outcome"] = (f"Recorded run {md(result.run_id)}: {result.n_scores} scores "
                                          f"in {result.seconds:.1f} s.")
        st.rerun()


if summary is None:
    st.subheader("Run the evaluation")
    _run_button()
else:
    with st.expander("Run the evaluation again"):
        _run_button()
