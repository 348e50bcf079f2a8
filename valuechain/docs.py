"""Conventions of the project's spaCy Docs, usable without importing spaCy (0.8 s) in table-only jobs."""

from __future__ import annotations

SKIP_TAG = "SKIP"  # text outside the analysed spans (platform line, byline, keyword block, ...)
SPACE_TAG = "_SP"


def analysed_sentences(doc):
    """(sent_id, Span, para_id, section) for the analysed sentences, in text order."""
    for i, (s, e, pid, sec) in enumerate(doc.user_data.get("sentences", [])):
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            yield i, span, pid, sec
