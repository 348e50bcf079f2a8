"""Readers of role phrases shared by the constructions: the role a clause states.

``role_of_clause`` turns a relative or predicate clause into a role: its last argument plus the
verb as a business noun (``AI서버를 조립하는`` -> ``AI서버 조립``), founding of a named
organisation (``오픈AI를 만든`` -> ``오픈AI 설립``), or a bare nominal description.
"""

from __future__ import annotations

from .lexicon import Lexicon
from .view import JOINT, MANNER, NOMINAL, TIME_WORDS, Spans, T, inside, nominal_runs, render, stem

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


def _object_np(text: str, toks: list[T], k: int) -> list[T]:
    """The noun phrase (up to 5 nouns) ending right before the particle at ``k``: time words, a
    leading suffix and a start inside a word dropped (``차량용 센서`` never reads ``용 센서``)."""
    j, np_toks = k - 1, []
    while j >= 0 and toks[j].tag in NOMINAL and len(toks[j].tags) == 1 and len(np_toks) < 5:
        np_toks.insert(0, toks[j])
        j -= 1
    while np_toks and (np_toks[0].text in TIME_WORDS or np_toks[0].tag in ("XSN", "NNB") or mid_word(text, np_toks[0])):
        np_toks.pop(0)
    return np_toks


def mid_word(text: str, t: T) -> bool:
    """Does the token start inside a written word (glued to a letter before it)?"""
    return t.start > 0 and (text[t.start - 1].isalnum())


def _verb_noun(particle: T, pred: T | None, lex: Lexicon) -> str:
    """The predicate after an argument as a business noun: ``제조``(하다), ``만들`` -> ``제조``; "" for 하다."""
    if pred is None:
        return ""
    if pred.tag == "NNG":
        return pred.text
    if pred.tag == "VV" and particle.text in ("을", "를"):
        s = _stem_with_aux(pred, lex)
        return "" if s == "하" else lex.business_noun(s)
    return ""


def _stem_with_aux(pred: T, lex: Lexicon) -> str:
    """A verb's stem, with a giving auxiliary when the lexicon knows the pair (빌려 주다 -> 빌리+주)."""
    s = stem(pred)
    return f"{s}+{pred.aux}" if pred.aux and f"{s}+{pred.aux}" in lex.verb_nouns else s


def _customer_side(pred: T, lex: Lexicon) -> bool:
    """A verb of buying, using or choosing (config roles.yaml customer_verbs), or a native verb the
    lexicon cannot read as a business noun."""
    if pred.tag == "NNG":
        return pred.text in lex.customer_verbs
    if pred.tag == "VV":
        s = _stem_with_aux(pred, lex)
        return s in lex.customer_verbs or (s not in lex.verb_nouns and s not in lex.role_verbs and s != "하")
    return False


_ROLE_NOUNS = ("역할", "노릇", "구실")


def played_role(text: str, np_toks: list[T], lex: Lexicon) -> str | None:
    """``자금줄 노릇을 하다``, ``설계 역할을 맡다``: the role is the noun before 역할/노릇, not what a
    genitive before it names (``AI라는 철도의 자금줄 노릇``: 자금줄, not 철도); None when the object is no
    role noun, "" when what is played names no business (``핵심 역할``)."""
    if len(np_toks) < 2 or np_toks[-1].text not in _ROLE_NOUNS:
        return None
    role = render(text, np_toks[:-1])
    return role if lex.has_domain(role) else ""


def _predicate_after(toks: list[T], k: int) -> T | None:
    """The predicate after the particle at ``k``, read as the role reader needs it."""
    pred = toks[k + 1] if k + 1 < len(toks) else None
    if pred is not None and pred.tag == "VX" and toks[k].text in ("을", "를"):  # Kiwi reads 만드는 as 만드/VX
        pred = T(pred.text, ["VV", *pred.tags[1:]], pred.start, pred.end, pred.lemma)
    if pred is not None and pred.tag == "VV" and k + 2 < len(toks) and toks[k + 2].tag == "VX":
        pred = T(pred.text, pred.tags, pred.start, pred.end, pred.lemma, stem(toks[k + 2]))  # 빌려 주는: 빌리+주
    if pred is not None and pred.text in MANNER and k + 2 < len(toks) and toks[k + 2].tag == "NNG":
        pred = toks[k + 2]  # "HBM을 독점 공급": the verbal noun after the manner noun
    return pred


def _argument_role(text: str, toks: list[T], k: int, lex: Lexicon) -> str | None:
    """The role stated by the argument whose particle is ``toks[k]`` and the predicate after it;
    "" when this argument states none, None when the clause's verb rules out a role altogether."""
    t = toks[k]
    np_toks = _object_np(text, toks, k)
    if not np_toks:
        return ""
    played = played_role(text, np_toks, lex) if t.text in ("을", "를") else None
    if played is not None:
        return played
    pred = _predicate_after(toks, k)
    if pred is not None and pred.tag == "VV" and t.text in ("을", "를") and stem(pred) in lex.aspect_verbs:
        np = render(text, np_toks)  # "센서 생산을 늘렸다": the activity named as object
        return np if any(np.endswith(v) for v in lex.role_verbs) else None
    if pred is not None and _customer_side(pred, lex):
        return None  # "HBM을 사들이는", "GPU를 빌려 쓰는": what the actor buys or uses is not its role
    if t.tag == "JKB" and t.text == "에" and pred is not None and pred.tag == "VV" and stem(pred) in lex.entry_verbs:
        return render(text, np_toks)  # "HBM 개발에 뛰어들었다": the business it entered
    if t.tag == "JKB" and not (
        pred is not None and pred.tag == "NNG" and pred.text in lex.role_verbs | lex.focus_verbs
    ):
        return ""  # "...에 대해", "...에서": an adverbial, not what the actor does
    np = render(text, np_toks)
    verb = _verb_noun(t, pred, lex)
    if verb in lex.focus_verbs:
        return np
    if not verb:
        return np if lex.bare_object_roles else None
    if verb in lex.role_verbs or pred.tag == "VV":
        return np if np.endswith(verb) else f"{np} {verb}"
    return np if lex.bare_object_roles else None  # "GPU를 확대": a verb that names no business


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
        if role is None:
            return ""
        if role and lex.has_domain(role):
            return role
    # no argument particle: a bare nominal description naming an activity ("하이퍼클로바X 개선 중인"),
    # not a bare topic word ("AI에 관심이 많다")
    for run in reversed(nominal_runs(toks)):
        role = render(text, run)
        if lex.has_domain(role) and (lex.vocab.activity(role) or (lex.bare_object_roles and len(run) > 1)):
            return role
    return ""
