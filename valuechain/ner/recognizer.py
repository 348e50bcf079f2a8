"""Mentions of one Doc: gazetteer, dates, quoted works, classifier-typed candidates, then linking.

Priority when spans overlap: gazetteer > date > quoted work > classifier. Every mention is
token-aligned and excludes particles (조사), so ``text == review[start:end]`` holds by construction.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..docs import doc_tokens
from ..gazetteer import Gazetteer, load_gazetteer, norm_key
from . import cues
from .candidates import NAMEISH, ORG_CUES, PERSON_CUES, Tok, candidates_of, eojeols_of, toks_of
from .dates import find_dates
from .gazetteer_matcher import GazetteerMatcher
from .model import CongSims, TypeModel, decode
from .rules import DEFAULT_RULES, RULES, RuleContext, apply_rules, retype

_HANGUL = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_HAN_KANA = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
DIVISION_CUES = (
    "사업부",
    "사업부문",
    "부문",
    "연구소",
    "연구원",
    "연구센터",
    "재단",
    "법인",
    "지사",
    "본부",
    "사업본부",
)
WORK_CUES = {
    "책",
    "저서",
    "소설",
    "영화",
    "다큐",
    "다큐멘터리",
    "보고서",
    "논문",
    "칼럼",
    "드라마",
    "시리즈",
    "신간",
    "저작",
    "작품",
}
_BRACKETS = re.compile(r"『([^』]{1,80})』|「([^」]{1,80})」|《([^》]{1,80})》|〈([^〉]{1,80})〉|<([^<>\n]{1,80})>")
_QUOTES = re.compile(r"'([^'\n]{1,80})'|‘([^’\n]{1,80})’|\"([^\"\n]{1,80})\"|“([^”\n]{1,80})”")
_SENTENCEY = re.compile(r"(다|요|죠|까|네|군|지)[.!?]?$|[.!?]$")
ACTOR = {"ORG", "PERSON"}
_CLOSERS = {"『": "』", "「": "」", "《": "》", "〈": "〉", "<": ">", "'": "'", "‘": "’", '"': '"', "“": "”", "(": ")"}
_COORD = re.compile(r"\s*(와|과|및|,|·|、|/|그리고|\s)*\s*")


@dataclass
class Mention:
    start: int
    end: int
    text: str
    label: str
    key: str  # entity key: gazetteer id, "new:<normalised name>" or "date:<value>"
    source: str  # gazetteer | date | work | model | paren | propagated | division
    confidence: float
    sent_id: int
    value: str = ""  # normalised date value
    parent: str = ""  # for divisions: the parent entity key
    ambiguous: bool = False
    extra: dict = field(default_factory=dict)


def new_key(text: str) -> str:
    return "new:" + norm_key(text)


@dataclass
class NerResources:
    gaz: Gazetteer
    matcher: GazetteerMatcher
    model: TypeModel | None
    sims: CongSims | None
    stop: set[str]
    min_prob: float = 0.5
    common_nouns: bool = True
    rules: tuple[str, ...] = DEFAULT_RULES  # valuechain.ner.rules, in this order

    @classmethod
    def load(
        cls,
        gazetteer: str | Path,
        model: str | Path | None,
        stoplist: str | Path | None,
        kiwi=None,
        min_prob: float = 0.5,
        common_nouns: bool = True,
        rules: tuple[str, ...] | None = None,
    ) -> NerResources:
        gaz = load_gazetteer(gazetteer)
        stop = set()
        if stoplist and Path(stoplist).exists():
            for line in Path(stoplist).read_text(encoding="utf-8").splitlines():
                line = line.split("#", 1)[0].strip()
                if line:
                    stop.add(norm_key(line))
        if model and not Path(model).exists():
            raise FileNotFoundError(f"type model not found: {model} (config ner.model)")
        tm = TypeModel.load(model) if model else None
        rules = DEFAULT_RULES if rules is None else tuple(rules)
        unknown = [r for r in rules if r not in RULES]
        if unknown:
            raise ValueError(f"unknown NER rules {unknown} (config ner.rules); known: {list(RULES)}")
        sims = CongSims(kiwi) if kiwi is not None else None
        return cls(gaz, GazetteerMatcher(gaz), tm, sims, stop, min_prob, common_nouns, rules)


def _overlaps(a0: int, a1: int, spans) -> bool:
    return any(a0 < e and s < a1 for s, e in spans)


def _next_tok(toks: list[Tok], end: int) -> Tok | None:
    for t in toks:
        if t.start >= end:
            return t
    return None


def _attached(toks: list[Tok], end: int) -> list[Tok]:
    """Tokens glued to the right of ``end`` inside the same eojeol."""
    out, pos = [], end
    for t in toks:
        if t.start == pos and t.start >= end:
            out.append(t)
            pos = t.end
    return out


def _trim_to_tokens(toks: list[Tok], s: int, e: int) -> tuple[int, int] | None:
    inside = [t for t in toks if t.start >= s and t.end <= e]
    if not inside:
        return None
    return inside[0].start, inside[-1].end


@dataclass
class SentView:
    sid: int
    start: int
    end: int
    text: str
    toks: list[Tok]
    eojs: list


class DocView:
    """The text and per-sentence tokens of a Doc, computed once (Doc.text is O(n) on every access)."""

    def __init__(self, doc):
        self.text = doc_tokens(doc).text  # the Doc read once (the token table and the relation extractor too)
        self.all_toks = toks_of(doc)
        self.sents = []
        k = 0
        for sid, (s, e, _pid, _sec) in enumerate(doc.user_data.get("sentences", [])):
            while k < len(self.all_toks) and self.all_toks[k].start < s:
                k += 1
            j = k
            while j < len(self.all_toks) and self.all_toks[j].end <= e:
                j += 1
            toks = self.all_toks[k:j]
            self.sents.append(SentView(sid, s, e, self.text[s:e], toks, eojeols_of(toks)))
            k = j

    @functools.cached_property
    def ends(self) -> list[int]:
        """The tokens' ends, ascending (tokens never overlap): for bisection."""
        return [t.end for t in self.all_toks]


class Recognizer:
    def __init__(self, res: NerResources):
        self.res = res
        self._keep_nng = functools.lru_cache(maxsize=100_000)(self._unknown_name_shape)
        if "unknown_nouns" not in res.rules:
            self._keep_nng = None

    def _unknown_name_shape(self, text: str) -> bool:
        """Rule ``unknown_nouns``: a common-noun run is a candidate when Kiwi does not know the word and
        it is shaped like a Korean personal name (``정태오``/NNG, ``서/민/우``) or is an unknown word plus
        an organisation head (``소율정밀``/NNG). Near miss: ``이야기`` (a word Kiwi knows), ``전력반도체``
        (``전력`` is a common noun)."""
        known = self.res.sims.known if self.res.sims is not None else (lambda form: False)
        if cues.korean_person_form(text):
            return not known(text)
        stem = cues.org_stem(text)
        return bool(stem) and not known(stem) and not known(text)

    # ------------------------------------------------------------------ per sentence
    def _sentence(self, dv: DocView, sv: SentView, hints: dict):
        """Gazetteer, date and work mentions of a sentence, and its classifier candidates (unscored)."""
        text, sid, toks = dv.text, sv.sid, sv.toks
        if not toks:
            return [], []
        found: list[Mention] = []
        taken: list[tuple[int, int]] = []

        def add(m: Mention) -> None:
            if m.end > m.start and not _overlaps(m.start, m.end, taken):
                found.append(m)
                taken.append((m.start, m.end))

        # 1. gazetteer (longest match), divisions, ambiguity flags
        for gm in self.res.matcher.match(toks, text):
            glued = _attached(toks, gm.end)
            if glued and glued[0].tag in NAMEISH and glued[0].tag != "SL":
                continue  # part of a longer unknown name (구글코리아 -> model)
            eid = gm.ids[0]
            label = self.res.matcher.label(eid)
            nouns = []
            for t in glued:
                if t.tag in ("NNG", "NNP"):
                    nouns.append(t)
                else:
                    break
            if nouns and label == "ORG" and "".join(t.text for t in nouns).endswith(DIVISION_CUES):
                e = nouns[-1].end
                add(
                    Mention(
                        gm.start,
                        e,
                        text[gm.start : e],
                        "ORG",
                        new_key(text[gm.start : e]),
                        "division",
                        0.9,
                        sid,
                        parent=eid,
                    )
                )
                continue
            add(
                Mention(
                    gm.start,
                    gm.end,
                    text[gm.start : gm.end],
                    label,
                    eid,
                    "gazetteer",
                    0.8 if gm.alias_ambiguous else 1.0,
                    sid,
                    ambiguous=gm.alias_ambiguous,
                    extra={"ids": list(gm.ids)},
                )
            )
        # 2. dates
        for d in find_dates(sv.text, sv.start):
            tt = _trim_to_tokens(toks, d.start, d.end)
            if tt and tt == (d.start, d.end):
                add(Mention(d.start, d.end, d.text, "DATE", "date:" + d.value, "date", 1.0, sid, value=d.value))
        # 3. quoted works
        for m in self._works(dv, sv, hints, found):
            add(m)
        cands = [
            c
            for c in candidates_of(sv.eojs, common_nouns=self.res.common_nouns, keep_nng=self._keep_nng)
            if not _overlaps(c.start, c.end, taken)
        ]
        return found, cands

    def _model_mentions(self, dv: DocView, sv: SentView, found: list[Mention], scored) -> list[Mention]:
        """4. classifier-typed candidates that do not overlap the sentence's other mentions."""
        text, sid, toks = dv.text, sv.sid, sv.toks
        taken = [(m.start, m.end) for m in found]

        def add(m: Mention) -> None:
            if m.end > m.start and not _overlaps(m.start, m.end, taken):
                found.append(m)
                taken.append((m.start, m.end))

        if True:
            # the classifier knows Korean: in a sentence with no Hangul (a Chinese or Japanese review) it
            # does not type runs of Han or kana (clauses would come out as names); known names still match
            foreign = not _HANGUL.search(sv.text)
            for sc in decode(scored, self.res.min_prob):
                c = sc.cand
                surface = text[c.start : c.end]
                if norm_key(surface) in self.res.stop or (foreign and _HAN_KANA.search(surface)):
                    continue
                if len(norm_key(surface)) < 2:
                    nxt = _next_tok(toks, c.end)  # KLUE-style 박씨, 김모씨: one syllable only before 씨/모
                    if sc.label != "PERSON" or nxt is None or nxt.start != c.end or nxt.text not in ("씨", "모"):
                        continue
                add(Mention(c.start, c.end, surface, sc.label, new_key(surface), "model", round(sc.prob, 3), sid))
        return found

    def _works(self, dv: DocView, sv: SentView, hints: dict, found: list[Mention]):
        text = dv.text
        base = sv.start
        s_text = sv.text
        known_works = hints.get("works", set())
        for rx, bracket in ((_BRACKETS, True), (_QUOTES, False)):
            for m in rx.finditer(s_text):
                g = next(i for i, x in enumerate(m.groups(), start=1) if x is not None)
                cs, ce = base + m.start(g), base + m.end(g)
                inner = text[cs:ce].strip()
                if not inner:
                    continue
                cs = text.index(inner, cs)
                ce = cs + len(inner)
                k = norm_key(inner)
                is_work = bracket
                if not is_work:
                    gaz_ids = self.res.matcher.index.get(k, [])
                    is_work = k in known_works or any(self.res.gaz.entries[i].label == "WORK" for i in gaz_ids)
                    if not is_work and not _SENTENCEY.search(inner) and len(inner) <= 40:
                        after = text[base + m.end() : base + m.end() + 12]
                        before = text[max(0, base + m.start() - 8) : base + m.start()]
                        nxt = after.lstrip()
                        is_work = (
                            bool(
                                re.match(
                                    r"^(의|을|를|은|는|이|가|와|과)?\s*("
                                    + "|".join(WORK_CUES | {"저자", "작가", "감독"})
                                    + ")",
                                    nxt,
                                )
                            )
                            or before.rstrip().endswith("의")
                            and any(
                                f.label == "PERSON" and f.end <= base + m.start() and base + m.start() - f.end <= 3
                                for f in found
                            )
                        )
                if is_work:
                    key = self.res.matcher.index.get(k, [None])[0]
                    if key is None or self.res.gaz.entries[key].label != "WORK":
                        key = new_key(inner)
                    yield Mention(cs, ce, inner, "WORK", key, "work", 0.9, -1)

    # ------------------------------------------------------------------ per document
    def __call__(self, doc, hints: dict | None = None) -> list[Mention]:
        hints = dict(hints or {})
        works = {norm_key(w) for w in hints.get("works", []) if w}
        hints["works"] = works
        dv = DocView(doc)
        doc = dv  # the helpers below only need .text, .sents and .all_toks
        sents = dv.sents
        per_sent = [self._sentence(dv, sv, hints) for sv in sents]
        if self.res.model is not None:  # one batched classifier call for the whole document
            scored = self.res.model.score_many(
                [(c, sv.eojs) for sv, (_, c) in zip(sents, per_sent)], dv.text, self.res.sims
            )
        else:
            scored = [[] for _ in sents]
        mentions: list[Mention] = []
        for sv, (found, _), sc in zip(sents, per_sent, scored):
            ms = self._model_mentions(dv, sv, found, sc)
            for m in ms:
                if m.sent_id < 0:
                    m.sent_id = sv.sid
            mentions.extend(ms)
        mentions = self._header_names(doc, sents, mentions, hints)
        mentions = self._parentheticals(doc, mentions)
        ctx = self._rule_context(dv)
        if self.res.rules:
            mentions = apply_rules(ctx, mentions, self.res.rules)
        mentions = self._confirm_ambiguous(doc, mentions)
        mentions = self._propagate(doc, sents, mentions)
        mentions = self._link_short_names(mentions)
        if self.res.rules:
            mentions = retype(ctx, mentions, self.res.rules)
        return sorted(mentions, key=lambda m: (m.start, m.end))

    def _rule_context(self, dv: DocView) -> RuleContext:
        index, ambiguous, gaz = self.res.matcher.index, self.res.matcher.ambiguous_keys, self.res.gaz

        def gaz_entry(key: str):
            ids = index.get(key)
            if not ids or len(ids) > 1 or key in ambiguous:
                return None
            return ids[0], gaz.entries[ids[0]].label

        known = self.res.sims.known if self.res.sims is not None else (lambda form: False)
        sents = [(sv.start, sv.end, sv.sid) for sv in dv.sents]
        return RuleContext(dv.text, dv.all_toks, self.res.stop, known, gaz_entry, sents=sents)

    def _header_names(self, doc, sents, mentions: list[Mention], hints: dict) -> list[Mention]:
        """The reviewed book's author named in the brunch header is a person wherever it occurs."""
        text = doc.text
        taken = [(m.start, m.end) for m in mentions]
        for name in hints.get("persons", []):
            name = (name or "").strip()
            if len(name) < 2:
                continue
            ids = self.res.matcher.index.get(norm_key(name), [])
            key = ids[0] if len(ids) == 1 else new_key(name)
            for sv in sents:
                sid = sv.sid
                pos = sv.start
                while True:
                    k = text.find(name, pos, sv.end)
                    if k < 0:
                        break
                    pos = k + len(name)
                    if not _overlaps(k, k + len(name), taken):
                        mentions.append(Mention(k, k + len(name), name, "PERSON", key, "header", 0.9, sid))
                        taken.append((k, k + len(name)))
        return mentions

    def _outer_name(self, doc, m: Mention, mentions: list[Mention]) -> Mention | None:
        """``니혼게이자이 Business Publications(닛케이BP)``: the name run right before the parenthesis."""
        text = doc.text
        taken = [(x.start, x.end) for x in mentions if x.source != "model"]
        ends = doc.ends
        toks = doc.all_toks[bisect.bisect_left(ends, m.start - 200) : bisect.bisect_right(ends, m.start - 1)]
        run = []
        for t in reversed(toks):
            if t.tag in NAMEISH and not _overlaps(t.start, t.end, taken):
                if run and run[-1].start - t.end > 1:
                    break
                run.append(t)
            else:
                break
        if not run or run[0].end != m.start - 1:
            return None
        s, e = run[-1].start, run[0].end
        if "\n" in text[s:e] or norm_key(text[s:e]) in self.res.stop:
            return None
        return Mention(s, e, text[s:e], m.label, m.key, "paren", 0.9, m.sent_id, extra={"confirmed": True})

    def _parentheticals(self, doc, mentions: list[Mention]) -> list[Mention]:
        """X(Y): when Y names the same thing as X, they share one entity."""
        text = doc.text
        for m in list(mentions):
            if text[m.start - 1 : m.start] == "(" and m.source == "gazetteer" and m.label in ACTOR:
                outer = self._outer_name(doc, m, mentions)
                if outer is not None:  # it replaces classifier guesses inside it
                    mentions[:] = [
                        x for x in mentions if not (x.source == "model" and x.start < outer.end and outer.start < x.end)
                    ]
                    mentions.append(outer)
                    m.extra["confirmed"] = True
        by_start = {m.start: m for m in mentions}
        for m in list(mentions):
            if text[m.end : m.end + 1] != "(":
                continue
            inner = by_start.get(m.end + 1)
            close = text.find(")", m.end + 1)
            if close < 0 or close - m.end > 60:
                continue
            if inner is None:
                content = text[m.end + 1 : close].strip()
                if (
                    content
                    and re.fullmatch(r"[A-Z][A-Za-z0-9.&\- ]{1,40}", content)
                    and m.label in ACTOR | {"PRODUCT", "LOC"}
                ):
                    cs = text.index(content, m.end + 1)
                    inner = Mention(cs, cs + len(content), content, m.label, m.key, "paren", m.confidence, m.sent_id)
                    mentions.append(inner)
                    by_start[cs] = inner
                else:
                    continue
            if inner.end > close:
                continue
            # one side known to the gazetteer wins; otherwise the outer name's key
            if inner.source == "gazetteer" and m.source != "gazetteer":
                m.key, m.label = inner.key, inner.label
                m.source = "paren"
            elif m.source == "gazetteer" and inner.source != "gazetteer":
                inner.key, inner.label = m.key, m.label
            elif m.source == "gazetteer" and inner.source == "gazetteer" and inner.key in m.extra.get("ids", []):
                m.key = inner.key
            m.extra["confirmed"] = inner.extra["confirmed"] = True
        return mentions

    def _confirm_ambiguous(self, doc, mentions: list[Mention]) -> list[Mention]:
        """Ambiguous aliases (바나나, 메타, 람다) stay only with support in the same review.

        Support: an unambiguous mention of the same entity, a parenthetical alias, an organisation or
        person cue next to it, or coordination with unambiguous names (``구글, 메타, 마이크로소프트``).
        Full personal names (two words) are names whichever person they denote, so they stay.
        """
        text = doc.text
        solid = {m.key for m in mentions if not m.ambiguous}
        ordered = sorted(mentions, key=lambda m: m.start)
        cue_rx = "|".join(sorted(ORG_CUES | PERSON_CUES, key=len, reverse=True))
        confirmed = set()
        for idx, m in enumerate(ordered):
            if not m.ambiguous:
                continue
            ok = m.extra.get("confirmed") or m.key in solid or (m.label == "PERSON" and " " in m.text.strip())
            if not ok and m.start > 0 and m.end < len(text):  # 『넥서스』, '라마': a quoted title or name
                ok = _CLOSERS.get(text[m.start - 1]) == text[m.end]
            if not ok:
                after = text[m.end : m.end + 8]
                before = text[max(0, m.start - 8) : m.start]
                ok = bool(re.match(r"^\S{0,2}\s*(" + cue_rx + ")", after)) or bool(
                    re.search(r"(" + cue_rx + r")\s*$", before)
                )
            if not ok and "context_type" in self.res.rules and m.label in ACTOR:
                ok = cues.context_label(text, m.start, m.end) == m.label  # 크루소는 ... 채굴하던 회사였다
            if not ok and len(m.text) >= 4 and m.label in ("ORG", "PRODUCT"):
                # a long name as the subject of a sentence about the field (퍼플렉시티는 ... AI 검색 서비스)
                sent_text = text[m.start : m.start + 120].split("\n")[0]
                ok = bool(re.match(r"^\S+?(은|는|이|가)\s", text[m.start : m.end + 3] + " ")) and bool(
                    re.search(r"AI|인공지능|GPU|반도체|모델|서비스|클라우드|투자|칩|데이터", sent_text)
                )
            if not ok and m.label == "ORG" and idx + 1 < len(ordered):  # 메타의 MTIA: a known product's maker
                nb = ordered[idx + 1]
                ok = nb.label == "PRODUCT" and nb.source == "gazetteer" and text[m.end : nb.start] in ("의 ", "의")
            if not ok:
                for nb in (ordered[idx - 1] if idx else None, ordered[idx + 1] if idx + 1 < len(ordered) else None):
                    if nb is None or nb.ambiguous or nb.label != m.label:
                        continue
                    gap = text[nb.end : m.start] if nb.end <= m.start else text[m.end : nb.start]
                    if _COORD.fullmatch(gap):
                        ok = True
            if ok:
                confirmed.add(id(m))
        keys = {m.key for m in mentions if id(m) in confirmed}
        return [m for m in mentions if not m.ambiguous or id(m) in confirmed or m.key in keys]

    def _propagate(self, doc, sents, mentions: list[Mention]) -> list[Mention]:
        """A name found once (by the classifier, a parenthesis or a quote) is found everywhere in the review."""
        text = doc.text
        names = {}
        for m in mentions:
            if m.source in ("model", "paren", "work", "division") and len(norm_key(m.text)) >= 2:
                names.setdefault(norm_key(m.text), m)
        if not names:
            return mentions
        taken = [(m.start, m.end) for m in mentions]
        prefixes = {k[:i] for k in names for i in range(1, len(k) + 1)}
        extra = []
        for sv in sents:
            sid, toks = sv.sid, sv.toks
            for i in range(len(toks)):
                key = ""
                for j in range(i, min(len(toks), i + 6)):
                    key += norm_key(toks[j].text)
                    if key not in prefixes:
                        break
                    src = names.get(key)
                    if src is None:
                        continue
                    s, e = toks[i].start, toks[j].end
                    glued = _attached(toks, e)
                    if glued and glued[0].tag in NAMEISH:
                        continue
                    if i > 0 and toks[i - 1].end == s and toks[i - 1].tag in NAMEISH | {"NNG"}:
                        continue
                    if not _overlaps(s, e, taken):
                        extra.append(
                            Mention(
                                s,
                                e,
                                text[s:e],
                                src.label,
                                src.key,
                                "propagated",
                                src.confidence,
                                sid,
                                parent=src.parent,
                            )
                        )
                        taken.append((s, e))
        return mentions + extra

    def _link_short_names(self, mentions: list[Mention]) -> list[Mention]:
        """밀러 after 크리스 밀러 is the same person."""
        full = {}
        for m in mentions:
            if m.label == "PERSON" and " " in m.text.strip():
                full.setdefault(norm_key(m.text.split()[-1]), m)
        for m in mentions:
            if m.source in ("model", "propagated") and " " not in m.text.strip():
                f = full.get(norm_key(m.text))
                if f is not None and f is not m:
                    m.key, m.label = f.key, "PERSON"
        return mentions
