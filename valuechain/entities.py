"""Corpus-level linking: one entity per real-world actor across all reviews."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from .gazetteer import Gazetteer, norm_key

ENTITY_COLUMNS = [
    "entity_id",
    "name",
    "label",
    "aliases",
    "layer",
    "layer_confidence",
    "cluster",
    "n_mentions",
    "n_reviews",
    "gazetteer_id",
    "wikidata",
    "parent",
    "gazetteer_layer",
]
_LABEL_ORDER = ["ORG", "PERSON", "PRODUCT", "WORK", "LOC", "DATE"]
# a new name and the same name plus one of these is one entity (퓨리오사 / 퓨리오사AI)
_MERGE_SUFFIXES = (
    "ai",
    "에이아이",
    "코리아",
    "korea",
    "inc",
    "corp",
    "그룹",
    "group",
    "홀딩스",
    "테크놀로지",
    "테크놀로지스",
    "technologies",
    "labs",
    "랩스",
)


def merge_new_keys(keys: list[str], gaz: Gazetteer) -> dict[str, str]:
    """Map each key to its canonical key: unknown variants of a known name go to the known one."""
    gaz_keys = gaz.by_key()
    mapping = {}
    new = sorted({k for k in keys if k.startswith("new:")})
    new_set = set(new)
    for k in new:
        bare = k[4:]
        target = k
        hits = [ids for ids in [gaz_keys.get(bare + s) for s in _MERGE_SUFFIXES] if ids and len(ids) == 1]
        if hits:
            target = hits[0][0]
        else:
            for s in _MERGE_SUFFIXES:
                if bare.endswith(s) and len(bare) > len(s) + 1:
                    base = bare[: -len(s)]
                    ids = gaz_keys.get(base)
                    if ids and len(ids) == 1:
                        target = ids[0]
                    elif "new:" + base in new_set:
                        target = "new:" + base
                    break
        mapping[k] = target
    for k in keys:
        mapping.setdefault(k, k)
    return mapping


def link(mentions: pd.DataFrame, gaz: Gazetteer, duplicate_reviews: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """mentions (with ``key``) -> (mentions with ``entity_id``, entities table).

    One pass over plain lists gathers each entity's surfaces, labels, parents and counts (a pandas
    group per entity iterated Arrow strings one by one: ~3 s at 1,000 reviews); the rows are those
    of the per-entity loop it replaced (tests/test_entities_speed.py).
    """
    m = mentions.copy()
    if not len(m):
        m["entity_id"] = pd.Series(dtype=str)
        return m, pd.DataFrame([], columns=ENTITY_COLUMNS)
    mapping = merge_new_keys(sorted(m["key"].unique()), gaz)
    m["entity_id"] = m["key"].map(mapping)
    groups: dict[str, _Group] = {}
    cols = [m[c].tolist() for c in ("entity_id", "text", "label", "value", "parent", "review_id")]
    for eid, text, label, value, parent, rid in zip(*cols):
        if not isinstance(eid, str):  # groupby leaves out missing ids
            continue
        g = groups.get(eid)
        if g is None:
            g = groups[eid] = _Group(value)
        g.surfaces[text] += 1
        g.labels[label] += 1
        if parent:
            g.parents.add(parent)
        # mentions in duplicate reviews are linked but not counted
        if rid not in duplicate_reviews:
            g.n_mentions += 1
            g.reviews.add(rid)
    rows = []
    for eid in sorted(groups):
        grp = groups[eid]
        g = gaz.entries.get(eid)
        surfaces = grp.surfaces
        if g is not None:
            name, label = g.name_ko, g.label
            aliases = list(dict.fromkeys(sorted(surfaces) + g.aliases))
        else:
            name = sorted(surfaces.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
            label = sorted(
                grp.labels.items(),
                key=lambda kv: (-kv[1], _LABEL_ORDER.index(kv[0]) if kv[0] in _LABEL_ORDER else 99),
            )[0][0]
            if label == "DATE":
                name = grp.first_value or name
            aliases = sorted(surfaces)
        rows.append(
            {
                "entity_id": eid,
                "name": name,
                "label": label,
                "aliases": "|".join(aliases),
                "layer": "",
                "layer_confidence": "",
                "cluster": "",
                "n_mentions": grp.n_mentions,
                "n_reviews": len(grp.reviews),
                "gazetteer_id": g.id if g else "",
                "wikidata": g.wikidata if g else "",
                "parent": min(grp.parents) if grp.parents else "",
                "gazetteer_layer": g.layer if g else "",
            }
        )
    ents = pd.DataFrame(rows, columns=ENTITY_COLUMNS)
    # the mention label follows its entity (one type per entity)
    m["label"] = m["entity_id"].map(dict(zip(ents["entity_id"], ents["label"]))).fillna(m["label"])
    return m, ents


class _Group:
    """What one entity's mentions say: surfaces and labels (counted, in table order), parents, counts."""

    __slots__ = ("first_value", "labels", "n_mentions", "parents", "reviews", "surfaces")

    def __init__(self, first_value):
        self.first_value = first_value
        self.surfaces: Counter = Counter()
        self.labels: Counter = Counter()
        self.parents: set = set()
        self.n_mentions = 0
        self.reviews: set = set()


def canonical_names(ents: pd.DataFrame) -> dict[str, set[str]]:
    return {r.entity_id: {norm_key(a) for a in str(r.aliases).split("|")} for r in ents.itertuples()}
