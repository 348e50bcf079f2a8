"""Relative clauses on the group: ``센서를 납품하는 가나전자``, and the cleft ``...해 온 곳이 가나다``."""

from __future__ import annotations

from ..context import Ctx
from ..phrases import role_of_clause
from ..registry import Found, construction
from ..view import clause_before


@construction("relative_clause", "slot", 0.8)
def relative_clause(ctx: Ctx) -> list[Found]:
    """``HBM 제조에 특화하고 있는 가나``, ``AI 서버를 조립하는 가나와 다라``: the clause right before
    the group (its last token an adnominal ending) is the group's role."""
    before = ctx.before
    if not before or "ETM" not in before[-1].tags:
        return []
    r = role_of_clause(ctx.text, clause_before(before), ctx.lex, ctx.sent.actor_spans)
    return [Found(ctx.keys, r, slot="before")] if r else []
