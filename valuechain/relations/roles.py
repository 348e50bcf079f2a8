"""The role step: run the configured constructions over each sentence view and collect relations."""

from __future__ import annotations

from dataclasses import dataclass

from .context import Ctx, Discourse
from .registry import Construction, Found
from .view import Sentence, groups_of, is_topic


@dataclass
class Relation:
    key: str
    role: str
    sent_id: int
    method: str
    confidence: float
    era: str = ""
    era_year: int = 0


def _relations(c: Construction, found: list[Found], sid: int) -> list[Relation]:
    out = []
    for f in found:
        conf = c.confidence if f.confidence is None else f.confidence
        out += [Relation(k, f.role, sid, f.method or c.name, conf) for k in f.keys]
    return out


def _first(found: list[tuple[Construction, Found]], slot: str) -> tuple[Construction, Found] | None:
    return next((cf for cf in found if cf[1].slot == slot), None)


def assign_slots(ctx: Ctx, found: list[tuple[Construction, Found]], kind: str) -> list[tuple[list[dict], tuple]]:
    """The group's clause role: the relative clause before it, else the clause after it (an object
    topic overrides that); ``X, A와 B 같은 팹리스`` splits: the tail shares the trailing role, the
    head keeps its own clause (a plain comma list, ``A, B, C 같은 서버 업체``, shares it whole)."""
    before = _first(found, "before")
    after = _first(found, "override") or _first(found, "after")
    g, text = ctx.group, ctx.text
    commas = [k for k in range(1, len(g)) if "," in text[g[k - 1]["end"] : g[k]["start"]]]
    if kind == "like" and commas and len(g) - commas[-1] > 1:
        return [(g[: commas[-1]], before), (g[commas[-1] :], after)]
    return [(g, before or after)]


def _slot_relations(ctx: Ctx, slots: list[Construction], fallbacks: list[Construction], kind: str) -> list[Relation]:
    found = [(c, f) for c in slots for f in c.func(ctx)]
    if not any(f.slot in ("before", "after", "override") for _, f in found):
        found = [(c, f) for c in fallbacks for f in c.func(ctx)]
    out = []
    for members, chosen in assign_slots(ctx, found, kind):
        if chosen is None:
            continue
        c, f = chosen
        keys = list(dict.fromkeys(m["key"] for m in members))
        out += _relations(c, [Found(keys, f.role, f.method, f.confidence)], ctx.sent.sid)
    return out


class RoleStep:
    """Roles of every actor group and sentence, by the constructions configured (in their order)."""

    def __init__(self, lex, constructions: list[Construction]):
        self.lex = lex
        by = {s: [c for c in constructions if c.scope == s] for s in ("group", "slot", "fallback", "sentence")}
        self.group, self.slots, self.fallbacks, self.sentence = by["group"], by["slot"], by["fallback"], by["sentence"]

    def __call__(self, sentences: list[Sentence]) -> list[Relation]:
        from .constructions.coordination import continuation

        rels: list[Relation] = []
        discourse = Discourse()
        for s in sentences:
            for g in groups_of(s.text, s.actors):
                ctx = Ctx(self.lex, s, g, discourse)
                for c in self.group:
                    rels += _relations(c, c.func(ctx), s.sid)
                kind = continuation(ctx.after)[1]
                rels += _slot_relations(ctx, self.slots, self.fallbacks, kind)
            ctx = Ctx(self.lex, s, [], discourse)
            for c in self.sentence:
                rels += _relations(c, c.func(ctx), s.sid)
            discourse.update(s, [m for m in s.actors if is_topic(s.toks, m)])
        return rels
