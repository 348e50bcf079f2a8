"""The sentence view every construction reads: Kiwi tokens, the sentence's mentions, coordinated groups.

Built once per sentence by the extractor; constructions are pure functions of it (and the lexicon).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ACTORS = {"ORG", "PERSON"}
NOMINAL = ("NNG", "NNP", "SL", "SN", "XSN", "SH", "NR")
SUBJECT_PARTICLES = ("은", "는", "이", "가")
COORD = re.compile(r"\s*(와|과|및|,|·|、|/|그리고|\s)*\s*")
# words of time that may open a noun run (같은 해 센서 회사 ...) and are never part of a role
TIME_WORDS = {
    "후",
    "전",
    "이후",
    "이전",
    "당시",
    "때",
    "중",
    "현재",
    "최근",
    "지금",
    "올해",
    "작년",
    "이번",
    "향후",
    "해",
}
# nouns of place after a product (GPU 옆에, 서버 안에): where something sits, never part of an offering
POSITION = {"옆", "위", "아래", "안", "밖", "뒤", "앞", "속", "사이", "곁", "근처", "주변", "쪽"}
DETERMINERS = {"일부", "여러", "주요", "대부분", "모든", "각", "몇몇", "다른", "기타", "유수"}
# nouns of manner before a verbal noun: 위탁 생산, 독점 공급, 공동 개발
MANNER = {
    "위탁",
    "독점",
    "공동",
    "직접",
    "대량",
    "단독",
    "우선",
    "추가",
    "본격",
    "전량",
    "합작",
    "수탁",
    "일부",
    "최초",
}
JOINT = {"공동", "함께", "직접", "같이", "새로"}  # adverbs between an organisation and its founding verb


@dataclass
class T:
    """One Kiwi token (an eojeol part): surface, ``+``-joined tags, character offsets, lemma."""

    text: str
    tags: list[str]
    start: int
    end: int
    lemma: str
    aux: str = ""  # an auxiliary verb read with this verb (빌려 주다: 주)
    # the first tag, kept as a field: it is read millions of times per corpus (tags never change)
    tag: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.tag = self.tags[0]

    @property
    def last(self) -> str:
        return self.tags[-1]


Spans = list[tuple[int, int]]


def inside(t: T, spans: Spans) -> bool:
    """Does token ``t`` start inside one of ``spans``?"""
    return any(s <= t.start < e for s, e in spans)


@dataclass
class Sentence:
    """One analysed sentence: its tokens and mentions (sorted by start), in the review's text."""

    text: str  # the whole review text (offsets are review offsets)
    sid: int
    pid: int
    section: str
    start: int
    end: int
    toks: list[T]
    mentions: list[dict]
    actors: list[dict] = field(init=False)
    spans: Spans = field(init=False)  # every mention
    actor_spans: Spans = field(init=False)

    def __post_init__(self) -> None:
        self.actors = [m for m in self.mentions if m["label"] in ACTORS]
        self.spans = [(m["start"], m["end"]) for m in self.mentions]
        self.actor_spans = [(m["start"], m["end"]) for m in self.actors]

    @property
    def body(self) -> bool:
        """Running text (not a title, byline or keyword line)."""
        return self.section in ("body", "text")

    def before(self, pos: int) -> list[T]:
        return [t for t in self.toks if t.end <= pos]

    def after(self, pos: int) -> list[T]:
        return [t for t in self.toks if t.start >= pos]


def view_tokens(toks: list[tuple[int, str, str, str, int, int]]) -> list[T]:
    """A sentence's analysed tokens from the tuples of :func:`valuechain.docs.doc_tokens` (no spaCy Token
    objects; spaces and skipped text are already left out)."""
    return [T(form, tag.split("+"), start, end, lemma) for _i, form, tag, lemma, start, end in toks]


def groups_of(text: str, actors: list[dict]) -> list[list[dict]]:
    """Actors joined by 와/과/및/commas/middle dots on one line form a group that shares a role."""
    groups: list[list[dict]] = []
    for m in actors:
        gap = text[groups[-1][-1]["end"] : m["start"]] if groups else ""
        if groups and COORD.fullmatch(gap) and "\n" not in gap:
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def noun_run_after(toks: list[T], end: int, spans: Spans, limit: int = 3) -> list[T]:
    """Up to ``limit`` nouns right after ``end`` (no name inside, at most one space between them)."""
    run: list[T] = []
    for t in toks:
        if t.start <= end:
            continue
        if t.tag in NOMINAL and len(t.tags) == 1 and not inside(t, spans) and len(run) < limit:
            if run and t.start - run[-1].end > 1:
                break
            run.append(t)
        else:
            break
    while run and run[-1].text in POSITION:  # "가나 GPU 옆에": the product, not the place beside it
        run.pop()
    return run


def nominal_runs(toks: list[T]) -> list[list[T]]:
    """Maximal runs of single-morpheme nominal tokens."""
    runs, run = [], []
    for t in toks:
        if t.tag in NOMINAL and len(t.tags) == 1:
            run.append(t)
        else:
            if run:
                runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def render(text: str, toks: list[T]) -> str:
    """The surface of a token run with its original spacing, particles never included."""
    if not toks:
        return ""
    return re.sub(r"\s+", " ", text[toks[0].start : toks[-1].end]).strip()


def stem(tok: T) -> str:
    """A predicate's stem: the noun of ``NNG+하다`` as is, a verb's first morpheme without 다 (세우다 -> 세우)."""
    if tok.tag == "NNG":
        return tok.text
    s = tok.lemma.split("+")[0]
    return s[:-1] if s.endswith("다") else s


def clause_before(toks: list[T]) -> list[T]:
    """The tokens of ``toks`` back to the last punctuation: the relative clause ending there."""
    clause: list[T] = []
    for t in reversed(toks):
        if t.tag in ("SP", "SF", "SS", "SSO", "SSC"):
            break
        clause.insert(0, t)
    return clause


def next_after(toks: list[T], end: int) -> T | None:
    return next((t for t in toks if t.start >= end), None)


def is_topic(toks: list[T], m: dict) -> bool:
    """Is mention ``m`` followed right away by a subject/topic particle or a copula?"""
    t = next_after(toks, m["end"])
    return (
        t is not None
        and t.start == m["end"]
        and ((t.tag in ("JX", "JKS") and t.text in SUBJECT_PARTICLES) or t.tag == "VCP")
    )


def has_subject(s: Sentence) -> bool:
    """Does the sentence state its own subject (a name, a pronoun or a noun with 은/는/이/가)?"""
    if any(is_topic(s.toks, m) for m in s.actors):
        return True
    toks = s.toks
    for k, t in enumerate(toks[:-1]):
        nxt = toks[k + 1]
        if (
            nxt.tag in ("JX", "JKS")
            and nxt.text in SUBJECT_PARTICLES
            and t.tag in ("NP", "NNG", "NNP")
            and t.end == nxt.start
        ):
            return True
    return False


def present_tense(toks: list[T]) -> bool:
    """Is the sentence's final predicate in the present tense (no past marker 었/았/였 before its ending)?"""
    ends = [k for k, t in enumerate(toks) if "EF" in t.tags]
    if not ends:
        return False
    k = ends[-1]
    last = toks[k]
    if "EP" in last.tags:
        return False
    return not (k > 0 and "EP" in toks[k - 1].tags and toks[k - 1].end == last.start)
