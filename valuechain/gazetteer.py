"""The curated domain gazetteer (resources/gazetteer.tsv) and the Kiwi user dictionary built from it."""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

LABELS = {"ORG", "PERSON", "PRODUCT", "WORK", "LOC", "DATE"}
# What kind of organisation an ORG row is (the `kind` column); empty for other types and for files
# without the column. Banks and brokerages are companies; investor is for firms whose business is
# investing (VC, PE, asset managers, sovereign and pension funds, investment holding companies).
KINDS = {"company", "university", "publisher", "media", "government", "research", "investor"}
_TYPE_MAP = {"GPE": "LOC", "PER": "PERSON", "PS": "PERSON", "OG": "ORG", "LC": "LOC"}
_DROP = re.compile(r"[\s\u00b7\u2027\u30fb'\"`.,:;()\[\]{}<>«»“”‘’\-_/&]+")


@functools.lru_cache(maxsize=500_000)
def norm_key(s: str) -> str:
    """Matching key: NFKC, case-folded, without spaces and punctuation (as the scorer compares names)."""
    return _DROP.sub("", unicodedata.normalize("NFKC", s or "").casefold())


@dataclass
class Entry:
    id: str
    name_ko: str
    name_en: str
    label: str
    aliases: list[str]
    layer: str = ""
    wikidata: str = ""
    ambiguous: set[str] = field(default_factory=set)
    kind: str = ""
    # PRODUCT rows: the id of the ORG row that makes or develops the product (the `maker` column);
    # empty for product types nobody owns (HBM, DDR5), for makers without a row, and in files without it.
    maker: str = ""


@dataclass
class Gazetteer:
    entries: dict[str, Entry]

    def by_key(self) -> dict[str, list[str]]:
        """norm_key(alias) -> entity ids (more than one id means the alias is ambiguous)."""
        out: dict[str, list[str]] = {}
        for e in self.entries.values():
            for a in e.aliases:
                k = norm_key(a)
                if k and e.id not in out.setdefault(k, []):
                    out[k].append(e.id)
        return out


def load_gazetteer(path: str | Path) -> Gazetteer:
    entries: dict[str, Entry] = {}
    makers: list[tuple[int, str, str]] = []  # (line, product id, maker id), checked once all rows are read
    with open(path, encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh, delimiter="\t"), start=2):
            eid = (row.get("id") or "").strip()
            if not eid:
                continue
            label = (row.get("type") or "").strip().upper()
            label = _TYPE_MAP.get(label, label)
            if label not in LABELS:
                raise ValueError(f"{path}:{i}: unknown type {row.get('type')!r} for {eid}")
            if eid in entries:
                raise ValueError(f"{path}:{i}: duplicate id {eid}")
            names = [row.get("canonical_ko", ""), row.get("canonical_en", "")]
            aliases = [a.strip() for a in names + (row.get("aliases") or "").split("|") if a and a.strip()]
            aliases = list(dict.fromkeys(aliases))
            amb = {a.strip() for a in (row.get("ambiguous") or "").split("|") if a.strip()}
            kind = (row.get("kind") or "").strip().lower()
            if kind and kind not in KINDS:
                raise ValueError(f"{path}:{i}: unknown kind {row.get('kind')!r} for {eid}")
            maker = (row.get("maker") or "").strip()
            if maker:
                makers.append((i, eid, maker))
            entries[eid] = Entry(
                eid,
                (row.get("canonical_ko") or eid).strip(),
                (row.get("canonical_en") or "").strip(),
                label,
                aliases,
                (row.get("layer") or "").strip(),
                (row.get("wikidata") or "").strip(),
                amb,
                kind,
                maker,
            )
    for i, eid, maker in makers:
        if maker not in entries or entries[maker].label != "ORG":
            raise ValueError(f"{path}:{i}: maker {maker!r} of {eid} is not the id of an ORG row")
    return Gazetteer(entries)


_HANGUL = re.compile(r"[가-힣]")
_USERDICT_OK = re.compile(r"^[0-9A-Za-z가-힣][0-9A-Za-z가-힣 .&+\-]*$")


def userdict_lines(gaz: Gazetteer) -> list[str]:
    """Kiwi user-dictionary lines (word, NNP, score) for the Korean aliases that must stay whole.

    Latin-only aliases are left to Kiwi (it keeps them as SL); ambiguous common words are not
    added, since forcing them to NNP would mis-tag ordinary text.
    """
    words = set()
    for e in gaz.entries.values():
        for a in e.aliases:
            if a in e.ambiguous or len(a) < 2 or not _HANGUL.search(a) or not _USERDICT_OK.match(a):
                continue
            words.add(a)
    return [f"{w}\tNNP\t0.0" for w in sorted(words)]


def write_userdict(gazetteer_path: str | Path, out: str | Path) -> int:
    lines = userdict_lines(load_gazetteer(gazetteer_path))
    Path(out).write_text(
        "# Kiwi user dictionary generated from the gazetteer by `valuechain userdict`; do not edit.\n"
        + "\n".join(lines)
        + "\n",
        encoding="utf-8",
    )
    return len(lines)
