"""The link step: predicate frames of each sentence, then the configured link constructions.

A link is ``source -type-> target`` between two entity keys, with what flows along it (``object``),
the sentence it was read from and the construction that read it. Types and families follow the
evaluation contract: supply (supplies, manufactures_for, rents_to), capital (invests_in, acquires),
market (partners_with, competes_with: symmetric), make (develops, authored, translated, publishes,
founded), people (leads, works_at, studied_at).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .frames import Frame, Referents, read_frames
from .lexicon import Lexicon
from .registry import Construction, FoundLink
from .view import Sentence, is_topic

FAMILY = {
    "supplies": "supply",
    "manufactures_for": "supply",
    "rents_to": "supply",
    "invests_in": "capital",
    "acquires": "capital",
    "partners_with": "market",
    "competes_with": "market",
    "develops": "make",
    "authored": "make",
    "translated": "make",
    "publishes": "make",
    "founded": "make",
    "leads": "people",
    "works_at": "people",
    "studied_at": "people",
}
SYMMETRIC = {"partners_with", "competes_with"}
CLASSIFIERS = {"칩", "모델", "시리즈", "제품", "가속기", "그래픽카드", "슈퍼컴퓨터", "서비스", "앱", "카드"}
QUANTIFIERS = {"모두", "전부", "각각", "등", "들", "측", "쪽", "자신", "둘", "셋", "양사", "형제"}
LINK_COLUMNS = [
    "review_id",
    "source",
    "type",
    "target",
    "object",
    "era",
    "era_year",
    "evidence",
    "sent_id",
    "evidence_start",
    "evidence_end",
    "confidence",
    "method",
]


@dataclass
class Link:
    source: str
    type: str
    target: str
    object: str
    sent_id: int
    method: str
    confidence: float
    era: str = ""
    era_year: int = 0


@dataclass
class LinkCtx:
    """What a link construction reads: the sentence view, its frames and the lexicon."""

    lex: Lexicon
    sent: Sentence
    frames: list[Frame]
    refs: Referents = field(default_factory=Referents)

    @property
    def text(self) -> str:
        return self.sent.text


MAKER = "@maker:"  # a link end standing for the maker of a product, resolved per review


def maker_of(product_key: str) -> str:
    """A placeholder for "whoever makes this product": resolved from the review's develops links."""
    return MAKER + product_key


def resolve_makers(links: list[Link], known: dict[str, str]) -> list[Link]:
    """Replace maker placeholders by the product's developer (this review's develops links first,
    then ``known``, e.g. from the gazetteer); links whose maker stays unknown are dropped."""
    makers = dict(known)
    makers.update({x.target: x.source for x in links if x.type == "develops"})
    out = []
    for x in links:
        src = makers.get(x.source[len(MAKER) :], "") if x.source.startswith(MAKER) else x.source
        tgt = makers.get(x.target[len(MAKER) :], "") if x.target.startswith(MAKER) else x.target
        if src and tgt and src != tgt:
            x.source, x.target = sorted((src, tgt)) if x.type in SYMMETRIC else (src, tgt)
            out.append(x)
    return out


def _link(c: Construction, f: FoundLink, sid: int) -> Link | None:
    if f.type not in FAMILY:
        raise ValueError(f"construction {c.name}: unknown link type {f.type!r}")
    if not f.source or not f.target or f.source == f.target:
        return None
    src, tgt = sorted((f.source, f.target)) if f.type in SYMMETRIC else (f.source, f.target)
    conf = c.confidence if f.confidence is None else f.confidence
    return Link(src, f.type, tgt, f.object, sid, f.method or c.name, conf)


# words that say a deal did not happen: the predicates before them state no link
CALLED_OFF = ("무산", "결렬", "불발", "좌초", "철회", "성사되지", "거절", "포기", "실패", "백지화", "무산됐", "취소")


def _called_off(s: Sentence, f: Frame) -> bool:
    """``X가 Y를 인수하려 했지만 무산됐다``: a deal the sentence calls off later states no link."""
    text = s.text[f.toks[-1].end : s.end]
    return any(w in text for w in CALLED_OFF)


def main_work(sentences: list[Sentence]) -> dict | None:
    """The work a review is about: one named in its header, else the most mentioned, else None."""
    works = [(s.body, m) for s in sentences for m in s.mentions if m["label"] == "WORK"]
    if not works:
        return None
    header = [m for body, m in works if not body]
    if header:
        return header[0]
    counts = Counter(m["key"] for _, m in works)
    best = max(counts.values())
    return next(m for _, m in works if counts[m["key"]] == best)


class LinkStep:
    """Links of every sentence, by the link constructions configured (in their order)."""

    def __init__(self, lex: Lexicon, constructions: list[Construction], makers: dict[str, str] | None = None):
        self.lex = lex
        self.makers = makers or {}  # product key -> maker key known beforehand (the gazetteer)
        self.constructions = [c for c in constructions if c.scope == "link"]
        lx = lex.links
        titles = set(lex.person_titles) | set(lx.leader_titles + lx.founder_titles + lx.staff_titles)
        self.appositive = frozenset(titles | set(lex.company_nouns) | QUANTIFIERS)

    def __call__(self, sentences: list[Sentence]) -> list[Link]:
        out: list[Link] = []
        refs = Referents(
            company_nouns=frozenset(self.lex.company_nouns),
            appositive=self.appositive,
            classifiers=frozenset(p.replace(" ", "") for p in self.lex.product_nouns) | CLASSIFIERS,
        )
        refs.work = main_work(sentences)
        refs.author = next((m for s in sentences if not s.body for m in s.mentions if m["label"] == "PERSON"), None)
        prev_pid = None
        for s in sentences:
            if s.pid != prev_pid:
                refs.topic = []
            frames = [f for f in read_frames(s, refs) if not f.negated and not _called_off(s, f)]
            ctx = LinkCtx(self.lex, s, frames, refs)
            for c in self.constructions:
                out += [x for f in c.func(ctx) if (x := _link(c, f, s.sid)) is not None]
            self._update(refs, s)
            prev_pid = s.pid
        return resolve_makers(out, self.makers)

    @staticmethod
    def _update(refs: Referents, s: Sentence) -> None:
        topics = [m for m in s.actors if is_topic(s.toks, m)]
        refs.topic = topics or refs.topic
        refs.recent = list(s.actors) or refs.recent
        persons = [m for m in s.actors if m["label"] == "PERSON"]
        if persons:
            refs.person = persons[-1]
