"""Predicate frames of a sentence: who does what to whom, read from Kiwi tags without a parser.

Korean marks an argument's role with a particle and puts the predicate last, so a sentence is read
as a sequence of noun phrases (with their case: 가 subject, 는 topic, 를 object, 에 dative, 로부터
source, 와 comitative, 보다 comparison, 의 genitive) and predicates (a verbal noun + 하다/되다/받다, or
a verb), each ending a clause: relative (``-ㄴ/-는`` + head noun), connective (``-고/-아서``),
nominal (``-기``) or final. A frame gathers the phrases of its clause; a relative clause's head noun
fills its missing argument; a clause without a subject takes the one of the verb it is chained to
(``GPU를 활용해 서버를 조립하는 X``: X also uses the GPUs), else the sentence topic, else the topic of
the previous sentence (``discourse``). Link constructions match frames by verb class
(config/links.yaml).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .view import ACTORS, MANNER, NOMINAL, Sentence, T, render

CASES = {
    "이": "subj",
    "가": "subj",
    "께서": "subj",
    "은": "topic",
    "는": "topic",
    "을": "obj",
    "를": "obj",
    "에": "dat",
    "에게": "dat",
    "한테": "dat",
    "께": "dat",
    "로부터": "src",
    "으로부터": "src",
    "에게서": "src",
    "한테서": "src",
    "에서": "loc",
    "와": "com",
    "과": "com",
    "하고": "com",
    "보다": "cmp",
    "의": "gen",
    "로": "ins",
    "으로": "ins",
    "도": "topic",
}
# a relative clause on these nouns is what the sentence's subject does: "가나는 다라에서 GPU를 빌리는 계약을 맺었다"
EVENT_NOUNS = {
    "계약",
    "구조",
    "의향서",
    "계획",
    "협약",
    "방식",
    "거래",
    "전략",
    "합의",
    "양해각서",
    "MOU",
    "딜",
    "조건",
    "결정",
    "사업",
    "프로젝트",
}
TEMPORAL = {"뒤", "후", "다음", "이후", "전", "동안", "때", "순간", "무렵", "사이", "직후", "이래"}
TIME_NOUNS = {"올해", "작년", "지난해", "내년", "최근", "지금", "현재", "당시", "이후", "이전", "초", "말", "중반"}
_AUX_AFTER_EC = ("VX",)  # 하고 있다, 해 왔다: an auxiliary continues the predicate
LIGHT = {
    "하",
    "받",
    "시작",
    "마무리",
    "완료",
    "마치",
    "성사",
    "확대",
    "늘리",
    "맡",
    "담당",
    "진행",
    "본격화",
    "추진",
    "재개",
    "계속",
    "이어가",
    "벌이",
    "펼치",
    "처리",
    "수행",
    "결정",
    "단행",
    "발표",
    "체결",
    "맺",
}


@dataclass
class Phrase:
    """A noun phrase and the case its particle gives it, with what modifies it."""

    toks: list[T]
    ents: list[dict]  # mentions inside the phrase (any label), in order
    case: str = ""  # subj | topic | obj | dat | src | loc | com | cmp | gen | ins | "" (bare)
    particle: str = ""  # the particle as written (도 and 와 need it)
    mods: list[Phrase] = field(default_factory=list)  # ``X의 GPU``, ``X 칩``: the owner phrases
    rel: Frame | None = None  # a relative clause on it: ``X가 설계한 칩``
    coord: list[Phrase] = field(default_factory=list)  # ``X와 Y가``: the other conjuncts
    alias: list[dict] = field(default_factory=list)  # what ``이 회사``, ``그는`` stands for
    appositive: frozenset[str] = frozenset()  # nouns after a name that keep it the head (대표, 회사, 모두)
    classifiers: frozenset[str] = frozenset()  # nouns after a product name that keep it the head (GPU, 칩)
    after_barrier: bool = False  # "A와 B, 그리고 C가 세운 D": after 그리고, C stands apart from A and B
    _nouns: list[T] | None = field(default=None, init=False, repr=False, compare=False)
    _heads: list[dict] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def start(self) -> int:
        return self.toks[0].start

    @property
    def end(self) -> int:
        return self.toks[-1].end

    def heads(self) -> list[dict]:
        """Actor mentions heading the phrase: not followed by a noun of the phrase (``누리 출신 연구자
        한지훈``: 한지훈, not 누리)."""
        if self._heads is None:  # toks, ents and appositive never change: kept
            last = max((t.start for t in self.head_nouns() if t.text not in self.appositive), default=-1)
            self._heads = [m for m in self.ents if m["label"] in ACTORS and last < m["end"]]
        return self._heads

    def actors(self) -> list[dict]:
        """The actors the phrase (and its conjuncts) names as its head, else what an anaphor stands for."""
        own = [m for p in [self, *self.coord] for m in p.heads()]
        return own or list(self.alias)

    def is_name(self, company_nouns=frozenset()) -> bool:
        """Is the phrase a name (``누리랩``, ``일본의 장비 업체 누리랩``), not a thing of it (``누리 칩``)?"""
        heads = self.actors()
        if not heads:
            return False
        last = max(m["end"] for m in heads) if not self.alias else self.start
        return all(t.text in company_nouns or t.text in self.appositive for t in self.head_nouns() if t.start >= last)

    def products(self) -> list[dict]:
        """PRODUCT mentions heading the phrase (``누리봇``, ``누리봇 GPU``, not ``누리봇용 칩``)."""
        nouns = [t for t in self.head_nouns() if t.text not in self.appositive | self.classifiers]
        return [m for m in self.ents if m["label"] == "PRODUCT" and not any(t.start >= m["end"] for t in nouns)]

    def all_actors(self) -> list[dict]:
        """Every actor named in the phrase: heads and owners."""
        return self.actors() + [m for m in self.owners() if m not in self.actors()]

    def head_nouns(self) -> list[T]:
        """Nominal tokens outside any mention: ``칩`` of ``X 칩`` (toks and ents never change: kept)."""
        if self._nouns is None:
            spans = [(m["start"], m["end"]) for m in self.ents]
            self._nouns = [t for t in self.toks if not any(s <= t.start < e for s, e in spans)]
        return self._nouns

    def owners(self) -> list[dict]:
        """Actors owning the head: genitive or compound modifiers, or a name before the head noun."""
        out = [m for p in self.mods for m in p.actors()]
        heads = self.heads()
        return out + [m for m in self.ents if m["label"] in ACTORS and m not in heads]

    def text(self, text: str) -> str:
        return render(text, self.toks)


@dataclass
class Frame:
    """A predicate with its arguments. ``verb``: the verbal noun (공급) or verb stem (팔)."""

    verb: str
    voice: str  # active | passive (되다) | received (받다)
    ending: str  # rel | conn | nom | final
    toks: list[T]
    args: list[Phrase] = field(default_factory=list)
    head: Phrase | None = None  # the noun a relative clause modifies
    head_case: str = ""  # which argument the head is: subj | obj | dat
    subject_from: str = ""  # "" (own) | chain | topic | discourse
    inherited: list[dict] = field(default_factory=list)  # subject actors from outside the clause
    prefix: list[T] = field(default_factory=list)  # nouns before the verbal noun: 위탁 (생산), 독점 (공급)
    aux: list[str] = field(default_factory=list)  # auxiliary verbs: 빌려 (주)다, 해 (오)다
    negated: bool = False
    _verbs: frozenset[str] | None = field(default=None, init=False, repr=False, compare=False)
    _by_case: dict[str, list[Phrase]] | None = field(default=None, init=False, repr=False, compare=False)

    def phrases(self, case: str) -> list[Phrase]:
        if self._by_case is not None:
            return list(self._by_case.get(case, ()))
        out = [a for a in self.args if a.case == case]
        if self.head is not None and self.head_case == case:
            out.append(self.head)
        return out

    def _actors_of(self, p: Phrase) -> list[dict]:
        """A phrase's actors; the head of a relative clause is its first conjunct only (``X가 세운 A, B``)."""
        return (p.heads() or list(p.alias)) if p is self.head else p.actors()

    def subjects(self) -> list[dict]:
        """Actors doing the verb: subject or topic phrases, the head of a subject relative, or inherited."""
        subj = [m for p in self.phrases("subj") for m in self._actors_of(p)]
        # "저자는 가나가 다라에 센서를 댄다고 본다": the 가-subject does the verb, not the topic
        own = subj or [m for p in self.phrases("topic") for m in self._actors_of(p)]
        return own or self.inherited

    def actors(self, case: str) -> list[dict]:
        return [m for p in self.phrases(case) for m in self._actors_of(p)]

    def named(self, case: str, company_nouns=frozenset()) -> list[dict]:
        """Actors named as the whole argument (``누리랩을 세운``), not as the owner of a thing."""
        return [m for p in self.phrases(case) if p.is_name(company_nouns) for m in p.actors()]

    @property
    def verbs(self) -> frozenset[str]:
        """The verb as written, with its prefix nouns (``위탁생산``), and for a light verb the verbal
        noun it carries (``지분 투자를 했다``, ``테스트를 맡는다``, ``경쟁을 벌인다``). Kept once the
        frame is complete (:meth:`freeze`)."""
        return self._verbs if self._verbs is not None else self._read_verbs()

    def freeze(self) -> None:
        """The frame is complete (read_frames is done): compute what the constructions ask for often."""
        self._verbs = self._read_verbs()
        cases = {a.case for a in self.args} | {self.head_case}
        self._by_case = {c: self.phrases(c) for c in cases}

    def _read_verbs(self) -> frozenset[str]:
        out = {self.verb, "".join(t.text for t in self.prefix) + self.verb}
        out |= {f"{self.verb}+{a}" for a in self.aux}  # 빌리+주: 빌려주다
        if self.verb in LIGHT:
            for p in self.phrases("obj"):
                nouns = p.head_nouns()
                if nouns:
                    out.add(nouns[-1].text)
                    out.add("".join(t.text for t in nouns[-2:]))
        return frozenset(out)


_NOMINAL = (*NOMINAL, "NNB")  # bound nouns too: 174억 달러짜리 계약


def _predicate_at(toks: list[T], i: int) -> int | None:
    """Index of the verb token when a predicate starts at ``i`` (verbal noun + 하다/되다/받다, or a verb)."""
    t = toks[i]
    if t.tag in ("VV", "VA", "VX") or t.tag.startswith("VV"):
        return i
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if t.tag == "NNG" and nxt is not None and nxt.tag in ("XSV", "XSA"):
        return i + 1
    if t.tag == "NNG" and nxt is not None and nxt.start == t.end and _glued_verb(nxt):
        return i + 1  # 공급/NNG 받/VV (공급받다), 투자/NNG 한/MM (Kiwi's misreading of 투자한)
    if t.tag == "NNG" and i + 2 < len(toks) and toks[i + 1].text == "중" and toks[i + 2].tag == "VCP":
        return i + 2  # 개선 중인, 개발 중이다: a verbal noun in progress
    if t.tag == "NNG" and len(t.tags) > 1 and t.tags[1] in ("XSV", "XSA"):
        return i
    return None


def _degree(toks: list[T], i: int) -> bool:
    """``N 넘게``, ``N 가깝게``: a verb of degree right after an amount, read as part of it."""
    t = toks[i]
    return (
        t.tag in ("VV", "VA")
        and t.text in ("넘", "가깝")
        and i > 0
        and toks[i - 1].tag in ("NNB", "NR", "SN", "NNG")
        and i + 1 < len(toks)
        and toks[i + 1].text == "게"
    )


def _glued_verb(t: T) -> bool:
    """A verb written onto a verbal noun: 받(다), or 한 that Kiwi read as a determiner."""
    return (t.tag.startswith("VV") and t.lemma.startswith("받")) or (t.tag == "MM" and t.text == "한")


def _ending(toks: list[T], k: int) -> tuple[str, int]:
    """The clause ending after the verb at ``k`` (auxiliaries included) and the index past it."""
    ending, j = "", k
    if toks[k].tag == "MM":  # 한/MM after a verbal noun: 하+ㄴ
        return "rel", k + 1
    while j < len(toks):
        tags = toks[j].tags if j > k else toks[j].tags[1:]
        if (
            j > k
            and toks[j].tag not in ("EP", "EC", "ETM", "EF", "ETN")
            and not (toks[j].tag in _AUX_AFTER_EC and ending == "conn")
        ):
            break
        for tag in tags:
            ending = {"ETM": "rel", "EC": "conn", "EF": "final", "ETN": "nom"}.get(tag, ending)
        j += 1
    return ending or "final", j


_NEGATORS = {"않", "못", "없", "말"}


def _negated(toks: list[T], i: int, j: int) -> bool:
    """``팔지 않는다``, ``들여오지 못해``, ``못 판다``: a negated predicate states no link."""
    inside_ = any(t.tag == "VX" and _stem(t) in _NEGATORS for t in toks[i:j])
    before = i > 0 and toks[i - 1].tag == "MAG" and toks[i - 1].text in ("안", "못")
    after = j < len(toks) and toks[j].tag in ("MAG", "VX") and toks[j].text in ("못", "않", "안")
    cannot = j + 1 < len(toks) and toks[j].text == "수" and _stem(toks[j + 1]) in ("없",)  # "쓸 수 없다"
    return inside_ or before or after or cannot


def _voice(verb_tok: T) -> str:
    lemma = verb_tok.lemma.split("+")[0]
    if lemma.startswith("되"):
        return "passive"
    if lemma.startswith("받"):
        return "received"
    return "active"


def _stem(t: T) -> str:
    s = t.lemma.split("+")[0]
    return s[:-1] if s.endswith("다") else s


def _starts_inside(starts: list[int], spans) -> set[int]:
    """The token starts (ascending) inside one of ``spans``: a bisection per span, not a scan of the spans
    per token."""
    out: set[int] = set()
    for s, e in spans:
        out.update(starts[bisect.bisect_left(starts, s) : bisect.bisect_left(starts, e)])
    return out


class _Reader:
    """One pass over a sentence's tokens: phrases and predicates in order."""

    def __init__(self, sent: Sentence, refs: Referents):
        self.sent = sent
        self.appositive = refs.appositive
        self.classifiers = refs.classifiers
        self.spans = sent.spans
        # starts of the tokens inside a mention, found once (each token was tested against every span)
        self.in_ent = _starts_inside([t.start for t in sent.toks], sent.spans)
        self.items: list[Phrase | Frame] = []
        self.np: list[T] = []
        self.barrier = False  # a conjunction adverb (그리고) came just before

    def flush(self, case: str = "", particle: str = "") -> Phrase | None:
        if not self.np:
            return None
        toks, self.np = self.np, []
        ents = [m for m in self.sent.mentions if toks[0].start <= m["start"] < toks[-1].end]
        p = Phrase(
            toks,
            ents,
            case,
            particle=particle,
            appositive=self.appositive,
            classifiers=self.classifiers,
            after_barrier=self.barrier,
        )
        self.barrier = False
        self.items.append(p)
        return p

    def predicate(self, toks: list[T], i: int, k: int) -> int:
        """A predicate with its verb at ``k``; manner nouns right before a verbal noun are its prefix
        (위탁 생산, 독점 공급) and a bare noun run before it is its object with the particle dropped."""
        vt = toks[k]
        prefix: list[T] = []
        if vt.tag == "NNG" or k > i:  # 공급/NNG+XSV merged, or 공급/NNG 하/XSV
            verb = toks[i].text
            while self.np and self.np[-1].text in MANNER and not self._in_ent(self.np[-1]):
                prefix.insert(0, self.np.pop())
            self.flush("time" if self._is_time(self.np) else "obj")
        else:
            verb = _stem(vt)
            self.flush()
        ending, j = _ending(toks, k)
        voice = _voice(vt) if k > i or vt.tag == "NNG" else ("received" if verb == "받" else "active")
        f = Frame(verb, voice, ending, toks[i:j], prefix=prefix)
        f.aux = [_stem(t) for t in toks[k + 1 : j] if t.tag == "VX"]
        f.negated = _negated(toks, i, j)
        self.items.append(f)
        if ending == "rel" and j < len(toks) and toks[j].text in TEMPORAL and toks[j].tag in ("NNG", "NNB"):
            f.ending = "conn"  # "찍어 낸 뒤", "들어설 때": a temporal clause, not a relative one
            return j + 1
        return j

    def _is_time(self, toks: list[T]) -> bool:
        """``2021년``, ``지난해``: a bare date before a verbal noun is no object."""
        dates = [(m["start"], m["end"]) for m in self.sent.mentions if m["label"] == "DATE"]
        return bool(toks) and all(any(s <= t.start < e for s, e in dates) or t.text in TIME_NOUNS for t in toks)

    def _in_ent(self, t: T) -> bool:
        return t.start in self.in_ent

    def read(self) -> list[Phrase | Frame]:
        toks = self.sent.toks
        i = 0
        while i < len(toks):
            t = toks[i]
            if _degree(toks, i):  # "130억 달러 넘게 투자했다": 넘게 qualifies the amount, no verb of its own
                i += 2
                continue
            k = None if self._in_ent(t) else _predicate_at(toks, i)
            if k is not None:
                i = self.predicate(toks, i, k)
                continue
            if t.tag in ("NNG", "NNP", "NNB") and len(t.tags) > 1 and t.tags[1] == "VCP":
                self.np.append(t)  # 회사/NNG+VCP: "…회사다"
                self.flush("cop")
            elif t.tag == "VCP" and self.np:
                self.flush("cop")
            elif (
                (t.tag in _NOMINAL and len(t.tags) == 1)
                or t.start in self.in_ent
                or (t.tag in ("MM", "NP") and len(t.tags) == 1)
            ):
                self.np.append(t)
            elif t.tag.startswith("J") and self.np:
                self.flush(CASES.get(t.text, "other") if t.tag != "JC" else "conj", t.text)
                while i + 1 < len(toks) and toks[i + 1].tag.startswith("J"):
                    i += 1  # 에도, 에서는: the first particle decides
            elif t.tag == "SP" and self.np:
                self.flush("conj" if t.text == "," else "")
            elif t.tag == "MAJ" and t.text in ("그리고", "또", "또는", "혹은"):
                self.flush()
                self.barrier = True
            elif t.tag == "MAG" and t.text in ("역시", "또한", "마저", "조차") and self.np:
                self.flush("topic")  # "누리 역시 센서를 판다": particle dropped before 역시
            else:
                self.flush()
            i += 1
        self.flush()
        return self.items


def _coordinate(items: list[Phrase | Frame]) -> list[Phrase | Frame]:
    """``X와 Y가``, ``X, Y, Z 같은``: conjuncts join the last phrase (its case is theirs)."""
    out: list[Phrase | Frame] = []
    pending: list[Phrase] = []
    for it in items:
        if isinstance(it, Phrase) and it.case == "conj" and it.actors():
            pending.append(it)
            continue
        if isinstance(it, Phrase) and pending and it.heads() and not it.after_barrier:
            it.coord = pending + it.coord
        elif pending and pending[-1].particle in ("와", "과"):  # "A, B와 물량을 놓고 경쟁": comitative
            head = pending[-1]
            head.case, head.coord = "com", pending[:-1] + head.coord
            out.append(head)
        else:
            out.extend(pending)
        pending = []
        out.append(it)
    out.extend(pending)
    return out


def _attach_modifiers(items: list[Phrase | Frame]) -> list[Phrase | Frame]:
    """``X의 GPU``, ``X 칩``: a genitive or bare phrase right before a phrase modifies it."""
    out: list[Phrase | Frame] = []
    for it in items:
        prev = out[-1] if out else None
        if isinstance(it, Phrase) and isinstance(prev, Phrase) and prev.case in ("gen", "") and prev.end <= it.start:
            it.mods.append(out.pop())
        out.append(it)
    return out


def _nearest(p: Phrase) -> Phrase:
    """The phrase (among a phrase, its conjuncts and modifiers) that starts first."""
    parts = [p, *p.coord, *p.mods]
    first = min(parts, key=lambda q: q.start)
    return first if first is p else _nearest(first)


def _also_as_object(f: Frame, products: frozenset[str] = frozenset()) -> None:
    """``가나가 다라의 장비도 샀다``: with a subject and no object, the 도-phrase is the object; with
    neither (the subject comes from the clause before), a 도-phrase naming no actor (``다라의 칩도
    썼다``) or a product noun as topic (``GPU는 다라에서 빌린다``) is the object too."""
    cases = [a.case for a in f.args]
    if "obj" in cases:
        return
    for a in f.args:
        if a.case != "topic" or a.actors():
            continue
        if a.particle == "도" or ("subj" not in cases and a.toks[-1].text in products):
            a.case = "obj"
            return


def _clause_args(pending: list[Phrase], relative: bool) -> list[Phrase]:
    """The phrases a predicate takes: all pending ones, or for a relative clause the contiguous run
    right before it (never a topic, no case twice)."""
    if not relative:
        return list(pending)
    taken: list[Phrase] = []
    for p in reversed(pending):
        if p.case == "time" or (p.case == "" and all(t.tag in ("SN", "NNB", "NR") for t in p.toks)):
            continue  # "2012년 세운", "14년 일한": a date or amount inside the clause
        if p.case in ("topic", "") or any(q.case == p.case for q in taken):
            break
        taken.insert(0, p)
    return taken


def _head_case(f: Frame) -> str:
    """The argument a relative clause's head noun fills: subject, else object, else dative."""
    have = {a.case for a in f.args}
    if f.voice == "passive":
        return "subj" if "subj" not in have and "topic" not in have else "dat"
    for case in ("subj", "obj", "dat"):
        if case not in have and not (case == "subj" and "topic" in have):
            return case
    return "obj"


def _assemble(items: list[Phrase | Frame], products: frozenset[str] = frozenset()) -> tuple[list[Frame], list[Phrase]]:
    """Frames with their arguments, and the sentence's topic phrases."""
    frames: list[Frame] = []
    pending: list[Phrase] = []
    topics: list[Phrase] = []
    waiting: Frame | None = None  # a relative clause waiting for its head noun
    for it in items:
        if isinstance(it, Phrase):
            if waiting is not None:  # "누리가 인수한 한빛의 공장": the clause is on the nearest noun
                head = _nearest(it)  # "X가 이끄는 A, B의 C": A, the noun right after the clause
                head.rel, waiting.head, waiting.head_case = waiting, head, _head_case(waiting)
                waiting = None
            pending.append(it)
            if it.case == "topic":
                topics.append(it)
            continue
        args = _clause_args(pending, it.ending == "rel")
        it.args = args
        _also_as_object(it, products)
        pending = [p for p in pending if p not in args]
        frames.append(it)
        waiting = it if it.ending == "rel" else None
    return frames, topics


def _inherit_subjects(frames: list[Frame], topics: list[Phrase], discourse_topic: list[dict]) -> None:
    """A clause without a subject: the subject of the verb it is chained to (a connective or
    nominal ending), else the sentence topic, else the previous sentence's topic."""
    topic_actors = [m for p in topics for m in p.actors()]
    for i, f in enumerate(frames):
        event = f.head is not None and any(t.text in EVENT_NOUNS for t in f.head.head_nouns())
        own = any(a.case in ("subj", "topic") for a in f.args)  # a subject that names no actor is still its own
        if f.subjects() or own or (f.ending == "rel" and f.head_case == "subj" and not event):
            continue  # a relative clause on a non-actor subject ("...를 학습시킨 인프라") has its own
        prev = next((g for g in reversed(frames[:i]) if g.ending != "rel"), None)
        nxt = next((g for g in frames[i + 1 :] if g.ending != "rel" or g.head_case == "subj"), None)
        if prev is not None and prev.ending in ("conn", "nom") and prev.subjects() and f.ending != "rel":
            f.inherited, f.subject_from = prev.subjects(), "chain"  # "A가 B를 떠나 C를 세웠다"
        elif f.ending in ("conn", "nom") and nxt is not None and nxt.subjects():
            f.inherited, f.subject_from = nxt.subjects(), "chain"
        elif topic_actors:
            f.inherited, f.subject_from = topic_actors, "topic"
        elif discourse_topic and f.ending != "rel":
            f.inherited, f.subject_from = discourse_topic, "discourse"


@dataclass
class Referents:
    """What anaphors of a sentence may stand for: the previous sentence's topic, the last person."""

    topic: list[dict] = field(default_factory=list)
    person: dict | None = None
    work: dict | None = None  # the work the review is about (its first WORK mention)
    recent: list[dict] = field(default_factory=list)  # the actors of the previous sentence (두 회사)
    company_nouns: frozenset[str] = frozenset()
    appositive: frozenset[str] = frozenset()  # titles, company nouns and quantifiers after a name
    classifiers: frozenset[str] = frozenset()  # product nouns after a product name
    author: dict | None = None  # the author of the work the review is about (저자)


def _resolve_anaphors(items: list[Phrase | Frame], refs: Referents) -> None:
    """``이 회사는`` -> the previous topic organisation; ``그는/그녀는`` -> the last person named."""
    for p in items:
        if not isinstance(p, Phrase) or p.ents:
            continue
        first, last = p.toks[0], p.toks[-1]
        if first.tag == "MM" and first.text in ("이", "그", "해당") and last.text in refs.company_nouns:
            p.alias = [m for m in refs.topic if m["label"] == "ORG"][:1]
        elif _pair_anaphor(p) and refs.recent:
            label = "PERSON" if p.toks[-1].text in ("사람", "인물") else "ORG"
            named = list({m["key"]: m for m in refs.recent if m["label"] == label}.values())
            p.alias = named[-2:] if len(named) >= 2 else []  # "두 회사는": the last two named
        elif last.text in ("저자", "지은이") and refs.author is not None:
            p.alias = [refs.author]  # "저자는 ...": the author of the book under review
        elif (
            len(p.toks) == 1
            and first.tag == "NP"
            and first.text in ("그", "그녀")
            and p.case in ("subj", "topic")
            and refs.person
        ):
            p.alias = [refs.person]


def _like_lists(items: list[Phrase | Frame], refs: Referents) -> None:
    """``누리, 라온 같은 큰 회사들과 경쟁한다``: a company noun after a 같은-list stands for the list."""
    for i, it in enumerate(items):
        if not (isinstance(it, Frame) and it.verb == "같" and it.ending == "rel" and i > 0):
            continue
        prev = items[i - 1]
        if not (isinstance(prev, Phrase) and prev.case == "" and prev.actors()):
            continue
        # adjectives between the list and its noun (큰, 작은) are skipped
        nxt = next((x for x in items[i + 1 :] if not (isinstance(x, Frame) and x.toks[0].tag == "VA")), None)
        if isinstance(nxt, Phrase) and not nxt.ents and any(t.text in refs.company_nouns for t in nxt.toks):
            nxt.alias = prev.actors()


def _pair_anaphor(p: Phrase) -> bool:
    """``두 회사``, ``양사``, ``두 사람``: two actors named just before."""
    words = [t.text for t in p.toks]
    return words in (["양사"], ["두", "회사"], ["두", "기업"], ["두", "업체"], ["두", "사람"], ["두", "장비", "회사"])


def _copula_heads(frames: list[Frame], topics: list[Phrase], items: list[Phrase | Frame], refs: Referents) -> None:
    """``가나는 다라가 세운 회사다``: the head of a relative clause in the predicate is the topic;
    ``다라에 센서를 대 온 곳이 가나다`` (a cleft): the head is the name in the predicate."""
    topic_actors = [m for p in topics for m in p.actors()]
    for f in frames:
        h = f.head
        if h is None or h.actors():
            continue
        if h.case == "cop" and topic_actors:
            h.alias = topic_actors
        elif h.case in ("subj", "topic") and h.toks[-1].text in refs.company_nouns:
            k = items.index(h)
            pred = next((p for p in items[k + 1 :] if isinstance(p, Phrase) and p.case == "cop"), None)
            if pred is not None and pred.actors():
                h.alias = pred.actors()


def read_frames(sent: Sentence, refs: Referents | None = None) -> list[Frame]:
    """The predicate frames of one sentence, in text order."""
    refs = refs or Referents()
    items = _attach_modifiers(_coordinate(_Reader(sent, refs).read()))
    _resolve_anaphors(items, refs)
    _like_lists(items, refs)
    frames, topics = _assemble(items, refs.classifiers)
    _copula_heads(frames, topics, items, refs)
    _inherit_subjects(frames, topics, refs.topic)
    for f in frames:
        f.freeze()
    return frames
