"""Ingestion readers: files, folders, uploads, feeds and bulk files -> RawDocument."""

from steppewatch.ingest.readers import (
    documents_from_feed_bytes,
    documents_from_upload,
    iter_documents,
    neutralise_doctype,
)

__all__ = ["documents_from_feed_bytes", "documents_from_upload", "iter_documents",
           "neutralise_doctype"]
