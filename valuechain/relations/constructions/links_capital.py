"""Capital links: who invests in or acquires whom."""

from __future__ import annotations

from ..frames import LIGHT
from ..links import LinkCtx
from ..registry import FoundLink, construction
from .links_supply import _is_money, _pairs, _stake, object_text, sold_organisations


def _invest_nouns(ctx: LinkCtx, phrases) -> bool:
    nouns = ctx.lex.links.verbs.get("invest_nouns", set())
    return any(t.text in nouns for p in phrases for t in p.head_nouns())


def round_owners(ctx: LinkCtx, f) -> list[dict]:
    """``가나랩의 시리즈B 투자를 주도했다``, ``가나랩의 투자 라운드에 참여했다``: whose round the subject
    led or joined (the owner of an investment noun as object or dative)."""
    if not ctx.lex.links.is_("join_round", f.verbs):
        return []
    return [m for p in f.phrases("obj") + f.phrases("dat") if _invest_nouns(ctx, [p]) for m in p.owners()]


@construction("invest_in", "link", 0.8)
def invest_in(ctx: LinkCtx) -> list[FoundLink]:
    """``라마캐피탈이 투자한 한빛랩``, ``라마캐피탈은 한빛랩에 300억 원을 투자했다``: the subject invests in
    the dative (or the company the clause describes); ``라마는 한빛의 지분 9%를 사들였다`` (a stake);
    ``한빛은 라마은행에서 자금을 빌렸다`` (a loan is capital too); ``라마는 한빛의 300억 원 투자 라운드를
    주도했다`` (leading or joining the company's round)."""
    out = []
    lx = ctx.lex.links
    for f in ctx.frames:
        obj = object_text(ctx, f.phrases("obj"))
        if f.voice == "active" and lx.is_("invest", f.verbs):
            targets = f.actors("dat") or [m for m in f.actors("obj") if m["label"] == "ORG"]
            out += _pairs(f.subjects(), targets, "invests_in", obj)
        elif _stake(ctx, f) and f.voice == "received":  # "가나가 다라 지분을 받는다": 가나 holds 다라 shares
            owners = [m for p in f.phrases("obj") for m in p.owners()]
            out += _pairs(f.subjects(), owners, "invests_in", obj)
        elif _stake(ctx, f) and (lx.is_("purchase", f.verbs) or lx.is_("acquire", f.verbs)):
            owners = [m for p in f.phrases("obj") for m in p.owners()]  # "누리의 지분 9%를 사들였다"
            out += _pairs(f.subjects(), f.actors("dat") or owners, "invests_in", obj)
        elif lx.is_("invest_money", f.verbs) and _is_money(f.phrases("obj")):  # "한빛에 300억 원을 넣었다"
            out += _pairs(f.subjects(), f.actors("dat"), "invests_in", obj)
        elif lx.is_("rent_from", f.verbs) and _is_money(f.phrases("obj")):  # "누리은행에서 자금을 빌려"
            out += _pairs(f.actors("src") or f.actors("loc"), f.subjects(), "invests_in", f"{obj} 대출".strip())
        else:  # "라마는 한빛의 시리즈B 투자를 주도했다"
            out += _pairs(f.subjects(), round_owners(ctx, f), "invests_in", "")
    return out


@construction("invest_received", "link", 0.75)
def invest_received(ctx: LinkCtx) -> list[FoundLink]:
    """``한빛랩은 라마캐피탈로부터 투자를 받았다``, ``라마캐피탈의 투자를 받은 한빛랩``, ``한빛랩은
    라마캐피탈에서 투자를 유치했다``: the source (or the owner of the investment) invests in the subject."""
    out = []
    lx = ctx.lex.links
    for f in ctx.frames:
        raised = lx.is_("invest_receive", f.verbs) and (
            _invest_nouns(ctx, f.phrases("obj")) or (f.verb in ("유치", "조달") and _is_money(f.phrases("obj")))
        )  # "투자를 받았다", "7억 달러를 유치했다"
        received = (f.voice == "received" and lx.is_("invest", f.verbs)) or raised
        if not received:
            continue
        investors = f.actors("src") or f.actors("loc") or [m for p in f.phrases("obj") for m in p.owners()]
        # "누리가 주도한 시리즈B에서 투자받았다": the one who led the round
        investors = investors or [m for p in f.phrases("loc") + f.phrases("src") if p.rel for m in p.rel.subjects()]
        out += _pairs(investors, f.subjects(), "invests_in", "")
    return out


@construction("acquisition", "link", 0.8)
def acquisition(ctx: LinkCtx) -> list[FoundLink]:
    """``한빛이 누리를 인수했다`` (the subject acquires the object organisation), ``누리가 한빛에
    인수되기 전`` (passive: the dative acquires the subject), ``라온은 누리를 한빛에 넘겼다`` (a sale of
    an organisation: the dative acquires it), ``한빛은 누리 인수를 마무리했다`` (the acquisition noun's
    owner)."""
    out = []
    for f in ctx.frames:
        if f.voice == "active" and ctx.lex.links.is_("sell", f.verbs):
            out += _pairs(f.actors("dat"), sold_organisations(ctx, f), "acquires", "")
        if not ctx.lex.links.is_("acquire", f.verbs):
            continue
        if f.voice == "passive":
            out += _pairs(f.actors("dat") or f.actors("ins"), f.subjects(), "acquires", "")
        elif f.voice == "active":
            orgs = [m for m in f.named("obj", ctx.lex.company_nouns) + f.actors("com") if m["label"] == "ORG"]
            if not orgs and f.verb in LIGHT:  # "누리 인수를 마무리했다": the owner of the acquisition noun
                orgs = [m for p in f.phrases("obj") for m in p.owners() if m["label"] == "ORG"]
            out += _pairs(f.subjects(), orgs, "acquires", "")  # "한빛은 누리와 합병했다": the survivor first
    return out


@construction("subsidiary", "link", 0.75)
def subsidiary(ctx: LinkCtx) -> list[FoundLink]:
    """``누리 자회사 한빛``, ``누리는 자회사인 한빛의 장비를``: the parent owns (invests in) the subsidiary."""
    out = []
    nouns = ctx.lex.links.subsidiary_nouns
    orgs = [m for m in ctx.sent.mentions if m["label"] == "ORG"]
    for a, b in zip(orgs, orgs[1:]):
        gap = ctx.text[a["end"] : b["start"]].strip()
        gap = gap[1:].strip() if gap[:1] in ("의", "은", "는", "이", "가") else gap
        gap = gap[:-1].strip() if gap.endswith("의") else gap
        if gap in nouns or gap.rstrip("인") in nouns:
            out.append(FoundLink(a["key"], "invests_in", b["key"]))
    return out
