"""Corpus-level linking: one entity per real-world actor across all reviews."""

from __future__ import annotations

from collections import Counter

import numpy as np
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

    Each entity's surfaces, labels, parents and counts are counted on integer codes with numpy (a
    pandas group per entity iterated Arrow strings one by one: ~3 s at 1,000 reviews); the rows are
    those of the per-entity loop it replaced (tests/test_corpus_tables_speed.py).
    """
    m = mentions.copy()
    if not len(m):
        m["entity_id"] = pd.Series(dtype=str)
        return m, pd.DataFrame([], columns=ENTITY_COLUMNS)
    mapping = merge_new_keys(sorted(m["key"].unique()), gaz)
    m["entity_id"] = m["key"].map(mapping)
    if any(m[c].isna().any() for c in ("entity_id", "text", "label", "review_id")):
        groups = _groups_by_loop(m, duplicate_reviews)  # missing values: the plain way
    else:
        groups = _groups_by_codes(m, duplicate_reviews)
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
                "n_reviews": grp.n_reviews,
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


def _groups_by_loop(m: pd.DataFrame, duplicate_reviews: set[str]) -> dict[str, _Group]:
    """Per entity: surfaces and labels counted in table order, parents, counts (one pass over lists)."""
    groups: dict[str, _Group] = {}
    reviews: dict[str, set] = {}
    cols = [m[c].tolist() for c in ("entity_id", "text", "label", "value", "parent", "review_id")]
    for eid, text, label, value, parent, rid in zip(*cols):
        if not isinstance(eid, str):  # groupby leaves out missing ids
            continue
        g = groups.get(eid)
        if g is None:
            g = groups[eid] = _Group(value)
            reviews[eid] = set()
        g.surfaces[text] += 1
        g.labels[label] += 1
        if parent:
            g.parents.add(parent)
        # mentions in duplicate reviews are linked but not counted
        if rid not in duplicate_reviews:
            g.n_mentions += 1
            if isinstance(rid, str):  # a missing id is no review (as pandas' nunique)
                reviews[eid].add(rid)
    for eid, g in groups.items():
        g.n_reviews = len(reviews[eid])
    return groups


def _groups_by_codes(m: pd.DataFrame, duplicate_reviews: set[str]) -> dict[str, _Group]:
    """:func:`_groups_by_loop` on integer codes (no missing entity id, text, label or review id)."""
    e, e_u = pd.factorize(m["entity_id"], sort=True)
    t, t_u = pd.factorize(m["text"])
    lab, lab_u = pd.factorize(m["label"])
    r, r_u = pd.factorize(m["review_id"])
    e = e.astype(np.int64)
    n_e = len(e_u)
    e_u, t_u, lab_u = list(e_u), list(t_u), list(lab_u)
    values = m["value"].tolist()
    _, first = np.unique(e, return_index=True)
    groups = {eid: _Group(values[int(first[k])]) for k, eid in enumerate(e_u)}
    # surfaces: (entity, text) pairs counted
    pairs, counts = np.unique(e * len(t_u) + t, return_counts=True)
    for pr, c in zip(pairs.tolist(), counts.tolist()):
        groups[e_u[pr // len(t_u)]].surfaces[t_u[pr % len(t_u)]] = c
    # labels: (entity, label) pairs counted, in the order they first occur (Counter's insertion order)
    pairs, first_at, counts = np.unique(e * len(lab_u) + lab, return_index=True, return_counts=True)
    for k in np.argsort(first_at, kind="stable").tolist():
        pr = int(pairs[k])
        groups[e_u[pr // len(lab_u)]].labels[lab_u[pr % len(lab_u)]] = int(counts[k])
    # parents (non-empty)
    p, p_u = pd.factorize(m["parent"])
    p_u = list(p_u)
    has = p >= 0
    for pr in np.unique(e[has] * max(len(p_u), 1) + p[has]).tolist():
        par = p_u[pr % len(p_u)]
        if par:
            groups[e_u[pr // len(p_u)]].parents.add(par)
    # counts without the duplicate reviews
    dup_codes = [k for k, rid in enumerate(r_u) if rid in duplicate_reviews]
    counted = ~np.isin(r, dup_codes) if dup_codes else np.ones(len(r), dtype=bool)
    n_men = np.bincount(e[counted], minlength=n_e)
    n_rev = np.bincount(np.unique(e[counted] * max(len(r_u), 1) + r[counted]) // max(len(r_u), 1), minlength=n_e)
    for k, eid in enumerate(e_u):
        groups[eid].n_mentions = int(n_men[k])
        groups[eid].n_reviews = int(n_rev[k])
    return groups


class _Group:
    """What one entity's mentions say: surfaces and labels (counted, in table order), parents, counts."""

    __slots__ = ("first_value", "labels", "n_mentions", "n_reviews", "parents", "surfaces")

    def __init__(self, first_value):
        self.first_value = first_value
        self.surfaces: Counter = Counter()
        self.labels: Counter = Counter()
        self.parents: set = set()
        self.n_mentions = 0
        self.n_reviews = 0


def canonical_names(ents: pd.DataFrame) -> dict[str, set[str]]:
    return {r.entity_id: {norm_key(a) for a in str(r.aliases).split("|")} for r in ents.itertuples()}
