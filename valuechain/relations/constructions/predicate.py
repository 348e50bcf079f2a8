"""What the group is said to be or do as subject: copula descriptions, subject predicates,
object topics (``센서는 가나가 만들고``) and predicate nominals (``센서의 강자는 가나다``)."""

from __future__ import annotations

import re

from ..context import Ctx
from ..lexicon import Lexicon
from ..phrases import role_of_clause
from ..registry import Found, construction
from ..view import DETERMINERS, NOMINAL, Spans, T, inside, render, stem
from .coordination import Role, continuation, coordination_roles


def _sentence_rest(after: list[T], i: int) -> list[T]:
    rest = []
    for t in after[i + 1 :]:
        if t.tag == "SF":
            break
        rest.append(t)
    return rest


def copula_role(text: str, rest: list[T], lex: Lexicon, spans: Spans) -> str:
    """``가나는 센서를 만드는 기업이다``: the clause before a company noun describes the subject."""
    for k, t in enumerate(rest):
        j = k + 1  # "센서를 만드는 세계 2위 기업": descriptors between the clause and the company noun
        while (
            j < len(rest)
            and j - k <= 4
            and rest[j].tag in ("NNG", "SN", "NNB", "NR", "XSN")
            and rest[j].text not in lex.company_nouns
        ):
            j += 1
        if "ETM" in t.tags and j < len(rest) and rest[j].text in lex.company_nouns:
            clause = []
            for x in reversed(rest[: k + 1]):
                if x.tag in ("SP",) or inside(x, spans):
                    break
                clause.insert(0, x)
            r = role_of_clause(text, clause, lex)
            if r:
                return r
    return ""


def _ends_clause(rest: list[T], k: int, clause: list[T], spans: Spans) -> bool:
    """Does ``rest[k]`` end the subject's clause: another name (not as object), or a comma after its verb?"""
    t = rest[k]
    if inside(t, spans) and t.tag in ("NNP", "SL", "NNG") and clause:
        nxt = next((x for x in rest[k + 1 :] if not inside(x, spans)), None)
        if nxt is None or nxt.tag != "JKO":  # "TSMC를 세운다": an organisation as object goes on
            return True
    # "X가 A를 만들고, B는 ...": the subject's own clause ends at its first verb
    return t.tag == "SP" and bool(clause) and clause[-1].tag == "EC" and any(x.tag in ("VV", "XSV") for x in clause)


def subject_clause_role(text: str, rest: list[T], lex: Lexicon, spans: Spans) -> str:
    """The predicate of the clause the name is the subject of (not under a verb of saying)."""
    clause: list[T] = []
    for k, t in enumerate(rest):
        if _ends_clause(rest, k, clause, spans):
            break
        clause.append(t)
    # a verb of saying anywhere after the subject governs the clauses before it too
    if lex.said(clause) or lex.said(rest):
        return ""
    return role_of_clause(text, clause, lex, spans)


def topic_roles(text: str, after: list[T], i: int, lex: Lexicon, spans: Spans) -> list[Role]:
    """Roles of a subject/topic (``after[i]`` is 은/는/이/가/도): a copula description, else its predicate."""
    rest = _sentence_rest(after, i)
    r = copula_role(text, rest, lex, spans)
    if r:
        return [(r, "copula_description", 0.85)]
    r = subject_clause_role(text, rest, lex, spans)
    return [(r, "subject_predicate", 0.6)] if r else []


def roles_after(text: str, after: list[T], lex: Lexicon, spans: Spans) -> list[Role]:
    """Roles stated after a name, group or pronoun: coordination (같은/등) or topic/subject."""
    i, kind = continuation(after)
    if kind in ("like", "etc"):
        return coordination_roles(text, after, i, lex, spans)
    if kind == "topic":
        return topic_roles(text, after, i, lex, spans)
    return []


@construction("subject_predicate", "slot", 0.6)
def subject_predicate(ctx: Ctx) -> list[Found]:
    """``가나는 센서를 납품하는 기업이다`` (copula description), ``가나는 센서를 만들고, ...`` (the
    subject's own clause, unless a verb of saying governs it)."""
    i, kind = continuation(ctx.after)
    if kind != "topic":
        return []
    roles = topic_roles(ctx.text, ctx.after, i, ctx.lex, ctx.sent.actor_spans)
    return [Found(ctx.keys, r, how, conf, slot="after") for r, how, conf in roles]


def _topic_noun(text: str, before: list[T], spans: Spans) -> list[T]:
    """The noun run (up to 4, determiners dropped) before the topic particle ``before[-1]``."""
    run, j = [], len(before) - 2
    while (
        j >= 0
        and before[j].tag in NOMINAL
        and len(before[j].tags) == 1
        and len(run) < 4
        and not inside(before[j], spans)
    ):
        run.insert(0, before[j])
        j -= 1
    return [t for t in run if t.text not in DETERMINERS]


def _topic_part(before: list[T]) -> list[T]:
    """The tokens before the group up to the topic particle: adverbs right before the group dropped
    (``센서는 주로 가나가``), and a gloss in brackets after the topic noun (``고대역폭 메모리(HBM)는``)."""
    j = len(before)
    while j > 0 and before[j - 1].tag == "MAG":
        j -= 1
    out = before[:j]
    if len(out) >= 3 and out[-2].text == ")":
        k = max((i for i in range(len(out) - 2) if out[i].text == "("), default=-1)
        if k > 0:
            out = out[:k] + out[-1:]
    return out


@construction("object_topic", "slot", 0.7)
def object_topic(ctx: Ctx) -> list[Found]:
    """``센서는 가나와 다라가 만들고``, ``센서는 주로 가나가 가장 많이 댄다``: a topic noun, then the group
    as subject, then its verb (adverbs between them aside): the group makes (supplies, designs...) the topic."""
    before, after, lex = _topic_part(ctx.before), ctx.after, ctx.lex
    if len(before) < 2 or len(after) < 2 or before[-1].tag != "JX" or before[-1].text not in ("은", "는"):
        return []
    if after[0].tag != "JKS" or after[0].text not in ("이", "가"):
        return []
    k = 1
    while k < len(after) - 1 and after[k].tag == "MAG":  # "가장 많이 납품하고"
        k += 1
    verb = after[k]  # Kiwi may tag a verb right after a subject VX (댄다): it is the main verb there
    if verb.tag not in ("VV", "VX") and not (verb.tag == "NNG" and verb.text in lex.role_verbs):
        return []
    run = _topic_noun(ctx.text, before, ctx.sent.actor_spans)
    if not run or lex.said(after[k : k + 2]):
        return []
    np = render(ctx.text, run)
    s = lex.business_noun(stem(verb))
    role = np if s == "하" else f"{np} {s}"
    return [Found(ctx.keys, role, slot="override")] if lex.has_domain(role) else []


def _subject_before(before: list[T], topic: int, spans: Spans) -> list[T]:
    subj: list[T] = []
    for t in reversed(before[:topic]):
        if t.tag in ("SP", "SF") or "ETM" in t.tags or t.tag.startswith("V") or inside(t, spans):
            break
        subj.insert(0, t)
    while subj and subj[0].tag not in NOMINAL:
        subj.pop(0)
    return subj


@construction("predicate_nominal", "fallback", 0.6)
def predicate_nominal(ctx: Ctx) -> list[Found]:
    """``센서의 강자는 가나였다``, ``팹리스의 '빅2'는 가나와 다라다``: the subject describes the group
    named as predicate (used only when no other clause role was found)."""
    g, text = ctx.group, ctx.text
    after = [t for t in ctx.sent.toks if t.start >= g[-1]["end"]]
    if not after or after[0].tag != "VCP":
        return []
    before = [t for t in ctx.sent.toks if t.end <= g[0]["start"]]
    topic = next(
        (
            k
            for k in range(len(before) - 1, -1, -1)
            if before[k].tag in ("JX", "JKS") and before[k].text in ("은", "는", "이", "가")
        ),
        None,
    )
    if topic is None:
        return []
    subj = _subject_before(before, topic, ctx.sent.actor_spans)
    noms = [t for t in subj if t.tag in NOMINAL]
    if not noms or subj[-1].tag not in NOMINAL + ("SS", "SSC"):
        return []
    phrase = re.sub(r"['\"‘’“”]", "", render(text, subj)).strip()
    if phrase in ("이", "그", "이들", "그들") or len(phrase) < 2 or noms[-1].text in ctx.lex.non_offering_heads:
        return []
    if not ctx.lex.has_domain(phrase):
        return []  # "넘어야 할 상대는 가나다": a description, but of no business
    return [Found(ctx.keys, phrase, slot="after")]
