"""Token-aligned longest-match lookup of gazetteer aliases (spacing and case variants included).

Matching is on the concatenated normalised forms of consecutive Kiwi tokens, so ``삼성전자파운드리사업부``
finds the alias ``삼성전자 파운드리사업부`` and ``SK 하이닉스`` finds ``SK하이닉스``. Latin aliases of three
characters or fewer must match case-sensitively (MS, TEL, US).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..gazetteer import Gazetteer, norm_key

MAX_TOKENS = 16


@dataclass(frozen=True)
class GazMatch:
    start: int
    end: int
    ids: tuple[str, ...]
    alias_ambiguous: bool


class GazetteerMatcher:
    def __init__(self, gaz: Gazetteer):
        self.gaz = gaz
        self.index: dict[str, list[str]] = gaz.by_key()
        self.short_latin: dict[str, set[str]] = {}  # key -> exact surface forms allowed
        self.ambiguous_keys: set[str] = set()
        for e in gaz.entries.values():
            for a in e.aliases:
                k = norm_key(a)
                if a.isascii() and len(k) <= 3:
                    self.short_latin.setdefault(k, set()).add(a.replace(" ", ""))
                if a in e.ambiguous:
                    self.ambiguous_keys.add(k)
        for k, ids in self.index.items():
            if len(ids) > 1:
                self.ambiguous_keys.add(k)
        self.max_key = max((len(k) for k in self.index), default=0)
        # every prefix of every key: a scan stops as soon as no alias can start this way
        self.prefixes = {k[:i] for k in self.index for i in range(1, len(k) + 1)}

    def match(self, toks, text: str) -> list[GazMatch]:
        """Longest non-overlapping matches over a list of Tok (valuechain.ner.candidates.Tok)."""
        out: list[GazMatch] = []
        i = 0
        n = len(toks)
        while i < n:
            best = None
            key = ""
            if not norm_key(toks[i].text):
                i += 1
                continue
            for j in range(i, min(n, i + MAX_TOKENS)):
                if j > i and toks[j].start - toks[j - 1].end > 1:
                    break  # more than one space or a line break in between
                piece = norm_key(toks[j].text)
                key += piece
                if len(key) > self.max_key or (piece and key not in self.prefixes):
                    break
                if piece and key in self.index and self._case_ok(key, text[toks[i].start : toks[j].end]):
                    best = j
            if best is None:
                i += 1
                continue
            s, e = toks[i].start, toks[best].end
            out.append(self._resolve(s, e, text[s:e]))
            i = best + 1
        return out

    def _resolve(self, s: int, e: int, surface: str) -> GazMatch:
        """Entities whose alias is this exact surface come first; ambiguity is decided on them."""
        k = norm_key(surface)
        ids = self.index[k]
        exact = [i for i in ids if surface in self.gaz.entries[i].aliases]
        if len(exact) == 1:
            ent = self.gaz.entries[exact[0]]
            return GazMatch(s, e, tuple(exact + [i for i in ids if i not in exact]), surface in ent.ambiguous)
        return GazMatch(s, e, tuple(ids), k in self.ambiguous_keys)

    def _case_ok(self, key: str, surface: str) -> bool:
        allowed = self.short_latin.get(key)
        if allowed is None:
            return True
        return surface.replace(" ", "") in allowed

    def label(self, eid: str) -> str:
        return self.gaz.entries[eid].label
