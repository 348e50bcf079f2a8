"""The thin extractor: sentence views of a review, then the role step, the link step and eras."""

from __future__ import annotations

from ..docs import analysed_sentences
from .eras import EraConfig, ReviewEras
from .lexicon import Lexicon
from .registry import resolve
from .roles import Relation, RoleStep
from .view import Sentence, tokens_of

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

# the constructions of the default configuration, in order (config/config.yaml relations.constructions)
DEFAULT_CONSTRUCTIONS = [
    "parenthetical",
    "genitive_product",
    "founder_clause",
    "compound_product",
    "person_title",
    "relative_clause",
    "coordination",
    "subject_predicate",
    "object_topic",
    "predicate_nominal",
    "anaphora",
    "pronoun_subject",
]


def sentence_views(doc, mentions: list[dict]) -> list[Sentence]:
    """One view per analysed sentence of ``doc`` with its mentions (sorted by start)."""
    by_sent: dict[int, list[dict]] = {}
    for m in mentions:
        by_sent.setdefault(int(m["sent_id"]), []).append(m)
    return [
        Sentence(
            doc.text,
            sid,
            pid,
            sec,
            span.start_char,
            span.end_char,
            tokens_of(span),
            sorted(by_sent.get(sid, []), key=lambda m: m["start"]),
        )
        for sid, span, pid, sec in analysed_sentences(doc)
    ]


class RelationExtractor:
    """(actor, role, era) rows of a review from its Doc and mentions."""

    def __init__(
        self,
        lex: Lexicon,
        eras: EraConfig,
        key_family: dict[str, str] | None = None,
        constructions: list[str] | None = None,
    ):
        self.lex = lex
        self.eras = eras
        self.key_family = key_family or {}  # entity key -> era family (from the gazetteer's layer)
        self.constructions = resolve(constructions if constructions is not None else DEFAULT_CONSTRUCTIONS)
        self.roles = RoleStep(lex, self.constructions)

    def assign_eras(self, sentences: list[Sentence], rels: list[Relation]) -> None:
        ctx = ReviewEras(self.eras, [(s.sid, s.pid, s.text[s.start : s.end]) for s in sentences])
        for r in rels:
            r.era, r.era_year = ctx.era_of(r.sent_id, self.key_family.get(r.key, ""))

    def extract(self, doc, mentions: list[dict]) -> list[dict]:
        sentences = sentence_views(doc, mentions)
        rels = self.roles(sentences)
        self.assign_eras(sentences, rels)
        by_sid = {s.sid: s for s in sentences}
        out, seen = [], set()
        for r in rels:
            k = (r.key, r.role, r.era)
            if not r.role or k in seen:
                continue
            seen.add(k)
            s = by_sid[r.sent_id]
            out.append(
                {
                    "key": r.key,
                    "role": r.role,
                    "era": r.era,
                    "era_year": r.era_year,
                    "evidence": s.text[s.start : s.end],
                    "sent_id": r.sent_id,
                    "evidence_start": s.start,
                    "evidence_end": s.end,
                    "confidence": r.confidence,
                    "method": r.method,
                }
            )
        return out
