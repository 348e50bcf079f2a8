"""Stage: relation rows of a shard (entity keys) and the corpus relations table (entity ids)."""

from __future__ import annotations

import pandas as pd

from ..gazetteer import load_gazetteer
from ..relations import RELATION_COLUMNS
from ..relations.links import FAMILY, LINK_COLUMNS
from ..yaml_files import read_yaml


def key_families(gazetteer: str, taxonomy_yaml: str) -> dict[str, str]:
    """Era family of each gazetteer entity from its layer's era (gold_rush -> gold, ai -> modern)."""
    tax = read_yaml(taxonomy_yaml)
    fam = {lay["id"]: {"gold_rush": "gold", "ai": "modern"}.get(lay.get("era"), "") for lay in tax["layers"]}
    return {e.id: fam.get(e.layer, "") for e in load_gazetteer(gazetteer).entries.values() if fam.get(e.layer)}


def product_makers(gazetteer: str) -> dict[str, str]:
    """Product key -> maker key from the gazetteer: its ``maker`` column when there is one, else an
    organisation whose id prefixes the product's (``nvidia_h200`` -> ``nvidia``)."""
    g = load_gazetteer(gazetteer)
    orgs = {e.id for e in g.entries.values() if e.label == "ORG"}
    out = {}
    for e in g.entries.values():
        if e.label != "PRODUCT":
            continue
        maker = getattr(e, "maker", "") or ""
        if not maker:
            parts = e.id.split("_")
            maker = next(("_".join(parts[:k]) for k in range(len(parts) - 1, 0, -1) if "_".join(parts[:k]) in orgs), "")
        if maker in orgs:
            out[e.id] = maker
    return out


RELATION_ORDER = ["review_id", "sent_id", "key", "role"]  # row order of the shard relation tables


def relations_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=RELATION_COLUMNS)
    for c in ("era_year", "sent_id", "evidence_start", "evidence_end"):
        df[c] = df[c].astype("int64")
    return df.sort_values(RELATION_ORDER, kind="stable").reset_index(drop=True)


RELATION_OUT = ["review_id", "entity_id", *RELATION_COLUMNS[2:]]  # relations.csv: the entity id for the key


def relations_table(paths: list[str], keymap: pd.DataFrame) -> pd.DataFrame:
    frames = [pd.read_parquet(p) for p in paths]
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=RELATION_COLUMNS)
    mapping = dict(zip(keymap["key"], keymap["entity_id"]))
    df["entity_id"] = df["key"].map(mapping).fillna(df["key"])
    df = df.drop_duplicates(["review_id", "entity_id", "role", "era"])
    return df.sort_values(["review_id", "sent_id", "entity_id", "role"], kind="stable")[RELATION_OUT].reset_index(
        drop=True
    )


LINK_ORDER = ["review_id", "sent_id", "source", "type", "target", "object"]  # row order of the shard link tables


def links_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=LINK_COLUMNS)
    for c in ("era_year", "sent_id", "evidence_start", "evidence_end"):
        df[c] = df[c].astype("int64")
    df["confidence"] = df["confidence"].astype("float64")
    return df.sort_values(LINK_ORDER, kind="stable").reset_index(drop=True)


LINK_OUT = [*LINK_COLUMNS[:4], "family", *LINK_COLUMNS[4:]]  # links.csv: the family after the type


def links_table(paths: list[str], keymap: pd.DataFrame) -> pd.DataFrame:
    """links.csv: the shards' links with entity ids for keys, one row per (review, source, type, target,
    object, era), symmetric types with their two ends in id order."""
    frames = [pd.read_parquet(p) for p in paths]
    df = pd.concat(frames, ignore_index=True) if frames else links_frame([])
    mapping = dict(zip(keymap["key"], keymap["entity_id"]))
    for end in ("source", "target"):
        df[end] = df[end].map(mapping).fillna(df[end])
    sym = df["type"].isin(["partners_with", "competes_with"]) & (df["source"] > df["target"])
    df.loc[sym, ["source", "target"]] = df.loc[sym, ["target", "source"]].to_numpy()
    df = df[df["source"] != df["target"]]
    df["family"] = df["type"].map(FAMILY)
    df = df.drop_duplicates(["review_id", "source", "type", "target", "object", "era"])
    order = ["review_id", "sent_id", "source", "type", "target", "object"]
    return df.sort_values(order, kind="stable")[LINK_OUT].reset_index(drop=True)
