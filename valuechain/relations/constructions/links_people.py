"""People links: who founded, leads, works or studied where (verbs, titles and ``출신``)."""

from __future__ import annotations

import functools
import re

from ..links import LinkCtx
from ..registry import FoundLink, construction
from .links_supply import _pairs


def org_kind(lex, name: str) -> str:
    """university | publisher | media | government | research | "" (a company) from the name's ending."""
    flat = name.replace(" ", "")
    for kind, marks in lex.links.org_kinds.items():
        for mk in sorted(marks, key=len, reverse=True):
            if flat.endswith(mk.replace(" ", "")) and (len(mk) > 1 or len(flat) > 2):
                return kind
    return ""


def _orgs(ms: list[dict]) -> list[dict]:
    return [m for m in ms if m["label"] == "ORG"]


def _persons(ms: list[dict]) -> list[dict]:
    return [m for m in ms if m["label"] == "PERSON"]


@construction("founder_verb", "link", 0.8)
def founder_verb(ctx: LinkCtx) -> list[FoundLink]:
    """``누리랩을 세운 한지훈``, ``한지훈은 2015년 누리랩을 창업했다``, ``누리랩은 한지훈이 세운 회사다``:
    the subject founded the organisation object."""
    out = []
    for f in ctx.frames:
        if f.voice == "active" and ctx.lex.links.is_("found", f.verbs):
            out += _pairs(f.subjects(), _orgs(f.named("obj", ctx.lex.company_nouns)), "founded", "")
    return out


@construction("leader_verb", "link", 0.75)
def leader_verb(ctx: LinkCtx) -> list[FoundLink]:
    """``누리랩을 이끄는 한지훈``, ``누리랩의 대표를 맡고 있는 한지훈``: the person leads the organisation."""
    out = []
    titles = set(ctx.lex.links.leader_titles)
    for f in ctx.frames:
        if f.voice != "active" or not ctx.lex.links.is_("lead", f.verbs):
            continue
        subj = _persons(f.subjects())
        if "맡" in f.verbs:  # 대표를 맡다: the title's owner is the organisation
            orgs = [m for p in f.phrases("obj") if {t.text for t in p.head_nouns()} & titles for m in _orgs(p.owners())]
        else:
            orgs = _orgs(f.named("obj", ctx.lex.company_nouns))
        out += _pairs(subj, orgs, "leads", "")
    return out


def _study(ctx: LinkCtx, f) -> bool:
    study = ctx.lex.links.verbs.get("study", set())
    return bool(f.verbs & study) or any(t.text in study for p in f.phrases("obj") for t in p.head_nouns())


@construction("work_study_verb", "link", 0.7)
def work_study_verb(ctx: LinkCtx) -> list[FoundLink]:
    """``한지훈은 누리전자에서 일했다`` (works_at), ``한지훈은 한빛대학교에서 박사 학위를 받았다``,
    ``한빛대를 졸업한 한지훈`` (studied_at)."""
    out = []
    for f in ctx.frames:
        persons = _persons(f.subjects())
        if not persons:
            continue
        where = [m for c in ("loc", "dat", "obj") for p in f.phrases(c) for m in p.all_actors()]
        if _study(ctx, f):
            out += _pairs(persons, _orgs(where), "studied_at", "")
        elif ctx.lex.links.is_("work", f.verbs):
            at = [m for c in ("loc", "dat") for p in f.phrases(c) for m in p.all_actors()]
            out += _pairs(persons, _orgs(at), "works_at", "")
    return out


def _title_type(ctx: LinkCtx, title: str, org_name: str) -> str:
    lx = ctx.lex.links
    if title in lx.founder_titles:
        return "founded"
    if title in lx.leader_titles:
        return "leads"
    if title in lx.alumni_nouns:
        return "studied_at" if org_kind(ctx.lex, org_name) == "university" else "works_at"
    return "works_at"


# a title ends the word or takes a particle (기자의, 대표인, CEO는), never goes on (대표적, 이사회)
_TITLE_END = r"(?=$|[\s,.)'\"’”·/]|의|는|은|이|가|를|을|와|과|로|으로|에|도|인|였|다|님|로서|출신)"


def _title_re(ctx: LinkCtx) -> re.Pattern:
    lx = ctx.lex.links
    return _compile_titles(frozenset(lx.leader_titles + lx.founder_titles + lx.staff_titles) | lx.alumni_nouns)


@functools.lru_cache(maxsize=8)
def _compile_titles(titles: frozenset[str]) -> re.Pattern:
    """The title pattern, compiled once per set of titles (it was rebuilt for every sentence)."""
    words = sorted(titles, key=lambda w: (-len(w), w))
    return re.compile(
        r"\s*(?:의\s*)?(?:(?:AI|최고|전|前|현|초대|공동)\s*)?(" + "|".join(map(re.escape, words)) + r")" + _TITLE_END
    )


def _between(ctx: LinkCtx, a: dict, b: dict) -> str:
    return ctx.text[a["end"] : b["start"]]


@construction("title_link", "link", 0.8)
def title_link(ctx: LinkCtx) -> list[FoundLink]:
    """``누리랩 대표 한지훈``, ``한지훈 누리랩 CEO``, ``누리랩의 창업자 한지훈``, ``누리전자 출신 연구자
    한지훈``, ``누리일보 기자 한지훈``: an organisation, a title and a person side by side."""
    out = []
    ms = ctx.sent.mentions
    pat = _title_re(ctx)
    for o in _orgs(ms):
        for p in _persons(ms):
            if o["end"] <= p["start"] and p["start"] - o["end"] <= 25:  # ORG TITLE (인) PERSON
                m = pat.match(_between(ctx, o, p))
                rest = _between(ctx, o, p)[m.end() :] if m else ""
                second = pat.match(rest)  # "누리 출신 엔지니어 한지훈": a second title
                rest = rest[second.end() :] if second else rest
                gap_ok = m and rest in ("", " ", "인 ", "이자 ", "이던 ", "였던 ")
            elif p["end"] <= o["start"] and o["start"] - p["end"] <= 3:  # PERSON ORG TITLE
                m = pat.match(ctx.text[o["end"] : o["end"] + 16])
                gap_ok = m and _between(ctx, p, o).strip() in ("", ",")
            else:
                continue
            if gap_ok:
                out.append(FoundLink(p["key"], _title_type(ctx, m.group(1), o["text"]), o["key"], ""))
        author = ctx.refs.author  # "누리일보 기자인 저자는": the author of the book under review
        m = pat.match(ctx.text[o["end"] : o["end"] + 25])
        if author is not None and m and re.match(r"(인|이자|였던)?\s*(저자|지은이)", ctx.text[o["end"] + m.end() :]):
            out.append(FoundLink(author["key"], _title_type(ctx, m.group(1), o["text"]), o["key"], ""))
    return out


@construction("possessive_person", "link", 0.55)
def possessive_person(ctx: LinkCtx) -> list[FoundLink]:
    """``누리랩의 한지훈`` (works there), ``한지훈의 누리랩``, ``한지훈 대표의 누리랩`` (his company: leads it)."""
    out = []
    ms = [m for m in ctx.sent.mentions if m["label"] in ("ORG", "PERSON")]
    titles = set(ctx.lex.links.leader_titles) | set(ctx.lex.person_titles)
    for a, b in zip(ms, ms[1:]):
        gap = ctx.text[a["end"] : b["start"]].strip()
        if not gap.endswith("의") or (gap != "의" and gap[:-1].strip() not in titles):
            continue  # "누리랩의 한지훈", "한지훈 대표의 누리랩"
        if a["label"] == "ORG" and b["label"] == "PERSON":
            out.append(FoundLink(b["key"], "works_at", a["key"]))
        elif a["label"] == "PERSON" and b["label"] == "ORG":
            out.append(FoundLink(a["key"], "leads", b["key"]))
    return out
