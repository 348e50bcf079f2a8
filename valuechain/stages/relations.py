"""Stage: relations for the Docs of one shard (entity keys; mapped to entity ids at corpus level)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from ..gazetteer import load_gazetteer

from ..relations import RELATION_COLUMNS, EraConfig, Lexicon, RoleExtractor
from ..spacy_kiwi import make_nlp
from .tokens import read_docs


def key_families(gazetteer: str, taxonomy_yaml: str) -> dict[str, str]:
    """Era family of each gazetteer entity from its layer's era (gold_rush -> gold, ai -> modern)."""
    tax = yaml.safe_load(Path(taxonomy_yaml).read_text(encoding="utf-8"))
    fam = {lay["id"]: {"gold_rush": "gold", "ai": "modern"}.get(lay.get("era"), "") for lay in tax["layers"]}
    return {e.id: fam.get(e.layer, "") for e in load_gazetteer(gazetteer).entries.values() if fam.get(e.layer)}


def run_shard(docs_path: str, mentions_path: str, roles_yaml: str, taxonomy_yaml: str, eras_yaml: str,
              model_type: str, userdict: str, gazetteer: str) -> pd.DataFrame:
    extractor = RoleExtractor(Lexicon.load(roles_yaml, taxonomy_yaml), EraConfig.load(eras_yaml),
                              key_families(gazetteer, taxonomy_yaml))
    mentions = pd.read_parquet(mentions_path)
    by_review = {rid: g.to_dict("records") for rid, g in mentions.groupby("review_id")}
    nlp = make_nlp(model_type, userdict)
    rows = []
    for doc in read_docs(docs_path, nlp.vocab):
        rid = doc.user_data["review_id"]
        for r in extractor.extract(doc, by_review.get(rid, [])):
            rows.append({"review_id": rid, **r})
    return relations_frame(rows)


def relations_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=RELATION_COLUMNS)
    for c in ("era_year", "sent_id", "evidence_start", "evidence_end"):
        df[c] = df[c].astype("int64")
    return df.sort_values(["review_id", "sent_id", "key", "role"], kind="stable").reset_index(drop=True)


RELATION_OUT = ["review_id", "entity_id", "role", "era", "era_year", "evidence", "sent_id", "evidence_start",
                "evidence_end", "confidence", "method"]


def relations_table(paths: list[str], keymap: pd.DataFrame) -> pd.DataFrame:
    frames = [pd.read_parquet(p) for p in paths]
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=RELATION_COLUMNS)
    mapping = dict(zip(keymap["key"], keymap["entity_id"]))
    df["entity_id"] = df["key"].map(mapping).fillna(df["key"])
    df = df.drop_duplicates(["review_id", "entity_id", "role", "era"])
    return df.sort_values(["review_id", "sent_id", "entity_id", "role"], kind="stable")[RELATION_OUT].reset_index(drop=True)
