"""A description set before the name: ``세계 최대 후공정 업체인 대만 한빛``, ``센서 회사 한빛``."""

from __future__ import annotations

from ..context import Ctx
from ..phrases import mid_word
from ..registry import Found, construction
from ..view import DETERMINERS, NOMINAL, TIME_WORDS, T, inside, render

_PLACE = ("LOC",)


def _skip_place(ctx: Ctx, before: list[T]) -> list[T]:
    """Drop a place named right before the name (``대만``, ``미국의``)."""
    places = [(m["start"], m["end"]) for m in ctx.sent.mentions if m["label"] in _PLACE]
    while before and (
        inside(before[-1], places) or (before[-1].text == "의" and len(before) > 1 and inside(before[-2], places))
    ):
        before = before[:-1]
    return before


def _descriptor(ctx: Ctx, before: list[T]) -> list[T]:
    """The noun run ending in a company noun right before the name (through 인: ``업체인``)."""
    if before and "VCP" in before[-1].tags and before[-1].text in ("인", "이던", "였던"):
        before = before[:-1]
    if not before or before[-1].text not in ctx.lex.company_nouns | ctx.lex.descriptor_heads:
        return []
    run: list[T] = []
    for t in reversed(before):
        if t.tag not in NOMINAL or len(t.tags) > 1 or inside(t, ctx.sent.actor_spans) or len(run) >= 5:
            break
        run.insert(0, t)
    while run and (
        run[0].text in DETERMINERS | TIME_WORDS or run[0].tag in ("XSN", "NNB", "SN") or mid_word(ctx.text, run[0])
    ):
        run.pop(0)
    return run if len(run) >= 2 else []


@construction("descriptor", "group", 0.75)
def descriptor(ctx: Ctx) -> list[Found]:
    """``세계 최대 후공정 업체인 대만 한빛``, ``반도체 장비 업체 누리``, ``철물점 주인 김도윤``: a noun
    phrase ending in a company noun (or 주인, 상) set right before the name describes it."""
    before = _skip_place(ctx, ctx.sent.before(ctx.group[0]["start"]))
    run = _descriptor(ctx, before)
    if not run:
        return []
    role = render(ctx.text, run)
    if not ctx.lex.has_domain(role) or run[-2].text in ctx.lex.non_offering_heads:
        return []
    return [Found(ctx.keys, role)]
