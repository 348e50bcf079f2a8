"""Capital links: who invests in or acquires whom."""

from __future__ import annotations

from ..links import LinkCtx
from ..registry import FoundLink, construction
from .links_supply import _pairs, object_text


def _invest_nouns(ctx: LinkCtx, phrases) -> bool:
    nouns = ctx.lex.links.verbs.get("invest_nouns", set())
    return any(t.text in nouns for p in phrases for t in p.head_nouns())


@construction("invest_in", "link", 0.8)
def invest_in(ctx: LinkCtx) -> list[FoundLink]:
    """``라마캐피탈이 투자한 한빛랩``, ``라마캐피탈은 한빛랩에 300억 원을 투자했다``: the subject invests in
    the dative (or the company the clause describes)."""
    out = []
    for f in ctx.frames:
        if f.voice != "active" or not ctx.lex.links.is_("invest", f.verbs):
            continue
        targets = f.actors("dat") or [m for m in f.actors("obj") if m["label"] == "ORG"]
        out += _pairs(f.subjects(), targets, "invests_in", object_text(ctx, f.phrases("obj")))
    return out


@construction("invest_received", "link", 0.75)
def invest_received(ctx: LinkCtx) -> list[FoundLink]:
    """``한빛랩은 라마캐피탈로부터 투자를 받았다``, ``라마캐피탈의 투자를 받은 한빛랩``, ``한빛랩은
    라마캐피탈에서 투자를 유치했다``: the source (or the owner of the investment) invests in the subject."""
    out = []
    lx = ctx.lex.links
    for f in ctx.frames:
        received = (f.voice == "received" and lx.is_("invest", f.verbs)) or (
            lx.is_("invest_receive", f.verbs) and _invest_nouns(ctx, f.phrases("obj"))
        )
        if not received:
            continue
        investors = f.actors("src") or f.actors("loc") or [m for p in f.phrases("obj") for m in p.owners()]
        out += _pairs(investors, f.subjects(), "invests_in", "")
    return out


@construction("acquisition", "link", 0.8)
def acquisition(ctx: LinkCtx) -> list[FoundLink]:
    """``한빛이 누리를 인수했다`` (the subject acquires the object organisation), ``누리가 한빛에
    인수되기 전`` (passive: the dative acquires the subject)."""
    out = []
    for f in ctx.frames:
        if not ctx.lex.links.is_("acquire", f.verbs):
            continue
        if f.voice == "passive":
            out += _pairs(f.actors("dat") or f.actors("ins"), f.subjects(), "acquires", "")
        elif f.voice == "active":
            orgs = [m for m in f.named("obj", ctx.lex.company_nouns) if m["label"] == "ORG"]
            out += _pairs(f.subjects(), orgs, "acquires", "")
    return out
