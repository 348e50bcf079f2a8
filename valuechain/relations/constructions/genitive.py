"""Products named with the actor: genitive ``가나의 GPU`` and compound ``가나 5나노 공정``."""

from __future__ import annotations

from ..context import Ctx
from ..registry import Found, construction
from ..view import COORD, noun_run_after, render


def genitive_role(ctx: Ctx, m: dict) -> str:
    """``NAME의 PRODUCT``: a product noun supplied (``GPU 공급``) or a domain phrase as is."""
    text = ctx.text
    if text[m["end"] : m["end"] + 1] != "의":
        return ""
    run = noun_run_after(ctx.sent.toks, m["end"], ctx.sent.spans)
    if not run or run[-1].text in ctx.lex.non_offering_heads:
        return ""  # "가나의 매출", "가나의 자회사": not what 가나 offers
    phrase = render(text, run)
    key = phrase.replace(" ", "")
    for p in ctx.lex.product_nouns:
        if key.startswith(p.replace(" ", "")):
            return f"{p} 공급" if key == p.replace(" ", "") else phrase
    return phrase if ctx.lex.has_domain(phrase) else ""


def _listed(ctx: Ctx) -> bool:
    """Is the group a plain list (commas or 와/과), so that a genitive after it is everyone's?"""
    g, text = ctx.group, ctx.text
    return all(
        "," in text[a["end"] : b["start"]] or COORD.fullmatch(text[a["end"] : b["start"]]) for a, b in zip(g, g[1:])
    )


@construction("genitive_product", "group", 0.7)
def genitive_product(ctx: Ctx) -> list[Found]:
    """``가나의 GPU`` -> 가나: GPU 공급; ``가나, 다라, 라마의 변압기 수주`` is the whole list's."""
    g = ctx.group
    out = []
    gen = genitive_role(ctx, g[-1])
    if gen:
        members = g if len(g) > 1 and _listed(ctx) else [g[-1]]
        out += [Found([m["key"]], gen) for m in members]
    for m in g[:-1]:
        r = genitive_role(ctx, m)
        if r:
            out.append(Found([m["key"]], r))
    return out


@construction("compound_product", "group", 0.6)
def compound_product(ctx: Ctx) -> list[Found]:
    """``가나 5나노 공정``, ``다라클라우드 데이터센터``: a product noun (phrase) right after the name."""
    out = []
    for m in ctx.group:
        if ctx.text[m["end"] : m["end"] + 1] != " ":
            continue
        run = noun_run_after(ctx.sent.toks, m["end"], ctx.sent.spans)
        if not run or run[0].start - m["end"] != 1 or run[-1].text in ctx.lex.non_offering_heads:
            continue
        phrase = render(ctx.text, run)
        key = phrase.replace(" ", "")
        if any(key.startswith(p.replace(" ", "")) for p in ctx.lex.product_nouns) or (
            len(run) >= 2 and ctx.lex.has_domain(phrase)
        ):
            out.append(Found([m["key"]], phrase))
    return out
