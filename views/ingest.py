"""Ingest: upload files (text, HTML, JSONL, CSV, RSS/Atom) and see what happened to each."""

import streamlit as st

from components import data
from components.article_view import display_frame
from components.downloads import download_csv
from components.ingest_log import failures_first, progress_text, shown_log
from components.sidebar import current_filters, write_url
from components.signin import require_editor
from steppewatch import settings

UPLOAD_TYPES = ["txt", "html", "htm", "jsonl", "csv", "xml", "rss", "atom", "gz"]  # .gz: any of these compressed

require_editor("upload files into the store")  # the page is not in a viewer's menu; a deep link stops here
data.ensure_store()
write_url(current_filters())  # keep the shared filters in the URL on this page too

st.title("Ingest")
limit_mb = settings.MAX_DOCUMENT_BYTES / 1_048_576
st.caption(f"Accepted: {', '.join('.' + t for t in UPLOAD_TYPES)}; at most {limit_mb:.0f} MB "
           "per file. Each item is processed on its own: a bad item is reported, the rest "
           "is kept.")

uploads = st.file_uploader("Files to ingest", type=UPLOAD_TYPES, accept_multiple_files=True,
                           key="ing_files")
source = st.text_input("Source of these files (optional)", key="ing_source", max_chars=120,
                       placeholder="e.g. Kazinform",
                       help="The outlet the uploaded texts come from, for items that name none of their own "
                            "(a bulk file's source column wins). Left empty, it is read from the text: an "
                            "agency in the dateline or the byline, else none.")
if uploads and st.button("Ingest", type="primary", key="ing_go"):
    results = []
    progress = st.progress(0.0, text="Ingesting…")
    for i, upload in enumerate(uploads, start=1):
        def show(done: int, total: int, i: int = i, name: str = upload.name) -> None:
            share = (i - 1 + (done / total if total else 1)) / len(uploads)
            progress.progress(min(share, 1.0), text=progress_text(i, len(uploads), name, done, total))

        try:
            if upload.size > settings.MAX_DOCUMENT_BYTES:
                raise ValueError(f"{upload.size:,} bytes is over the limit of "
                                 f"{settings.MAX_DOCUMENT_BYTES:,} bytes")
            summary = data.ingest_upload(upload.name, upload.getvalue(), source=source, on_progress=show,
                                         on_wait=lambda holder: st.info(data.waiting_message(holder)))
            frame = data.summary_frame(summary)
        except Exception as exc:
            frame = data.failure_frame(upload.name, exc)
        frame.insert(0, "file", upload.name)
        results.append(frame)
    progress.progress(1.0, text=f"{len(uploads)} of {len(uploads)} files done")
    # plain rows, not a data frame, in the session (per-session memory stays small and plain)
    st.session_state["ing_result"] = failures_first(shown_log(data.concat_frames(results), "item")).to_dict("records")

result_rows = st.session_state.get("ing_result")
if result_rows is not None:
    result = data.records_frame(result_rows)
    st.subheader("Result of the last upload")
    counts = result["status"].value_counts().to_dict()
    cols = st.columns(3)
    for col, status in zip(cols, ("ingested", "unchanged", "failed"), strict=False):
        col.metric(status.capitalize(), int(counts.get(status, 0)))
    st.dataframe(display_frame(result), hide_index=True, width="stretch")
    download_csv(result, "ingest_result.csv", key="dl_ing_result")

st.subheader("Recent ingest log")
log_rows = shown_log(data.recent_ingest_log(200))  # file names, not server paths
st.dataframe(display_frame(log_rows), hide_index=True, width="stretch")
download_csv(log_rows, "ingest_log.csv", key="dl_ing_log")
