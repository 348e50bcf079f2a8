"""Person titles: ``가나 대표``, ``가나 다라전자 CEO``, ``대표 가나``."""

from __future__ import annotations

import functools
import re

from ..context import Ctx
from ..registry import Found, construction


def _titles(ctx: Ctx) -> str:
    return _alternation(tuple(ctx.lex.person_titles))


@functools.lru_cache(maxsize=8)
def _alternation(titles: tuple[str, ...]) -> str:
    """The titles as a regex alternation, escaped once per title list (it was rebuilt for every person)."""
    return "|".join(re.escape(t) for t in titles)


@functools.lru_cache(maxsize=32)
def _compiled(pattern: str) -> re.Pattern:
    """A title pattern compiled once (``re``'s own cache holds 512 patterns and is shared)."""
    return re.compile(pattern)


def title_role(ctx: Ctx, m: dict) -> str:
    """A person's title next to the name, with the organisation when it is named there."""
    text, ms = ctx.text, ctx.sent.mentions
    after = text[m["end"] : m["end"] + 30]
    before = text[max(0, m["start"] - 30) : m["start"]]
    titles = _titles(ctx)
    org = next((x for x in ms if x["label"] == "ORG" and 0 <= x["start"] - m["end"] <= 2), None)
    if org is not None:  # "젠슨 황 엔비디아 CEO"
        mm = _compiled(r"^\s*(" + titles + r")(?!적|작|[A-Za-z])").match(text[org["end"] : org["end"] + 12])
        if mm:
            return f"{org['text']} {mm.group(1)}"
    mm = _compiled(r"^\s*(" + titles + r")(?!적|작|[A-Za-z])").match(after)
    if mm:
        org = next(
            (
                x
                for x in ms
                if x["label"] == "ORG"
                and 0 <= m["start"] - x["end"] <= 3
                and text[x["end"] : m["start"]].strip() in ("", "의")
            ),
            None,
        )
        return f"{org['text']} {mm.group(1)}" if org is not None else mm.group(1)
    mm = _compiled(r"(" + titles + r")(?:이었던|였던|인|이자)?\s*$").search(before)
    if mm:  # "대표 김도윤", "당시 다라전자 CEO였던 김도윤"
        at = m["start"] - len(before) + mm.start(1)
        org = next((x for x in ms if x["label"] == "ORG" and 0 <= at - x["end"] <= 1), None)
        return f"{org['text']} {mm.group(1)}" if org is not None else mm.group(1)
    return ""


@construction("person_title", "group", 0.85)
def person_title(ctx: Ctx) -> list[Found]:
    """``가나 대표``, ``가나 다라전자 CEO``, ``다라전자의 가나 회장``, ``대표 가나``: a person's title (not
    one that only says how they earn a living, ``가나일보 기자``: that is a link)."""
    out = []
    for m in ctx.group:
        if m["label"] == "PERSON":
            r = title_role(ctx, m)
            if r and r.split()[-1] not in ctx.lex.non_business_titles:
                out.append(Found([m["key"]], r))
    return out
