"""The corpus-level value chain: the links of all reviews grouped into edges, and a GraphML graph.

One edge per (source, type, target) over the corpus. What flows along it (``object``) varies from one
review to the next ("HBM3", "hbm3", "HBM 3", "HBM", or nothing at all), so variants are grouped: two
objects are the same when they are equal after NFC, case folding and removing white space; ``object``
is the most frequent one (in its most frequent spelling) and ``objects`` lists every distinct one,
most frequent first. The edge therefore counts every review that states the link, whatever product it
names, and a researcher citing it sees both the usual object and the others.

Symmetric types (partners_with, competes_with) are one edge whose two ends are in entity-id order (as
in links.csv), marked ``direction = symmetric`` in the graph.

Pure functions over DataFrames of strings (as read with ``dtype=str, keep_default_na=False``); the
file I/O is in :mod:`valuechain.stages.graph`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

FAMILY_ORDER = ("supply", "capital", "market", "make", "people")
SYMMETRIC_TYPES = frozenset({"partners_with", "competes_with"})
EDGE_COLUMNS = [
    "source",
    "source_name",
    "type",
    "family",
    "target",
    "target_name",
    "object",
    "objects",
    "n_reviews",
    "n_links",
    "first_era_year",
    "last_era_year",
    "eras",
    "confidence",
    "evidence_review_id",
    "evidence_sent_id",
    "evidence",
]
LINK_KEY = ["source", "type", "target"]
_SPACE = re.compile(r"\s+")


def object_key(obj: str) -> str:
    """The form two spellings of one object share: NFC, case-folded, without white space."""
    return _SPACE.sub("", unicodedata.normalize("NFC", str(obj or "")).casefold())


def to_year(v) -> int | None:
    """An era year as an integer (``"2024"``, ``"2024.0"``), else None."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return int(f) if f == f else None


def _int(v) -> int:
    """An integer count or id (0 when missing)."""
    y = to_year(v)
    return 0 if y is None else y


def to_conf(v) -> float:
    """A confidence as a float (0 when missing)."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return 0.0
    return f if f == f else 0.0


def usable_links(links: pd.DataFrame, duplicate_reviews: set[str] | frozenset = frozenset()) -> pd.DataFrame:
    """The links that can become edges: both ends and a type given, not from a review that duplicates another."""
    ok = (links["source"] != "") & (links["target"] != "") & (links["type"] != "")
    if duplicate_reviews:
        ok &= ~links["review_id"].isin(list(duplicate_reviews))
    return links[ok]


def summarise_objects(objects: list[str]) -> tuple[str, list[str]]:
    """(the most frequent non-empty object, every distinct one most frequent first), variants grouped by
    :func:`object_key`; each is shown in its most frequent spelling (ties: code-point order)."""
    by_key: dict[str, Counter] = {}
    for o in objects:
        o = unicodedata.normalize("NFC", str(o or "")).strip()
        if o:
            by_key.setdefault(object_key(o), Counter())[o] += 1
    ranked = sorted(by_key.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    shown = [min(forms.items(), key=lambda fn: (-fn[1], fn[0]))[0] for _, forms in ranked]
    return (shown[0] if shown else ""), shown


def ordered_eras(eras: list[str], years: list[int | None]) -> list[str]:
    """The distinct non-empty eras, earliest first (smallest year seen with each; eras without years last)."""
    first: dict[str, float] = {}
    for era, y in zip(eras, years):
        if era:
            first[era] = min(first.get(era, float("inf")), float("inf") if y is None else y)
    return sorted(first, key=lambda e: (first[e], e))


@dataclass(frozen=True)
class Evidence:
    review_id: str
    sent_id: str
    text: str


class LinkRow(NamedTuple):
    """The columns of a links.csv row that an edge is made from."""

    review_id: str
    family: str
    object: str
    era: str
    era_year: str
    evidence: str
    sent_id: str
    confidence: str


def pick_evidence(group: list[LinkRow], object_shown: str) -> Evidence:
    """The example sentence of an edge: a link naming the edge's object if any, the most confident, then
    the first by (review_id, sent_id)."""
    want = object_key(object_shown)
    best = min(
        (object_key(r.object) != want if want else False, -to_conf(r.confidence), r.review_id, _int(r.sent_id), r)
        for r in group
    )[-1]
    return Evidence(best.review_id, str(best.sent_id), best.evidence)


def edge_row(key: tuple[str, str, str], group: list[LinkRow], names: dict[str, str]) -> dict:
    """One row of value_chain_edges.csv from the links of one (source, type, target)."""
    source, typ, target = key
    years = [to_year(r.era_year) for r in group]
    known = [y for y in years if y is not None]
    obj, objects = summarise_objects([r.object for r in group])
    ev = pick_evidence(group, obj)
    families = Counter(r.family for r in group if r.family)
    return {
        "source": source,
        "source_name": names.get(source) or source,
        "type": typ,
        "family": min(families.items(), key=lambda kv: (-kv[1], kv[0]))[0] if families else "",
        "target": target,
        "target_name": names.get(target) or target,
        "object": obj,
        "objects": "|".join(objects),
        "n_reviews": len({r.review_id for r in group}),
        "n_links": len(group),
        "first_era_year": min(known) if known else None,
        "last_era_year": max(known) if known else None,
        "eras": "|".join(ordered_eras([r.era for r in group], years)),
        "confidence": round(max(to_conf(r.confidence) for r in group), 3),
        "evidence_review_id": ev.review_id,
        "evidence_sent_id": ev.sent_id,
        "evidence": ev.text,
    }


def family_rank(family: str) -> int:
    """Position of a link family in the value-chain order (unknown families last)."""
    return FAMILY_ORDER.index(family) if family in FAMILY_ORDER else len(FAMILY_ORDER)


def group_links(links: pd.DataFrame) -> dict[tuple[str, str, str], list[LinkRow]]:
    """The links by (source, type, target), in table order within each group (one pass over plain lists:
    a pandas group per edge is ~1000 times slower at 100,000 links)."""
    cols = [links[c].astype(str).tolist() for c in LinkRow._fields]
    groups: dict[tuple[str, str, str], list[LinkRow]] = {}
    for key, row in zip(zip(links["source"], links["type"], links["target"]), map(LinkRow._make, zip(*cols))):
        groups.setdefault(key, []).append(row)
    return groups


def edges_table(
    links: pd.DataFrame, entities: pd.DataFrame, duplicate_reviews: set[str] | frozenset = frozenset()
) -> pd.DataFrame:
    """value_chain_edges.csv: one row per (source, type, target) of links.csv, most reviews first (then
    more links, family order, and the ids)."""
    links = usable_links(links, duplicate_reviews)
    names = dict(zip(entities["entity_id"], entities["name"])) if len(entities) else {}
    groups = group_links(links) if len(links) else {}
    df = pd.DataFrame([edge_row(k, groups[k], names) for k in sorted(groups)], columns=EDGE_COLUMNS)
    if not len(df):
        return df
    df["_fam"] = df["family"].map(family_rank)
    df = df.sort_values(
        ["n_reviews", "n_links", "_fam", "source", "type", "target"],
        ascending=[False, False, True, True, True, True],
        kind="stable",
        ignore_index=True,
    )
    for col in ("first_era_year", "last_era_year"):
        df[col] = df[col].astype("Int64")
    return df[EDGE_COLUMNS]


# ------------------------------------------------------------------ graph


def node_eras(links: pd.DataFrame) -> dict[str, str]:
    """entity_id -> the most common era of the links it is an end of (ties: the era id sorted first)."""
    votes: dict[str, Counter] = {}
    for s, t, era in zip(links["source"].tolist(), links["target"].tolist(), links["era"].tolist()):
        if era:
            for e in {s, t}:
                votes.setdefault(e, Counter())[era] += 1
    return {e: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for e, c in votes.items()}


def node_attributes(eid: str, entity: dict | None, era: str) -> dict:
    """GraphML attributes of one entity (strings and integers only, so every tool reads the same types)."""
    e = entity or {}
    attrs = {
        "label": e.get("name") or eid,
        "entity_label": e.get("label", ""),
        "layer": e.get("layer", ""),
        "era": era,
        "n_mentions": _int(e.get("n_mentions")),
        "n_reviews": _int(e.get("n_reviews")),
    }
    for optional in ("kind", "wikidata"):  # columns entities.csv may or may not have
        if optional in e:
            attrs[optional] = e.get(optional) or ""
    return attrs


def edge_attributes(row: dict) -> dict:
    """GraphML attributes of one edge; the era years only when known (GraphML leaves absent values out)."""
    label = f"{row['type']}: {row['object']}" if row["object"] else row["type"]
    attrs = {
        "type": row["type"],
        "family": row["family"],
        "object": row["object"],
        "objects": row["objects"],
        "label": label,
        "weight": int(row["n_reviews"]),
        "n_reviews": int(row["n_reviews"]),
        "n_links": int(row["n_links"]),
        "direction": "symmetric" if row["type"] in SYMMETRIC_TYPES else "directed",
        "eras": row["eras"],
        "confidence": float(row["confidence"]),
        "evidence_review_id": row["evidence_review_id"],
        "evidence": row["evidence"],
    }
    for col in ("first_era_year", "last_era_year"):
        y = to_year(row[col])
        if y is not None:
            attrs[col] = y
    return attrs


def records(df: pd.DataFrame) -> list[dict]:
    """The rows of ``df`` as dicts of plain values (``to_dict("records")`` is slow on pyarrow strings)."""
    cols = df.columns.tolist()
    return [dict(zip(cols, vals)) for vals in zip(*(df[c].tolist() for c in cols))]


def value_chain_graph(edges: pd.DataFrame, entities: pd.DataFrame, links: pd.DataFrame):
    """A networkx MultiDiGraph: one node per entity at an end of an edge (sorted by id), one edge per row
    of ``edges`` in its order, keyed 0, 1, ... (unique edge ids in the GraphML file)."""
    import networkx as nx

    g = nx.MultiDiGraph()
    ents = {r["entity_id"]: r for r in records(entities)} if len(entities) else {}
    eras = node_eras(links)
    ends = sorted(set(edges["source"]) | set(edges["target"])) if len(edges) else []
    for eid in ends:
        g.add_node(eid, **node_attributes(eid, ents.get(eid), eras.get(eid, "")))
    for i, row in enumerate(records(edges)):
        g.add_edge(row["source"], row["target"], key=i, **edge_attributes(row))
    return g


def write_graphml(g, path: str) -> None:
    """GraphML (UTF-8) written by networkx with standard key types only (string, long, double).

    The keys get readable ids (``node_label``, ``edge_type``, ...) instead of networkx's ``d0``, ``d1``, ...:
    Gephi maps some key ids to built-in properties (``d7`` becomes the edge label), which would make an
    edge's type its label.
    """
    from networkx.readwrite.graphml import GraphMLWriter

    class Writer(GraphMLWriter):
        def get_key(self, name, attr_type, scope, default):
            if (name, attr_type, scope) not in self.keys:
                self.keys[(name, attr_type, scope)] = key_id = f"{scope}_{name}"
                self.xml.insert(
                    0, self.myElement("key", **{"id": key_id, "for": scope, "attr.name": name, "attr.type": attr_type})
                )
            return self.keys[(name, attr_type, scope)]

    writer = Writer(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(g)
    writer.dump(path)
