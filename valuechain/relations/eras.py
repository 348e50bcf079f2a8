"""Era assignment: the era (and a representative year) of what a sentence says about an actor.

Explicit year of the sentence, else of its paragraph, else era cues of the paragraph, then the same
over the review (nearest sentence first); always within the era family of the actor, so a gold-rush
metaphor does not move a modern company to 1848.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..ner.dates import find_dates
from ..yaml_files import read_yaml


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
        d = read_yaml(path)
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
class _SentEra:
    pid: int
    years: list[int]
    cues: list[tuple[int, Era]]


# words that put a clause in the review's own time, and what separates clauses within a sentence
PRESENT = ("최근", "지금", "현재", "요즘", "오늘날", "올해", "이제")
_CLAUSE_BREAK = re.compile(r"[,;]\s|\s(?:그리고|하지만|반면|그러나|한편)\s")


def clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of the comma-separated clauses of a sentence."""
    out, k = [], 0
    for m in _CLAUSE_BREAK.finditer(text):
        out.append((k, m.start()))
        k = m.end()
    return out + [(k, len(text))]


class ReviewEras:
    """The years and era cues of every sentence of one review, and the era of a sentence in context."""

    def __init__(
        self,
        eras: EraConfig,
        sentences: list[tuple[int, int, str]],
        review_year: int | None = None,
        present: set[int] | None = None,
    ):
        """``sentences``: (sent_id, paragraph id, sentence text) in text order; ``review_year``: when the
        review was written (its date), else the latest year it names; ``present``: the sentences
        written in the present tense."""
        self.eras = eras
        self.present = present or set()
        self.texts = {sid: t for sid, _, t in sentences}
        self.info = {sid: _SentEra(pid, [d.year for d in find_dates(t)], eras.cues_in(t)) for sid, pid, t in sentences}
        self.order = [sid for sid, _, _ in sentences]
        self.pos = {sid: i for i, sid in enumerate(self.order)}
        self.review_years = [y for s in self.info.values() for y in s.years]
        self.dominant = self._dominant_family()
        modern = [y for y in self.review_years if (e := eras.of_year(y)) is not None and e.family != "gold"]
        self.review_year = review_year or (max(modern) if modern else None)

    def clause_era(self, sid: int, family: str, anchor: str) -> tuple[str, int] | None:
        """The era of the clause holding ``anchor`` (the role or a link's name): a year written in that
        clause, else the review's own time when the clause says 지금/최근/현재 or the sentence is in the
        present tense (modern actors only; not in a review about the gold rush)."""
        text = self.texts.get(sid, "")
        k = text.find(anchor) if anchor else -1
        if k < 0:
            return None
        s, e = next(((a, b) for a, b in clauses(text) if a <= k <= b), (0, len(text)))
        years = [d for d in find_dates(text[s:e], s) if d.year]
        ok = [
            (d.start, d.year)
            for d in years
            if (era := self.eras.of_year(d.year)) and (not family or era.family == family)
        ]
        if ok:
            before = [y for p, y in ok if p <= k]
            y = before[-1] if before else ok[0][1]
            return self.eras.of_year(y).id, y
        now = any(w in text[s:e] for w in PRESENT) or (sid in self.present and self.dominant != "gold")
        if family != "gold" and self.review_year and now:
            era = self.eras.of_year(self.review_year)
            if era is not None and era.family != "gold":
                return era.id, self.review_year
        return None

    def rep_year(self, e: Era) -> int:
        """The latest year of the review inside a modern era (earliest for the gold rush), else the era's own."""
        ys = [y for y in self.review_years if e.start <= y <= e.end]
        return max(ys) if ys and e.family != "gold" else (min(ys) if ys else e.year)

    def _dominant_family(self) -> str:
        """The review's dominant era family (years and cues counted)."""
        votes: Counter = Counter()
        for s in self.info.values():
            for y in s.years:
                e = self.eras.of_year(y)
                if e is not None:
                    votes[e.family] += 1
            for _, e in s.cues:
                votes[e.family] += 1
        return votes.most_common(1)[0][0] if votes else ""

    def _rings(self, sid: int, paragraph_only: bool) -> list[tuple[list[int], bool]]:
        """Sentences to search, nearest first: the paragraph's (years, then cues), then the review's."""
        i, pid = self.pos[sid], self.info[sid].pid
        near = sorted(range(len(self.order)), key=lambda j: (abs(j - i), j > i))
        para = [self.order[j] for j in near if self.info[self.order[j]].pid == pid]
        review = [] if paragraph_only else [self.order[j] for j in near]
        return [(para, False), (para, True), (review, False), (review, True)]

    def _in_sentence(self, sid: int, family: str, use_cues: bool) -> tuple[str, int] | None:
        s = self.info[sid]
        if not use_cues:
            for y in s.years:
                e = self.eras.of_year(y)
                if e is not None and (not family or e.family == family):
                    return e.id, y
            return None
        for _, e in sorted(s.cues, key=lambda c: c[0]):
            if not family or e.family == family:
                return e.id, self.rep_year(e)
        return None

    def context(self, sid: int, family: str, paragraph_only: bool = False) -> tuple[str, int] | None:
        for ring, use_cues in self._rings(sid, paragraph_only):
            for s in ring:
                found = self._in_sentence(s, family, use_cues)
                if found:
                    return found
        return None

    def era_of(self, sid: int, family: str, anchor: str = "") -> tuple[str, int]:
        """Era id and year for sentence ``sid`` and an actor of era ``family`` ("" = unknown); the clause
        holding ``anchor`` decides first (``clause_era``)."""
        own = self.clause_era(sid, family, anchor)
        if own is not None:
            return own
        if family:
            ctx = self.context(sid, family)
        else:  # unknown names and actors of both eras: the paragraph, else the review's dominant family
            ctx = self.context(sid, "", paragraph_only=True) or (
                self.context(sid, self.dominant) if self.dominant else None
            )
        if ctx is not None:
            return ctx
        fam_default = next((e for e in self.eras.eras if family and e.family == family), None)
        e = fam_default if fam_default and family == "gold" else self.eras.by_id(self.eras.default)
        return e.id, self.rep_year(e)
