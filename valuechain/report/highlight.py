"""A review's text as HTML with entity mentions highlighted (displaCy-style, nested spans allowed).

Every character of the review goes through ``html.escape``; markup is only ever built from our own
constants and escaped values. Mentions may nest (``삼성전자`` inside ``삼성전자파운드리사업부``); a
mention that crosses another one is cut at the enclosing element's end and flagged ``data-clipped``,
so each mention row is still exactly one ``<mark>`` element.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from .data import to_float, to_int
from .style import LABEL_COLORS

_KIND_ORDER = {"region": 0, "evidence": 1, "link": 2, "mention": 3}
LINK_FAMILIES = ("supply", "capital", "market", "make", "people")


@dataclass(slots=True)
class Range:
    start: int
    end: int
    kind: str  # region | evidence | link | mention
    open_tag: str
    close_tag: str
    clipped: bool = False


@dataclass
class Highlighted:
    html: str
    placed: int = 0
    unplaced: list[dict] = field(default_factory=list)  # mention rows that could not be placed
    misaligned: int = 0  # placed, but the row's text differs from the review text at its offsets
    evidence_ids: dict[int, str] = field(default_factory=dict)  # relation row index -> element id
    link_ids: dict[tuple[int, int], str] = field(default_factory=dict)  # link evidence (start, end) -> element id


def attr(v) -> str:
    if v.__class__ is str:  # html.escape(v, quote=True), inlined
        return (
            v.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace('"', "&quot;")
            .replace("'", "&#x27;")
        )
    return escape(str(v), quote=True)


def _regions(text: str, spans: list[dict]) -> list[Range]:
    """The analysed spans (title, subtitle, body) and the skipped parts between them (dimmed)."""
    out, pos = [], 0
    good = sorted(
        (to_int(s.get("start")), to_int(s.get("end")), str(s.get("label", "")))
        for s in spans
        if to_int(s.get("start")) is not None and to_int(s.get("end")) is not None
    )
    good = [(s, e, lab) for s, e, lab in good if 0 <= s < e <= len(text)]
    if not good:
        return [Range(0, len(text), "region", '<span class="rg rg-text">', "</span>")] if text else []
    for s, e, lab in good:
        if s < pos:
            continue
        if s > pos:
            out.append(
                Range(
                    pos,
                    s,
                    "region",
                    '<span class="rg rg-skip" title="not analysed (platform header, byline or footer)">',
                    "</span>",
                )
            )
        cls = {"title": "rg-title", "subtitle": "rg-subtitle"}.get(lab, "rg-text")
        out.append(Range(s, e, "region", f'<span class="rg {cls}">', "</span>"))
        pos = e
    if pos < len(text):
        out.append(
            Range(
                pos,
                len(text),
                "region",
                '<span class="rg rg-skip" title="not analysed (platform header, byline or footer)">',
                "</span>",
            )
        )
    return out


@dataclass(frozen=True)
class LinkMark:
    """The evidence sentence of one or more links: underlined in the colour of the first link's family, with
    the links it states (``statements``, plain text) shown beside it by the style sheet."""

    start: int
    end: int
    families: tuple[str, ...]
    statements: tuple[str, ...]


def _link_ranges(text: str, links: list[LinkMark], anchor: str, res: Highlighted) -> list[Range]:
    """One underline element per distinct evidence span of ``links``; ids recorded in ``res.link_ids``."""
    out = []
    for lm in links:
        if not (0 <= lm.start < lm.end <= len(text)) or (lm.start, lm.end) in res.link_ids:
            continue
        eid = res.link_ids[(lm.start, lm.end)] = f"{anchor}-lk{len(res.link_ids)}"
        fam = lm.families[0] if lm.families and lm.families[0] in LINK_FAMILIES else "other"
        said = " | ".join(lm.statements)
        n = len(lm.statements)
        tip = f"{n} link{'s' if n != 1 else ''}: {said}"
        fams = " ".join(lm.families)
        out.append(
            Range(
                lm.start,
                lm.end,
                "link",
                f'<span class="lk lk-{fam}" id="{attr(eid)}" data-families="{attr(fams)}" '
                f'data-links="{attr(said)}" title="{attr(tip)}">',
                "</span>",
            )
        )
    return out


def render(
    text: str,
    spans: list[dict],
    mentions: list[dict],
    evidences: list[tuple[int, int, int]],
    names: dict[str, str],
    anchor: str,
    links: list[LinkMark] = (),
) -> Highlighted:
    """HTML of ``text`` with ``mentions`` (rows of mentions.csv) marked, evidence sentences anchored and the
    evidence sentences of ``links`` underlined.

    ``evidences``: (relation row index, start, end); each distinct span gets one anchor element whose id
    is returned in ``evidence_ids``. Each distinct link evidence span gets one element, id in ``link_ids``.
    """
    res = Highlighted("")
    ranges = _regions(text, spans)
    ranges += _link_ranges(text, list(links), anchor, res)
    seen_ev: dict[tuple[int, int], str] = {}
    for idx, s, e in evidences:
        if not (0 <= s < e <= len(text)):
            continue
        if (s, e) not in seen_ev:
            seen_ev[(s, e)] = f"{anchor}-ev{len(seen_ev)}"
            ranges.append(Range(s, e, "evidence", f'<span class="ev" id="{attr(seen_ev[(s, e)])}">', "</span>"))
        res.evidence_ids[idx] = seen_ev[(s, e)]
    for k, m in enumerate(mentions):
        s, e = to_int(m.get("start")), to_int(m.get("end"))
        if s is None or e is None or not (0 <= s < e <= len(text)):
            res.unplaced.append(m)
            continue
        label = str(m.get("label", "")) or "ENT"
        ok = text[s:e] == str(m.get("text", text[s:e]))
        res.misaligned += not ok
        eid = str(m.get("entity_id", ""))
        conf = to_float(m.get("confidence"))
        tip = [f"{label}: {names.get(eid) or m.get('text', '')}"]
        if eid:
            tip.append(f"entity {eid}")
        if m.get("source"):
            tip.append(f"source {m['source']}" + (f", confidence {conf:.2f}" if conf is not None else ""))
        if not ok:
            tip.append(f"table text differs: {m.get('text', '')!r}")
        cls = f"ent l-{_label_var(label)}" + ("" if ok else " misaligned")
        open_tag = (
            f'<mark class="{cls}" data-label="{attr(label)}" data-m="{k}" data-eid="{attr(eid)}" '
            f'title="{attr(" · ".join(tip))}">'
        )
        ranges.append(Range(s, e, "mention", open_tag, "</mark>"))
        res.placed += 1
    ranges.sort(key=lambda r: (r.start, -r.end, _KIND_ORDER[r.kind]))
    out: list[str] = []
    stack: list[Range] = []
    pos = 0  # text before pos is written: each stretch of text is escaped as one piece, as it is reached

    for r in ranges:
        while stack and stack[-1].end <= r.start:
            top = stack.pop()
            if top.end > pos:
                out.append(_text(text[pos : top.end]))
                pos = top.end
            out.append(top.close_tag)
        if r.start > pos:
            out.append(_text(text[pos : r.start]))
            pos = r.start
        if stack and r.end > stack[-1].end:
            r.end, r.clipped = stack[-1].end, True
        tag = r.open_tag
        if r.clipped and r.kind == "mention":
            tag = tag.replace("<mark ", '<mark data-clipped="1" ', 1)
        out.append(tag)
        stack.append(r)
    while stack:
        top = stack.pop()
        if top.end > pos:
            out.append(_text(text[pos : top.end]))
            pos = top.end
        out.append(top.close_tag)
    if len(text) > pos:
        out.append(_text(text[pos:]))
    res.html = "".join(out)
    return res


def _text(s: str) -> str:
    """html.escape(s, quote=False), inlined."""
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _label_var(label: str) -> str:
    return label.lower() if label in LABEL_COLORS else "other"
