"""Named rules that correct the classifier's unknown-name mentions of one review (config ``ner.rules``).

Each rule takes the review's :class:`RuleContext` and its mentions and returns the corrected list; it
reads only general Korean morphology and context (no entity names). They run in :data:`RULES` order
after the gazetteer, dates, works, classifier and parenthetical aliases, before ambiguous gazetteer
aliases are confirmed and names are propagated through the review. Offsets stay exact: a mention's
``text`` is always ``review[start:end]``.

- not names: :func:`gloss`, :func:`byline`, :func:`heading`, :func:`generic_phrase`, :func:`acronym`,
  :func:`kind_modifier`
- spans: :func:`suffix_repair`, :func:`particle_trim`, :func:`person_org_split`, :func:`full_name`
- types: :func:`form_type`, :func:`context_type`, :func:`paren_alias`, :func:`consistent_type`
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..gazetteer import norm_key
from . import cues
from .candidates import NAMEISH, SURNAMES, Tok

ACTOR = ("ORG", "PERSON")
# sources whose type and span the rules may change (not gazetteer, dates, works or header names)
OPEN = ("model", "paren", "propagated")


@dataclass
class RuleContext:
    text: str
    toks: list[Tok]  # all tokens of the review (spaces and skipped text dropped)
    stop: set[str]  # norm_key of generic terms (resources/stoplist.txt)
    known: Callable[[str], bool] = lambda form: False  # a form Kiwi knows as a common noun
    gaz: Callable[[str], tuple[str, str] | None] = lambda key: None  # norm_key -> (unambiguous id, label)
    sents: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, sent_id)
    dropped: set[str] = field(default_factory=set)  # keys that are not names anywhere in the review

    def __post_init__(self):
        self._by_start = {t.start: t for t in reversed(self.toks)}  # the first token starting there
        self._by_end = {t.end: t for t in self.toks}

    def tok_at(self, pos: int) -> Tok | None:
        """The token starting at ``pos``, if any."""
        return self._by_start.get(pos)

    def tok_ending(self, pos: int) -> Tok | None:
        """The token ending at ``pos``, if any."""
        return self._by_end.get(pos)

    def sent_at(self, pos: int) -> int:
        return next((sid for s, e, sid in self.sents if s <= pos < e), 0)

    def line_of(self, pos: int) -> tuple[int, int]:
        s = self.text.rfind("\n", 0, pos) + 1
        e = self.text.find("\n", pos)
        return s, (len(self.text) if e < 0 else e)


def evidence(m) -> str:
    """The type the form or context of mention ``m`` points to (set by the rules), or ``""``."""
    return m.extra.get("evidence", "")


def _mark(m, label: str, force: bool = True) -> None:
    if force or not evidence(m):
        m.extra["evidence"] = label


def _weak(m, label: str) -> None:
    """Weaker evidence (an alias's type, coordination with typed names): counted when no strong one exists."""
    m.extra.setdefault("weak", label)


def _new(m, start: int, end: int, text: str, **kw):
    """A copy of mention ``m`` with another span (and optionally other fields)."""
    from .recognizer import Mention, new_key

    d = dict(
        start=start,
        end=end,
        text=text[start:end],
        label=m.label,
        key=new_key(text[start:end]),
        source=m.source,
        confidence=m.confidence,
        sent_id=m.sent_id,
    )
    d.update(kw)
    return Mention(**d)


# ---------------------------------------------------------------------------------------- not names
_GLOSS_INNER = re.compile(r"[A-Za-z][A-Za-z0-9.&'\- ]{0,40}")


def gloss(ctx: RuleContext, mentions: list) -> list:
    """A Latin word glossing the common noun before it is not a name.

    ``설계 전문 기업(Fabless)``, ``공장(Foundry)``, ``절연 필름(ABF)``: the word before the parenthesis is
    a common noun (NNG), not part of a name, so ``Fabless``/``Foundry``/``ABF`` only translate it; the
    same word is then not a name elsewhere in the review either. Near miss: ``하이브랙(HiveRack)`` (the
    word before is a name: an alias, see :func:`paren_alias`), ``엔비디아(NVIDIA)``, and an institution
    named by common nouns, ``야생동물보건센터(NWHC)`` (its head ``센터`` names an institution).
    """
    text = ctx.text
    spans = [(m.start, m.end) for m in mentions]
    out = []
    for m in mentions:
        if (
            m.source in OPEN
            and text[m.start - 1 : m.start] == "("
            and text[m.end : m.end + 1] == ")"
            and _GLOSS_INNER.fullmatch(m.text)
        ):
            prev = ctx.tok_ending(m.start - 1)
            if (
                prev is not None
                and prev.tag == "NNG"
                and not prev.text.endswith(cues.INSTITUTION_HEADS)
                and not any(s < prev.end and prev.start < e for s, e in spans)
                and not cues.org_form(m.text)
            ):
                ctx.dropped.add(m.key)
                continue
        out.append(m)
    return out


_BYLINE = re.compile(
    r"^[ \t]*(?:by|BY|By|written by|글\s*[·∙•/|:]\s*(?:사진\s*[·∙•/|:]?\s*)?|글쓴이\s*[:：]?|필자\s*[:：]?|"
    r"작성자\s*[:：]?)[ \t]*([^\n(]{1,30}?)[ \t]*(?:\(.*)?$",
    re.M,
)


def byline(ctx: RuleContext, mentions: list) -> list:
    """A blog handle in a byline is not an actor; a real personal name there is a person.

    ``by 새벽공정``, ``글 · 칩과책 (장비 회사에서 일합니다)``: the handle is dropped, here and wherever the
    classifier finds it again in the review. Near miss: ``글 · 사진 홍길동`` (shaped like a Korean personal
    name: kept as PERSON).
    """
    drop = set()
    for mo in _BYLINE.finditer(ctx.text):
        s, e = mo.start(1), mo.end(1)
        for m in mentions:
            if s <= m.start and m.end <= e and m.source in OPEN + ("header",):
                if cues.person_form(m.text):
                    m.label = "PERSON"
                    _mark(m, "PERSON")
                else:
                    drop.add(m.key)
    ctx.dropped |= drop
    return [m for m in mentions if not (m.key in drop and m.source in OPEN)]


_NUMBERING = re.compile(
    r"^[ \t]*(?:[#■□●○◆◇▶▷►•\-*]+|\d{1,2}[.)]|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+[.)]?|제\s?\d+\s?[장부절]|"
    r"(?:part|chapter|ch\.)\s?\d+[.:]?|[A-Z][.)])?[ \t]*",
    re.I,
)


def heading(ctx: RuleContext, mentions: list) -> list:
    """A short line that is only a (numbered) label is a section heading, not a name.

    ``Epilogue``, ``1. Intro``, ``■ 에필로그``: an unknown word standing alone on its line, after optional
    numbering or a bullet, is dropped there (its other occurrences are judged on their own). Near miss:
    ``하이브랙은 GPU를 빌려준다.`` (the name is part of a sentence).
    """
    out = []
    for m in mentions:
        if m.source in OPEN and m.label in ACTOR + ("LOC",):
            ls, le = ctx.line_of(m.start)
            line = ctx.text[ls:le]
            body = line[_NUMBERING.match(line).end() :].strip().rstrip(":.")
            if body == m.text and le - ls <= 40:
                continue
        out.append(m)
    return out


def generic_phrase(ctx: RuleContext, mentions: list) -> list:
    """A run of generic words is not a name, even when Kiwi tags one of them as a proper noun.

    ``GPU 클라우드``, ``AI 반도체``: a stoplist term and other such terms or common nouns Kiwi knows.
    Near miss: ``하이브 클라우드`` (``하이브`` is neither), ``실버 서퍼`` (no generic term of the domain).
    """
    out = []
    for m in mentions:
        if m.source in OPEN and " " in m.text.strip():
            words = m.text.split()
            stop = [norm_key(w) in ctx.stop for w in words]
            if any(stop) and all(s or (len(w) >= 2 and ctx.known(w)) for w, s in zip(words, stop)):
                continue
        out.append(m)
    return out


def acronym(ctx: RuleContext, mentions: list) -> list:
    """An acronym is never a person: a company with organisation evidence, else a product or material.

    ``ABF를 대고``, ``CoWoS``, ``HBM3E``: a single Latin word with two or more capitals typed PERSON by the
    classifier is dropped unless the context marks an organisation (``HMC의 CEO`` -> ORG); a Latin word
    hyphenated to the next or previous one is part of a product code (``FC-BGA``), whatever its type.
    Near miss: ``ASML이 인수했다`` (typed ORG: kept), ``Miller`` (a capitalised word may be a surname:
    kept).
    """
    out = []
    text = ctx.text
    for m in mentions:
        if m.source in OPEN and re.fullmatch(r"[A-Za-z][A-Za-z0-9&\-]*", m.text):
            if re.match(r"-[A-Za-z0-9]", text[m.end : m.end + 2]) or re.search(r"[A-Za-z0-9]-$", text[: m.start]):
                continue  # FC-BGA, MR-MUF: part of a product code
        if m.source in OPEN and m.label == "PERSON" and re.fullmatch(r"[A-Za-z][A-Za-z0-9&\-]*", m.text):
            if sum(c.isupper() for c in m.text) >= 2:
                if cues.context_label(ctx.text, m.start, m.end) != "ORG":
                    continue
                m.label = "ORG"
                _mark(m, "ORG")
        out.append(m)
    return out


_KIND_THEN_NAME = re.compile(r"^ (" + "|".join(re.escape(k) for k in cues.ORG_KINDS) + r") \S")


def kind_modifier(ctx: RuleContext, mentions: list) -> list:
    """A word before an organisation kind that is followed by a name is the sector, not a name.

    ``SMR 스타트업 오클로``, ``냉각 업체 쿨텍``: the word classifies the company named after the kind noun.
    Near miss: ``한결캐피탈 대표 서민우`` (a title, not a kind noun).
    """
    out = []
    for m in mentions:
        if m.source in OPEN and m.label in ACTOR and not cues.org_form(m.text):
            mo = _KIND_THEN_NAME.match(ctx.text[m.end : m.end + 20])
            if mo:
                nxt = ctx.tok_at(m.end + 2 + len(mo.group(1)))
                if nxt is not None and nxt.tag in NAMEISH:
                    continue
        out.append(m)
    return out


# -------------------------------------------------------------------------------------------- spans
def suffix_repair(ctx: RuleContext, mentions: list) -> list:
    """A name's boundary includes its organisation head even when Kiwi splits it off.

    ``타카미정공을`` (Kiwi: 타카미정/NNP 공/NNB 을/JKO) -> ``타카미정공`` ORG; ``카이로스 파워와`` ->
    ``카이로스 파워`` ORG (a transliterated corporate word as the next word belongs to the name; other
    bare ``카이로스`` mentions of the review join that entity). Near miss: ``타카미정을`` (no head:
    unchanged), ``페어챠일드 반도체의`` (a Korean head word may be the product: the span stays, the
    type becomes ORG, see :func:`context_type`).
    """
    text = ctx.text
    taken = [(m.start, m.end) for m in mentions]
    out, renamed = [], {}
    for m in mentions:
        if m.source in OPEN and not cues.org_form(m.text):
            pos = m.end
            for _ in range(2):
                t = ctx.tok_at(pos)
                if t is None or t.tag not in ("NNB", "NNG", "XSN", "NNP"):
                    break
                pos = t.end
                if cues.org_form(text[m.start : pos]):
                    if not any(s < pos and m.end < e for s, e in taken if (s, e) != (m.start, m.end)):
                        m = _new(m, m.start, pos, text, label="ORG")
                        _mark(m, "ORG")
                    break
            nxt = ctx.tok_at(m.end + 1) if text[m.end : m.end + 1] == " " else None
            if (
                nxt is not None
                and m.label in ACTOR + ("LOC",)
                and nxt.text in cues.NAME_HEAD_WORDS
                and not any(s < nxt.end and nxt.start < e for s, e in taken)
            ):
                glued = ctx.tok_at(nxt.end)
                if not re.match(r"\w", text[nxt.end : nxt.end + 1]) or (glued is not None and glued.tag[0] == "J"):
                    old = m.key
                    m = _new(m, m.start, nxt.end, text, label="ORG")
                    _mark(m, "ORG")
                    renamed[old] = m.key
        out.append(m)
    for m in out:  # the bare name elsewhere is the same company
        if m.source in OPEN and m.key in renamed:
            m.key = renamed[m.key]
            m.label = "ORG"
            _mark(m, "ORG")
    return out


_PARTICLE_END = ("와", "과", "는", "은", "이", "가", "를", "을", "의", "도", "에", "로", "만")


def particle_trim(ctx: RuleContext, mentions: list) -> list:
    """A particle Kiwi glued into a name's token stays outside the mention.

    ``노이스와 고든 무어가`` (Kiwi: 노이스와/NNP): when ``노이스`` is a name elsewhere in the review (or an
    unambiguous gazetteer alias), the mention is ``노이스`` with that name's entity and type, whether or
    not the classifier picked ``노이스와``. Near miss: ``하이브랙과`` when ``하이브랙`` is no name of the
    review (``과`` may belong to the name: kept).
    """
    names = {}
    for m in mentions:
        if m.source not in OPEN or not m.text.endswith(_PARTICLE_END):
            names.setdefault(norm_key(m.text), m)

    def stem_of(text: str):
        stem = norm_key(text[:-1])
        src = names.get(stem)
        if src is not None:
            return src.label, src.key
        hit = ctx.gaz(stem)
        return (hit[1], hit[0]) if hit else None

    out = []
    covered = [(m.start, m.end) for m in mentions]
    for m in mentions:
        if m.source in OPEN and m.text.endswith(_PARTICLE_END) and len(m.text) >= 3:
            hit = stem_of(m.text)
            if hit is not None:
                m = _new(m, m.start, m.end - 1, ctx.text, label=hit[0], key=hit[1])
        out.append(m)
    for t in ctx.toks:  # tokens the classifier left alone
        if t.tag == "NNP" and len(t.text) >= 3 and t.text.endswith(_PARTICLE_END):
            if any(s < t.end and t.start < e for s, e in covered):
                continue
            hit = stem_of(t.text)
            if hit is not None:
                from .recognizer import Mention

                stem = ctx.text[t.start : t.end - 1]
                out.append(Mention(t.start, t.end - 1, stem, hit[0], hit[1], "model", 0.5, ctx.sent_at(t.start)))
    return out


def person_org_split(ctx: RuleContext, mentions: list) -> list:
    """``남궁현 큐빅칩스 대표``: a personal name next to an organisation name is two mentions.

    A two-word mention whose one word is shaped like a Korean personal name and whose other word is an
    organisation (an organisation head, or a long word between the name and a title: ``오하린 스텔라큐브
    대표``) becomes a PERSON and an ORG. Near miss: ``라이언 고슬링이`` (no organisation: kept whole).
    """
    out = []
    for m in mentions:
        words = m.text.split(" ")
        if m.source in OPEN and m.label in ACTOR and len(words) == 2 and all(words):
            shapes = [cues.korean_person_form(w) for w in words]
            other = words[shapes.index(False)] if shapes[0] != shapes[1] else ""
            titled = bool(cues._TITLE_RX.match(ctx.text[m.end : m.end + 12]))
            if (
                other
                and other not in cues.ORG_KINDS + cues.TITLES
                and norm_key(other) not in ctx.stop
                and not ctx.known(other)
                and (cues.org_form(other) or (titled and shapes[0] and len(other) >= 4))
            ):
                a_end = m.start + len(words[0])
                b_start = a_end + 1
                for s, e, is_person in ((m.start, a_end, shapes[0]), (b_start, m.end, shapes[1])):
                    part = _new(m, s, e, ctx.text, label="PERSON" if is_person else "ORG")
                    _mark(part, part.label)
                    out.append(part)
                continue
        out.append(m)
    return out


def _particle_after(ctx: RuleContext, pos: int) -> bool:
    t = ctx.tok_at(pos)
    return t is not None and t.tag.startswith("J")


def full_name(ctx: RuleContext, mentions: list) -> list:
    """A transliterated given name and the family name after it are one person.

    ``소피아 렌츠 지음``, ``콜리스 헌팅톤은``: the classifier picked ``소피아``; the next word is a proper
    noun (Hangul, two to five syllables, unknown to Kiwi, not shaped like a Korean name, no organisation
    head, in no other mention; or a one-syllable family name with its particle: ``모리스 장에게``) and
    ends its word with a particle, punctuation, the line end or a personal title, so the mention becomes
    ``소피아 렌츠``. Near miss: ``도라에몽 에피중`` (a common noun
    after the name), ``반고흐 싱크로율`` (the word goes on after the particle-like syllable).
    """
    text = ctx.text
    taken = [(m.start, m.end) for m in mentions]
    out = []
    for m in mentions:
        if (
            m.source in OPEN
            and m.label == "PERSON"
            and " " not in m.text
            and cues._HANGUL.match(m.text)
            and not cues.korean_person_form(m.text)
            and text[m.end : m.end + 1] == " "
        ):
            nxt = ctx.tok_at(m.end + 1)
            if (
                nxt is not None
                and nxt.tag in ("NNP", "NNG")
                and nxt.text != m.text
                and cues._HANGUL.match(nxt.text)
                and (
                    (nxt.tag == "NNP" and 2 <= len(nxt.text) <= 5)
                    or (len(nxt.text) == 1 and nxt.text in SURNAMES and _particle_after(ctx, nxt.end))
                )
                and not cues.korean_person_form(nxt.text)
                and (len(nxt.text) == 1 or not ctx.known(nxt.text))
                and norm_key(nxt.text) not in ctx.stop
                and not cues.org_form(m.text + " " + nxt.text)
                and not any(s < nxt.end and nxt.start < e for s, e in taken)
            ):
                pos = nxt.end
                while (t := ctx.tok_at(pos)) is not None and t.tag.startswith(("J", "VCP")):
                    pos = t.end  # the family name's particles
                nxt_char = text[pos : pos + 1]
                title = cues._TITLE_RX.match(text[pos : pos + 12]) if nxt_char == " " else None
                if (
                    not nxt_char
                    or nxt_char in "\n,.)(·!?…"
                    or (nxt_char == " " and pos > nxt.end)
                    or (title and cues.title_label(m.text + " " + nxt.text, title.group(2), False) == "PERSON")
                ):
                    m = _new(m, m.start, nxt.end, text)
        out.append(m)
    return out


# -------------------------------------------------------------------------------------------- types
def form_type(ctx: RuleContext, mentions: list) -> list:
    """A name ending in an organisation head is an organisation.

    ``타카미정공``, ``그린브릿지캐피탈``, ``텍사스 인스트루먼츠``, ``Acme Labs``: ORG whatever the classifier
    said (and a LOC guess too). Near miss: ``김정미`` (no head), ``정밀`` alone (no name before the head).
    """
    for m in mentions:
        if m.source in OPEN and m.label in ACTOR + ("LOC",) and cues.org_form(m.text):
            m.label = "ORG"
            _mark(m, "ORG")
    return mentions


def context_type(ctx: RuleContext, mentions: list) -> list:
    """The words around a name decide between ORG and PERSON when they are clear.

    ``X를 창업``, ``X에 투자``, ``X의 CEO``, ``X를 인수``, ``X가 납품``, ``X 주가``, ``스타트업 X``,
    ``X는 ... 회사다``: ORG; ``X 씨``, ``저자 X``, ``X 지음``, ``X는 ... 엔지니어다``, and a title after a
    name shaped like a personal name (``김도윤 대표``): PERSON; ``X라는 규격``: not a name (see
    :mod:`valuechain.ner.cues`). Near miss: ``X는 회사를 떠났다`` (no cue: the classifier's type stands).
    """
    for m in mentions:
        if m.source in OPEN and m.label in ACTOR + ("LOC",):
            lab = cues.context_label(ctx.text, m.start, m.end)
            if m.label == "LOC" and lab == "ORG" and not cues.head_word_after(ctx.text, m.end):
                continue  # 애리조나의 공장: places have factories too; 페어챠일드 반도체: not a place
            if lab:
                _mark(m, lab, force=False)
    return mentions


def _script(t: str) -> str:
    return (
        "latin"
        if re.fullmatch(r"[A-Za-z0-9.&'\- ]+", t)
        else "hangul"
        if cues._HANGUL.match(t.replace(" ", ""))
        else ""
    )


def paren_alias(ctx: RuleContext, mentions: list) -> list:
    """``하이브랙(HiveRack)``: an unknown Hangul name and its Latin spelling in parentheses are one entity.

    The pair takes one key (the outer name's) and one type: the evidence's, else ORG for a spelling
    with inner capitals (``HiveRack``), else the Latin spelling's (the classifier reads Latin names
    better). Near miss: ``김태원(새누리당) 의원`` (both Hangul: an
    affiliation, not an alias).
    """
    text = ctx.text
    by_start = {m.start: m for m in mentions if m.source in OPEN}
    for m in mentions:
        if m.source not in OPEN or m.label not in ACTOR or text[m.end : m.end + 1] != "(":
            continue
        inner = by_start.get(m.end + 1)
        if inner is None or inner.label not in ACTOR or text[inner.end : inner.end + 1] != ")":
            continue
        scripts = {_script(m.text), _script(inner.text)}
        if scripts != {"latin", "hangul"}:
            continue
        latin = m if _script(m.text) == "latin" else inner
        ev = evidence(m) or evidence(inner)
        camel = any(sum(c.isupper() for c in w) >= 2 for w in latin.text.split())  # HiveRack, NVIDIA
        label = ev or ("ORG" if camel else latin.label)
        old = inner.key
        for x in mentions:
            if x.key == old:
                x.key = m.key
        m.label = inner.label = label
        if ev:
            _mark(m, ev)
            _mark(inner, ev)
        else:
            _weak(m, label)
            _weak(inner, label)
    return mentions


_COORD_GAP = re.compile(r"(?:\s*(?:와|과|및|,|·|、|/|그리고|이나|나|또는|혹은)\s*)+")


def coordination(ctx: RuleContext, mentions: list) -> list:
    """A name listed with known organisations (or persons) is one too (weak evidence).

    ``네이버클라우드, KT클라우드, 그리고 하이브랙``: the other items are gazetteer ORGs, so ``하이브랙`` leans
    ORG unless its own form or context says otherwise. Near miss: ``엔비디아 주가와 하이브랙의 ...``
    (``주가`` in between: not a list of names).
    """
    ordered = sorted(mentions, key=lambda m: m.start)
    text = ctx.text
    for k, m in enumerate(ordered):
        if m.source not in OPEN or m.label not in ACTOR or evidence(m):
            continue
        for nb in (ordered[k - 1] if k else None, ordered[k + 1] if k + 1 < len(ordered) else None):
            if nb is None or nb.label not in ACTOR or not (nb.source == "gazetteer" or evidence(nb)):
                continue
            gap = text[nb.end : m.start] if nb.end <= m.start else text[m.end : nb.start]
            if gap and "\n" not in gap and _COORD_GAP.fullmatch(gap):
                _weak(m, evidence(nb) or nb.label)
                break
    return mentions


def consistent_type(ctx: RuleContext, mentions: list) -> list:
    """All mentions of one unknown name in a review have one type: the evidence's, else the classifier's.

    ``스텔라큐브`` guessed PERSON eight times but ``스텔라큐브에 투자`` once: ORG everywhere (strong evidence
    counts are compared, then weak ones; with none, the summed classifier confidence decides between
    ORG and PERSON, and a LOC guess stays). Near miss: two different names keep their own types.
    """
    groups = defaultdict(list)
    for m in mentions:
        if m.source in OPEN and m.label in ACTOR + ("LOC",):
            groups[m.key].append(m)
    for ms in groups.values():
        best = ""
        for kind in ("evidence", "weak"):
            ev = Counter(m.extra[kind] for m in ms if m.extra.get(kind))
            if ev:
                (best, n), *rest = ev.most_common()
                if rest and rest[0][1] == n:
                    best = ""
                break
        if best:
            for m in ms:
                m.label = best  # "NONE": X라는 규격, not a name (dropped below)
            continue
        actors = [m for m in ms if m.label in ACTOR]
        if actors:
            conf = Counter()
            for m in actors:
                conf[m.label] += m.confidence
            best = sorted(conf.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            for m in actors:
                m.label = best
    return [m for m in mentions if m.label != "NONE"]


def drop_keys(ctx: RuleContext, mentions: list) -> list:
    """Classifier mentions of a key some rule found is not a name (a gloss, a handle) are dropped."""
    if not ctx.dropped:
        return mentions
    return [m for m in mentions if not (m.source in OPEN and m.key in ctx.dropped and not evidence(m))]


def _candidate_rule(ctx: RuleContext, mentions: list) -> list:
    """Applied when candidates are generated (``unknown_nouns``: see Recognizer._unknown_name_shape)."""
    return mentions


RULES: dict[str, Callable] = {
    "unknown_nouns": _candidate_rule,
    "gloss": gloss,
    "byline": byline,
    "heading": heading,
    "generic_phrase": generic_phrase,
    "kind_modifier": kind_modifier,
    "particle_trim": particle_trim,
    "person_org_split": person_org_split,
    "full_name": full_name,
    "suffix_repair": suffix_repair,
    "form_type": form_type,
    "context_type": context_type,
    "paren_alias": paren_alias,
    "acronym": acronym,
    "coordination": coordination,
    "consistent_type": consistent_type,
}
DEFAULT_RULES = tuple(RULES)
# rules run again once names are propagated through the review (propagated copies get their own context)
RETYPE = ("form_type", "context_type", "coordination", "consistent_type")


def apply_rules(ctx: RuleContext, mentions: list, names=DEFAULT_RULES) -> list:
    for name in names:
        mentions = RULES[name](ctx, mentions)
    return drop_keys(ctx, mentions)


def retype(ctx: RuleContext, mentions: list, names=DEFAULT_RULES) -> list:
    """The type rules again, after propagation (a later ``X 주가`` types the ``X`` found earlier)."""
    for name in RETYPE:
        if name in names:
            mentions = RULES[name](ctx, mentions)
    return mentions
