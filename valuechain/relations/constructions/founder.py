"""Founders and leaders as subjects of a relative clause on an organisation: ``가나가 세운 다라``."""

from __future__ import annotations

from ..context import Ctx
from ..registry import Found, construction


def _founding_verb(after: list) -> tuple[str, int]:
    """The stem of the verb right after the subject particle and the index of its ETM token."""
    verb = after[1]
    s = verb.lemma.split("+")[0]
    s = s[:-1] if s.endswith("다") else s
    if verb.tag == "NNG" and len(after) > 2:  # 설립한 = 설립/NNG + 한/XSV+ETM
        return verb.text, 2
    return s, 1


def founder_role(ctx: Ctx) -> str:
    """``NAME이 VERB-ㄴ ORG``: the role ``ORG 설립`` (or 창업, 이끎, ...) of the subject group."""
    g, lex = ctx.group, ctx.lex
    after = [t for t in ctx.sent.toks if t.start >= g[-1]["end"]]
    if len(after) < 2 or after[0].tag != "JKS":
        return ""
    s, k = _founding_verb(after)
    if s not in lex.founder_verbs or "ETM" not in after[k].tags + after[min(k, len(after) - 1)].tags:
        if not (k < len(after) and "ETM" in after[k].tags):
            return ""
    org = next(
        (
            x
            for x in ctx.sent.mentions
            if x["label"] == "ORG" and x["start"] >= after[k].end and x["start"] - after[k].end <= 2
        ),
        None,
    )
    if org is None or s not in lex.founder_verbs:
        return ""
    return f"{org['text']} {lex.founder_verbs[s]}"


@construction("founder_clause", "group", 0.8)
def founder_clause(ctx: Ctx) -> list[Found]:
    """``가나와 다라가 세운 라마랩``, ``가나가 이끄는 다라``: the subjects founded or run the organisation."""
    r = founder_role(ctx)
    return [Found([k], r) for k in ctx.keys] if r else []
