"""The research report: ``results/report.html`` (self-contained, offline) and ``results/report.md``.

    from valuechain.report import build
    build(reviews="results/tables/reviews.csv", ..., html_out="results/report.html", md_out="results/report.md")

Built only from the pipeline's tables (see :mod:`valuechain.report.data` for the columns it reads); any
table other than reviews.csv may be missing, and its section then says so.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import data

log = logging.getLogger(__name__)

__all__ = ["build", "load", "render_html", "render_markdown"]

# imported on first use: the Snakefile imports valuechain.report.workflow (light) at every start, and
# the report's modules (pandas, the tables' columns, the page) are needed only by the report job
_LAZY = {"load": ("data", "load"), "render_html": ("html", "render"), "render_markdown": ("markdown", "render")}


def __getattr__(name: str):
    if name in _LAZY:
        module, attr = _LAZY[name]
        return getattr(importlib.import_module(f".{module}", __name__), attr)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def build(
    *, html_out: str, md_out: str | None = None, embed_font: bool = True, font_cache: str | None = None, **inputs
) -> data.ReportData:
    """Load the tables named in ``inputs`` (keywords of :func:`data.load`) and write the report files
    (``font_cache``: a folder keeping the font subsets between runs)."""
    from . import data, html, markdown

    inputs.setdefault("max_texts", html.MAX_REVIEWS_WITH_TEXT)  # the page shows no more texts than these
    d = data.load(**inputs)
    Path(html_out).parent.mkdir(parents=True, exist_ok=True)
    n_bytes = html.write(d, html_out, embed_font=embed_font, font_cache=font_cache)
    log.info(
        "wrote %s (%d bytes): %d reviews, %d mentions, %d entities, %d relations",
        html_out,
        n_bytes,
        len(d.reviews),
        len(d.mentions),
        len(d.entities),
        len(d.relations),
    )
    if md_out:
        Path(md_out).write_text(markdown.render(d), encoding="utf-8")
        log.info("wrote %s", md_out)
    return d
