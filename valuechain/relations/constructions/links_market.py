"""Market links: partners and competitors (symmetric)."""

from __future__ import annotations

from itertools import combinations

from ..links import LinkCtx
from ..registry import FoundLink, construction
from .links_supply import _pairs


def _among(actors: list[dict], type_: str) -> list[FoundLink]:
    """Every pair of a coordinated subject: ``한빛과 누리가 손잡았다``."""
    uniq = list({m["key"]: m for m in actors}.values())
    return [FoundLink(a["key"], type_, b["key"]) for a, b in combinations(uniq, 2)] if len(uniq) > 1 else []


def _chain(ctx: LinkCtx, f, case: str) -> list[dict]:
    """Actors of ``case`` in the connective clauses right before ``f`` (``누리와 물량을 놓고 경쟁한다``)."""
    if f.subject_from != "chain":
        return []
    k = ctx.frames.index(f)
    out = []
    for g in reversed(ctx.frames[:k]):
        if g.ending not in ("conn", "nom") or g.subjects() != f.subjects():
            break
        out += g.actors(case)
    return out


def _noun_in(ctx: LinkCtx, phrase, cls: str) -> bool:
    """Does the phrase's head hold a noun of ``cls`` (one word, or two joined: 공동 개발)?"""
    nouns = ctx.lex.links.joined(cls)
    words = [t.text for t in phrase.head_nouns()]
    return any(w in nouns for w in words) or any(a + b in nouns for a, b in zip(words, words[1:]))


_TOGETHER = ("함께", "같이")


def _together(ctx: LinkCtx, f) -> bool:
    """Is the work done together (함께/같이 before the verb, after its arguments begin)?"""
    first = min((a.start for a in f.args), default=f.toks[0].start)
    return ctx.lex.links.is_("joint_work", f.verbs) and any(
        t.text in _TOGETHER and t.tag == "MAG" and first <= t.start < f.toks[0].start for t in ctx.sent.toks
    )


@construction("partnership", "link", 0.75)
def partnership(ctx: LinkCtx) -> list[FoundLink]:
    """``한빛은 누리와 손잡고``, ``한빛이 누리와 협력해``: the subject partners with the comitative;
    ``한빛은 누리와 함께 센서를 개발했다``, ``김도윤과 박서연은 함께 특허를 냈다``: work done together."""
    out = []
    for f in ctx.frames:
        if ctx.lex.links.is_("partner", f.verbs) or ctx.lex.links.is_("partner_nouns", f.verbs):
            out += _pairs(f.subjects(), f.actors("com") + f.actors("dat") + _chain(ctx, f, "com"), "partners_with", "")
            out += _among(f.subjects(), "partners_with")  # "한빛과 누리가 손잡았다"
        elif _together(ctx, f):
            out += _pairs(f.subjects(), f.actors("com"), "partners_with", "")
            out += _among(f.subjects(), "partners_with")
    return out


@construction("partnership_noun", "link", 0.7)
def partnership_noun(ctx: LinkCtx) -> list[FoundLink]:
    """``한빛과 누리의 공동 개발``, ``한빛-누리 동맹``: a partnership noun owned by two or more actors."""
    out = []
    for f in ctx.frames:
        for p in f.args + ([f.head] if f.head else []):
            owners = list({m["key"]: m for m in p.owners()}.values())
            if len(owners) > 1 and _noun_in(ctx, p, "partner_nouns"):
                out += [FoundLink(a["key"], "partners_with", b["key"]) for a, b in combinations(owners, 2)]
    return out


@construction("competition", "link", 0.75)
def competition(ctx: LinkCtx) -> list[FoundLink]:
    """``한빛이 누리를 제치고``, ``한빛은 누리와 경쟁한다``, ``누리를 추격하는 한빛``: the subject competes
    with the object or comitative; ``한빛은 누리보다 많은 칩을 판다`` (a comparison of two actors)."""
    out = []
    lx = ctx.lex.links
    for f in ctx.frames:
        if lx.is_("compete", f.verbs) or lx.is_("compete_nouns", f.verbs):
            rivals = f.actors("obj") + f.actors("com") + f.actors("cmp") + _chain(ctx, f, "com")
            out += _pairs(f.subjects(), rivals, "competes_with", "")
            out += _among(f.subjects(), "competes_with")  # "한빛과 누리가 경쟁을 벌인다"
        elif lx.is_("compare", f.verbs) and f.actors("cmp"):
            out += _pairs(f.subjects(), f.actors("cmp"), "competes_with", "")
    return out


@construction("competition_noun", "link", 0.65)
def competition_noun(ctx: LinkCtx) -> list[FoundLink]:
    """``한빛의 경쟁자 누리``, ``한빛과 누리의 경쟁``: a rivalry noun between named actors;
    ``누리는 한빛의 경쟁자가 됐다``: the subject became the owner's rival."""
    out = []
    for f in ctx.frames:
        for p in f.args + ([f.head] if f.head else []):
            if not _noun_in(ctx, p, "compete_nouns"):
                continue
            owners = list({m["key"]: m for m in p.owners()}.values())
            named = [m for m in p.ents if m["label"] in ("ORG", "PERSON") and m not in owners]
            if len(owners) > 1:
                out += [FoundLink(a["key"], "competes_with", b["key"]) for a, b in combinations(owners, 2)]
            out += _pairs(owners, named, "competes_with", "")
            if f.verb == "되" and p.case == "subj":  # "한빛은 누리의 가장 강력한 경쟁자가 됐다"
                out += _pairs(f.subjects(), owners, "competes_with", "")
    return out
