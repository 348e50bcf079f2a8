"""(actor, role, era) triples with evidence, from Kiwi-tagged sentences and the mentions of a review.

Constructions, over Kiwi tags (lexicons in config/roles.yaml):
- parenthetical role   ``리바이 슈트라우스(청바지)``
- relative clause      ``HBM 제조에 특화하고 있는 SK하이닉스``, ``AI반도체를 설계하는 X와 Y 같은 팹리스``
- topic + description  ``바나나는 GPU 대여 서비스를 하는 기업입니다``
- coordination         ``A와 B, C 등 일부 빅테크`` (one role shared by the group)
- genitive product     ``엔비디아의 GPU`` (X supplies GPUs)
- anaphora             ``이 회사는 ...하는 기업이다`` after a sentence naming X
Era: an explicit year in the sentence, else the nearest era cue or year in the paragraph, then the review.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from .docs import SKIP_TAG, SPACE_TAG, analysed_sentences
from .ner.dates import find_dates

ACTORS = {"ORG", "PERSON"}
NOMINAL = ("NNG", "NNP", "SL", "SN", "XSN", "SH", "NR")
_COORD = re.compile(r"\s*(와|과|및|,|·|、|/|그리고|\s)*\s*")
_SUBJ = re.compile(r"^(은|는|이|가|도|이야말로|만)\b")
_TIME_WORDS = {"후", "전", "이후", "이전", "당시", "때", "중", "현재", "최근", "지금", "올해", "작년", "이번", "향후"}
_DETERMINERS = {"일부", "여러", "주요", "대부분", "모든", "각", "몇몇", "다른", "기타", "유수"}
RELATION_COLUMNS = [
    "review_id",
    "key",
    "role",
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
class Lexicon:
    company_nouns: set[str]
    role_verbs: set[str]
    focus_verbs: set[str]
    product_nouns: list[str]
    domain_terms: list[str]
    person_titles: list[str]
    founder_verbs: dict[str, str]
    speech_verbs: set[str]
    verb_nouns: dict[str, str] = None  # type: ignore[assignment]  # native verb stem -> business noun

    @classmethod
    def load(cls, roles_yaml: str | Path, taxonomy_yaml: str | Path | None = None) -> Lexicon:
        d = yaml.safe_load(Path(roles_yaml).read_text(encoding="utf-8"))
        domain = list(d.get("domain_terms", []))
        if taxonomy_yaml and Path(taxonomy_yaml).exists():
            tax = yaml.safe_load(Path(taxonomy_yaml).read_text(encoding="utf-8"))
            for layer in tax.get("layers", []):
                domain += [s for s in layer.get("seeds_ko", []) if len(s) >= 2]
        return cls(
            set(d["company_nouns"]),
            set(d["role_verbs"]),
            set(d["focus_verbs"]),
            sorted(d["product_nouns"], key=len, reverse=True),
            sorted({t.replace(" ", "") for t in domain}, key=len, reverse=True),
            sorted(d.get("person_titles", []), key=len, reverse=True),
            dict(d.get("founder_verbs", {})),
            set(d.get("speech_verbs", [])),
            dict(d.get("verb_nouns", {}) or {}),
        )


@dataclass
class Era:
    id: str
    start: int
    end: int
    year: int
    cues: list[str]
    family: str = ""


@dataclass
class EraConfig:
    eras: list[Era]
    default: str

    @classmethod
    def load(cls, path: str | Path) -> EraConfig:
        d = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        eras = [
            Era(
                e["id"],
                int(e["start"]),
                int(e["end"]),
                int(e["year"]),
                list(e.get("cues", [])),
                str(e.get("family", "")),
            )
            for e in d["eras"]
        ]
        if d.get("default") not in {e.id for e in eras}:
            raise ValueError(f"{path}: default era {d.get('default')!r} is not one of the eras")
        return cls(eras, d["default"])

    def of_year(self, year: int) -> Era | None:
        for e in self.eras:
            if e.start <= year <= e.end:
                return e
        return None

    def by_id(self, eid: str) -> Era:
        return next(e for e in self.eras if e.id == eid)

    def cues_in(self, text: str) -> list[tuple[int, Era]]:
        low = text.lower()
        out = []
        for e in self.eras:
            for c in e.cues:
                k = low.find(c.lower())
                while k >= 0:
                    out.append((k, e))
                    k = low.find(c.lower(), k + 1)
        return out


@dataclass
class T:
    text: str
    tags: list[str]
    start: int
    end: int
    lemma: str

    @property
    def tag(self) -> str:
        return self.tags[0]

    @property
    def last(self) -> str:
        return self.tags[-1]


@dataclass
class Relation:
    key: str
    role: str
    sent_id: int
    method: str
    confidence: float
    era: str = ""
    era_year: int = 0


def _toks(span) -> list[T]:
    return [
        T(t.text, t.tag_.split("+"), t.idx, t.idx + len(t), t.lemma_)
        for t in span
        if t.tag_ not in (SPACE_TAG, SKIP_TAG)
    ]


def _noun_run_after(toks: list[T], end: int, spans, limit: int = 3) -> list[T]:
    """Up to ``limit`` nouns right after ``end`` (no name inside, at most one space between them)."""
    run: list[T] = []
    for t in toks:
        if t.start <= end:
            continue
        if t.tag in NOMINAL and len(t.tags) == 1 and not any(s <= t.start < e for s, e in spans) and len(run) < limit:
            if run and t.start - run[-1].end > 1:
                break
            run.append(t)
        else:
            break
    return run


def _render(text: str, toks: list[T]) -> str:
    """The surface of a token run with its original spacing, particles never included."""
    if not toks:
        return ""
    return re.sub(r"\s+", " ", text[toks[0].start : toks[-1].end]).strip()


def _stem(tok: T) -> str:
    """A predicate's stem: the noun of ``NNG+하다`` as is, a verb's first morpheme without 다 (세우다 -> 세우)."""
    if tok.tag == "NNG":
        return tok.text
    stem = tok.lemma.split("+")[0]
    return stem[:-1] if stem.endswith("다") else stem


def _clause_before(toks: list[T]) -> list[T]:
    """The tokens of ``toks`` back to the last punctuation: the relative clause ending there."""
    clause: list[T] = []
    for t in reversed(toks):
        if t.tag in ("SP", "SF", "SS", "SSO", "SSC"):
            break
        clause.insert(0, t)
    return clause


_JOINT = {"공동", "함께", "직접", "같이", "새로"}  # adverbs between an organisation and its founding verb


class RoleExtractor:
    def __init__(self, lex: Lexicon, eras: EraConfig, key_family: dict[str, str] | None = None):
        self.lex = lex
        self.eras = eras
        self.key_family = key_family or {}  # entity key -> era family (from the gazetteer's layer)

    # ------------------------------------------------------------ role phrases
    def _has_domain(self, phrase: str) -> bool:
        p = phrase.replace(" ", "")
        return any(t in p for t in self.lex.domain_terms)

    def role_of_clause(self, text: str, toks: list[T], skip=()) -> str:
        """The last argument + verb of a clause: ``AI서버를 조립하는`` -> ``AI서버 조립``.

        ``skip``: (start, end) spans of actor names, which are never a role.
        """
        # "오픈AI를 만든", "xAI를 세워": founding or running an organisation named in the clause
        for k in range(len(toks) - 2, 0, -1):
            t = toks[k]
            if t.tag == "JKO" and any(s <= toks[k - 1].start < e for s, e in skip):
                nxt = toks[k + 1]
                if nxt.text in _JOINT and k + 2 < len(toks):  # "인텔을 공동 창업"
                    nxt = toks[k + 2]
                stem = _stem(nxt)
                if stem in self.lex.founder_verbs:
                    span = next((s, e) for s, e in skip if s <= toks[k - 1].start < e)
                    return f"{text[span[0] : span[1]]} {self.lex.founder_verbs[stem]}"
        toks = [t for t in toks if not any(s <= t.start < e for s, e in skip)] if skip else toks
        for k in range(len(toks) - 1, -1, -1):
            t = toks[k]
            if t.tag not in ("JKO", "JKB") or t.text not in ("을", "를", "에", "에서", "으로", "로"):
                continue
            j = k - 1
            np_toks = []
            while j >= 0 and toks[j].tag in NOMINAL and len(toks[j].tags) == 1 and len(np_toks) < 5:
                np_toks.insert(0, toks[j])
                j -= 1
            while np_toks and np_toks[0].text in _TIME_WORDS:
                np_toks.pop(0)
            if not np_toks:
                continue
            pred = toks[k + 1] if k + 1 < len(toks) else None
            if t.tag == "JKB" and not (
                pred is not None and pred.tag == "NNG" and pred.text in self.lex.role_verbs | self.lex.focus_verbs
            ):
                continue  # "...에 대해", "...에서": an adverbial, not what the actor does
            np = _render(text, np_toks)
            verb = ""
            if pred is not None and pred.tag == "NNG":
                verb = pred.text
            elif pred is not None and pred.tag == "VV" and t.text in ("을", "를"):
                stem = _stem(pred)
                verb = "" if stem == "하" else (self.lex.verb_nouns or {}).get(stem, stem)
            if verb in self.lex.focus_verbs or not verb:
                role = np
            elif verb in self.lex.role_verbs or pred.tag == "VV":
                role = np if np.endswith(verb) else f"{np} {verb}"
            else:
                role = np
            if self._has_domain(role):
                return role
        # no argument particle: a bare nominal description ("하이퍼클로바X 개선 중인")
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
        for run in reversed(runs):
            role = _render(text, run)
            if self._has_domain(role):
                return role
        return ""

    def genitive_role(self, text: str, toks: list[T], m: dict, spans) -> str:
        if text[m["end"] : m["end"] + 1] != "의":
            return ""
        run = _noun_run_after(toks, m["end"], spans)
        if not run:
            return ""
        phrase = _render(text, run)
        key = phrase.replace(" ", "")
        for p in self.lex.product_nouns:
            if key.startswith(p.replace(" ", "")):
                return f"{p} 공급" if key == p.replace(" ", "") else phrase
        return phrase if self._has_domain(phrase) else ""

    def founder_role(self, text: str, toks: list[T], g: list[dict], ms: list[dict]) -> str:
        after = [t for t in toks if t.start >= g[-1]["end"]]
        if len(after) < 2 or after[0].tag != "JKS":
            return ""
        verb = after[1]
        stem = verb.lemma.split("+")[0]
        stem = stem[:-1] if stem.endswith("다") else stem
        k = 1
        if verb.tag == "NNG" and len(after) > 2:  # 설립한 = 설립/NNG + 한/XSV+ETM
            stem, k = verb.text, 2
        if stem not in self.lex.founder_verbs or "ETM" not in after[k].tags + after[min(k, len(after) - 1)].tags:
            if not (k < len(after) and "ETM" in after[k].tags):
                return ""
        org = next(
            (x for x in ms if x["label"] == "ORG" and x["start"] >= after[k].end and x["start"] - after[k].end <= 2),
            None,
        )
        if org is None or stem not in self.lex.founder_verbs:
            return ""
        return f"{org['text']} {self.lex.founder_verbs[stem]}"

    def compound_role(self, text: str, toks: list[T], m: dict, spans) -> str:
        if text[m["end"] : m["end"] + 1] != " ":
            return ""
        run = _noun_run_after(toks, m["end"], spans)
        if not run or run[0].start - m["end"] != 1:
            return ""
        phrase = _render(text, run)
        key = phrase.replace(" ", "")
        if any(key.startswith(p.replace(" ", "")) for p in self.lex.product_nouns) or (
            len(run) >= 2 and self._has_domain(phrase)
        ):
            return phrase
        return ""

    def predicate_nominal(self, text: str, toks: list[T], g: list[dict], actor_spans) -> str:
        """``제재소의 주인은 존 서터였다``, ``팹리스의 '빅2'는 퓨리오사AI와 리벨리온이다``: the subject describes X."""
        after = [t for t in toks if t.start >= g[-1]["end"]]
        if not after or after[0].tag != "VCP":
            return ""
        before = [t for t in toks if t.end <= g[0]["start"]]
        topic = next(
            (
                k
                for k in range(len(before) - 1, -1, -1)
                if before[k].tag in ("JX", "JKS") and before[k].text in ("은", "는", "이", "가")
            ),
            None,
        )
        if topic is None:
            return ""
        subj = []
        for t in reversed(before[:topic]):
            if (
                t.tag in ("SP", "SF")
                or "ETM" in t.tags
                or t.tag.startswith("V")
                or any(s <= t.start < e for s, e in actor_spans)
            ):
                break
            subj.insert(0, t)
        while subj and subj[0].tag not in NOMINAL:
            subj.pop(0)
        noms = [t for t in subj if t.tag in NOMINAL]
        if not noms or subj[-1].tag not in NOMINAL + ("SS", "SSC"):
            return ""
        phrase = re.sub(r"['\"‘’“”]", "", _render(text, subj)).strip()
        if phrase in ("이", "그", "이들", "그들") or len(phrase) < 2:
            return ""
        return phrase

    def title_role(self, text: str, m: dict, ms: list[dict]) -> str:
        """A person's title next to the name, with the organisation when it is named there."""
        after = text[m["end"] : m["end"] + 30]
        before = text[max(0, m["start"] - 30) : m["start"]]
        titles = "|".join(re.escape(t) for t in self.lex.person_titles)
        org = next((x for x in ms if x["label"] == "ORG" and 0 <= x["start"] - m["end"] <= 2), None)
        if org is not None:  # "젠슨 황 엔비디아 CEO"
            mm = re.match(r"^\s*(" + titles + r")(?!적|작|[A-Za-z])", text[org["end"] : org["end"] + 12])
            if mm:
                return f"{org['text']} {mm.group(1)}"
        mm = re.match(r"^\s*(" + titles + r")(?!적|작|[A-Za-z])", after)
        if mm:
            org = next(
                (
                    x
                    for x in ms
                    if x["label"] == "ORG"
                    and 0 <= m["start"] - x["end"] <= 3
                    and text[x["end"] : m["start"]].strip() in ("", "의")
                ),
                None,
            )
            return f"{org['text']} {mm.group(1)}" if org is not None else mm.group(1)
        mm = re.search(r"(" + titles + r")\s*$", before)
        if mm:
            return mm.group(1)
        return ""

    def paren_role(self, text: str, toks: list[T], m_end: int, mention_spans) -> str:
        if text[m_end : m_end + 1] != "(":
            return ""
        close = text.find(")", m_end)
        if close < 0 or close - m_end > 25:
            return ""
        inner = [t for t in toks if m_end < t.start and t.end <= close]
        if not inner or any(s < close and m_end < e for s, e in mention_spans):
            return ""
        if any(t.tag.startswith(("V", "E", "X")) and t.tag not in ("XSN",) for t in inner):
            return ""
        content = text[m_end + 1 : close].strip()
        if not content or re.fullmatch(r"[A-Za-z0-9 .&\-]+", content) or re.search(r"\d{4}", content):
            return ""
        return content

    # ------------------------------------------------------------ per review
    def extract(self, doc, mentions: list[dict]) -> list[dict]:
        text = doc.text
        sents = list(analysed_sentences(doc))
        by_sent: dict[int, list[dict]] = {}
        for m in mentions:
            by_sent.setdefault(int(m["sent_id"]), []).append(m)
        rels: list[Relation] = []
        prev_actors: list[dict] = []
        prev_pid = None
        last_person: tuple[dict, int] | None = None  # the latest person named, and where
        for sid, span, pid, sec in sents:
            toks = _toks(span)
            ms = sorted(by_sent.get(sid, []), key=lambda m: m["start"])
            actors = [m for m in ms if m["label"] in ACTORS]
            spans = [(m["start"], m["end"]) for m in ms]
            groups = self._groups(text, actors)
            for g in groups:
                rels.extend(self._group_relations(text, toks, g, ms, spans, sid))
            if prev_actors and pid == prev_pid and sec in ("body", "text") and not self._has_subject(toks, actors):
                rels.extend(self._anaphora(text, toks, prev_actors, sid, [(m["start"], m["end"]) for m in actors]))
            persons = [m for m in actors if m["label"] == "PERSON"]
            if sec in ("body", "text"):
                earlier = last_person[0] if last_person is not None and sid - last_person[1] <= 2 else None
                rels.extend(
                    self._pronoun_subject(text, toks, earlier, persons, sid, [(m["start"], m["end"]) for m in actors])
                )
            if persons:
                last_person = (persons[-1], sid)
            prev_actors = [m for m in actors if self._is_topic(text, toks, m)] or actors
            prev_pid = pid
        self._assign_eras(text, sents, by_sent, rels)
        out, seen = [], set()
        for r in rels:
            span = next(s for i, s, _, _ in sents if i == r.sent_id)
            k = (r.key, r.role, r.era)
            if not r.role or k in seen:
                continue
            seen.add(k)
            out.append(
                {
                    "key": r.key,
                    "role": r.role,
                    "era": r.era,
                    "era_year": r.era_year,
                    "evidence": span.text,
                    "sent_id": r.sent_id,
                    "evidence_start": span.start_char,
                    "evidence_end": span.end_char,
                    "confidence": r.confidence,
                    "method": r.method,
                }
            )
        return out

    def _groups(self, text: str, actors: list[dict]) -> list[list[dict]]:
        groups: list[list[dict]] = []
        for m in actors:
            if (
                groups
                and _COORD.fullmatch(text[groups[-1][-1]["end"] : m["start"]])
                and "\n" not in text[groups[-1][-1]["end"] : m["start"]]
            ):
                groups[-1].append(m)
            else:
                groups.append([m])
        return groups

    def _group_relations(self, text, toks, g, ms, spans, sid) -> list[Relation]:
        out = []
        actor_spans = [(m["start"], m["end"]) for m in ms if m["label"] in ACTORS]
        # 1. parenthetical roles; "A·B(역할)" shares B's role with A
        paren = {}
        for m in g:
            r = self.paren_role(text, toks, m["end"], spans)
            if r:
                paren[id(m)] = r
        for idx in range(len(g) - 2, -1, -1):
            m, nxt = g[idx], g[idx + 1]
            if id(m) not in paren and id(nxt) in paren and "," not in text[m["end"] : nxt["start"]]:
                paren[id(m)] = paren[id(nxt)]
        for m in g:
            if id(m) in paren:
                out.append(Relation(m["key"], paren[id(m)], sid, "parenthetical", 0.9))
        # 2. genitive: "엔비디아의 GPU" (X supplies GPUs), "A, B, C의 변압기 수주" (the whole list)
        gen = self.genitive_role(text, toks, g[-1], spans)
        if gen:
            members = (
                g
                if len(g) > 1
                and all(
                    "," in text[a["end"] : b["start"]] or _COORD.fullmatch(text[a["end"] : b["start"]])
                    for a, b in zip(g, g[1:])
                )
                else [g[-1]]
            )
            for m in members:
                out.append(Relation(m["key"], gen, sid, "genitive_product", 0.7))
        for m in g[:-1]:
            r = self.genitive_role(text, toks, m, spans)
            if r:
                out.append(Relation(m["key"], r, sid, "genitive_product", 0.7))
        # 2a. "A와 B가 세운 C", "젠슨 황이 이끄는 엔비디아": the subjects made or run C
        fr = self.founder_role(text, toks, g, ms)
        if fr:
            for k in dict.fromkeys(m["key"] for m in g):
                out.append(Relation(k, fr, sid, "founder_clause", 0.8))
        # 2c. "TSMC 5나노 공정", "KT클라우드 데이터센터": a product noun right after the name
        for m in g:
            r = self.compound_role(text, toks, m, spans)
            if r:
                out.append(Relation(m["key"], r, sid, "compound_product", 0.6))
        # 2b. person titles: "박성현 대표", "젠슨 황 엔비디아 CEO", "대표 김도윤"
        for m in g:
            if m["label"] == "PERSON":
                r = self.title_role(text, m, ms)
                if r:
                    out.append(Relation(m["key"], r, sid, "person_title", 0.85))
        # 3. relative clause right before the group (or a cleft: "...공급해 온 곳이 X다")
        before_role = None
        before = [t for t in toks if t.end <= g[0]["start"]]
        other = [(m["start"], m["end"]) for m in ms if m["label"] not in ACTORS]
        while len(before) >= 2 and before[-1].text == "의" and any(s <= before[-2].start < e for s, e in other):
            before = [t for t in before[:-1] if not any(s <= t.start < e for s, e in other) or t.end < before[-2].start]
        if (
            len(before) >= 3
            and before[-1].tag in ("JKS", "JX")
            and before[-2].text in self.lex.company_nouns
            and "ETM" in before[-3].tags
        ):
            before = before[:-2]
        if before and "ETM" in before[-1].tags:
            r = self.role_of_clause(text, _clause_before(before), actor_spans)
            if r:
                before_role = (r, "relative_clause", 0.8)
        # 4. after the group: "같은/등 [clause] HEAD" or "은/는 ... 하는 기업이다"
        after = [t for t in toks if t.start >= g[-1]["end"]]
        after_roles, kind = (
            self._after_group(text, after, actor_spans, all(m["label"] == "PERSON" for m in g)) if after else ([], "")
        )
        after_role = after_roles[0] if after_roles else None
        ot = self.object_topic_role(text, before, after, actor_spans)
        if ot:  # "HBM은 SK하이닉스와 삼성전자가 만들고": the topic is what the subjects make
            after_role = (ot, "object_topic", 0.7)
        commas = [k for k in range(1, len(g)) if "," in text[g[k - 1]["end"] : g[k]["start"]]]
        if before_role is None and after_role is None:
            pn = self.predicate_nominal(text, toks, g, actor_spans)
            if pn:
                after_role = (pn, "predicate_nominal", 0.6)
        if kind == "like" and commas and len(g) - commas[-1] > 1:
            # "X, A와 B 같은 팹리스": the tail shares the trailing role, the head keeps its own clause
            # (a plain comma list, "A, B, C 같은 서버 업체", shares it whole)
            tail = g[commas[-1] :]
            head = g[: commas[-1]]
            assign = [(head, before_role), (tail, after_role)]
        else:
            assign = [(g, before_role or after_role)]
        for members, role in assign:
            if role is None:
                continue
            r, how, conf = role
            for k in dict.fromkeys(m["key"] for m in members):
                out.append(Relation(k, r, sid, how, conf))
        return out

    def object_topic_role(self, text: str, before: list[T], after: list[T], spans) -> str:
        """``HBM은 SK하이닉스가 만들고``, ``그 GPU는 TSMC가 찍어 내고``: a topic noun, then the group as
        subject, then a verb right away: the group makes (supplies, designs...) the topic."""
        if len(before) < 2 or len(after) < 2 or before[-1].tag != "JX" or before[-1].text not in ("은", "는"):
            return ""
        if after[0].tag != "JKS" or after[0].text not in ("이", "가"):
            return ""
        verb = after[1]
        if verb.tag != "VV" and not (verb.tag == "NNG" and verb.text in self.lex.role_verbs):
            return ""
        run, j = [], len(before) - 2
        while (
            j >= 0
            and before[j].tag in NOMINAL
            and len(before[j].tags) == 1
            and len(run) < 4
            and not any(s <= before[j].start < e for s, e in spans)
        ):
            run.insert(0, before[j])
            j -= 1
        run = [t for t in run if t.text not in _DETERMINERS]
        if not run or self._said(after[1:3]):
            return ""
        np = _render(text, run)
        stem = (self.lex.verb_nouns or {}).get(_stem(verb), _stem(verb))
        role = np if stem == "하" else f"{np} {stem}"
        return role if self._has_domain(role) else ""

    def _said(self, clause: list[T]) -> bool:
        """Is the clause governed by a verb of saying or judging (a reported opinion)?"""
        return any(
            t.text in self.lex.speech_verbs
            or t.lemma.split("+")[0] in self.lex.speech_verbs
            or t.lemma.split("+")[0].rstrip("다") in self.lex.speech_verbs
            for t in clause
        )

    def _after_group(self, text, after: list[T], spans, person: bool = False) -> tuple[list, str]:
        """Roles stated after a name or group, and the construction: like | etc | topic.

        ``person``: the group is all persons; what a person "does" in a clause is rarely a
        business role (people say, think, meet), so only explicit descriptions count for them.
        """
        out = []
        i = 0
        while i < len(after) and after[i].tag.startswith("J") and after[i].text in ("와", "과", "의"):
            i += 1
        if i < len(after) and (
            after[i].text in ("등", "같은")
            or after[i].lemma in ("같다",)
            or (after[i].text == "같" and i + 1 < len(after))
        ):
            kind = "etc" if after[i].text == "등" else "like"
            if i + 1 < len(after) and after[i + 1].text in ("과", "와") and after[i + 1].tag.startswith("J"):
                # "A, B 등과 (함께) ... 오픈AI를 만든": they did it together with the subject
                clause = []
                for t in after[i + 2 :]:
                    if t.tag in ("SF", "SP"):
                        break
                    clause.append(t)
                    if "ETM" in t.tags or t.tag == "EF":
                        break
                r = self.role_of_clause(text, clause, spans)
                return ([(r, "comitative", 0.7)] if r else []), kind
            # "등 일부 빅테크", "같은 AI반도체를 설계하는 팹리스 기업"
            j = i + 1
            while j < len(after) and after[j].text in ("은",) and after[j].tag in ("ETM",):
                j += 1
            rest = []
            for t in after[j:]:
                if t.tag in ("SP", "SF") or any(s <= t.start < e for s, e in spans):
                    break
                rest.append(t)
            # "등 일부 빅테크" (head right away) or "같은 AI반도체를 설계하는 팹리스" (clause, then head)
            lead = 0
            while lead < len(rest) and rest[lead].tag in NOMINAL and len(rest[lead].tags) == 1:
                lead += 1
            first_etm = next((k for k, t in enumerate(rest) if "ETM" in t.tags), None)
            head_after_etm = (
                first_etm is not None
                and first_etm + 1 < len(rest)
                and rest[first_etm + 1].tag in ("NNG", "NNP", "SL")
                and len(rest[first_etm + 1].tags) == 1
            )
            clause_first = head_after_etm and (lead == 0 or rest[lead].tag in ("JKO", "JKB"))
            etm = [first_etm] if clause_first else []
            start = etm[-1] + 1 if etm else 0
            run = []
            for t in rest[start:]:
                if t.tag in NOMINAL and len(t.tags) == 1:
                    run.append(t)
                else:
                    break
            head_toks = [t for t in run if t.text not in _DETERMINERS]
            cut = next((k for k, t in enumerate(head_toks) if t.text in self.lex.company_nouns), None)
            if cut is not None:  # "서버 업체 입장에서는": the head ends at its company noun
                head_toks = head_toks[: cut + 1]
            head = _render(text, head_toks)
            if etm and head_toks:
                r = self.role_of_clause(text, rest[: etm[-1] + 1])
                if r:
                    out.append((r, "coordination_clause", 0.8))
            if head and not out and self._has_domain(head):
                out.append((head, "coordination_head", 0.6))
            # "A, B 같은 일본 전자 대기업들이 D램을 찍어내며": the group is the subject of what follows
            k = start + len(run)
            while k < len(rest) and rest[k].tag == "XSN":
                k += 1
            if run and k < len(rest) and rest[k].tag in ("JKS", "JX") and rest[k].text in ("이", "가", "은", "는"):
                clause = rest[k + 1 :]
                if not self._said(clause):
                    r = self.role_of_clause(text, clause, spans)
                    if r and all(r != x[0] for x in out):
                        out.append((r, "group_subject_predicate", 0.6))
            return out, kind
        # topic/subject: "X는 ... ROLE을 하는 기업이다"
        if i < len(after) and after[i].tag in ("JX", "JKS") and after[i].text in ("은", "는", "이", "가", "도"):
            rest = []
            for t in after[i + 1 :]:
                if t.tag == "SF":
                    break
                rest.append(t)
            for k, t in enumerate(rest):
                if "ETM" in t.tags and k + 1 < len(rest) and rest[k + 1].text in self.lex.company_nouns:
                    clause = []
                    for x in reversed(rest[: k + 1]):
                        if x.tag in ("SP",) or any(s <= x.start < e for s, e in spans):
                            break
                        clause.insert(0, x)
                    r = self.role_of_clause(text, clause)
                    if r:
                        out.append((r, "copula_description", 0.85))
                        break
            if not out:
                # the predicate of the clause the name is the subject of
                clause = []
                for k, t in enumerate(rest):
                    if any(s <= t.start < e for s, e in spans) and t.tag in ("NNP", "SL", "NNG") and clause:
                        # another name ends the clause, unless it is the object ("TSMC를 세운다")
                        nxt = next((x for x in rest[k + 1 :] if not any(s <= x.start < e for s, e in spans)), None)
                        if nxt is None or nxt.tag != "JKO":
                            break
                    if (
                        t.tag == "SP"
                        and clause
                        and clause[-1].tag == "EC"
                        and any(x.tag in ("VV", "XSV") for x in clause)
                    ):
                        break  # "X가 A를 만들고, B는 ...": the subject's own clause ends at its first verb
                    clause.append(t)
                # a verb of saying anywhere after the subject governs the clauses before it too
                r = "" if self._said(clause) or self._said(rest) else self.role_of_clause(text, clause, spans)
                if r:
                    out.append((r, "subject_predicate", 0.6))
            return out, "topic"
        return out, ""

    @staticmethod
    def _next_after(toks: list[T], end: int) -> T | None:
        return next((t for t in toks if t.start >= end), None)

    def _is_topic(self, text: str, toks: list[T], m: dict) -> bool:
        t = self._next_after(toks, m["end"])
        return (
            t is not None
            and t.start == m["end"]
            and ((t.tag in ("JX", "JKS") and t.text in ("은", "는", "이", "가")) or t.tag == "VCP")
        )

    def _has_subject(self, toks: list[T], actors: list[dict]) -> bool:
        """Does the sentence state its own subject (a name, a pronoun or a noun with 은/는/이/가)?"""
        if any(self._is_topic("", toks, m) for m in actors):
            return True
        for k, t in enumerate(toks[:-1]):
            if (
                toks[k + 1].tag in ("JX", "JKS")
                and toks[k + 1].text in ("은", "는", "이", "가")
                and t.tag in ("NP", "NNG", "NNP")
                and t.end == toks[k + 1].start
            ):
                return True
        return False

    def _anaphora(self, text, toks, prev_actors, sid, skip) -> list[Relation]:
        """A sentence without its own subject continues the previous one: ``이 회사는 ...`` / zero subject."""
        if len(prev_actors) != 1 or not toks or prev_actors[0]["label"] != "ORG":
            return []
        s = text[toks[0].start : toks[-1].end]
        m = re.match(r"^(이|그|해당)\s*(회사|기업|업체|스타트업|곳|사람|인물)(은|는|이|가)", s)
        if m:
            k = next((i for i, t in enumerate(toks) if t.tag in ("JX", "JKS")), None)
            res, _ = self._after_group(text, toks[k:], skip) if k is not None else ([], "")
            return [Relation(prev_actors[0]["key"], r, sid, "anaphora_" + how, conf * 0.9) for r, how, conf in res]
        # zero subject: "DX-M1 같은 저전력 NPU를 앞세워 ... 양산을 준비하고 있다."
        r = self.role_of_clause(text, [t for t in toks if t.tag != "SF"], skip)
        if r:
            return [Relation(prev_actors[0]["key"], r, sid, "zero_subject", 0.5)]
        return []

    def _pronoun_subject(self, text, toks, earlier: dict | None, persons: list[dict], sid, skip) -> list[Relation]:
        """``그는/그녀는 ... TSMC를 세운다``: a personal pronoun as subject stands for the nearest person
        named before it: earlier in the sentence, else ``earlier`` (named in the last two sentences)."""
        for k, t in enumerate(toks[:-1]):
            nxt = toks[k + 1]
            if (
                t.tag == "NP"
                and t.text in ("그", "그녀")
                and nxt.tag in ("JX", "JKS")
                and nxt.text in ("은", "는", "이", "가")
                and t.end == nxt.start
            ):
                # a person named as subject earlier in this sentence (not "A, B 등과 ..." companions)
                before = [m for m in persons if m["end"] <= t.start and self._is_topic(text, toks, m)]
                person = before[-1] if before else earlier
                if person is None:
                    return []
                res, _ = self._after_group(text, toks[k + 1 :], skip, person=True)
                out = [Relation(person["key"], r, sid, "pronoun_" + how, conf * 0.8) for r, how, conf in res]
                if k > 0 and "ETM" in toks[k - 1].tags:  # "오픈AI를 만든 그는": a relative clause on the pronoun
                    r = self.role_of_clause(text, _clause_before(toks[:k]), skip)
                    if r:
                        out.append(Relation(person["key"], r, sid, "pronoun_relative_clause", 0.65))
                return out
        return []

    # ------------------------------------------------------------ eras
    def _assign_eras(self, text, sents, by_sent, rels: list[Relation]) -> None:
        """Explicit year of the sentence, else of the paragraph, else era cues, else the review's."""
        info = {}
        for sid, span, pid, sec in sents:
            years = [d.year for d in find_dates(span.text)]
            info[sid] = (pid, years, self.eras.cues_in(span.text))
        order = [sid for sid, *_ in sents]
        pos = {sid: i for i, sid in enumerate(order)}
        review_years = [y for _, ys, _ in info.values() for y in ys]

        def rep_year(e: Era) -> int:
            ys = [y for y in review_years if e.start <= y <= e.end]
            return max(ys) if ys and e.family != "gold" else (min(ys) if ys else e.year)

        def context(sid: int, family: str, paragraph_only: bool = False) -> tuple[str, int] | None:
            ok = lambda e: e is not None and (not family or e.family == family)
            i, pid = pos[sid], info[sid][0]
            near = sorted(range(len(order)), key=lambda j: (abs(j - i), j > i))
            para = [order[j] for j in near if info[order[j]][0] == pid]
            review = [] if paragraph_only else [order[j] for j in near]
            for ring, use_cues in ((para, False), (para, True), (review, False), (review, True)):
                for s in ring:
                    _, years, cues = info[s]
                    if not use_cues:
                        for y in years:
                            e = self.eras.of_year(y)
                            if ok(e):
                                return e.id, y
                    else:
                        for _, e in sorted(cues, key=lambda c: c[0]):
                            if ok(e):
                                return e.id, rep_year(e)
            return None

        # the review's dominant era family (years and cues counted): actors with no family of their
        # own (unknown names, investors of both eras) search the review only within it
        fam_votes = Counter()
        for _, ys, cues in info.values():
            for y in ys:
                e = self.eras.of_year(y)
                if e is not None:
                    fam_votes[e.family] += 1
            for _, e in cues:
                fam_votes[e.family] += 1
        dominant = fam_votes.most_common(1)[0][0] if fam_votes else ""

        def context_any(sid: int) -> tuple[str, int] | None:
            return context(sid, "", paragraph_only=True) or (context(sid, dominant) if dominant else None)

        for r in rels:
            family = self.key_family.get(r.key, "")
            ctx = context(r.sent_id, family) if family else context_any(r.sent_id)
            if ctx is None:
                fam_default = next((e for e in self.eras.eras if family and e.family == family), None)
                e = fam_default if fam_default and family == "gold" else self.eras.by_id(self.eras.default)
                r.era, r.era_year = e.id, rep_year(e)
            else:
                r.era, r.era_year = ctx
