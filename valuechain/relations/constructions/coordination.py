"""Coordination with a shared head or clause: ``가나와 다라 같은 팹리스``, ``가나, 다라 등 일부 빅테크``."""

from __future__ import annotations

from ..context import Ctx
from ..lexicon import Lexicon
from ..phrases import role_of_clause
from ..registry import Found, construction
from ..view import DETERMINERS, NOMINAL, Spans, T, inside, render

Role = tuple[str, str, float]  # (role, method, confidence)


def continuation(after: list[T]) -> tuple[int, str]:
    """How a group continues: the index past 와/과/의 and like (같은) | etc (등) | topic (은/는/이/가/도) | ""."""
    i = 0
    while i < len(after) and after[i].tag.startswith("J") and after[i].text in ("와", "과", "의"):
        i += 1
    if i < len(after):
        t = after[i]
        if t.text in ("등", "같은") or t.lemma in ("같다",) or (t.text == "같" and i + 1 < len(after)):
            return i, "etc" if t.text == "등" else "like"
        if t.tag in ("JX", "JKS") and t.text in ("은", "는", "이", "가", "도"):
            return i, "topic"
    return i, ""


def _comitative(text: str, after: list[T], i: int, lex: Lexicon, spans: Spans) -> list[Role] | None:
    """``A, B 등과 (함께) ... 오픈AI를 만든``: they did it together with the subject (None: not this shape)."""
    if not (i + 1 < len(after) and after[i + 1].text in ("과", "와") and after[i + 1].tag.startswith("J")):
        return None
    clause = []
    for t in after[i + 2 :]:
        if t.tag in ("SF", "SP"):
            break
        clause.append(t)
        if "ETM" in t.tags or t.tag == "EF":
            break
    r = role_of_clause(text, clause, lex, spans)
    return [(r, "comitative", 0.7)] if r else []


def _rest(after: list[T], i: int, spans: Spans) -> list[T]:
    """The tokens after 등/같은 up to the next comma, sentence end or name."""
    j = i + 1
    while j < len(after) and after[j].text in ("은",) and after[j].tag in ("ETM",):
        j += 1
    rest = []
    for t in after[j:]:
        if t.tag in ("SP", "SF") or inside(t, spans):
            break
        rest.append(t)
    return rest


def _clause_first(rest: list[T]) -> int | None:
    """``같은 AI반도체를 설계하는 팹리스``: the index of the clause's ETM when a clause comes before the head."""
    lead = 0
    while lead < len(rest) and rest[lead].tag in NOMINAL and len(rest[lead].tags) == 1:
        lead += 1
    first_etm = next((k for k, t in enumerate(rest) if "ETM" in t.tags), None)
    head_after_etm = (
        first_etm is not None
        and first_etm + 1 < len(rest)
        and rest[first_etm + 1].tag in ("NNG", "NNP", "SL")
        and len(rest[first_etm + 1].tags) == 1
    )
    return first_etm if head_after_etm and (lead == 0 or rest[lead].tag in ("JKO", "JKB")) else None


def _head_run(rest: list[T], start: int) -> list[T]:
    run = []
    for t in rest[start:]:
        if t.tag in NOMINAL and len(t.tags) == 1:
            run.append(t)
        else:
            break
    return run


def _head(text: str, run: list[T], lex: Lexicon) -> tuple[list[T], str]:
    """The head noun phrase (determiners dropped), ending at its company noun (``서버 업체 입장에서는``)."""
    head_toks = [t for t in run if t.text not in DETERMINERS]
    cut = next((k for k, t in enumerate(head_toks) if t.text in lex.company_nouns), None)
    if cut is not None:
        head_toks = head_toks[: cut + 1]
    return head_toks, render(text, head_toks)


def _group_subject(text: str, rest: list[T], k: int, out: list[Role], lex: Lexicon, spans: Spans) -> Role | None:
    """``A, B 같은 일본 전자 대기업들이 D램을 찍어내며``: the group is the subject of what follows."""
    while k < len(rest) and rest[k].tag == "XSN":
        k += 1
    if not (k < len(rest) and rest[k].tag in ("JKS", "JX") and rest[k].text in ("이", "가", "은", "는")):
        return None
    clause = rest[k + 1 :]
    if lex.said(clause):
        return None
    r = role_of_clause(text, clause, lex, spans)
    return (r, "group_subject_predicate", 0.6) if r and all(r != x[0] for x in out) else None


def coordination_roles(text: str, after: list[T], i: int, lex: Lexicon, spans: Spans) -> list[Role]:
    """Roles of a group continued by 등/같은 (``after[i]``), best first."""
    com = _comitative(text, after, i, lex, spans)
    if com is not None:
        return com
    rest = _rest(after, i, spans)
    etm = _clause_first(rest)
    start = etm + 1 if etm is not None else 0
    run = _head_run(rest, start)
    head_toks, head = _head(text, run, lex)
    out: list[Role] = []
    if etm is not None and head_toks:
        r = role_of_clause(text, rest[: etm + 1], lex)
        if r:
            out.append((r, "coordination_clause", 0.8))
    if head and not out and lex.has_domain(head):
        out.append((head, "coordination_head", 0.6))
    if run:
        gs = _group_subject(text, rest, start + len(run), out, lex, spans)
        if gs:
            out.append(gs)
    return out


@construction("coordination", "slot", 0.8)
def coordination(ctx: Ctx) -> list[Found]:
    """``가나와 다라 같은 센서를 만드는 업체``, ``가나, 다라 등 일부 빅테크``, ``가나, 다라 등과 함께 라마를
    만든``: the clause or head after 같은/등 is the whole group's role."""
    i, kind = continuation(ctx.after)
    if kind not in ("like", "etc"):
        return []
    roles = coordination_roles(ctx.text, ctx.after, i, ctx.lex, ctx.sent.actor_spans)
    return [Found(ctx.keys, r, how, conf, slot="after") for r, how, conf in roles]
