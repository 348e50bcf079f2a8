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
from dataclasses import dataclass
from pathlib import Path

import yaml

from .ner.dates import find_dates
from .spacy_kiwi import SKIP_TAG, SPACE_TAG, analysed_sentences

ACTORS = {"ORG", "PERSON"}
NOMINAL = ("NNG", "NNP", "SL", "SN", "XSN", "SH", "NR")
_COORD = re.compile(r"\s*(와|과|및|,|·|、|/|그리고|\s)*\s*")
_SUBJ = re.compile(r"^(은|는|이|가|도|이야말로|만)\b")
_DETERMINERS = {"일부", "여러", "주요", "대부분", "모든", "각", "몇몇", "다른", "기타", "유수"}
RELATION_COLUMNS = ["review_id", "key", "role", "era", "era_year", "evidence", "sent_id", "evidence_start",
                    "evidence_end", "confidence", "method"]


@dataclass
class Lexicon:
    company_nouns: set[str]
    role_verbs: set[str]
    focus_verbs: set[str]
    product_nouns: list[str]
    domain_terms: list[str]

    @classmethod
    def load(cls, roles_yaml: str | Path, taxonomy_yaml: str | Path | None = None) -> "Lexicon":
        d = yaml.safe_load(Path(roles_yaml).read_text(encoding="utf-8"))
        domain = list(d.get("domain_terms", []))
        if taxonomy_yaml and Path(taxonomy_yaml).exists():
            tax = yaml.safe_load(Path(taxonomy_yaml).read_text(encoding="utf-8"))
            for layer in tax.get("layers", []):
                domain += [s for s in layer.get("seeds_ko", []) if len(s) >= 2]
        return cls(set(d["company_nouns"]), set(d["role_verbs"]), set(d["focus_verbs"]),
                   sorted(d["product_nouns"], key=len, reverse=True),
                   sorted({t.replace(" ", "") for t in domain}, key=len, reverse=True))


@dataclass
class Era:
    id: str
    start: int
    end: int
    year: int
    cues: list[str]


@dataclass
class EraConfig:
    eras: list[Era]
    default: str

    @classmethod
    def load(cls, path: str | Path) -> "EraConfig":
        d = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        eras = [Era(e["id"], int(e["start"]), int(e["end"]), int(e["year"]), list(e.get("cues", [])))
                for e in d["eras"]]
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
    return [T(t.text, t.tag_.split("+"), t.idx, t.idx + len(t), t.lemma_) for t in span
            if t.tag_ not in (SPACE_TAG, SKIP_TAG)]


def _render(text: str, toks: list[T]) -> str:
    """The surface of a token run with its original spacing, particles never included."""
    if not toks:
        return ""
    return re.sub(r"\s+", " ", text[toks[0].start:toks[-1].end]).strip()


class RoleExtractor:
    def __init__(self, lex: Lexicon, eras: EraConfig):
        self.lex = lex
        self.eras = eras

    # ------------------------------------------------------------ role phrases
    def _has_domain(self, phrase: str) -> bool:
        p = phrase.replace(" ", "")
        return any(t in p for t in self.lex.domain_terms)

    def role_of_clause(self, text: str, toks: list[T]) -> str:
        """The last argument + verb of a clause: ``AI서버를 조립하는`` -> ``AI서버 조립``."""
        for k in range(len(toks) - 1, -1, -1):
            t = toks[k]
            if t.tag not in ("JKO", "JKB") or t.text not in ("을", "를", "에", "에서", "으로", "로"):
                continue
            j = k - 1
            np_toks = []
            while j >= 0 and toks[j].tag in NOMINAL and len(toks[j].tags) == 1 and len(np_toks) < 5:
                np_toks.insert(0, toks[j])
                j -= 1
            if not np_toks:
                continue
            pred = toks[k + 1] if k + 1 < len(toks) else None
            np = _render(text, np_toks)
            verb = ""
            if pred is not None and pred.tag == "NNG":
                verb = pred.text
            elif pred is not None and pred.tag == "VV" and t.text in ("을", "를"):
                stem = pred.lemma.split("+")[0]
                stem = stem[:-1] if stem.endswith("다") else stem
                verb = "" if stem == "하" else stem
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

    def paren_role(self, text: str, toks: list[T], m_end: int, mention_spans) -> str:
        if text[m_end:m_end + 1] != "(":
            return ""
        close = text.find(")", m_end)
        if close < 0 or close - m_end > 25:
            return ""
        inner = [t for t in toks if m_end < t.start and t.end <= close]
        if not inner or any(s < close and m_end < e for s, e in mention_spans):
            return ""
        if any(t.tag.startswith(("V", "E", "X")) and t.tag not in ("XSN",) for t in inner):
            return ""
        content = text[m_end + 1:close].strip()
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
        for sid, span, pid, sec in sents:
            toks = _toks(span)
            ms = sorted(by_sent.get(sid, []), key=lambda m: m["start"])
            actors = [m for m in ms if m["label"] in ACTORS]
            spans = [(m["start"], m["end"]) for m in ms]
            groups = self._groups(text, actors)
            for g in groups:
                rels.extend(self._group_relations(text, toks, g, ms, spans, sid))
            if not actors and prev_actors:
                rels.extend(self._anaphora(text, toks, prev_actors, sid))
            prev_actors = actors or prev_actors if actors else []
        self._assign_eras(text, sents, by_sent, rels)
        out, seen = [], set()
        for r in rels:
            span = next(s for i, s, _, _ in sents if i == r.sent_id)
            k = (r.key, r.role, r.era)
            if not r.role or k in seen:
                continue
            seen.add(k)
            out.append({"key": r.key, "role": r.role, "era": r.era, "era_year": r.era_year,
                        "evidence": span.text, "sent_id": r.sent_id, "evidence_start": span.start_char,
                        "evidence_end": span.end_char, "confidence": r.confidence, "method": r.method})
        return out

    def _groups(self, text: str, actors: list[dict]) -> list[list[dict]]:
        groups: list[list[dict]] = []
        for m in actors:
            if groups and _COORD.fullmatch(text[groups[-1][-1]["end"]:m["start"]]) \
                    and "\n" not in text[groups[-1][-1]["end"]:m["start"]]:
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
            if id(m) not in paren and id(nxt) in paren and "," not in text[m["end"]:nxt["start"]]:
                paren[id(m)] = paren[id(nxt)]
        for m in g:
            if id(m) in paren:
                out.append(Relation(m["key"], paren[id(m)], sid, "parenthetical", 0.9))
        # 2. genitive product: X의 GPU
        for m in g:
            mm = re.match(r"^의\s*(.+)", text[m["end"]:m["end"] + 16])
            if mm:
                for p in self.lex.product_nouns:
                    if mm.group(1).startswith(p):
                        out.append(Relation(m["key"], f"{p} 공급", sid, "genitive_product", 0.7))
                        break
        # 3. relative clause right before the group
        before_role = None
        before = [t for t in toks if t.end <= g[0]["start"]]
        if before and "ETM" in before[-1].tags:
            clause = []
            for t in reversed(before):
                if t.tag in ("SP", "SF", "SS", "SSO", "SSC") or any(s <= t.start < e for s, e in actor_spans):
                    break
                clause.insert(0, t)
            r = self.role_of_clause(text, clause)
            if r:
                before_role = (r, "relative_clause", 0.8)
        # 4. after the group: "같은/등 [clause] HEAD" or "은/는 ... 하는 기업이다"
        after = [t for t in toks if t.start >= g[-1]["end"]]
        after_roles, kind = self._after_group(text, after, actor_spans) if after else ([], "")
        after_role = after_roles[0] if after_roles else None
        commas = [k for k in range(1, len(g)) if "," in text[g[k - 1]["end"]:g[k]["start"]]]
        if kind == "like" and commas:
            # "X, A와 B 같은 팹리스": the tail shares the trailing role, the head keeps its own clause
            tail = g[commas[-1]:]
            head = g[:commas[-1]]
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

    def _after_group(self, text, after: list[T], spans) -> tuple[list, str]:
        """Roles stated after a name or group, and the construction: like | etc | topic."""
        out = []
        i = 0
        while i < len(after) and after[i].tag.startswith("J") and after[i].text in ("와", "과", "의"):
            i += 1
        if i < len(after) and (after[i].text in ("등", "같은") or after[i].lemma in ("같다",) or
                               (after[i].text == "같" and i + 1 < len(after))):
            kind = "etc" if after[i].text == "등" else "like"
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
            head_after_etm = first_etm is not None and first_etm + 1 < len(rest) and \
                rest[first_etm + 1].tag in ("NNG", "NNP", "SL") and len(rest[first_etm + 1].tags) == 1
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
            head = _render(text, head_toks)
            if etm and head_toks:
                r = self.role_of_clause(text, rest[: etm[-1] + 1])
                if r:
                    out.append((r, "coordination_clause", 0.8))
            if head and not out and self._has_domain(head):
                out.append((head, "coordination_head", 0.6))
            return out, kind
        # topic/subject: "X는 ... ROLE을 하는 기업이다"
        if i < len(after) and after[i].tag in ("JX", "JKS") and after[i].text in ("은", "는", "이", "가", "도"):
            rest = []
            for t in after[i + 1:]:
                if t.tag == "SF":
                    break
                rest.append(t)
            for k, t in enumerate(rest):
                if "ETM" in t.tags and k + 1 < len(rest) and rest[k + 1].text in self.lex.company_nouns:
                    clause = []
                    for x in reversed(rest[:k + 1]):
                        if x.tag in ("SP",) or any(s <= x.start < e for s, e in spans):
                            break
                        clause.insert(0, x)
                    r = self.role_of_clause(text, clause)
                    if r:
                        out.append((r, "copula_description", 0.85))
                        break
            return out, "topic"
        return out, ""

    def _anaphora(self, text, toks, prev_actors, sid) -> list[Relation]:
        """``이 회사는 ...하는 기업이다``: the description belongs to the actor of the previous sentence."""
        if len(prev_actors) != 1:
            return []
        s = text[toks[0].start:toks[-1].end] if toks else ""
        if not re.match(r"^(이|그|해당)\s*(회사|기업|업체|스타트업|곳|사람|인물)(은|는|이|가)", s):
            return []
        k = next((i for i, t in enumerate(toks) if t.tag in ("JX", "JKS")), None)
        if k is None:
            return []
        res, _ = self._after_group(text, toks[k:], [])
        return [Relation(prev_actors[0]["key"], r, sid, "anaphora_" + how, conf * 0.9) for r, how, conf in res]

    # ------------------------------------------------------------ eras
    def _assign_eras(self, text, sents, by_sent, rels: list[Relation]) -> None:
        info = {}
        for sid, span, pid, sec in sents:
            years = [d.year for d in find_dates(span.text)]
            cues = self.eras.cues_in(span.text)
            info[sid] = (pid, sec, years, cues)
        order = [sid for sid, *_ in sents]
        pos = {sid: i for i, sid in enumerate(order)}

        def context(sid: int) -> tuple[str, int] | None:
            pid = info[sid][0]
            i = pos[sid]
            # same sentence, then earlier sentences of the paragraph, then later ones, then the review
            ring = [order[i]] + [order[j] for j in range(i - 1, -1, -1) if info[order[j]][0] == pid] \
                + [order[j] for j in range(i + 1, len(order)) if info[order[j]][0] == pid] \
                + [order[j] for j in range(i - 1, -1, -1)] + [order[j] for j in range(i + 1, len(order))]
            for s in ring:
                _, _, years, cues = info[s]
                for y in years:
                    e = self.eras.of_year(y)
                    if e:
                        return e.id, y
                if cues:
                    e = sorted(cues, key=lambda c: c[0])[0][1]
                    return e.id, e.year
            return None

        for r in rels:
            ctx = context(r.sent_id)
            if ctx is None:
                e = self.eras.by_id(self.eras.default)
                r.era, r.era_year = e.id, e.year
            else:
                r.era, r.era_year = ctx
