"""Subjects carried over from earlier sentences: ``이 회사는 ...``, zero subjects, ``그는/그녀는 ...``."""

from __future__ import annotations

import re

from ..context import Ctx
from ..phrases import role_of_clause
from ..registry import Found, construction
from ..view import SUBJECT_PARTICLES, clause_before, has_subject, is_topic
from .predicate import roles_after

_DEFINITE = re.compile(r"^(이|그|해당)\s*(회사|기업|업체|스타트업|곳|사람|인물)(은|는|이|가)")


def _continues(ctx: Ctx) -> dict | None:
    """The one organisation a subject-less sentence of the same paragraph continues, if any."""
    s, d = ctx.sent, ctx.discourse
    if d is None or not d.prev_actors or s.pid != d.prev_pid or not s.body or has_subject(s):
        return None
    if len(d.prev_actors) != 1 or not s.toks or d.prev_actors[0]["label"] != "ORG":
        return None
    return d.prev_actors[0]


@construction("anaphora", "sentence", 0.5)
def anaphora(ctx: Ctx) -> list[Found]:
    """A sentence of the same paragraph that opens with ``이/그/해당 회사는`` continues the previous
    sentence's single organisation: ``이 회사는 센서를 만드는 기업이다``."""
    prev = _continues(ctx)
    if prev is None:
        return []
    text, toks, skip = ctx.text, ctx.sent.toks, ctx.sent.actor_spans
    if not _DEFINITE.match(text[toks[0].start : toks[-1].end]):
        return []
    k = next((i for i, t in enumerate(toks) if t.tag in ("JX", "JKS")), None)
    res = roles_after(text, toks[k:], ctx.lex, skip) if k is not None else []
    return [Found([prev["key"]], r, "anaphora_" + how, conf * 0.9) for r, how, conf in res]


@construction("zero_subject", "sentence", 0.5)
def zero_subject(ctx: Ctx) -> list[Found]:
    """A sentence of the same paragraph with no subject at all continues the previous one's single
    organisation: ``...센서 양산을 준비하고 있다`` (off by default: right 3 times in 7 on the dev set)."""
    prev = _continues(ctx)
    if prev is None:
        return []
    text, toks, skip = ctx.text, ctx.sent.toks, ctx.sent.actor_spans
    if _DEFINITE.match(text[toks[0].start : toks[-1].end]):
        return []
    r = role_of_clause(text, [t for t in toks if t.tag != "SF"], ctx.lex, skip)
    return [Found([prev["key"]], r)] if r else []


def _pronoun_at(toks) -> int | None:
    """Index of ``그/그녀`` followed right away by a subject particle."""
    for k, t in enumerate(toks[:-1]):
        nxt = toks[k + 1]
        if (
            t.tag == "NP"
            and t.text in ("그", "그녀")
            and nxt.tag in ("JX", "JKS")
            and nxt.text in SUBJECT_PARTICLES
            and t.end == nxt.start
        ):
            return k
    return None


@construction("pronoun_subject", "sentence", 0.65)
def pronoun_subject(ctx: Ctx) -> list[Found]:
    """``그는/그녀는 ... 다라를 세운다``: a personal pronoun as subject stands for the nearest person named
    before it, as subject earlier in the sentence (not ``A, B 등과`` companions), else in the last two
    sentences; ``라마를 만든 그는``: a relative clause on the pronoun."""
    s, d = ctx.sent, ctx.discourse
    if not s.body:
        return []
    toks, skip = s.toks, s.actor_spans
    k = _pronoun_at(toks)
    if k is None:
        return []
    persons = [m for m in s.actors if m["label"] == "PERSON"]
    earlier = d.last_person[0] if d and d.last_person is not None and s.sid - d.last_person[1] <= 2 else None
    before = [m for m in persons if m["end"] <= toks[k].start and is_topic(toks, m)]
    person = before[-1] if before else earlier
    if person is None:
        return []
    res = roles_after(ctx.text, toks[k + 1 :], ctx.lex, skip)
    out = [Found([person["key"]], r, "pronoun_" + how, conf * 0.8) for r, how, conf in res]
    if k > 0 and "ETM" in toks[k - 1].tags:
        r = role_of_clause(ctx.text, clause_before(toks[:k]), ctx.lex, skip)
        if r:
            out.append(Found([person["key"]], r, "pronoun_relative_clause"))
    return out
