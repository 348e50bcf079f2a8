"""The thin extractor: sentence views of a review, then the role step, the link step and eras."""

from __future__ import annotations

from pathlib import Path

from ..docs import doc_tokens
from ..yaml_files import read_yaml
from .eras import EraConfig, ReviewEras
from .lexicon import Lexicon
from .links import Link, LinkStep
from .registry import resolve
from .roles import Relation, RoleStep
from .view import Sentence, present_tense, view_tokens

RELATION_COLUMNS = [
    "review_id",
    "key",
    "role",
    "role_norm",
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

# registered but off by default (not in relations.constructions): right too rarely on the dev set
OPTIONAL_CONSTRUCTIONS = ["zero_subject"]
# the constructions of the default configuration, in order (config/config.yaml relations.constructions)
DEFAULT_CONSTRUCTIONS = [
    "parenthetical",
    "genitive_product",
    "founder_clause",
    "compound_product",
    "person_title",
    "descriptor",
    "relative_clause",
    "coordination",
    "subject_predicate",
    "object_topic",
    "predicate_nominal",
    "anaphora",
    "pronoun_subject",
    # links
    "supply_to",
    "supply_received",
    "product_use",
    "manufacture_for",
    "outsource_to",
    "rent_to",
    "invest_in",
    "invest_received",
    "acquisition",
    "partnership",
    "partnership_noun",
    "competition",
    "competition_noun",
    "founder_verb",
    "leader_verb",
    "work_study_verb",
    "title_link",
    "develops",
    "product_owner",
    "book_line",
    "work_author",
    "subsidiary",
    "possessive_person",
    "component_of",
    "contract",
    "link_roles",
]


def sentence_views(doc, mentions: list[dict]) -> list[Sentence]:
    """One view per analysed sentence of ``doc`` with its mentions (sorted by start)."""
    by_sent: dict[int, list[dict]] = {}
    for m in mentions:
        by_sent.setdefault(int(m["sent_id"]), []).append(m)
    dt = doc_tokens(doc)  # the Doc read once (the token table and the recogniser read it too)
    return [
        Sentence(
            dt.text,
            sid,
            pid,
            sec,
            start,
            end,
            view_tokens(dt.toks[first:past]),
            sorted(by_sent.get(sid, []), key=lambda m: m["start"]),
        )
        for sid, first, past, start, end, pid, sec in dt.sents
    ]


class RelationExtractor:
    """(actor, role, era) rows of a review from its Doc and mentions."""

    def __init__(
        self,
        lex: Lexicon,
        eras: EraConfig,
        key_family: dict[str, str] | None = None,
        constructions: list[str] | None = None,
        makers: dict[str, str] | None = None,
        confidence: dict[str, float] | None = None,
    ):
        self.lex = lex
        self.eras = eras
        self.key_family = key_family or {}  # entity key -> era family (from the gazetteer's layer)
        self.constructions = resolve(constructions if constructions is not None else DEFAULT_CONSTRUCTIONS)
        self.roles = RoleStep(lex, self.constructions)
        self.links = LinkStep(lex, self.constructions, makers)  # makers: product key -> maker key
        self.confidence = confidence or {}  # method -> calibrated confidence (config relations.confidence)

    def assign_eras(
        self, sentences: list[Sentence], rels: list[Relation], review_year: int | None = None
    ) -> ReviewEras:
        ctx = ReviewEras(
            self.eras,
            [(s.sid, s.pid, s.text[s.start : s.end]) for s in sentences],
            review_year,
            {s.sid for s in sentences if present_tense(s.toks)},
        )
        for r in rels:
            r.era, r.era_year = ctx.era_of(
                r.sent_id, self.key_family.get(r.key, ""), r.role.split()[0] if r.role else ""
            )
        return ctx

    def link_eras(self, eras: ReviewEras, links: list[Link]) -> None:
        """A link's era: the sentence's, within the era family of its source (else its target)."""
        for x in links:
            family = self.key_family.get(x.source, "") or self.key_family.get(x.target, "")
            x.era, x.era_year = eras.era_of(x.sent_id, family, x.object.split()[0] if x.object else "")

    def extract(self, doc, mentions: list[dict]) -> list[dict]:
        """Relation rows of one review (see :meth:`extract_all` for links too)."""
        return self.extract_all(doc, mentions)[0]

    def extract_all(self, doc, mentions: list[dict], review_date: str = "") -> tuple[list[dict], list[dict]]:
        """Relation rows and link rows of one review (``review_date``: YYYY-MM-DD when known)."""
        sentences = sentence_views(doc, mentions)
        by_sid = {s.sid: s for s in sentences}
        rels = self.roles(sentences)
        links = self.links(sentences) if self.links.constructions else []
        rels += self.derived_roles(links, by_sid)
        year = int(review_date[:4]) if review_date[:4].isdigit() else None
        eras = self.assign_eras(sentences, rels, year)
        self.link_eras(eras, links)
        for x in [*rels, *links]:
            x.confidence = self.confidence.get(x.method, x.confidence)
        return _relation_rows(rels, by_sid, self.lex.vocab), _link_rows(links, by_sid)

    def derived_roles(self, links: list[Link], by_sid: dict[int, Sentence]) -> list[Relation]:
        """Roles read off the review's links by the configured ``derived`` constructions."""
        out = []
        for c in self.constructions:
            if c.scope == "derived":
                for sid, f in c.func(links, by_sid):
                    conf = c.confidence if f.confidence is None else f.confidence
                    out += [Relation(k, f.role, sid, f.method or c.name, conf) for k in f.keys]
        return out


def _evidence(s: Sentence) -> dict:
    return {"evidence": s.text[s.start : s.end], "sent_id": s.sid, "evidence_start": s.start, "evidence_end": s.end}


def _link_rows(links: list[Link], by_sid: dict[int, Sentence]) -> list[dict]:
    """One row per (source, type, target, object, era) of a review, the first sentence that says it."""
    out, seen = [], set()
    for x in links:
        k = (x.source, x.type, x.target, x.object, x.era)
        if k in seen:
            continue
        seen.add(k)
        out.append(
            {
                "source": x.source,
                "type": x.type,
                "target": x.target,
                "object": x.object,
                "era": x.era,
                "era_year": x.era_year,
                **_evidence(by_sid[x.sent_id]),
                "confidence": x.confidence,
                "method": x.method,
            }
        )
    return out


def _relation_rows(rels: list[Relation], by_sid: dict[int, Sentence], vocab) -> list[dict]:
    """One row per (key, role, era) of a review, the first sentence that says it; with the canonical
    role (role_norm) and its object."""
    out, seen = [], set()
    for r in rels:
        k = (r.key, r.role, r.era)
        if not r.role or k in seen:
            continue
        seen.add(k)
        norm, obj = vocab.normalize(r.role, r.method)
        out.append(
            {
                "key": r.key,
                "role": r.role,
                "role_norm": norm,
                "object": obj,
                "era": r.era,
                "era_year": r.era_year,
                **_evidence(by_sid[r.sent_id]),
                "confidence": r.confidence,
                "method": r.method,
            }
        )
    return out


def load_confidence(path: str | Path | None) -> dict[str, float]:
    """method -> calibrated confidence from config/confidence.yaml (python -m valuechain.calibrate)."""
    if not path:
        return {}
    d = read_yaml(path) or {}
    return {str(m): float(v["confidence"]) for m, v in d.items()}
