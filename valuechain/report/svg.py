"""Inline SVG figures: the value-chain diagram and the entity co-occurrence network.

Both are plain strings built from escaped values with a deterministic layout (no randomness other than
a fixed seed), so the same tables give byte-identical figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape

import numpy as np

from .chain_links import draw_links, drawable_edges, endpoints, port
from .data import AI, GOLD, Pairs, ReportData, rows, to_float, to_int
from .style import ERA_COLORS, label_colors


def esc(v) -> str:
    return escape(str(v), quote=True)


def text_width(s: str, size: float) -> float:
    """Rough rendered width of ``s`` at font size ``size`` (Hangul is about 1 em, Latin about 0.58 em)."""
    w = 0.0
    for ch in s:
        o = ord(ch)
        if 0x1100 <= o <= 0x11FF or 0x3000 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7A3 or 0xF900 <= o <= 0xFFEF:
            w += 0.98
        elif ch.isupper() or ch.isdigit():
            w += 0.64
        elif ch in " .,:;'|!()[]":
            w += 0.32
        else:
            w += 0.56
    return w * size


def shorten(s: str, size: float, max_w: float) -> str:
    if text_width(s, size) <= max_w:
        return s
    while s and text_width(s + "…", size) > max_w:
        s = s[:-1]
    return s + "…"


# ------------------------------------------------------------------------ value-chain diagram


@dataclass
class Box:
    layer: str
    side: str
    title: str
    subtitle: str
    actors: list[tuple[str, str, str, str]]  # (entity_id, name, label, tooltip)
    hidden: int = 0
    x: float = 0
    y: float = 0
    w: float = 0
    h: float = 0
    chips: list[tuple[float, float, float, tuple]] = field(default_factory=list)  # x, y, w, actor


CHIP_H, CHIP_GAP, CHIP_FONT, HEAD_H, PAD = 22, 6, 12, 44, 10
MAX_CHIPS = 14


def _chip_rows(items: list[tuple[tuple, float]], avail: float, ends: set[str], end_last: bool) -> list[list]:
    """Chips (actor, width) in rows no wider than ``avail``, in order. A link end (``ends``) heads a row of
    its own (ends its row with ``end_last``, in the gold-rush column), so the side of the chip that faces
    the space between the columns, where its arrows arrive, has no other chip in front of it."""
    rest = [it for it in items if it[0][0] not in ends]
    rows = []
    for end in (it for it in items if it[0][0] in ends):
        row, used = [], end[1]
        while rest and used + CHIP_GAP + rest[0][1] <= avail:
            used += CHIP_GAP + rest[0][1]
            row.append(rest.pop(0))
        rows.append([*row, end] if end_last else [end, *row])
    row, used = [], 0.0
    for it in rest:
        if row and used + CHIP_GAP + it[1] > avail:
            rows.append(row)
            row, used = [], 0.0
        used += (CHIP_GAP if row else 0) + it[1]
        row.append(it)
    return rows + ([row] if row else [])


def _place_chips(box: Box, ends: set[str] = frozenset()) -> None:
    avail = box.w - 2 * PAD
    items = []
    for a in box.actors:
        name = shorten(a[1], CHIP_FONT, avail - 18)
        items.append(((a[0], name, a[2], a[3]), text_width(name, CHIP_FONT) + 18))
    rows = _chip_rows(items, avail, ends, box.side == GOLD)
    if box.hidden:
        label = f"+{box.hidden}"
        more = (("", label, "", f"{box.hidden} more actors in the entity table"), text_width(label, CHIP_FONT) + 16)
        last = rows[-1] if rows else []
        if rows and sum(w for _, w in last) + CHIP_GAP * len(last) + more[1] <= avail:
            last.append(more)
        else:
            rows.append([more])
    box.chips = []
    y = box.y + HEAD_H
    for i, row in enumerate(rows):
        y = box.y + HEAD_H + i * (CHIP_H + CHIP_GAP)
        x = box.x + PAD
        for actor, w in row:
            box.chips.append((x, y, w, actor))
            x += w + CHIP_GAP
    rows_bottom = (y + CHIP_H) if box.chips else (box.y + HEAD_H + 16)
    box.h = rows_bottom - box.y + PAD


UNLAYERED = "(no layer)"  # the box of link ends that have no layer


@dataclass
class ChainFigure:
    """The value-chain diagram and what it shows."""

    svg: str
    analogies: int  # analogy curves drawn
    links: int  # supply and capital arrows drawn
    links_chosen: int  # the strongest of them, at most chain_links.MAX_DRAWN: drawn unless an end has no chip
    links_total: int  # supply and capital edges in the edges table (self-loops excepted)
    max_reviews: int  # reviews of the strongest arrow (for the legend)


def _roles(data: ReportData) -> dict[str, list[str]]:
    roles: dict[str, list[str]] = {}
    for eid, role in rows(data.relations[["entity_id", "role"]].drop_duplicates()):
        if role and role not in roles.setdefault(eid, []):
            roles[eid].append(role)
    return roles


def _actors_by_box(data: ReportData, ends: set[str]) -> dict[tuple[str, str], list]:
    """(layer, side) -> actors (entity_id, name, label, tooltip), most mentioned first; link ends without a
    layer go to the (UNLAYERED, side) box of their era."""
    side_of = data.entity_side()
    roles = _roles(data)
    by_box: dict[tuple[str, str], list] = {}
    ents = data.entities.copy()
    ents["_n"] = [to_int(v, 0) for v in ents["n_mentions"]]
    ents = ents.sort_values(["_n", "name"], ascending=[False, True], kind="stable")
    for row in rows(ents):
        if not row.layer and row.entity_id not in ends:
            continue
        if row.layer:
            lay = data.layer(row.layer)
            side = lay.era if lay.era in (GOLD, AI) else side_of.get(row.entity_id, GOLD)
        else:
            side = side_of.get(row.entity_id, AI)
        tip = f"{row.name} ({row.label or 'entity'}) · {row.layer or 'no layer'}"
        if roles.get(row.entity_id):
            tip += " · " + "; ".join(roles[row.entity_id][:4])
        key = (row.layer or UNLAYERED, side)
        by_box.setdefault(key, []).append((row.entity_id, row.name or row.entity_id, row.label, tip))
    return by_box


def _visible(actors: list, ends: set[str], n: int = MAX_CHIPS) -> tuple[list, int]:
    """The ``n`` actors a box shows (link ends first, then the most mentioned), in the box's order, and how
    many it hides."""
    keep = [a[0] for a in actors if a[0] in ends][:n]
    keep += [a[0] for a in actors if a[0] not in ends][: n - len(keep)]
    chosen = set(keep)
    return [a for a in actors if a[0] in chosen], len(actors) - len(chosen)


def _columns(data: ReportData, by_box: dict, ends: set[str]) -> dict[str, list[Box]]:
    """The boxes of each column in chain order, the box of unlayered link ends last."""
    columns: dict[str, list[Box]] = {GOLD: [], AI: []}
    for lid in data.layer_ids():
        lay = data.layer(lid)
        sides = [GOLD, AI] if lay.era == "both" else [lay.era if lay.era in (GOLD, AI) else AI]
        for side in sides:
            actors = by_box.get((lid, side), [])
            if lay.order == 999 and not actors:
                continue
            era_note = (" (1848)" if side == GOLD else " (AI 시대)") if lay.era == "both" else ""
            shown, hidden = _visible(actors, ends)
            columns[side].append(Box(lid, side, (lay.ko or lid) + era_note, lay.en or lid, shown, hidden))
    for side in (GOLD, AI):
        actors = by_box.get((UNLAYERED, side), [])
        if actors:
            shown, hidden = _visible(actors, ends)
            sub = "ends of the links drawn that have no value-chain layer"
            columns[side].append(Box(UNLAYERED, side, "계층 미정 · no layer", sub, shown, hidden))
    return columns


def value_chain_svg(data: ReportData, width: int = 1120) -> ChainFigure:
    """The diagram: layer boxes with their actor chips, analogies between the columns, and the strongest
    supply and capital links as arrows between chips."""
    edges, n_edges = drawable_edges(data.edges)
    ends = set(endpoints(edges))
    columns = _columns(data, _actors_by_box(data, ends), ends)
    col_w = 380
    gx, ax = 24, width - 24 - col_w
    top = 64
    gap = 22
    for side, x0 in ((GOLD, gx), (AI, ax)):
        y = top
        for b in columns[side]:
            b.x, b.y, b.w = x0, y, col_w
            _place_chips(b, ends)
            y += b.h + gap
    # the shorter column is spread over the height of the longer one
    heights = {s: (sum(b.h for b in bs) + gap * (len(bs) - 1)) if bs else 0 for s, bs in columns.items()}
    total = max(heights.values()) if heights else 0
    for side, bs in columns.items():
        if len(bs) > 1 and heights[side] < total:
            g = (total - sum(b.h for b in bs)) / (len(bs) - 1)
            y = top
            for b in bs:
                dy = y - b.y
                b.y = y
                b.chips = [(cx, cy + dy, cw, a) for cx, cy, cw, a in b.chips]
                y += b.h + g
    height = int(top + total + 30)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fig chain{" with-links" if edges else ""}" '
        f'viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="chain-title">',
        '<title id="chain-title">Value chain: gold-rush layers (left) and AI-era layers (right), '
        "actors placed in their layer, supply and capital links between them, analogies between the eras</title>",
        '<defs><marker id="arr" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#94a3b8"/></marker></defs>',
    ]
    for side, x0, head in ((GOLD, gx, "1848 골드러시 · Gold rush"), (AI, ax, "AI 시대 · AI era")):
        c = ERA_COLORS[side]
        out.append(
            f'<rect x="{x0}" y="14" width="{col_w}" height="34" rx="17" fill="{c["head"]}"/>'
            f'<text x="{x0 + col_w / 2}" y="36" text-anchor="middle" class="colhead">{esc(head)}</text>'
        )
    out.append(f'<text x="{width / 2}" y="36" text-anchor="middle" class="midhead">analogies · 비유</text>')
    drawn_analogies = _analogies(data, columns, out)
    out.insert(
        3,
        f'<defs><linearGradient id="ag" x1="{gx + col_w}" x2="{ax}" y1="0" y2="0" '
        f'gradientUnits="userSpaceOnUse"><stop offset="0" stop-color="{ERA_COLORS[GOLD]["line"]}"/>'
        f'<stop offset="1" stop-color="{ERA_COLORS[AI]["line"]}"/></linearGradient></defs>',
    )
    chips: list[str] = []
    for bs in columns.values():
        for i, b in enumerate(bs):
            out.append(_box_markup(data, b))
            chips += [_chip_markup(cx, cy, cw, a) for cx, cy, cw, a in b.chips]
            if i + 1 < len(bs) and bs[i + 1].layer != UNLAYERED:
                nb = bs[i + 1]
                x = b.x + b.w / 2
                out.append(
                    f'<line x1="{x}" y1="{b.y + b.h + 3:.1f}" x2="{x}" y2="{nb.y - 4:.1f}" stroke="#94a3b8" '
                    f'stroke-width="1.5" marker-end="url(#arr)"/>'
                )
    ports = {
        a[0]: port((cx, cy, cw), +1 if side == GOLD else -1, gx + col_w if side == GOLD else ax)
        for side, bs in columns.items()
        for b in bs
        for cx, cy, cw, a in b.chips
        if a[0]
    }
    rects = [(cx, cy, cw) for bs in columns.values() for b in bs for cx, cy, cw, _a in b.chips]
    links = draw_links(edges, ports, data.entity_names(), ax - gx - col_w, rects)
    out += ['<g class="links">', links.paths, "</g>", '<g class="chips">', *chips, "</g>"]
    out += ['<g class="link-heads">', links.heads, "</g>", "</svg>"]
    n_max = max((e.n_reviews for e in edges), default=1)
    return ChainFigure("\n".join(out), drawn_analogies, links.drawn, len(edges), n_edges, n_max)


def _analogies(data: ReportData, columns: dict[str, list[Box]], out: list[str]) -> int:
    """Append the analogy curves (drawn first, under the boxes) to ``out``; return how many."""
    anchors: dict[tuple[str, str], tuple[float, float]] = {}
    for side, bs in columns.items():
        for b in bs:
            ex = b.x + b.w if side == GOLD else b.x
            anchors.setdefault((side, "layer:" + b.layer), (ex, b.y + 22))
            for _cx, cy, _cw, a in b.chips:
                if a[0]:
                    anchors[(side, "ent:" + a[0])] = (ex, cy + CHIP_H / 2)
    names = {str(n).casefold(): e for e, n in zip(data.entities["entity_id"].tolist(), data.entities["name"].tolist())}

    def resolve(side: str, key: str):
        key = str(key).strip()
        for cand in ("layer:" + key, "ent:" + key, "ent:" + names.get(key.casefold(), "")):
            if (side, cand) in anchors:
                return anchors[(side, cand)]
        return None

    drawn = 0
    for row in rows(data.analogies):
        a, b = resolve(GOLD, row.gold_rush), resolve(AI, row.ai_era)
        if not a or not b:
            continue
        sim = to_float(row.similarity, 0.5)
        sw = 1.2 + 4.5 * max(0.0, min(1.0, sim))
        mx = (a[0] + b[0]) / 2
        d = f"M{a[0]:.1f},{a[1]:.1f} C{mx:.1f},{a[1]:.1f} {mx:.1f},{b[1]:.1f} {b[0]:.1f},{b[1]:.1f}"
        tip = f"{row.gold_rush} ↔ {row.ai_era} (similarity {sim:.2f})"
        if row.evidence:
            tip += f": {row.evidence}"
        out.append(
            f'<g class="analogy"><title>{esc(tip)}</title>'
            f'<path d="{d}" fill="none" stroke="url(#ag)" stroke-width="{sw:.1f}" stroke-opacity="0.75"/>'
            f'<circle cx="{a[0]:.1f}" cy="{a[1]:.1f}" r="4" fill="{ERA_COLORS[GOLD]["line"]}"/>'
            f'<circle cx="{b[0]:.1f}" cy="{b[1]:.1f}" r="4" fill="{ERA_COLORS[AI]["line"]}"/>'
            f'<text x="{mx:.1f}" y="{(a[1] + b[1]) / 2 - 5:.1f}" text-anchor="middle" class="simlab">'
            f"{sim:.2f}</text></g>"
        )
        drawn += 1
    return drawn


def _box_markup(data: ReportData, b: Box) -> str:
    """A layer box: its frame, title, subtitle and count (the chips are drawn later, over the links)."""
    c = ERA_COLORS[b.side]
    empty = not b.actors
    out = [
        f'<g class="layer{" empty" if empty else ""}" data-layer="{esc(b.layer)}">'
        f"<title>{esc(b.layer)}: {esc(data.layer(b.layer).definition or b.subtitle)}</title>"
        f'<rect x="{b.x}" y="{b.y:.1f}" width="{b.w}" height="{b.h:.1f}" rx="10" fill="{c["bg"]}" '
        f'stroke="{c["line"]}" stroke-width="{1 if empty else 1.6}"'
        f"{' stroke-dasharray=&quot;4 3&quot;' if empty or b.layer == UNLAYERED else ''}/>"
        f'<text x="{b.x + PAD}" y="{b.y + 19:.1f}" class="lt" fill="{c["ink"]}">'
        f"{esc(shorten(b.title, 14, b.w - 70))}</text>"
        f'<text x="{b.x + PAD}" y="{b.y + 35:.1f}" class="ls">{esc(shorten(b.subtitle, 11, b.w - 20))}</text>'
        f'<text x="{b.x + b.w - PAD}" y="{b.y + 19:.1f}" text-anchor="end" class="ln" '
        f'fill="{c["ink"]}">{len(b.actors) + b.hidden}</text>'
    ]
    if empty:
        out.append(f'<text x="{b.x + PAD}" y="{b.y + HEAD_H + 8:.1f}" class="none">no actor in this corpus</text>')
    out.append("</g>")
    return "".join(out)


def _chip_markup(cx: float, cy: float, cw: float, a: tuple) -> str:
    bg, fg = label_colors(a[2]) if a[0] else ("#ffffff", "#64748b")
    return (
        f'<g class="chip" data-eid="{esc(a[0])}"><title>{esc(a[3])}</title>'
        f'<rect x="{cx:.1f}" y="{cy:.1f}" width="{cw:.1f}" height="{CHIP_H}" rx="11" fill="{bg}" '
        f'stroke="{fg}" stroke-width="1"/><text x="{cx + cw / 2:.1f}" y="{cy + 15.5:.1f}" '
        f'text-anchor="middle" class="ct">{esc(a[1])}</text></g>'
    )


# ------------------------------------------------------------------------ co-occurrence network


def force_layout(n: int, edges: list[tuple[int, int, float]], seed: int = 7, iters: int = 300) -> np.ndarray:
    """Fruchterman-Reingold (ideal edge length 1) with a weak pull to the centre; seeded and reproducible."""
    rng = np.random.default_rng(seed)
    if n <= 1:
        return np.zeros((n, 2))
    ang = np.linspace(0, 2 * np.pi, n, endpoint=False)  # start on a circle, jittered by the seeded generator
    pos = np.c_[np.cos(ang), np.sin(ang)] * math.sqrt(n) / 2 + rng.normal(0, 0.05, (n, 2))
    adj = np.zeros((n, n))
    for a, b, w in edges:
        adj[a, b] = adj[b, a] = 1 + 0.3 * math.log(w)
    temp = 0.3 * math.sqrt(n)
    for it in range(iters):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.linalg.norm(delta, axis=-1), 1e-3)  # diagonal: delta is 0, so no self-force
        rep = (1.0 / dist**2)[..., None] * delta
        att = -(adj * dist)[..., None] * delta
        disp = (rep + att).sum(axis=1) - 0.02 * pos
        length = np.maximum(np.linalg.norm(disp, axis=1), 1e-9)
        pos += disp / length[:, None] * np.minimum(length, temp)[:, None]
        temp = 0.3 * math.sqrt(n) * (1 - it / iters) + 0.005
    pos -= pos.mean(axis=0)
    return np.round(pos, 6)


def components(n: int, edges: list[tuple[int, int, float]]) -> list[list[int]]:
    nb: dict[int, set[int]] = {i: set() for i in range(n)}
    for a, b, _ in edges:
        nb[a].add(b)
        nb[b].add(a)
    seen, out = set(), []
    for i in range(n):
        if i in seen:
            continue
        comp, todo = [], [i]
        seen.add(i)
        while todo:
            j = todo.pop()
            comp.append(j)
            for k in sorted(nb[j] - seen):
                seen.add(k)
                todo.append(k)
        out.append(sorted(comp))
    return sorted(out, key=lambda c: (-len(c), c[0]))


def packed_layout(
    n: int,
    edges: list[tuple[int, int, float]],
    width: float,
    label_w: list[float] | None = None,
    unit: float = 95,
    gap: float = 36,
    margin: float = 30,
) -> tuple[np.ndarray, float]:
    """Each connected component laid out on its own, then packed in rows: small clusters stay readable.

    A component's box includes its nodes' labels (``label_w``, drawn centred below each node).
    """
    half = np.asarray(label_w if label_w is not None else [0.0] * n, dtype=float) / 2 + 12
    xy = np.zeros((n, 2))
    x, y, row_h = margin, margin, 0.0
    for comp in components(n, edges):
        local = {g: i for i, g in enumerate(comp)}
        sub = [(local[a], local[b], w) for a, b, w in edges if a in local and b in local]
        pos = force_layout(len(comp), sub) * unit
        hw = half[comp]
        lo = np.array([(pos[:, 0] - hw).min(), pos[:, 1].min() - 14])
        hi = np.array([(pos[:, 0] + hw).max(), pos[:, 1].max() + 30])
        w, h = hi - lo
        if x > margin and x + w > width - margin:
            x, y, row_h = margin, y + row_h + gap, 0.0
        for g, p in zip(comp, pos):
            xy[g] = (x + p[0] - lo[0], y + p[1] - lo[1])
        x += w + gap
        row_h = max(row_h, h)
    # centre the drawing horizontally
    if n:
        xy[:, 0] += (width - (xy[:, 0].max() + xy[:, 0].min())) / 2
    return xy, y + row_h + margin


def network_svg(data: ReportData, pairs: Pairs, width: int = 1120, max_nodes: int = 60):
    """SVG of the co-occurrence graph and the JSON-able node/edge lists the page script uses."""
    deg = pairs.degree()
    info = {r.entity_id: r for r in rows(data.entities)}
    ment = {e: to_int(getattr(info.get(e), "n_mentions", 0), 0) for e in deg}
    chosen = sorted(deg, key=lambda e: (-ment.get(e, 0), -deg[e], e))[:max_nodes]
    edges = pairs.among(chosen)
    nodes = []
    for e in chosen:
        r = info.get(e)
        nodes.append(
            {
                "id": e,
                "name": (getattr(r, "name", "") or e) if r is not None else e,
                "label": getattr(r, "label", "") if r is not None else "",
                "layer": getattr(r, "layer", "") if r is not None else "",
                "n": ment.get(e, 0),
            }
        )
    if not chosen:
        return "", {"nodes": [], "edges": []}
    label_w = [text_width(shorten(nd["name"], 12, 140), 11.5) for nd in nodes]
    xy, height = packed_layout(len(chosen), edges, width, label_w)
    height = int(max(height, 200))
    wmax = max((w for *_, w in edges), default=1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fig net" id="net" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="net-title">',
        '<title id="net-title">Entity co-occurrence network: entities linked when mentioned in the same '
        'sentence</title><g class="edges">',
    ]
    for a, b, w in edges:
        sw = 0.8 + 3.2 * (w / wmax)
        out.append(
            f'<line x1="{xy[a, 0]:.1f}" y1="{xy[a, 1]:.1f}" x2="{xy[b, 0]:.1f}" y2="{xy[b, 1]:.1f}" '
            f'stroke-width="{sw:.1f}" data-a="{a}" data-b="{b}"><title>{esc(nodes[a]["name"])} — '
            f"{esc(nodes[b]['name'])}: {w} sentence{'s' if w != 1 else ''}</title></line>"
        )
    out.append('</g><g class="nodes">')
    for i, nd in enumerate(nodes):
        bg, fg = label_colors(nd["label"])
        r = 5 + 2.6 * math.sqrt(max(nd["n"], 1))
        x, y = xy[i]
        out.append(
            f'<g class="node" data-i="{i}" tabindex="0"><title>{esc(nd["name"])} ({esc(nd["label"] or "?")}'
            f"{', ' + esc(nd['layer']) if nd['layer'] else ''}) · {nd['n']} mentions</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{bg}" stroke="{fg}" stroke-width="2"/>'
            f'<text x="{x:.1f}" y="{y + r + 13:.1f}" text-anchor="middle">{esc(shorten(nd["name"], 12, 140))}'
            "</text></g>"
        )
    out.append("</g></svg>")
    return "\n".join(out), {"nodes": nodes, "edges": [[a, b, w] for a, b, w in edges]}
