"""Ingestion: fetch, parse feeds and pages, deduplicate, extract candidate statements."""
