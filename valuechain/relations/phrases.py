"""Readers of role phrases shared by the constructions: the role a clause states.

``role_of_clause`` turns a relative or predicate clause into a role: its last argument plus the
verb as a business noun (``AI서버를 조립하는`` -> ``AI서버 조립``), founding of a named
organisation (``오픈AI를 만든`` -> ``오픈AI 설립``), or a bare nominal description.
"""

from __future__ import annotations

from .lexicon import Lexicon
from .view import JOINT, NOMINAL, TIME_WORDS, Spans, T, inside, nominal_runs, render, stem

_ARG_PARTICLES = ("을", "를", "에", "에서", "으로", "로")


def founded_in_clause(text: str, toks: list[T], lex: Lexicon, skip: Spans) -> str:
    """``오픈AI를 만든``, ``인텔을 공동 창업``: an organisation named as object of a founding verb."""
    for k in range(len(toks) - 2, 0, -1):
        t = toks[k]
        if t.tag != "JKO" or not inside(toks[k - 1], skip):
            continue
        nxt = toks[k + 1]
        if nxt.text in JOINT and k + 2 < len(toks):  # "인텔을 공동 창업"
            nxt = toks[k + 2]
        s = stem(nxt)
        if s in lex.founder_verbs:
            span = next((a, b) for a, b in skip if a <= toks[k - 1].start < b)
            return f"{text[span[0] : span[1]]} {lex.founder_verbs[s]}"
    return ""


def _object_np(toks: list[T], k: int) -> list[T]:
    """The noun phrase (up to 5 nouns) ending right before the particle at ``k``, time words dropped."""
    j, np_toks = k - 1, []
    while j >= 0 and toks[j].tag in NOMINAL and len(toks[j].tags) == 1 and len(np_toks) < 5:
        np_toks.insert(0, toks[j])
        j -= 1
    while np_toks and np_toks[0].text in TIME_WORDS:
        np_toks.pop(0)
    return np_toks


def _verb_noun(particle: T, pred: T | None, lex: Lexicon) -> str:
    """The predicate after an argument as a business noun: ``제조``(하다), ``만들`` -> ``제조``; "" for 하다."""
    if pred is None:
        return ""
    if pred.tag == "NNG":
        return pred.text
    if pred.tag == "VV" and particle.text in ("을", "를"):
        s = stem(pred)
        return "" if s == "하" else lex.business_noun(s)
    return ""


def _argument_role(text: str, toks: list[T], k: int, lex: Lexicon) -> str:
    """The role stated by the argument whose particle is ``toks[k]`` and the predicate after it."""
    t = toks[k]
    np_toks = _object_np(toks, k)
    if not np_toks:
        return ""
    pred = toks[k + 1] if k + 1 < len(toks) else None
    if t.tag == "JKB" and not (
        pred is not None and pred.tag == "NNG" and pred.text in lex.role_verbs | lex.focus_verbs
    ):
        return ""  # "...에 대해", "...에서": an adverbial, not what the actor does
    np = render(text, np_toks)
    verb = _verb_noun(t, pred, lex)
    if verb in lex.focus_verbs or not verb:
        return np
    if verb in lex.role_verbs or pred.tag == "VV":
        return np if np.endswith(verb) else f"{np} {verb}"
    return np


def role_of_clause(text: str, toks: list[T], lex: Lexicon, skip: Spans = ()) -> str:
    """The last argument + verb of a clause: ``AI서버를 조립하는`` -> ``AI서버 조립``.

    ``skip``: (start, end) spans of actor names, which are never a role.
    """
    founded = founded_in_clause(text, toks, lex, skip)
    if founded:
        return founded
    toks = [t for t in toks if not inside(t, skip)] if skip else toks
    for k in range(len(toks) - 1, -1, -1):
        t = toks[k]
        if t.tag not in ("JKO", "JKB") or t.text not in _ARG_PARTICLES:
            continue
        role = _argument_role(text, toks, k, lex)
        if role and lex.has_domain(role):
            return role
    # no argument particle: a bare nominal description ("하이퍼클로바X 개선 중인")
    for run in reversed(nominal_runs(toks)):
        role = render(text, run)
        if lex.has_domain(role):
            return role
    return ""
