"""Supply and capital links drawn between the actor chips of the value-chain diagram.

An arrow goes from supplier to customer (supply: supplies, manufactures_for, rents_to) or from investor
to investee (capital: invests_in, acquires), labelled with what flows along it, its width growing with
the number of reviews that state it; the two families differ in colour and dash. Only the strongest
edges are drawn (``MAX_DRAWN``); the report says how many and lists all of them in its edges table.

Pure functions from value_chain_edges.csv rows and chip rectangles to SVG markup (every data string
escaped); no layout randomness, so the same tables give the same figure.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from html import escape

import pandas as pd

from .style import link_style

DRAWN_FAMILIES = ("supply", "capital")
MAX_DRAWN = 30
TYPE_WORDS = {
    "supplies": "supplies",
    "manufactures_for": "makes for",
    "rents_to": "rents to",
    "invests_in": "invests in",
    "acquires": "acquires",
}
LABEL_FONT = 10.5
CHIP_H = 22  # the diagram's chip height (svg.CHIP_H)


def esc(v) -> str:
    return escape(str(v), quote=True)


def to_int(v, default: int = 0) -> int:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return default
    return int(f) if f == f else default


@dataclass(frozen=True)
class ChainEdge:
    """One edge of value_chain_edges.csv as the diagram draws it."""

    source: str
    target: str
    type: str
    family: str
    object: str
    n_reviews: int
    n_links: int
    years: str
    evidence: str

    @property
    def label(self) -> str:
        """What the arrow says: the object, else the link type in words."""
        return self.object or TYPE_WORDS.get(self.type, self.type.replace("_", " "))


def year_span(first, last) -> str:
    """``2023–2025``, ``2024`` or ``""``."""
    a, b = to_int(first, -1), to_int(last, -1)
    if a < 0 and b < 0:
        return ""
    return str(max(a, b)) if a < 0 or b < 0 or a == b else f"{a}–{b}"


def drawable_edges(edges: pd.DataFrame, max_n: int = MAX_DRAWN) -> tuple[list[ChainEdge], int]:
    """The ``max_n`` strongest supply and capital edges (most reviews, then links; among equals the families
    take turns, each in table order; no edge from an actor to itself) and how many such edges there are."""
    if not len(edges):
        return [], 0
    sel = edges[edges["family"].isin(DRAWN_FAMILIES) & (edges["source"] != edges["target"])]
    rows = [
        ChainEdge(
            r["source"],
            r["target"],
            r["type"],
            r["family"],
            r["object"],
            to_int(r["n_reviews"], 1),
            to_int(r["n_links"], 1),
            year_span(r["first_era_year"], r["last_era_year"]),
            r["evidence"],
        )
        for r in sel.to_dict("records")
    ]
    nth, count = [], Counter()  # each edge's place within its family, in table order
    for r in rows:
        nth.append(count[r.family])
        count[r.family] += 1
    # equal weights alternate between the families, so the cut does not keep one family only
    order = sorted(range(len(rows)), key=lambda i: (-rows[i].n_reviews, -rows[i].n_links, nth[i], i))
    return [rows[i] for i in order[:max_n]], len(rows)


def endpoints(edges: list[ChainEdge]) -> list[str]:
    """The entities at either end of ``edges``, in first-seen order."""
    return list(dict.fromkeys(e for x in edges for e in (x.source, x.target)))


def stroke_width(n_reviews: int, n_max: int) -> float:
    """1.6 for one review up to 7 for the edge stated by the most reviews (linear in the count)."""
    if n_max <= 1:
        return 1.6
    return round(1.6 + 5.4 * (max(1, n_reviews) - 1) / (n_max - 1), 2)


Rect = tuple[float, float, float]  # x, y (top left) and width of a chip; height CHIP_H


@dataclass(frozen=True)
class Port:
    """Where arrows meet a chip: the middle of its side that faces the space between the two columns."""

    x: float
    y: float
    out: int  # +1: the corridor is to the right (gold-rush column), -1: to the left (AI column)
    edge: float  # x of the column's side that faces the corridor


def port(r: Rect, side_out: int, edge: float) -> Port:
    """The port of chip ``r`` in a column whose corridor side is ``side_out`` (+1 right, -1 left)."""
    x = r[0] + r[2] if side_out > 0 else r[0]
    return Port(x + 2 * side_out, r[1] + CHIP_H / 2, side_out, edge)


@dataclass(frozen=True)
class Curve:
    """A cubic Bézier curve."""

    start: tuple[float, float]
    c1: tuple[float, float]
    c2: tuple[float, float]
    end: tuple[float, float]

    def at(self, t: float) -> tuple[float, float]:
        """The point of the curve at ``t``."""
        w = ((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3)
        pts = (self.start, self.c1, self.c2, self.end)
        return sum(k * p[0] for k, p in zip(w, pts)), sum(k * p[1] for k, p in zip(w, pts))

    def path(self) -> str:
        return "M{:.1f},{:.1f} C{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}".format(
            *self.start, *self.c1, *self.c2, *self.end
        )


def curve(a: Port, b: Port, nth: int, corridor: float) -> Curve:
    """An arc from port ``a`` to port ``b`` through the corridor between the columns (an arc diagram:
    longer spans bulge further, so arcs nest), bulging more for the ``nth`` (0, 1, ...) edge between the
    same two chips. Ends in one column bulge out of it; ends in both columns cross the corridor."""
    if a.out == b.out:
        bulge = min(30 + 0.25 * abs(b.y - a.y) + 12 * nth, corridor - 30)
    else:
        bulge = corridor / 3 + 12 * nth
    c1 = (a.edge + a.out * bulge, a.y)
    c2 = (b.edge + b.out * bulge, b.y)
    return Curve((a.x, a.y), c1, c2, (b.x, b.y))


def head_size(stroke: float) -> float:
    """Length of an arrowhead: visible beside a thin line, not swallowed by a thick one."""
    return round(7 + 1.3 * stroke, 1)


def _end_direction(c: Curve) -> tuple[float, float]:
    """The unit tangent at the end of ``c``."""
    (x1, y1) = c.end
    for cx, cy in (c.c2, c.c1, c.start):
        n = math.hypot(x1 - cx, y1 - cy)
        if n > 1e-6:
            return (x1 - cx) / n, (y1 - cy) / n
    return 1.0, 0.0


def trimmed(c: Curve, by: float) -> Curve:
    """``c`` ending ``by`` earlier along its last tangent, so the line stops where the arrowhead begins."""
    ux, uy = _end_direction(c)
    return Curve(c.start, c.c1, c.c2, (c.end[0] - ux * by, c.end[1] - uy * by))


def arrowhead(c: Curve, size: float) -> str:
    """The points of a triangle whose tip is the end of ``c``, pointing along its last tangent."""
    (x1, y1), (ux, uy) = c.end, _end_direction(c)
    bx, by = x1 - ux * size, y1 - uy * size
    half = size * 0.45
    pts = [(x1, y1), (bx - uy * half, by + ux * half), (bx + uy * half, by - ux * half)]
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)


def tooltip(e: ChainEdge, names: dict[str, str]) -> str:
    """The hover text of an arrow: who, what, how often, when, and the example sentence."""
    what = TYPE_WORDS.get(e.type, e.type) + (f" {e.object}" if e.object else "")
    counts = f"{e.n_reviews} review{'s' if e.n_reviews != 1 else ''}, {e.n_links} link{'s' if e.n_links != 1 else ''}"
    tip = f"{names.get(e.source, e.source)} → {names.get(e.target, e.target)}: {what} · {counts}"
    tip += f" · {e.years}" if e.years else ""
    return tip + (f" · e.g. “{e.evidence}”" if e.evidence else "")


def label_width(text: str) -> float:
    """Rough width of an arrow label (Hangul about 1 em, Latin about 0.6 em)."""
    return sum(LABEL_FONT * (1.0 if ord(ch) > 0x2E80 else 0.6) for ch in text) + 6


def short_label(text: str, max_w: float = 120) -> str:
    while text and label_width(text) > max_w:
        text = text[:-2] + "…" if len(text) > 2 else text[:-1]
    return text


Box = tuple[float, float, float, float]  # centre x, centre y, width, height


def overlaps(a: Box, b: Box) -> bool:
    return abs(a[0] - b[0]) < (a[2] + b[2]) / 2 and abs(a[1] - b[1]) < (a[3] + b[3]) / 2


def place_labels(
    candidates: list[list[tuple[float, float]]], widths: list[float], obstacles: list[Box] = ()
) -> list[tuple[float, float]]:
    """A centre for each label among its ``candidates`` (points along its arrow, best first): the first that
    covers neither a label placed before it nor an ``obstacle`` (the chips), else the one covering fewest."""
    placed: list[Box] = []
    out = []
    for cands, w in zip(candidates, widths):
        boxes = [(x, y, w, 13.0) for x, y in cands]
        best = min(boxes, key=lambda b: sum(overlaps(b, o) for o in [*placed, *obstacles]))
        placed.append(best)
        out.append((best[0], best[1]))
    return out


LABEL_TS = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74)  # where along an arrow its label may go, best first


@dataclass
class DrawnLinks:
    paths: str  # arrow lines (drawn under the chips)
    heads: str  # arrowheads and labels (drawn over the chips)
    drawn: int


def draw_links(
    edges: list[ChainEdge], ports: dict[str, Port], names: dict[str, str], corridor: float, chips: list[Rect] = ()
) -> DrawnLinks:
    """SVG markup of ``edges`` between the chips whose ports are ``ports`` (entity id -> port); an edge
    with an end that has no chip is left out. ``corridor``: the width of the space between the columns;
    ``chips``: every chip, which labels avoid covering."""
    n_max = max((e.n_reviews for e in edges), default=1)
    seen: dict[tuple[str, str], int] = {}
    paths, heads, pts, texts = [], [], [], []
    for e in edges:
        a, b = ports.get(e.source), ports.get(e.target)
        if a is None or b is None:
            continue
        nth = seen[(e.source, e.target)] = seen.get((e.source, e.target), -1) + 1
        c = curve(a, b, nth, corridor)
        color, dash, _ = link_style(e.family)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        sw = stroke_width(e.n_reviews, n_max)
        size = head_size(sw)
        ends = f'data-source="{esc(e.source)}" data-target="{esc(e.target)}"'
        paths.append(
            f'<g class="link" data-family="{esc(e.family)}" data-type="{esc(e.type)}" {ends} '
            f'data-reviews="{e.n_reviews}"><title>{esc(tooltip(e, names))}</title>'
            f'<path d="{trimmed(c, size * 0.8).path()}" fill="none" stroke="{color}" stroke-width="{sw}"'
            f'{dash_attr} stroke-opacity="0.85"/></g>'
        )
        heads.append(f'<polygon class="lkhead" {ends} points="{arrowhead(c, size)}" fill="{color}"/>')
        pts.append([c.at(t) for t in LABEL_TS])
        texts.append((short_label(e.label), color, ends))
    chip_boxes = [(x + w / 2, y + CHIP_H / 2, w, float(CHIP_H)) for x, y, w in chips]
    spots = place_labels(pts, [label_width(t) for t, _, _ in texts], chip_boxes)
    labels = [
        f'<text class="lklab" {ends} x="{x:.1f}" y="{y + 3.5:.1f}" text-anchor="middle" fill="{color}">{esc(t)}</text>'
        for (x, y), (t, color, ends) in zip(spots, texts)
    ]
    return DrawnLinks("".join(paths), "".join(heads) + "".join(labels), len(paths))


def legend_html(n_max: int) -> str:
    """The legend items of the arrows (inline SVG swatches and text)."""
    items = []
    for fam, what in (("supply", "supply: supplier → customer"), ("capital", "capital: investor → investee")):
        color, dash, _ = link_style(fam)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        items.append(
            f'<span><svg class="lksw" width="34" height="12" viewBox="0 0 34 12" aria-hidden="true">'
            f'<line x1="1" y1="6" x2="26" y2="6" stroke="{color}" stroke-width="2.2"{dash_attr}/>'
            f'<path d="M25,1 L33,6 L25,11 z" fill="{color}"/></svg>{esc(what)}</span>'
        )
    items.append(f"<span>arrow label: what flows; width: reviews stating it (1–{max(n_max, 1)})</span>")
    return "".join(items)
