"""results/report.md: a short Markdown summary with the key tables (for diffs, PRs and terminals)."""

from __future__ import annotations

import re
from collections import Counter

from .data import ReportData, nothing_to_show, rows, to_int


def cell(v) -> str:
    """A Markdown table cell: one line, pipes escaped, HTML neutralised (rendered Markdown allows raw HTML)."""
    s = re.sub(r"\s+", " ", str(v if v is not None else "")).strip()
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return s.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")


def table(cols: list[str], rows: list[list], limit: int | None = None, total: int | None = None) -> str:
    """``rows`` may hold only the first ``limit`` rows when ``total`` gives the full count."""
    shown = rows if limit is None else rows[:limit]
    total = len(rows) if total is None else total
    out = ["| " + " | ".join(cell(c) for c in cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    out += ["| " + " | ".join(cell(v) for v in r) + " |" for r in shown]
    if limit is not None and total > limit:
        out.append(f"\n_{total - limit} more rows in the HTML report._")
    return "\n".join(out)


TOP_EDGES = 20


def edge_cells(r) -> list:
    """A row of value_chain_edges.csv as the cells of the summary's edges table."""
    years = "–".join(dict.fromkeys(y for y in (r.first_era_year, r.last_era_year) if y))
    example = f"{r.evidence} ({r.evidence_review_id})" if r.evidence else ""
    return [
        r.source_name or r.source,
        r.type,
        r.target_name or r.target,
        r.object,
        r.n_reviews,
        r.n_links,
        years,
        example,
    ]


def render(d: ReportData) -> str:
    rv = d.reviews
    n_sent = sum(to_int(v, 0) for v in rv["n_sentences"].tolist())
    n_tok = sum(to_int(v, 0) for v in rv["n_tokens"].tolist())
    parts = [
        "# AI value chain in Korean book reviews",
        "",
        "Summary of `results/tables/`; the full report with the value-chain diagram, the co-occurrence "
        "network and every review's highlighted text is `results/report.html`.",
        "",
        "## Corpus",
        "",
        *([f"**Nothing to show**: {cell(nothing_to_show(d))}.", ""] if nothing_to_show(d) else []),
        table(
            ["reviews", "sentences", "tokens", "mentions", "entities", "relations", "rejected files"],
            [[len(rv), n_sent, n_tok, len(d.mentions), len(d.entities), len(d.relations), len(d.rejected)]],
        ),
        "",
        table(
            ["review", "title", "author", "book", "book author", "date", "sentences", "tokens"],
            [
                [r.review_id, r.title, r.author, r.book_title, r.book_author, r.date, r.n_sentences, r.n_tokens]
                for r in rows(rv.iloc[:50])
            ],
            limit=50,
            total=len(rv),
        ),
        "",
    ]
    parts += ["### Rejected input files", ""]
    if len(d.rejected):
        parts.append(table(["file", "reason", "detail"], [[r.file, r.reason, r.detail] for r in rows(d.rejected)]))
    else:
        parts.append("None: every input file was read.")
    parts.append("")
    if len(d.era_layer):
        eras = d.era_order(d.era_layer["era"])
        cellv = {(r.era, r.layer): to_int(r.n_relations, 0) for r in rows(d.era_layer)}
        el_layers = set(d.era_layer["layer"].tolist())
        layers = [x for x in d.layer_ids() if x in el_layers]
        layers += sorted(x for x in el_layers if x not in layers)
        parts += [
            "## Era × layer (relations)",
            "",
            table(["layer", *eras], [[x or "(no layer)", *[cellv.get((e, x), 0) for e in eras]] for x in layers]),
            "",
        ]
    if len(d.entities):
        ents = sorted(rows(d.entities), key=lambda r: (-to_int(r.n_mentions, 0), r.name))
        parts += [
            "## Entities (most mentioned)",
            "",
            table(
                ["name", "label", "layer", "mentions", "reviews"],
                [[r.name, r.label, r.layer, r.n_mentions, r.n_reviews] for r in ents],
                limit=30,
            ),
            "",
        ]
    if len(d.relations):
        names = d.entity_names()
        parts += [
            "## Relations",
            "",
            table(
                ["review", "entity", "role", "era", "year"],
                [
                    [r.review_id, names.get(r.entity_id, r.entity_id), r.role, r.era, r.era_year]
                    for r in rows(d.relations.iloc[:60])
                ],
                limit=60,
                total=len(d.relations),
            ),
            "",
        ]
    if len(d.edges):
        parts += [
            "## Value-chain edges (most reviews)",
            "",
            table(
                ["from", "link", "to", "object", "reviews", "links", "years", "example (review)"],
                [edge_cells(r) for r in rows(d.edges.iloc[:TOP_EDGES])],
                limit=TOP_EDGES,
                total=len(d.edges),
            ),
            "",
        ]
    if len(d.analogies):
        parts += [
            "## Analogies",
            "",
            table(
                ["gold rush", "AI era", "similarity", "evidence"],
                [[r.gold_rush, r.ai_era, r.similarity, r.evidence] for r in rows(d.analogies)],
            ),
            "",
        ]
    pairs = d.pairs()
    if pairs:
        names = d.entity_names()
        top = pairs.top(10)
        parts += [
            "## Strongest co-occurrences (same sentence)",
            "",
            table(["entity", "entity", "sentences"], [[names.get(a, a), names.get(b, b), w] for (a, b), w in top]),
            "",
        ]
    parts += ["## Evaluation", ""]
    if isinstance(d.scores, dict):
        nums = [(k, v) for k, v in sorted(d.scores.items()) if isinstance(v, (int, float))]
        parts.append(
            table(["metric", "value"], [[k, f"{v:.3f}" if isinstance(v, float) else v] for k, v in nums])
            if nums
            else "See results/eval/scores.json."
        )
    else:
        parts.append("No gold annotations (results/eval/scores.json is absent).")
    p = d.provenance or {}
    parts += ["", "## Provenance", ""]
    if p:
        vers = p.get("versions", {})
        parts.append(
            f"config SHA-256 `{p.get('config_sha256', '?')}`; "
            + ", ".join(f"{k} {v}" for k, v in sorted(vers.items()) if v)
        )
    else:
        parts.append("No provenance.json.")
    labels = Counter(d.mentions["label"].value_counts(sort=False).to_dict())
    if labels:
        parts += ["", "Mentions by label: " + ", ".join(f"{k} {v}" for k, v in sorted(labels.items()))]
    return "\n".join(parts).rstrip() + "\n"
