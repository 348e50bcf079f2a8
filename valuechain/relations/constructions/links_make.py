"""Make links: who develops a product, and who wrote, translated or published a book."""

from __future__ import annotations

import re

from ..links import LinkCtx
from ..registry import FoundLink, construction
from ..view import render
from .links_people import org_kind

_ACTORS = ("ORG", "PERSON")


def _generic(ctx: LinkCtx, m: dict) -> bool:
    """A product type (HBM, GPU, D램) rather than one company's product (H100, 하이퍼클로바X)."""
    name = m["text"].replace(" ", "").upper()
    return name in ctx.lex.links.generic_products or name.startswith(("HBM", "DDR", "LPDDR", "GDDR"))


def _product_text(ctx: LinkCtx, p) -> str:
    """The product as the phrase names it, with its classifier (``블랙웰 GPU``), without owners."""
    owners = [(m["start"], m["end"]) for m in p.ents if m["label"] in _ACTORS]
    toks = [t for t in p.toks if not any(s <= t.start < e for s, e in owners) and t.tag != "MM"]
    return render(ctx.text, toks)


@construction("develops", "link", 0.75)
def develops(ctx: LinkCtx) -> list[FoundLink]:
    """``누리가 개발한 한빛봇``, ``한빛봇을 내놓은 누리``, ``한빛봇 개선 중인 누리``: the subject develops the
    product named as object."""
    out = []
    for f in ctx.frames:
        if f.voice != "active" or not ctx.lex.links.is_("develop", f.verbs):
            continue
        owned = any(p.owners() for p in f.phrases("obj"))  # "누리의 칩을 설계하는 한빛": made for 누리
        for p in f.phrases("obj"):
            what = _product_text(ctx, p)
            for m in p.products():
                if not _generic(ctx, m) and not owned:
                    out += [FoundLink(s["key"], "develops", m["key"], what) for s in f.subjects()]
    return out


@construction("product_owner", "link", 0.55)
def product_owner(ctx: LinkCtx) -> list[FoundLink]:
    """``누리의 한빛봇``, ``누리 한빛봇``: an organisation's name right before its product's."""
    out = []
    ms = ctx.sent.mentions
    for a, b in zip(ms, ms[1:]):
        gap = ctx.text[a["end"] : b["start"]]
        if a["label"] == "ORG" and b["label"] == "PRODUCT" and gap in ("의", " ", "의 ") and not _generic(ctx, b):
            after = re.match(r"\s*([A-Za-z가-힣]+)", ctx.text[b["end"] : b["end"] + 12])
            kind = after.group(1) if after and after.group(1) in ctx.lex.product_nouns else ""
            out.append(FoundLink(a["key"], "develops", b["key"], f"{b['text']} {kind}".strip()))
    return out


def _works(ctx: LinkCtx) -> list[dict]:
    return [m for m in ctx.sent.mentions if m["label"] == "WORK"]


def _main_work(ctx: LinkCtx) -> dict | None:
    works = _works(ctx)
    return works[0] if works else ctx.refs.work


def _marked(ctx: LinkCtx, m: dict, marks: set[str]) -> bool:
    """Is the name followed by one of ``marks`` (``지음``, ``옮김``), alone or after a middle-dot list?"""
    after = ctx.text[m["end"] : m["end"] + 40]
    after = re.sub(r"^(\s*[·,、]\s*[^\s/,·]+(?:\s[^\s/,·]+)?)*", "", after)
    word = re.match(r"\s*([^\s,/·)]+)", after)
    return bool(word) and word.group(1) in marks


@construction("book_line", "link", 0.85)
def book_line(ctx: LinkCtx) -> list[FoundLink]:
    """``한지훈·오세린 지음, 박도윤 옮김 / 누리출판 / 2025년``: authors, translator and publisher of the
    book the review is about (or the work named in the line)."""
    work = _main_work(ctx)
    if work is None:
        return []
    lx = ctx.lex.links
    out = []
    slash = "/" in ctx.text[ctx.sent.start : ctx.sent.end]
    for m in ctx.sent.mentions:
        if m["label"] == "PERSON" and _marked(ctx, m, lx.authored_marks):
            out.append(FoundLink(m["key"], "authored", work["key"]))
        elif m["label"] == "PERSON" and _marked(ctx, m, lx.translated_marks):
            out.append(FoundLink(m["key"], "translated", work["key"]))
        elif m["label"] == "ORG" and (
            (slash and org_kind(ctx.lex, m["text"]) in ("publisher", "")) or _marked(ctx, m, {"펴냄", "출판", "발행"})
        ):
            out.append(FoundLink(m["key"], "publishes", work["key"]))
    return out if any(x.type in ("authored", "translated") for x in out) else []


def _without_affiliation(ctx: LinkCtx, a: dict, b: dict) -> str:
    """The text between two mentions without an affiliation ``누리일보 기자`` (an organisation and a title)."""
    gap = ctx.text[a["end"] : b["start"]]
    orgs = [m for m in ctx.sent.mentions if m["label"] == "ORG" and a["end"] <= m["start"] and m["end"] <= b["start"]]
    if len(orgs) != 1:
        return gap
    o = orgs[0]
    rest = ctx.text[o["end"] : b["start"]]
    lx = ctx.lex.links
    for t in sorted(set(lx.leader_titles + lx.founder_titles + lx.staff_titles), key=len, reverse=True):
        if rest.lstrip().startswith(t):
            return ctx.text[a["end"] : o["start"]].strip() + rest.lstrip()[len(t) :]
    return gap


@construction("work_author", "link", 0.75)
def work_author(ctx: LinkCtx) -> list[FoundLink]:
    """``한지훈의 '누리의 시대'``, ``'누리의 시대'의 저자 한지훈``, ``한지훈이 쓴 '누리의 시대'``: a person
    and the work they wrote."""
    out = []
    ms = [m for m in ctx.sent.mentions if m["label"] in ("PERSON", "WORK")]
    for a, b in zip(ms, ms[1:]):
        gap = _without_affiliation(ctx, a, b).strip(" '\"‘’“”『』「」《》<>")
        if (
            a["label"] == "PERSON"
            and b["label"] == "WORK"
            and re.fullmatch(r"의(\s*(신간|책|저서|작품|소설|명저))?", gap)
        ):
            out.append(FoundLink(a["key"], "authored", b["key"]))
        elif a["label"] == "WORK" and b["label"] == "PERSON" and re.fullmatch(r"의\s*(저자|작가|지은이)", gap):
            out.append(FoundLink(b["key"], "authored", a["key"]))
        elif a["label"] == "PERSON" and b["label"] == "WORK" and re.fullmatch(r"(이|가)\s*(쓴|지은|펴낸)", gap):
            out.append(FoundLink(a["key"], "authored", b["key"]))
    for f in ctx.frames:  # "'누리의 시대'를 쓴 한지훈"
        if f.voice == "active" and f.verb in ("쓰", "집필", "저술", "펴내"):
            works = [m for p in f.phrases("obj") for m in p.ents if m["label"] == "WORK"]
            out += [
                FoundLink(s["key"], "authored", w["key"]) for s in f.subjects() if s["label"] == "PERSON" for w in works
            ]
    return out
