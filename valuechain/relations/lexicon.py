"""The lexicons the constructions read (config/roles.yaml plus the taxonomy's seed words)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..yaml_files import read_yaml
from .norm import RoleVocabulary


@dataclass
class LinkLexicon:
    """config/links.yaml: verb classes, titles and marks that state links."""

    verbs: dict[str, set[str]] = field(default_factory=dict)
    leader_titles: list[str] = field(default_factory=list)
    founder_titles: list[str] = field(default_factory=list)
    staff_titles: list[str] = field(default_factory=list)
    alumni_nouns: set[str] = field(default_factory=set)
    subsidiary_nouns: list[str] = field(default_factory=list)
    generic_products: set[str] = field(default_factory=set)
    org_kinds: dict[str, list[str]] = field(default_factory=dict)
    authored_marks: set[str] = field(default_factory=set)
    translated_marks: set[str] = field(default_factory=set)
    _joined: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def load(cls, path: str | Path) -> LinkLexicon:
        d = read_yaml(path)
        by_len = lambda xs: sorted(xs or [], key=len, reverse=True)  # noqa: E731
        return cls(
            {k: set(v or []) for k, v in (d.get("verbs") or {}).items()},
            by_len(d.get("leader_titles")),
            by_len(d.get("founder_titles")),
            by_len(d.get("staff_titles")),
            set(d.get("alumni_nouns") or []),
            by_len(d.get("subsidiary_nouns")),
            {g.replace(" ", "").upper() for g in d.get("generic_products") or []},
            {k: list(v or []) for k, v in (d.get("org_kinds") or {}).items()},
            set(d.get("authored_marks") or []),
            set(d.get("translated_marks") or []),
        )

    def joined(self, verb_class: str) -> frozenset[str]:
        """The words of ``verb_class`` without their spaces (공동 개발 -> 공동개발), made once per class."""
        got = self._joined.get(verb_class)
        if got is None:
            got = self._joined[verb_class] = frozenset(n.replace(" ", "") for n in self.verbs.get(verb_class, ()))
        return got

    def is_(self, verb_class: str, verbs: set[str] | str) -> bool:
        """Does one of ``verbs`` (a frame's verb forms) belong to ``verb_class``?"""
        members = self.verbs.get(verb_class)
        if not members:
            return False
        # asked ~4k times per review: a membership test, no set built per call
        return verbs in members if isinstance(verbs, str) else not members.isdisjoint(verbs)


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
    verb_nouns: dict[str, str] = field(default_factory=dict)  # native verb stem -> business noun
    links: LinkLexicon = field(default_factory=LinkLexicon)
    non_business_titles: set[str] = field(default_factory=set)
    customer_verbs: set[str] = field(default_factory=set)
    non_offering_heads: set[str] = field(default_factory=set)
    bare_object_roles: bool = False  # an object whose verb names no business is still a role
    vocab: RoleVocabulary = field(default_factory=RoleVocabulary)  # canonical roles (role_norm)
    descriptor_heads: set[str] = field(default_factory=set)  # 주인, 상: heads of a description before a name
    entry_verbs: set[str] = field(default_factory=set)  # "HBM 개발에 뛰어들다": the dative noun is the role
    aspect_verbs: set[str] = field(default_factory=set)  # "센서 생산을 늘렸다": the object activity is the role
    role_verb_domain: bool = False  # a role ending in a role verb counts as the domain's whatever it trades

    @classmethod
    def load(
        cls, roles_yaml: str | Path, taxonomy_yaml: str | Path | None = None, links_yaml: str | Path | None = None
    ) -> Lexicon:
        d = read_yaml(roles_yaml)
        domain = list(d.get("domain_terms", []))
        if taxonomy_yaml and Path(taxonomy_yaml).exists():
            tax = read_yaml(taxonomy_yaml)
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
            LinkLexicon.load(links_yaml) if links_yaml else LinkLexicon(),
            non_business_titles=set(d.get("non_business_titles", []) or []),
            customer_verbs=set(d.get("customer_verbs", []) or []),
            non_offering_heads=set(d.get("non_offering_heads", []) or []),
            bare_object_roles=bool(d.get("bare_object_roles", False)),
            vocab=RoleVocabulary.from_config(d),
            descriptor_heads=set(d.get("descriptor_heads", []) or []),
            entry_verbs=set(d.get("entry_verbs", []) or []),
            aspect_verbs=set(d.get("aspect_verbs", []) or []),
        )

    def has_domain(self, phrase: str) -> bool:
        """Does the phrase name something of the domain or a business activity (a role must)? A
        one-letter term (금) must start a word: 금광, not 지금 or 자금."""
        p = phrase.replace(" ", "")
        words = phrase.split()
        if words and words[-1] in self.role_verbs and len(words) > 1 and self.role_verb_domain:
            return True  # "차량용 센서 공급": a business activity, whatever it trades in
        return any(t in p if len(t) > 1 else any(w.startswith(t) for w in words) for t in self.domain_terms)

    def said(self, clause) -> bool:
        """Is the clause governed by a verb of saying or judging (a reported opinion)?"""
        sv = self.speech_verbs
        return any(
            t.text in sv or t.lemma.split("+")[0] in sv or t.lemma.split("+")[0].rstrip("다") in sv for t in clause
        )

    def business_noun(self, verb_stem: str) -> str:
        """``만들`` -> ``제조``: a native verb read as the business noun of config verb_nouns."""
        return self.verb_nouns.get(verb_stem, verb_stem)
