"""Snakemake glue for the report rule (kept out of the .smk file: the linter wants no functions beside rules)."""

from __future__ import annotations

import os
from pathlib import Path

# name -> path under results/ of every table the report can show, besides reviews.csv
OPTIONAL_TABLES = {
    "rejected": "tables/rejected.csv",
    "mentions": "tables/mentions.csv",
    "entities": "tables/entities.csv",
    "relations": "tables/relations.csv",
    "layers": "tables/layers.csv",
    "analogies": "tables/analogies.csv",
    "era_layer": "tables/era_layer.csv",
    "links": "tables/links.csv",
    "edges": "tables/value_chain_edges.csv",
}


def report_inputs(
    workflow, results: str, review_texts: list[str], taxonomy: str | None, scores: str | None = None
) -> dict:
    """The report's inputs: reviews.csv, provenance and texts always; every other table when some rule of
    the workflow makes it (or it already exists), so the report follows whatever stages are wired in."""

    def available(path: str) -> bool:
        return os.path.exists(path) or any(r.is_producer(path) for r in workflow.rules)

    inputs = {
        "reviews": f"{results}/tables/reviews.csv",
        "provenance": f"{results}/provenance.json",
        "texts": list(review_texts),
    }
    for name, rel in OPTIONAL_TABLES.items():
        path = f"{results}/{rel}"
        if available(path):
            inputs[name] = path
    if taxonomy and available(taxonomy):
        inputs["taxonomy"] = taxonomy
    if scores and available(scores):
        inputs["scores"] = scores
    return inputs


def build_from_snakemake(sm) -> None:
    """Entry point of workflow/scripts/report.py."""
    from . import build

    names = set(sm.input.keys())
    opt = {
        k: getattr(sm.input, k)
        for k in (
            "rejected",
            "mentions",
            "entities",
            "relations",
            "layers",
            "analogies",
            "era_layer",
            "links",
            "edges",
            "taxonomy",
            "scores",
        )
        if k in names
    }
    build(
        min_confidence=float(getattr(sm.params, "min_confidence", 0.0) or 0.0),
        html_out=sm.output.html,
        # beside the shard caches: results/interim/report_cache (a side folder, only time if lost)
        font_cache=str(Path(sm.output.html).parent / "interim" / "report_cache"),
        md_out=sm.output.md,
        reviews=sm.input.reviews,
        provenance=sm.input.provenance,
        review_texts=list(sm.input.texts),
        **opt,
    )
