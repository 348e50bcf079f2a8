"""The self-contained HTML report: one file, no network, every data string escaped.

Safety model: values from the tables go through :func:`h` (``html.escape``) before they touch markup;
data the page script needs is a JSON island (``<script type="application/json">``) with ``<``, ``>``
and ``&`` written as ``\\u003c`` etc.; the Content-Security-Policy allows no network at all, and only
the one inline script whose SHA-256 it names, so even an injected handler would not run.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from html import escape
from importlib import resources
from pathlib import Path
from typing import IO
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from ..graph import SYMMETRIC_TYPES
from . import fonts, highlight
from .chain_links import MAX_DRAWN, legend_html, year_span
from .data import LABELS, ReportData, era_side, nothing_to_show, rows, to_float, to_int
from .style import ERA_COLORS, css_vars, label_colors, mix
from .svg import ChainFigure, network_svg, value_chain_svg

TITLE = "AI value chain in Korean book reviews"
TITLE_KO = "한국어 서평으로 본 AI 가치사슬: 누가, 무엇을, 언제, 어디서"


def h(v) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    if v.__class__ is str:  # the common case, inlined: html.escape(v, quote=True)
        return (
            v.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace('"', "&quot;")
            .replace("'", "&#x27;")
        )
    if v is None:
        return ""
    if isinstance(v, float) and v != v:
        return ""
    return escape(str(v), quote=True)


def json_island(obj) -> str:
    """JSON safe inside <script type="application/json">: no '<', '>' or '&' can end the element."""
    s = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        s.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def asset(name: str) -> str:
    return resources.files("valuechain.report").joinpath("assets", name).read_text(encoding="utf-8")


def safe_url(u: str) -> str | None:
    """Only http(s) links are clickable; anything else (javascript:, data:, file:) is shown as text."""
    u = (u or "").strip()
    try:
        p = urlparse(u)
    except ValueError:
        return None
    return u if p.scheme in ("http", "https") and p.netloc else None


def fmt_num(v, digits: int = 0) -> str:
    f = to_float(v)
    if f is None:
        return h(v)
    return f"{f:,.{digits}f}"


# ------------------------------------------------------------------------ generic table


def data_table(
    name: str,
    cols: list[tuple[str, str, str]],
    rows: list[dict],
    filters: list[tuple[int, str]] = (),
    placeholder: str = "Filter rows…",
    scroll: bool = True,
) -> str:
    """A sortable, filterable table; ``cols`` = (key, header, kind) with kind text|num|html.

    Cells of kind ``html`` must already be escaped markup; their sort/filter value is ``key + '__v'``.
    """
    return "".join(data_table_pieces(name, cols, rows, filters, placeholder, scroll))


def data_table_pieces(
    name: str,
    cols: list[tuple[str, str, str]],
    rows: Iterable[dict],
    filters: list[tuple[int, str]] = (),
    placeholder: str = "Filter rows…",
    scroll: bool = True,
    n_rows: int | None = None,
    options: dict[int, list[str]] | None = None,
    row_html: Callable[[object], str] | None = None,
    chunk: int = 2000,
) -> Iterator[str]:
    """:func:`data_table` as consecutive pieces of markup, ``chunk`` rows at a time.

    ``rows`` may then be a generator (a large table is never held whole), given its length ``n_rows`` and,
    for each filter column, the sorted distinct non-empty values ``options[col]``. With ``row_html``, each
    item of ``rows`` is turned into its ``<tr>`` element by that function rather than by the generic cells.
    """
    if n_rows is None or (filters and options is None):
        rows = list(rows)
        n_rows = len(rows)
    out = [
        f'<div class="tablewrap" data-table="{h(name)}"><div class="filters">'
        f'<input type="search" data-filter placeholder="{h(placeholder)}" aria-label="filter {h(name)}">'
    ]
    for col, label in filters:
        key = cols[col][0]
        vals = (
            options[col]
            if options is not None
            else sorted({str(r.get(key + "__v", r.get(key, ""))) for r in rows} - {""})
        )
        out.append(
            f'<select data-col="{col}" aria-label="{h(label)}"><option value="">{h(label)}: all</option>'
            + "".join(f'<option value="{h(v)}">{h(v)}</option>' for v in vals)
            + "</select>"
        )
    out.append(f'<span class="count">{n_rows} rows</span></div>')
    out.append(f'<div class="{"scroll" if scroll else ""}"><table class="sortable"><thead><tr>')
    for _key, label, kind in cols:
        out.append(
            f'<th class="{"num" if kind == "num" else ""}" scope="col"><button type="button">{h(label)}</button></th>'
        )
    out.append("</tr></thead><tbody>")
    yield "".join(out)
    specs = [(key, key + "__v", kind) for key, _label, kind in cols]

    def cells(r: dict) -> str:
        out = ["<tr>"]
        for key, vkey, kind in specs:
            if kind == "html":
                out.append(f'<td data-v="{h(r.get(vkey, ""))}">{r.get(key, "")}</td>')
            elif kind == "nw":
                out.append(f'<td class="nw">{h(r.get(key, ""))}</td>')
            elif kind == "num":
                out.append(_num_cell(r.get(key, "")))
            else:
                out.append(f"<td>{h(r.get(key, ''))}</td>")
        out.append("</tr>")
        return "".join(out)

    render = row_html or cells
    out = []
    for r in rows:
        out.append(render(r))
        if len(out) >= chunk:
            yield "".join(out)
            out = []
    out.append("</tbody></table></div></div>")
    yield "".join(out)


def _num_cell(v) -> str:
    """A numeric cell: sort value and the number as shown (integers plain, others with two decimals)."""
    return _num_cell_str(v) if v.__class__ is str else _num_cell_of(v)


@lru_cache(maxsize=65536)
def _num_cell_str(v: str) -> str:  # the table values are strings, and repeat (years, confidences)
    return _num_cell_of(v)


def _num_cell_of(v) -> str:
    f = to_float(v)
    shown = (
        ""
        if f is None
        else (f"{f:.2f}" if not float(f).is_integer() else f"{f:,.0f}" if abs(f) >= 10000 else f"{f:.0f}")
    )
    return f'<td class="num" data-v="{h("" if f is None else f)}">{shown}</td>'


def simple_table(cols: list[str], rows: list[list], num: set[int] = frozenset(), raw: set[int] = frozenset()) -> str:
    out = ["<table><thead><tr>"]
    out += [f'<th class="{"num" if i in num else ""}">{h(c)}</th>' for i, c in enumerate(cols)]
    out.append("</tr></thead><tbody>")
    for r in rows:
        out.append(
            "<tr>"
            + "".join(
                f'<td class="{"num" if i in num else ""}">{v if i in raw else h(v)}</td>' for i, v in enumerate(r)
            )
            + "</tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def label_badge(label: str) -> str:
    bg, fg = label_colors(label)
    return f'<span class="lbl" style="background:{bg};color:{fg};border-color:{fg}">{h(label or "?")}</span>'


def mark_names(evidence: str, names: list[str]) -> str:
    """The escaped evidence with each occurrence of the actor's names in bold."""
    return _mark_ordered(evidence, name_order(names))


def name_order(names: Iterable[str]) -> list[str]:
    """The distinct non-empty names, longest first (it wins where names overlap), equal lengths in code-point
    order (set order, used before, varied with the string hash seed from one run to the next)."""
    return sorted({n for n in names if n}, key=lambda n: (-len(n), n))


def _mark_ordered(evidence: str, ordered: list[str]) -> str:
    hits: list[tuple[int, int]] = []
    for nm in ordered:
        i = evidence.find(nm)
        while i >= 0:
            j = i + len(nm)
            for s, e in hits:  # an occurrence overlapping a longer (earlier) name's is left plain
                if i < e and j > s:
                    break
            else:
                hits.append((i, j))
            i = evidence.find(nm, j)
    if not hits:
        return h(evidence)
    hits.sort()
    out, pos = [], 0
    for s, e in hits:
        out += [h(evidence[pos:s]), "<b>", h(evidence[s:e]), "</b>"]
        pos = e
    out.append(h(evidence[pos:]))
    return "".join(out)


def surface_forms(d: ReportData) -> dict[tuple[str, str], list[str]]:
    """The names to bold in a relation's evidence: the canonical name(s) of each entity under ("", entity_id),
    and under (review_id, entity_id) the other non-empty texts of its mentions in that review (first-seen
    order, no repeats), for the (review, entity) pairs of relations.csv only. Computed once per report."""
    return d._cached("surface_forms", lambda: _surface_forms(d))


def names_marker(d: ReportData):
    """``mark(evidence, review_id, entity_id)``: :func:`mark_names` with the entity's canonical name and its
    other surface forms in that review (:func:`surface_forms`)."""
    forms = surface_forms(d)
    canonical: dict[str, list[str]] = {}  # entity -> name_order of its canonical names alone

    def mark(evidence: str, rid: str, eid: str) -> str:
        other = forms.get((rid, eid))
        if other is None:
            order = canonical.get(eid)
            if order is None:
                order = canonical[eid] = name_order(forms.get(("", eid), []))
        else:
            order = name_order(other + forms.get(("", eid), []))
        return _mark_ordered(evidence, order)

    return mark


def _surface_forms(d: ReportData) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    ent_ids, ent_names = d.entities["entity_id"].tolist(), d.entities["name"].tolist()
    m, rel = d.mentions, d.relations
    if len(m) and len(rel):
        # only the (review, entity) pairs that have relations are needed (compared as integer codes) ...
        rv, _ = pd.factorize(pd.concat([m["review_id"], rel["review_id"]], ignore_index=True))
        en, uniq = pd.factorize(pd.concat([m["entity_id"], rel["entity_id"]], ignore_index=True))
        pair = rv.astype(np.int64) * max(len(uniq), 1) + en
        m = m[np.isin(pair[: len(m)], pair[len(m) :])]
        # ... and a text equal to the entity's name adds nothing (only the set of names matters), nor does an
        # empty one
        canon = m["entity_id"].map(dict(zip(ent_ids, ent_names))).fillna("")
        m = m[((m["text"] != "") & (m["text"] != canon)).to_numpy()]
    else:
        m = m.iloc[:0]
    for rid, eid, txt in rows(m[["review_id", "entity_id", "text"]].drop_duplicates()):
        out.setdefault((rid, eid), []).append(txt)
    for eid, name in zip(ent_ids, ent_names):
        out.setdefault(("", eid), []).append(name)
    return out


@lru_cache(maxsize=4096)
def era_tag(era: str, year: str = "") -> str:
    side = era_side(era, year)
    return f'<span class="tag {side}">{h(era or "?")}{(" · " + h(year)) if year else ""}</span>'


# ------------------------------------------------------------------------ sections


def section(sid: str, num: int, title: str, lead: str, body: str) -> str:
    return "".join(section_pieces(sid, num, title, lead, [body]))


def section_pieces(sid: str, num: int, title: str, lead: str, body: Iterable[str]) -> Iterator[str]:
    yield (
        f'<section id="{sid}"><div class="wrap"><h2><span class="n">{num}</span>{h(title)}</h2>'
        f'<p class="lead">{lead}</p>'
    )
    yield from body
    yield "</div></section>"


def overview(d: ReportData) -> str:
    rv = d.reviews
    n_sent = sum(to_int(v, 0) for v in rv["n_sentences"].tolist())
    n_tok = sum(to_int(v, 0) for v in rv["n_tokens"].tolist())
    n_chars = sum(to_int(v, 0) for v in rv["n_chars"].tolist())
    cards = [
        (len(rv), "reviews"),
        (n_sent, "sentences"),
        (n_tok, "tokens (Kiwi morphemes)"),
        (len(d.mentions), "entity mentions"),
        (len(d.entities), "entities"),
        (len(d.relations), "relations"),
        (len(d.links), "links"),
        (len(d.edges), "value-chain edges"),
        (len(d.rejected), "rejected files"),
    ]
    empty = nothing_to_show(d)
    out = [f'<div class="alert" id="nothing-to-show">Nothing to show: {h(empty)}.</div>'] if empty else []
    out.append('<div class="cards">')
    for v, k in cards:
        warn = " warn" if k == "rejected files" and v else ""
        out.append(f'<div class="card{warn}"><div class="v">{v:,}</div><div class="k">{h(k)}</div></div>')
    out.append("</div>")
    missing = [t for t in ("mentions", "entities", "relations", "layers", "analogies") if not d.present.get(t)]
    if missing:
        out.append(
            f'<div class="alert">Not yet produced by the pipeline, so their sections are empty: '
            f"{h(', '.join(t + '.csv' for t in missing))}.</div>"
        )
    out.append(
        f'<p class="note">{n_chars:,} characters of decoded text (UTF-8, NFC). Sentences and tokens come '
        "from Kiwi; mentions, entities and relations from the extraction stages.</p>"
    )
    out.append("<h3>Reviews</h3>")
    m_by = d.mentions["review_id"].value_counts(sort=False).to_dict()
    r_by = d.relations["review_id"].value_counts(sort=False).to_dict()
    table = []
    for i, r in enumerate(rows(rv)):
        url = safe_url(r.url)
        link = f'<a href="{h(url)}" rel="noopener noreferrer">{h(urlparse(url).netloc)}</a>' if url else h(r.url)
        book = h(r.book_title) + (f' <span class="note">({h(r.book_author)})</span>' if r.book_author else "")
        table.append(
            {
                "review": f'<a class="nw" href="#r{i}">{h(r.review_id)}</a>',
                "review__v": r.review_id,
                "title": r.title,
                "author": r.author,
                "book": book,
                "book__v": f"{r.book_title} {r.book_author}".strip(),
                "date": r.date,
                "url": link,
                "url__v": r.url,
                "n_sentences": r.n_sentences,
                "n_tokens": r.n_tokens,
                "mentions": m_by.get(r.review_id, 0),
                "relations": r_by.get(r.review_id, 0),
                "status": "; ".join(
                    x for x in (r.warnings, f"duplicate of {r.duplicate_of}" if r.duplicate_of else "") if x
                ),
            }
        )
    out.append(
        data_table(
            "reviews",
            [
                ("review", "review", "html"),
                ("title", "title", "text"),
                ("author", "author", "text"),
                ("book", "book (author)", "html"),
                ("date", "date", "nw"),
                ("url", "url", "html"),
                ("n_sentences", "sentences", "num"),
                ("n_tokens", "tokens", "num"),
                ("mentions", "mentions", "num"),
                ("relations", "relations", "num"),
                ("status", "warnings", "text"),
            ],
            table,
            placeholder="Filter reviews…",
        )
    )
    out.append("<h3>Rejected input files</h3>")
    if len(d.rejected):
        out.append(
            simple_table(
                ["file", "review id", "reason", "detail"],
                [[r.file, r.review_id, r.reason, r.detail] for r in rows(d.rejected)],
            )
        )
    else:
        out.append('<div class="ok">Every input file was read: rejected.csv is empty.</div>')
    return section(
        "overview",
        1,
        "Corpus overview",
        "What was read: one row per review with the metadata of its brunch header, and every input "
        "file that could not become a review, with the reason.",
        "".join(out),
    )


def chain(d: ReportData) -> str:
    fig = value_chain_svg(d)
    drawn = fig.analogies
    legend = (
        '<div class="legend"><span><span class="sw gold"></span>gold-rush layer</span>'
        '<span><span class="sw ai"></span>AI-era layer</span>'
        + "".join(f'<span><span class="sw sw-{lab.lower()}"></span>{lab}</span>' for lab in LABELS)
        + "<span>curves: analogies (width = similarity); dashed box: no actor found</span>"
        + (legend_html(fig.max_reviews) if fig.links else "")
        + "</div>"
    )
    body = [legend]
    if not (d.entities["layer"] != "").any():
        body.append(
            '<div class="alert">No entity has a value-chain layer yet (entities.csv missing or without '
            "<code>layer</code>), so the diagram shows the taxonomy only.</div>"
        )
    body.append(f'<div class="panel">{fig.svg}</div>')
    body.append(f'<p class="note" id="chain-links-note">{h(links_note(fig))}</p>')
    if len(d.analogies):
        names = d.entity_names()

        def side_name(key: str) -> str:
            key = str(key)
            lay = d.layer(key)
            if key in names:
                return f'{h(names[key])} <span class="note">{h(key)}</span>'
            return f'{h(lay.ko)} <span class="note">{h(key)}</span>' if lay.ko else h(key)

        table = [
            {
                "gold": side_name(r.gold_rush),
                "gold__v": r.gold_rush,
                "ai": side_name(r.ai_era),
                "ai__v": r.ai_era,
                "sim": r.similarity,
                "evidence": r.evidence,
            }
            for r in rows(d.analogies)
        ]
        body.append("<h3>Analogies</h3>")
        if drawn < len(table):
            body.append(
                f'<p class="note">{len(table) - drawn} of {len(table)} analogies name a layer or actor '
                "that is not in the diagram; they are listed here only.</p>"
            )
        body.append(
            data_table(
                "analogies",
                [
                    ("gold", "gold rush", "html"),
                    ("ai", "AI era", "html"),
                    ("sim", "similarity", "num"),
                    ("evidence", "evidence", "text"),
                ],
                table,
                scroll=False,
            )
        )
    if len(d.layers):
        body.append("<h3>Layers found by clustering</h3>")
        table = []
        for r in rows(d.layers):
            lay = d.layer(r.layer)
            table.append(
                {
                    "layer": r.layer,
                    "name": r.layer_name or lay.ko,
                    "ko": lay.ko,
                    "era": r.era,
                    "cluster": r.cluster,
                    "n": r.n_entities,
                    "members": r.members.replace("|", ", "),
                    "terms": r.top_terms.replace("|", ", "),
                    "order": lay.order,
                }
            )
        table.sort(key=lambda x: (x["order"], x["layer"]))
        body.append(
            data_table(
                "layers",
                [
                    ("layer", "layer", "text"),
                    ("ko", "한국어", "text"),
                    ("name", "name", "text"),
                    ("era", "era", "text"),
                    ("cluster", "cluster", "text"),
                    ("n", "entities", "num"),
                    ("members", "members", "text"),
                    ("terms", "top terms", "text"),
                ],
                table,
                filters=[(3, "era")],
                scroll=False,
            )
        )
    return section(
        "chain",
        2,
        "Value chain: 1848 and now",
        "Layers stacked in chain order (taxonomy order, upstream first), the gold-rush era on the left and "
        "the AI era on the right, each actor placed in the layer the pipeline assigned it. Hover a chip for "
        "its roles, a curve for the analogy's evidence.",
        "".join(body),
    )


def links_note(fig: ChainFigure) -> str:
    """What the arrows of the diagram are, and how many of the supply and capital edges they show."""
    if not fig.links_total:
        return "No supply or capital link between two actors in links.csv, so the diagram draws no arrows."
    shown = (
        f"all {fig.links_chosen} supply and capital edges"
        if fig.links_chosen == fig.links_total
        else f"the {fig.links_chosen} strongest of {fig.links_total} supply and capital edges (by number of reviews; "
        f"at most {MAX_DRAWN} are drawn to keep the figure readable)"
    )
    missing = fig.links_chosen - fig.links
    if missing:
        shown += f", {missing} of them not drawn: an end is missing from entities.csv"
    return (
        f"Arrows: {shown} of value_chain_edges.csv, from supplier to customer and from investor to investee. "
        "Hover an arrow for its reviews, years and an example sentence; every edge, of every family, is in "
        "the Links section."
    )


def era_layer_section(d: ReportData) -> str:
    pairs = d.pairs()
    el = d.era_layer.copy()
    body = []
    if len(el):
        eras = d.era_order(el["era"])
        el_layers, ids = set(el["layer"].tolist()), d.layer_ids()
        layers = [x for x in ids if x in el_layers] + sorted(x for x in el_layers if x not in ids)
        cell = {(r.era, r.layer): (to_int(r.n_entities, 0), to_int(r.n_relations, 0)) for r in rows(el)}
        vmax = max((v[1] for v in cell.values()), default=1) or 1
        out = ['<table class="heat"><thead><tr><th>layer</th>']
        out += [f'<th class="era-{era_side(e)}" style="text-align:center">{h(e)}</th>' for e in eras]
        out.append('<th class="num">total</th></tr></thead><tbody>')
        for lid in layers:
            lay = d.layer(lid) if lid else None
            name = f'{h(lay.ko or lid)} <small class="note">{h(lid)}</small>' if lid else "<i>(no layer)</i>"
            out.append(f'<tr><th scope="row">{name}</th>')
            tot = 0
            for e in eras:
                ne, nr = cell.get((e, lid), (0, 0))
                tot += nr
                base = ERA_COLORS[era_side(e)]["line"]
                bg = mix("#ffffff", base, 0.12 + 0.6 * nr / vmax) if nr else "#ffffff"
                fg = "#ffffff" if nr / vmax > 0.6 else "#0f172a"
                out.append(
                    f'<td class="cell" style="background:{bg};color:{fg}" title="{h(e)} × {h(lid)}: '
                    f'{nr} relations, {ne} entities">'
                    + (f"<b>{nr}</b><small>{ne} entities</small>" if nr else "")
                    + "</td>"
                )
            out.append(f'<td class="num">{tot}</td></tr>')
        out.append("</tbody></table>")
        src = "era_layer.csv" if d.present.get("era_layer") else "relations.csv joined with entities.csv"
        body.append(
            f'<div class="panel">{"".join(out)}<p class="note">Cell: number of relations (shade) and '
            f"distinct entities; computed from {h(src)}.</p></div>"
        )
    else:
        body.append('<div class="alert">No relations yet, so no era × layer counts.</div>')
    svg, netdata = network_svg(d, pairs)
    body.append("<h3>Entity co-occurrence network</h3>")
    if svg:
        n_e = len(netdata["nodes"])
        body.append(
            f'<p class="note">Two entities are linked when they are mentioned in the same sentence; line '
            f"width = number of such sentences, circle size = mentions, colour = label. {n_e} most-mentioned "
            "linked entities shown; seeded force layout (the same tables give the same picture). "
            "Click a circle to highlight its neighbours.</p>"
        )
        empty = "Click an entity to see who it is mentioned with."
        body.append(
            f'<div class="panel">{svg}<div class="netinfo" id="net-info" data-empty="{h(empty)}">{h(empty)}</div></div>'
        )
        body.append(f'<script type="application/json" id="net-data">{json_island(netdata)}</script>')
        top = pairs.top(15)
        names = d.entity_names()
        body.append(
            "<details><summary>Strongest co-occurrences</summary>"
            + simple_table(
                ["entity", "entity", "sentences"], [[names.get(a, a), names.get(b, b), w] for (a, b), w in top], num={2}
            )
            + "</details>"
        )
    else:
        body.append('<div class="alert">No two entities share a sentence yet (mentions.csv missing or sparse).</div>')
    return section(
        "eras",
        3,
        "Eras × layers and who appears with whom",
        "How the relations spread over eras and value-chain layers, and which entities the reviews mention together.",
        "".join(body),
    )


def entity_table(d: ReportData) -> str:
    table = []
    for r in rows(d.entities):
        lay = d.layer(r.layer) if r.layer else None
        layer = (h(r.layer) + (f'<br><span class="note">{h(lay.ko)}</span>' if lay and lay.ko else "")) if lay else ""
        table.append(
            {
                "name": r.name,
                "id": r.entity_id,
                "label": label_badge(r.label),
                "label__v": r.label,
                "layer": layer,
                "layer__v": r.layer,
                "conf": r.layer_confidence,
                "cluster": r.cluster,
                "m": r.n_mentions,
                "rv": r.n_reviews,
                "aliases": r.aliases.replace("|", ", "),
                "wd": r.wikidata,
                "gz": r.gazetteer_id,
            }
        )
    table.sort(key=lambda x: (-(to_int(x["m"], 0)), x["name"]))
    body = data_table(
        "entities",
        [
            ("name", "name", "text"),
            ("id", "entity id", "text"),
            ("label", "label", "html"),
            ("layer", "layer · 계층", "html"),
            ("conf", "layer conf.", "num"),
            ("cluster", "cluster", "text"),
            ("m", "mentions", "num"),
            ("rv", "reviews", "num"),
            ("aliases", "aliases", "text"),
            ("gz", "gazetteer", "text"),
            ("wd", "wikidata", "text"),
        ],
        table,
        filters=[(2, "label"), (3, "layer")],
        placeholder="Filter entities (name, alias, id)…",
    )
    return section(
        "entities",
        4,
        "Entities",
        "One row per canonical entity (entities.csv). Click a header to sort; type to filter.",
        body,
    )


RELATION_COLS = ["review_id", "entity_id", "role", "era", "era_year", "evidence", "confidence", "method"]


RELATION_TABLE_COLS = [
    ("review", "review", "html"),
    ("entity", "entity", "text"),
    ("role", "role", "text"),
    ("era", "era", "html"),
    ("year", "year", "num"),
    ("evidence", "evidence sentence", "html"),
    ("conf", "conf.", "num"),
    ("method", "method", "text"),
]


def relation_table(d: ReportData, anchors: dict[int, str], fast: bool = True) -> Iterator[str]:
    """The relations section as pieces of markup: rows are rendered as they are written, never all held.

    ``fast`` renders each row with one f-string instead of :func:`data_table`'s generic cells (the table
    can have hundreds of thousands of rows); both give the same markup (a test checks it).
    """
    names = d.entity_names()
    mark = names_marker(d)
    rid_index = {rid: i for i, rid in enumerate(d.reviews["review_id"].tolist())}

    def review_link(rid: str) -> str:
        return f'<a class="nw" href="#r{rid_index[rid]}">{h(rid)}</a>' if rid in rid_index else h(rid)

    def evidence(k: int, r) -> str:
        link = anchors.get(k)
        return mark(r.evidence, r.review_id, r.entity_id) + (
            f' <a class="evlink" href="#{h(link)}">in text ↗</a>' if link else ""
        )

    def row_dicts(keep: np.ndarray, sub) -> Iterator[dict]:
        for k, r in zip(keep.tolist(), rows(sub, RELATION_COLS)):
            yield {
                "review": review_link(r.review_id),
                "review__v": r.review_id,
                "entity": names.get(r.entity_id, r.entity_id),
                "role": r.role,
                "era": era_tag(r.era),
                "era__v": r.era,
                "year": r.era_year,
                "evidence": f'<span class="evtext">{evidence(k, r)}</span>',
                "evidence__v": r.evidence,
                "conf": r.confidence,
                "method": r.method,
            }

    escaped: dict[str, str] = {}  # h() of the values that repeat (names, roles, eras, methods)
    review_cells: dict[str, str] = {}

    def hm(v: str) -> str:
        out = escaped.get(v)
        if out is None:
            out = escaped[v] = h(v)
        return out

    def row_html(item: tuple[int, tuple]) -> str:  # = data_table's row for row_dicts()
        k, r = item
        td = review_cells.get(r.review_id)
        if td is None:
            td = review_cells[r.review_id] = f'<td data-v="{h(r.review_id)}">{review_link(r.review_id)}</td>'
        return (
            f"<tr>{td}<td>{hm(names.get(r.entity_id, r.entity_id))}</td><td>{hm(r.role)}</td>"
            f'<td data-v="{hm(r.era)}">{era_tag(r.era)}</td>{_num_cell(r.era_year)}'
            f'<td data-v="{h(r.evidence)}"><span class="evtext">{evidence(k, r)}</span></td>'
            f"{_num_cell(r.confidence)}<td>{hm(r.method)}</td></tr>"
        )

    def options(col: str) -> list[str]:
        return sorted({str(v) for v in d.relations[col].unique().tolist()} - {""})

    # a large corpus: only the relations of the reviews shown in full (the page stays openable: all rows
    # of 10,000 reviews made a 283 MB file); the whole table is relations.csv
    keep = np.arange(len(d.relations))
    note = ""
    if len(d.reviews) > MAX_REVIEWS_WITH_TEXT:
        shown = set(d.reviews["review_id"].iloc[:MAX_REVIEWS_WITH_TEXT].tolist())
        keep = np.flatnonzero(d.relations["review_id"].isin(shown).to_numpy())
        note = (
            f" Shown: the {len(keep):,} relations of the first {MAX_REVIEWS_WITH_TEXT} reviews; all "
            f"{len(d.relations):,} are in results/tables/relations.csv."
        )
    sub = d.relations.iloc[keep] if len(keep) < len(d.relations) else d.relations
    items = zip(keep.tolist(), rows(sub, RELATION_COLS)) if fast else row_dicts(keep, sub)
    body = data_table_pieces(
        "relations",
        RELATION_TABLE_COLS,
        items,
        filters=[(3, "era"), (7, "method")],
        placeholder="Filter relations (entity, role, text)…",
        n_rows=len(keep),
        options={3: options("era"), 7: options("method")},
        row_html=row_html if fast else None,
    )
    return section_pieces(
        "relations",
        5,
        "Relations",
        "Who does what, when: one row per (entity, role, era) found in a review, with the sentence "
        "it came from (relations.csv)." + note,
        body,
    )


MAX_EDGE_ROWS = 5000  # the edges table of the page (all rows are in value_chain_edges.csv)
EDGE_TABLE_COLS = [
    ("source", "from", "text"),
    ("type", "link", "html"),
    ("family", "family", "text"),
    ("target", "to", "text"),
    ("object", "object", "text"),
    ("objects", "all objects", "text"),
    ("n_reviews", "reviews", "num"),
    ("n_links", "links", "num"),
    ("years", "years", "nw"),
    ("evidence", "example sentence", "html"),
]


def edge_rows(d: ReportData, link_anchors: dict[tuple[str, str], str]) -> list[dict]:
    """The rows of the edges table: names, the type coloured by family, years, the example sentence with
    its review and a jump to it in the text when the review is shown."""
    rid_index = {rid: i for i, rid in enumerate(d.reviews["review_id"].tolist())}
    out = []
    for e in rows(d.edges.iloc[:MAX_EDGE_ROWS]):
        rid = e.evidence_review_id
        review = f'<a class="nw" href="#r{rid_index[rid]}">{h(rid)}</a>' if rid in rid_index else h(rid)
        anchor = link_anchors.get((rid, str(e.evidence_sent_id)))
        jump = f' <a class="evlink" href="#{h(anchor)}">in text ↗</a>' if anchor else ""
        arrow = "↔" if e.type in SYMMETRIC_TYPES else "→"
        out.append(
            {
                "source": f"{e.source_name or e.source}",
                "type": f'<span class="lktype lk-{h(e.family or "other")}">{arrow} {h(e.type)}</span>',
                "type__v": e.type,
                "family": e.family,
                "target": e.target_name or e.target,
                "object": e.object,
                "objects": e.objects.replace("|", ", "),
                "n_reviews": e.n_reviews,
                "n_links": e.n_links,
                "years": year_span(e.first_era_year, e.last_era_year),
                "evidence": f'<span class="evtext">{h(e.evidence)}</span> <span class="note">{review}</span>{jump}',
                "evidence__v": f"{e.evidence} {rid}",
            }
        )
    return out


def links_section(d: ReportData, link_anchors: dict[tuple[str, str], str]) -> str:
    """The value-chain edges (value_chain_edges.csv) as a sortable, filterable table."""
    if not len(d.edges):
        body = (
            '<div class="alert">No links between two entities yet (links.csv and value_chain_edges.csv '
            "missing or empty).</div>"
        )
    else:
        note = (
            f'<p class="note">The {MAX_EDGE_ROWS:,} edges stated by most reviews of {len(d.edges):,}; all are in '
            "results/tables/value_chain_edges.csv.</p>"
            if len(d.edges) > MAX_EDGE_ROWS
            else ""
        )
        src = "value_chain_edges.csv" if d.present.get("edges") else "links.csv (grouped here)"
        body = note + data_table(
            "edges",
            EDGE_TABLE_COLS,
            edge_rows(d, link_anchors),
            filters=[(2, "family"), (1, "link type")],
            placeholder="Filter edges (actor, object, sentence)…",
        )
        body += (
            f'<p class="note">From {h(src)}: {len(d.links):,} links in {d.links["review_id"].nunique():,} '
            "reviews. Object spellings that differ only in case or spacing count as one object; symmetric "
            "types (partners_with, competes_with) are one row with their ends in id order. The whole graph: "
            "results/value_chain.graphml (Gephi, Cytoscape, networkx).</p>"
        )
    return section(
        "links",
        6,
        "Value-chain links",
        "Who supplies, makes for, invests in, acquires, partners with, competes with, develops, founded, leads "
        "or works at whom: one row per (source, link type, target) over the corpus, with the number of reviews "
        "stating it, the years, and an example sentence. Sort by a header, filter by family or type, or type "
        "to search.",
        body,
    )


MAX_REVIEWS_WITH_TEXT = 200  # beyond this the report lists reviews without their texts (size grows ~40 KB a review)


def link_statement(row, names: dict[str, str]) -> str:
    """A link in words, as plain text: ``엔비디아 → 슈퍼마이크로: supplies GPU`` (↔ for symmetric types)."""
    arrow = "↔" if row.type in SYMMETRIC_TYPES else "→"
    what = row.type.replace("_", " ") + (f" {row.object}" if row.object else "")
    return f"{names.get(row.source) or row.source} {arrow} {names.get(row.target) or row.target}: {what}"


def evidence_span(row, text: str | None) -> tuple[int, int] | None:
    """A row's evidence offsets, else where its evidence sentence is found in the review text."""
    s, e = to_int(row.evidence_start), to_int(row.evidence_end)
    if (s is None or e is None) and text and row.evidence:
        s = text.find(row.evidence)
        e = s + len(row.evidence) if s >= 0 else None
    return (s, e) if s is not None and e is not None else None


def link_marks(links: list, text: str | None, names: dict[str, str]) -> list[highlight.LinkMark]:
    """One underline per distinct evidence span of a review's links, with the links it states."""
    by_span: dict[tuple[int, int], list] = {}
    for lk in links:
        span = evidence_span(lk, text)
        if span:
            by_span.setdefault(span, []).append(lk)
    return [
        highlight.LinkMark(
            s, e, tuple(dict.fromkeys(lk.family for lk in lks)), tuple(link_statement(lk, names) for lk in lks)
        )
        for (s, e), lks in sorted(by_span.items())
    ]


def review_links_table(links: list, text: str | None, link_ids: dict, names: dict[str, str]) -> str:
    """The links found in one review, with their evidence sentence and a jump to it in the text."""
    table = []
    for lk in links:
        span = evidence_span(lk, text)
        anchor = link_ids.get(span) if span else None
        ev = h(lk.evidence) + (f' <a class="evlink" href="#{h(anchor)}">in text ↗</a>' if anchor else "")
        table.append(
            [
                h(names.get(lk.source) or lk.source),
                f'<span class="lktype lk-{h(lk.family or "other")}">{h(lk.type)}</span>',
                h(names.get(lk.target) or lk.target),
                h(lk.object),
                era_tag(lk.era, lk.era_year),
                f'<span class="evtext">{ev}</span>',
            ]
        )
    return "<h3>Links in this review</h3>" + simple_table(
        ["from", "link", "to", "object", "era", "evidence"], table, raw={0, 1, 2, 3, 4, 5}
    )


def reviews_section(d: ReportData) -> tuple[str, dict[int, str], list[str], dict[tuple[str, str], str]]:
    """Per-review text with highlighted mentions and link evidence; returns the html, relation anchors, data
    warnings and the anchor of each (review_id, sent_id) that states a link."""
    names = d.entity_names()
    mark = names_marker(d)
    anchors: dict[int, str] = {}
    link_anchors: dict[tuple[str, str], str] = {}
    warnings: list[str] = []
    legend = (
        '<div class="legend">'
        + "".join(f'<span><span class="sw sw-{lab.lower()}"></span>{lab}</span>' for lab in LABELS)
        + "<span>grey text: platform header/footer, not analysed</span>"
        + "<span>underlined sentence: evidence of a link, the link(s) it states beside it (colour and line "
        "style = family: supply, capital, market, make, people)</span></div>"
    )
    out = [legend]
    open_all = len(d.reviews) <= 5
    shown = d.reviews.iloc[:MAX_REVIEWS_WITH_TEXT]
    # the mentions (as dicts) and relations (row position, row) of the reviews shown, nothing else
    m_by: dict[str, list[dict]] = {}
    ms_all = d.mentions[d.mentions["review_id"].isin(shown["review_id"].tolist())]
    m_cols = ms_all.columns.tolist()
    for m in rows(ms_all):
        m_by.setdefault(m.review_id, []).append(dict(zip(m_cols, m)))
    r_by: dict[str, list[tuple[int, tuple]]] = {}
    sel = d.relations["review_id"].isin(shown["review_id"].tolist()).to_numpy()
    for k, rel in zip(np.flatnonzero(sel).tolist(), rows(d.relations[sel])):
        r_by.setdefault(rel.review_id, []).append((k, rel))
    l_by: dict[str, list[tuple]] = {}
    for lk in rows(d.links[d.links["review_id"].isin(shown["review_id"].tolist())]):
        l_by.setdefault(lk.review_id, []).append(lk)
    for i, r in enumerate(rows(d.reviews)):
        if i == MAX_REVIEWS_WITH_TEXT:
            out.append(
                f'<div class="alert">{len(d.reviews) - i} more reviews are not shown in full here, to keep '
                "this file small; their mentions and relations are in the tables above and in "
                "results/tables/.</div>"
            )
            break
        doc = d.texts.get(r.review_id)
        ms = m_by.get(r.review_id, [])
        rels = r_by.get(r.review_id, [])
        lks = l_by.get(r.review_id, [])
        evid = []
        for k, rel in rels:
            s, e = to_int(rel.evidence_start), to_int(rel.evidence_end)
            if doc and (s is None or e is None) and rel.evidence:
                s = doc.text.find(rel.evidence)
                e = s + len(rel.evidence) if s >= 0 else None
            if s is not None and e is not None:
                evid.append((int(k), s, e))
        meta = [
            ("author", r.author),
            ("book", r.book_title),
            ("book author", r.book_author),
            ("date", r.date),
            ("file", r.file),
            ("encoding / layout", f"{r.encoding} / {r.layout}"),
            ("sha256", r.sha256),
        ]
        url = safe_url(r.url)
        dl = "".join(f"<dt>{h(k)}</dt><dd>{h(v)}</dd>" for k, v in meta if v and v != " / ")
        if r.url:
            dl += (
                "<dt>url</dt><dd>"
                + (
                    f'<a href="{h(url)}" rel="noopener noreferrer">{h(url)}</a>'
                    if url
                    else f'{h(r.url)} <span class="note">(not a web link)</span>'
                )
                + "</dd>"
            )
        if r.warnings:
            dl += f"<dt>warnings</dt><dd>{h(r.warnings)}</dd>"
        if r.duplicate_of:
            dl += f"<dt>duplicate of</dt><dd>{h(r.duplicate_of)}</dd>"
        if r.notes:
            dl += f"<dt>notes</dt><dd>{h(r.notes)}</dd>"
        counts = Counter(m["label"] for m in ms)
        summary_counts = " · ".join(f"{lab} {counts[lab]}" for lab in sorted(counts))
        parts = [
            f'<details class="review" id="r{i}" data-review="{h(r.review_id)}"{" open" if open_all or i == 0 else ""}>'
            f'<summary><span class="t">{h(r.title or r.review_id)}</span>'
            f'<span class="m">{h(r.review_id)} · {len(ms)} mentions · {len(rels)} relations · {len(lks)} links'
            f'{" · " + h(summary_counts) if summary_counts else ""}</span></summary><div class="rbody">'
        ]
        if r.subtitle:
            parts.append(f'<p class="note" style="margin-top:0">{h(r.subtitle)}</p>')
        parts.append(f'<dl class="meta">{dl}</dl>')
        if doc is None:
            parts.append(
                '<div class="alert">The decoded text of this review was not given to the report '
                "(results/interim/&lt;shard&gt;/reviews.jsonl), so its mentions cannot be shown in place.</div>"
            )
            if len(ms):
                warnings.append(f"{r.review_id}: text missing, {len(ms)} mentions not shown in place")
        else:
            hl = highlight.render(doc.text, doc.spans, ms, evid, names, f"r{i}", links=link_marks(lks, doc.text, names))
            for k, a in hl.evidence_ids.items():
                anchors[k] = a
            for lk in lks:
                span = evidence_span(lk, doc.text)
                if span in hl.link_ids:
                    link_anchors.setdefault((lk.review_id, str(lk.sent_id)), hl.link_ids[span])
            if hl.unplaced:
                warnings.append(f"{r.review_id}: {len(hl.unplaced)} mentions with offsets outside the text")
                parts.append(
                    f'<div class="alert">{len(hl.unplaced)} mentions have offsets outside the text and '
                    "are not highlighted.</div>"
                )
            if hl.misaligned:
                warnings.append(
                    f"{r.review_id}: {hl.misaligned} mentions whose text differs from the review at their offsets"
                )
                parts.append(
                    f'<div class="alert">{hl.misaligned} mentions do not match the text at their offsets '
                    "(outlined in red).</div>"
                )
            parts.append(f'<div class="doc" lang="ko" data-mentions="{hl.placed}">{hl.html}</div>')
        if len(rels):
            table = []
            for k, rel in rels:
                link = anchors.get(k)
                ev = mark(rel.evidence, rel.review_id, rel.entity_id)
                ev += f' <a class="evlink" href="#{h(link)}">in text ↗</a>' if link else ""
                table.append(
                    [
                        h(names.get(rel.entity_id, rel.entity_id)),
                        h(rel.role),
                        era_tag(rel.era, rel.era_year),
                        f'<span class="evtext">{ev}</span>',
                    ]
                )
            parts.append(
                "<h3>Relations in this review</h3>"
                + simple_table(["entity", "role", "era", "evidence"], table, raw={0, 1, 2, 3})
            )
        if lks:
            parts.append(review_links_table(lks, doc.text if doc else None, hl.link_ids if doc else {}, names))
        parts.append("</div></details>")
        out.append("".join(parts))
    if not len(d.reviews):
        out.append('<div class="alert">No reviews.</div>')
    return (
        section(
            "reviews",
            7,
            "Reviews with their mentions",
            "Each review's decoded text with every row of mentions.csv highlighted in place (hover for the "
            "entity and source), the evidence sentences of its links underlined, and the relations and links "
            "found in it with their evidence sentence.",
            "".join(out),
        ),
        anchors,
        warnings,
        link_anchors,
    )


def flatten(obj, prefix: str = "") -> list[tuple[str, object]]:
    if isinstance(obj, dict):
        out = []
        for k in sorted(obj, key=str):
            out += flatten(obj[k], f"{prefix}.{k}" if prefix else str(k))
        return out
    if isinstance(obj, list):
        if all(not isinstance(x, (dict, list)) for x in obj):
            return [(prefix, ", ".join(map(str, obj)))]
        out = []
        for i, x in enumerate(obj):
            out += flatten(x, f"{prefix}[{i}]")
        return out
    return [(prefix, obj)]


def method(d: ReportData, font: fonts.EmbeddedFont, warnings: list[str]) -> str:
    p = d.provenance or {}
    body = ["<h3>Evaluation</h3>"]
    if d.scores is not None:
        top = (
            [(k, v) for k, v in sorted(d.scores.items()) if isinstance(v, (int, float))]
            if isinstance(d.scores, dict)
            else []
        )
        if top:
            body.append(
                '<div class="cards">'
                + "".join(
                    f'<div class="card"><div class="v">{v:.3f}</div><div class="k">{h(k)}</div></div>'
                    if isinstance(v, float)
                    else f'<div class="card"><div class="v">{v}</div><div class="k">{h(k)}</div></div>'
                    for k, v in top
                )
                + "</div>"
            )
        rest = [(k, v) for k, v in flatten(d.scores) if not any(k == t for t, _ in top)]
        if rest:
            body.append(
                "<details><summary>All scores</summary>"
                + simple_table(["metric", "value"], [[k, v] for k, v in rest[:500]])
                + "</details>"
            )
        body.append(
            '<p class="note">From results/eval/scores.json: the tables scored against the hand-made gold '
            "annotations by the shared evaluation kit (actor F1, relation F1, layer accuracy/ARI).</p>"
        )
    else:
        body.append(
            '<div class="alert">No gold annotations: results/eval/scores.json is absent, so this report '
            "shows no accuracy figures.</div>"
        )
    body.append(
        "<h3>How the tables were made</h3><ol>"
        "<li><b>Ingest</b>: each file decoded (BOM, UTF-8, or detected legacy encoding; CRLF→LF; NFC), the "
        "brunch layout recognised (title, subtitle, byline, body); unreadable files go to rejected.csv.</li>"
        "<li><b>Tokens</b>: Kiwi morphological analysis (CoNg model) with a user dictionary generated from the "
        "gazetteer, wrapped as spaCy Docs; all offsets refer to the decoded text.</li>"
        "<li><b>Entities</b>: mentions (ORG, PERSON, PRODUCT, WORK, LOC, DATE) without particles, linked to "
        "canonical entities (gazetteer id, aliases, Wikidata where verified).</li>"
        "<li><b>Relations</b>: (entity, business role, era, year) with the evidence sentence.</li>"
        "<li><b>Links</b>: (source, type, target, object, era) between two entities with the evidence sentence "
        "(links.csv), grouped over the corpus into one edge per (source, type, target) with its number of "
        "reviews (value_chain_edges.csv, value_chain.graphml).</li>"
        "<li><b>Layers</b>: each actor assigned a value-chain layer of the taxonomy and clustered without "
        "supervision; analogies pair gold-rush and AI-era layers or actors with a similarity score.</li>"
        "<li><b>Report</b>: this page, built from the tables only (no model runs here).</li></ol>"
    )
    # versions / config
    vers = p.get("versions", {})
    if vers:
        body.append(
            '<div class="two"><div><h3>Versions</h3>'
            + simple_table(
                ["package", "version"], [[k, v if v is not None else "not installed"] for k, v in sorted(vers.items())]
            )
            + "</div><div>"
        )
    else:
        body.append('<div class="two"><div><h3>Versions</h3><div class="alert">No provenance.json.</div></div><div>')
    kiwi = p.get("kiwi", {})
    body.append("<h3>Configuration</h3>")
    if "config_sha256" in p:
        body.append(f'<p class="note">config SHA-256 <span class="hash">{h(p["config_sha256"])}</span></p>')
    if kiwi:
        body.append(
            f'<p class="note">Kiwi model: {h(kiwi.get("model_type", ""))}, kiwipiepy_model '
            f"{h(kiwi.get('kiwipiepy_model', ''))}</p>"
        )
    if "config" in p:
        body.append(
            f'<pre class="cfg">{h(json.dumps(p["config"], ensure_ascii=False, indent=2, sort_keys=True))}</pre>'
        )
    body.append("</div></div>")
    inputs = p.get("inputs", [])
    if inputs:
        body.append(
            "<h3>Input files</h3>"
            + simple_table(
                ["file", "review id", "encoding", "sha256"],
                [
                    [
                        h(x.get("file", "")),
                        h(x.get("review_id", "")),
                        h(x.get("encoding", "")),
                        f'<span class="hash">{h(x.get("sha256", ""))}</span>',
                    ]
                    for x in inputs
                ],
                raw={0, 1, 2, 3},
            )
        )
    res = p.get("resources", {})
    if res:
        body.append(
            "<h3>Resources</h3>"
            + simple_table(
                ["file", "sha256"],
                [[h(k), f'<span class="hash">{h(v)}</span>'] for k, v in sorted(res.items())],
                raw={0, 1},
            )
        )
    body.append(
        "<h3>Files this report was built from</h3>"
        + simple_table(
            ["file", "sha256"],
            [[h(k), f'<span class="hash">{h(v)}</span>'] for k, v in sorted(d.input_hashes.items())],
            raw={0, 1},
        )
    )
    body.append("<h3>Data checks</h3>")
    allw = list(d.warnings) + warnings
    if allw:
        body.append('<div class="alert"><ul>' + "".join(f"<li>{h(w)}</li>" for w in allw) + "</ul></div>")
    else:
        body.append('<div class="ok">Every mention lies inside its review and matches the text at its offsets.</div>')
    if font.css:
        body.append(
            f'<p class="note">Korean text is set in a subset of NanumGothic (NAVER, SIL Open Font License '
            f"1.1) embedded in this file ({font.n_chars:,} characters, {font.n_bytes / 1024:,.0f} KiB, "
            f"renamed “{h(fonts.FAMILY)}” as the licence asks of modified fonts). The page loads nothing "
            "from the network: its Content-Security-Policy forbids it.</p>"
        )
    else:
        body.append(
            '<div class="alert">No Korean font was available when this report was built; Korean text '
            "uses the reader's system fonts.</div>"
        )
    return section(
        "method",
        8,
        "Method and provenance",
        "How the numbers were produced, with the exact versions, configuration and file hashes needed to "
        "reproduce them.",
        "".join(body),
    )


# ------------------------------------------------------------------------ page

NAV = [
    ("overview", "Corpus"),
    ("chain", "Value chain"),
    ("eras", "Eras × layers"),
    ("entities", "Entities"),
    ("relations", "Relations"),
    ("links", "Links"),
    ("reviews", "Reviews"),
    ("method", "Method"),
]


class _Body:
    """The page body, spooled as UTF-8 to a binary file while the set of non-ASCII characters it uses is kept
    (the embedded font is a subset of exactly those characters, and goes in the head, before the body)."""

    def __init__(self, fh: IO[bytes], flush_at: int = 1 << 20):
        self.fh = fh
        self.flush_at = flush_at
        self.seen = np.zeros(0x110000, dtype=bool)
        self.buf: list[str] = []
        self.size = 0

    def add(self, piece: str) -> None:
        self.buf.append(piece)
        self.size += len(piece)
        if self.size >= self.flush_at:
            self.flush()

    def flush(self) -> None:
        if not self.buf:
            return
        s = "".join(self.buf)
        self.buf, self.size = [], 0
        self.fh.write(s.encode("utf-8"))
        if not s.isascii():
            cp = np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32)
            self.seen[cp[cp >= 0x80]] = True

    def chars(self) -> set[str]:
        """Every non-ASCII character written so far."""
        self.flush()
        return {chr(c) for c in np.flatnonzero(self.seen).tolist()}


def _page(d: ReportData, spool: IO[bytes], embed_font: bool = True, font_cache=None) -> tuple[str, str]:
    """Write the page's body (its sections) to ``spool``; return the head and the tail that go around it."""
    rev_html, anchors, warnings, link_anchors = reviews_section(d)
    body = _Body(spool)
    sections = [
        overview(d),
        chain(d),
        era_layer_section(d),
        entity_table(d),
        relation_table(d, anchors),
        links_section(d, link_anchors),
        rev_html,
    ]
    for i, sec in enumerate(sections):
        if i:
            body.add("\n")
        if isinstance(sec, str):
            body.add(sec)
        else:
            for piece in sec:
                body.add(piece)
    script = asset("report.js")
    css = asset("report.css") + "\n" + css_vars()
    # the font is chosen after the page text is known (a subset of exactly these characters)
    if embed_font:
        extra = (
            TITLE
            + TITLE_KO
            + "".join(x for _, x in NAV)
            + json.dumps(d.provenance, ensure_ascii=False)
            + method(d, fonts.EmbeddedFont("", ""), warnings)
        )
        font = fonts.embed_chars(body.chars() | set(extra), font_cache)
    else:
        font = fonts.EmbeddedFont("", "")
    body.add("\n")
    body.add(method(d, font, warnings))
    body.flush()
    script_hash = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = (
        f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'; img-src data:; "
        "font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'"
    )
    n = len(d.reviews)
    sub = (
        f"{n} review{'s' if n != 1 else ''} · {len(d.entities)} entities · {len(d.relations)} relations · {len(d.links)} links · "
        f"built from results/tables by the valuechain workflow"
    )
    nav = "".join(f'<a href="#{sid}">{h(label)}</a>' for sid, label in NAV)
    head = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{h(csp)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{h(TITLE)}</title>\n<style>\n{font.css}\n{css}\n</style></head>\n<body>"
        f'<header class="top"><div class="wrap"><span class="ko" lang="ko">{h(TITLE_KO)}</span>'
        f'<h1>{h(TITLE)}</h1><span class="sub">{h(sub)}</span></div></header>'
        f'<nav class="toc" aria-label="sections"><div class="wrap">{nav}</div></nav>\n<main>'
    )
    tail = (
        '</main><footer><div class="wrap">valuechain report · self-contained: scripts, styles and font are '
        "inline; opening it makes no network request.</div></footer>\n"
        f"<script>{script}</script></body></html>\n"
    )
    return head, tail


def render(d: ReportData, embed_font: bool = True) -> str:
    """The whole page as one string (:func:`write` streams it to a file instead)."""
    spool = io.BytesIO()
    head, tail = _page(d, spool, embed_font)
    return head + spool.getvalue().decode("utf-8") + tail


def write(d: ReportData, path: str | Path, embed_font: bool = True, font_cache=None) -> int:
    """Write the page to ``path`` and return its size in bytes (font subsets kept in ``font_cache``).

    The body goes to an anonymous temporary file next to ``path`` first (the head, written before it,
    embeds a font subset of every character of the body), so the page is never held in memory whole and
    ``path`` is only opened once everything was rendered.
    """
    path = Path(path)
    with tempfile.TemporaryFile(dir=path.parent) as spool:
        head, tail = _page(d, spool, embed_font, font_cache)
        spool.seek(0)
        with open(path, "wb") as fh:
            n = fh.write(head.encode("utf-8"))
            shutil.copyfileobj(spool, fh, 1 << 20)
            n += spool.tell()
            n += fh.write(tail.encode("utf-8"))
    return n
