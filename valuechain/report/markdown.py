"""results/report.md: a short Markdown summary with the key tables (for diffs, PRs and terminals)."""
from __future__ import annotations

import re
from collections import Counter

from .data import ReportData, cooccurrence, to_int


def cell(v) -> str:
    """A Markdown table cell: one line, pipes escaped, HTML neutralised (rendered Markdown allows raw HTML)."""
    s = re.sub(r"\s+", " ", str(v if v is not None else "")).strip()
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return s.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")


def table(cols: list[str], rows: list[list], limit: int | None = None) -> str:
    shown = rows if limit is None else rows[:limit]
    out = ["| " + " | ".join(cell(c) for c in cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    out += ["| " + " | ".join(cell(v) for v in r) + " |" for r in shown]
    if limit is not None and len(rows) > limit:
        out.append(f"\n_{len(rows) - limit} more rows in the HTML report._")
    return "\n".join(out)


def render(d: ReportData) -> str:
    rv = d.reviews
    n_sent = sum(to_int(v, 0) for v in rv["n_sentences"])
    n_tok = sum(to_int(v, 0) for v in rv["n_tokens"])
    parts = ["# AI value chain in Korean book reviews", "",
             "Summary of `results/tables/`; the full report with the value-chain diagram, the co-occurrence "
             "network and every review's highlighted text is `results/report.html`.", "",
             "## Corpus", "",
             table(["reviews", "sentences", "tokens", "mentions", "entities", "relations", "rejected files"],
                   [[len(rv), n_sent, n_tok, len(d.mentions), len(d.entities), len(d.relations), len(d.rejected)]]),
             "",
             table(["review", "title", "author", "book", "book author", "date", "sentences", "tokens"],
                   [[r.review_id, r.title, r.author, r.book_title, r.book_author, r.date, r.n_sentences, r.n_tokens]
                    for r in rv.itertuples()], limit=50), ""]
    parts += ["### Rejected input files", ""]
    if len(d.rejected):
        parts.append(table(["file", "reason", "detail"], [[r.file, r.reason, r.detail] for r in d.rejected.itertuples()]))
    else:
        parts.append("None: every input file was read.")
    parts.append("")
    if len(d.era_layer):
        eras = d.era_order(d.era_layer["era"])
        cellv = {(r.era, r.layer): to_int(r.n_relations, 0) for r in d.era_layer.itertuples()}
        layers = [x for x in d.layer_ids() if x in set(d.era_layer["layer"])]
        layers += sorted(x for x in set(d.era_layer["layer"]) if x not in layers)
        parts += ["## Era × layer (relations)", "",
                  table(["layer", *eras], [[x or "(no layer)", *[cellv.get((e, x), 0) for e in eras]] for x in layers]),
                  ""]
    if len(d.entities):
        ents = sorted(d.entities.itertuples(), key=lambda r: (-to_int(r.n_mentions, 0), r.name))
        parts += ["## Entities (most mentioned)", "",
                  table(["name", "label", "layer", "mentions", "reviews"],
                        [[r.name, r.label, r.layer, r.n_mentions, r.n_reviews] for r in ents], limit=30), ""]
    if len(d.relations):
        names = d.entity_names()
        parts += ["## Relations", "",
                  table(["review", "entity", "role", "era", "year"],
                        [[r.review_id, names.get(r.entity_id, r.entity_id), r.role, r.era, r.era_year]
                         for r in d.relations.itertuples()], limit=60), ""]
    if len(d.analogies):
        parts += ["## Analogies", "",
                  table(["gold rush", "AI era", "similarity", "evidence"],
                        [[r.gold_rush, r.ai_era, r.similarity, r.evidence] for r in d.analogies.itertuples()]), ""]
    pairs = cooccurrence(d.mentions)
    if pairs:
        names = d.entity_names()
        top = sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
        parts += ["## Strongest co-occurrences (same sentence)", "",
                  table(["entity", "entity", "sentences"], [[names.get(a, a), names.get(b, b), w] for (a, b), w in top]),
                  ""]
    parts += ["## Evaluation", ""]
    if isinstance(d.scores, dict):
        nums = [(k, v) for k, v in sorted(d.scores.items()) if isinstance(v, (int, float))]
        parts.append(table(["metric", "value"], [[k, f"{v:.3f}" if isinstance(v, float) else v] for k, v in nums])
                     if nums else "See results/eval/scores.json.")
    else:
        parts.append("No gold annotations (results/eval/scores.json is absent).")
    p = d.provenance or {}
    parts += ["", "## Provenance", ""]
    if p:
        vers = p.get("versions", {})
        parts.append(f"config SHA-256 `{p.get('config_sha256', '?')}`; "
                     + ", ".join(f"{k} {v}" for k, v in sorted(vers.items()) if v))
    else:
        parts.append("No provenance.json.")
    labels = Counter(d.mentions["label"])
    if labels:
        parts += ["", "Mentions by label: " + ", ".join(f"{k} {v}" for k, v in sorted(labels.items()))]
    return "\n".join(parts).rstrip() + "\n"
