"""Parenthetical roles: ``가나전자(센서)``, and ``가나·다라(센서 도매)`` sharing the last one's."""

from __future__ import annotations

import re

from ..context import Ctx
from ..registry import Found, construction


def paren_content(ctx: Ctx, m_end: int) -> str:
    """The text of a parenthesis right after a name, when it is a short nominal description."""
    text, toks = ctx.text, ctx.sent.toks
    if text[m_end : m_end + 1] != "(":
        return ""
    close = text.find(")", m_end)
    if close < 0 or close - m_end > 25:
        return ""
    inner = [t for t in toks if m_end < t.start and t.end <= close]
    if not inner or any(s < close and m_end < e for s, e in ctx.sent.spans):
        return ""
    if any(t.tag.startswith(("V", "E", "X")) and t.tag not in ("XSN",) for t in inner):
        return ""
    content = text[m_end + 1 : close].strip()
    if not content or re.fullmatch(r"[A-Za-z0-9 .&\-]+", content) or re.search(r"\d{4}", content):
        return ""
    return content


@construction("parenthetical", "group", 0.9)
def parenthetical(ctx: Ctx) -> list[Found]:
    """``NAME(ROLE)``: ``라마상회(곡괭이 도매)``; ``A·B(ROLE)`` gives B's role to A too (not across commas)."""
    g = ctx.group
    paren = {}
    for m in g:
        r = paren_content(ctx, m["end"])
        if r:
            paren[id(m)] = r
    for idx in range(len(g) - 2, -1, -1):
        m, nxt = g[idx], g[idx + 1]
        if id(m) not in paren and id(nxt) in paren and "," not in ctx.text[m["end"] : nxt["start"]]:
            paren[id(m)] = paren[id(nxt)]
    return [Found([m["key"]], paren[id(m)]) for m in g if id(m) in paren]
