"""Stage: layers and clusters for the corpus' actors; entities.csv, layers.csv, analogies.csv, era_layer.csv."""
from __future__ import annotations

import pandas as pd

from ..gazetteer import load_gazetteer
from ..kiwi_backend import get_kiwi
from ..layers import (LayerConfig, LayerScorer, Nouns, actor_documents, analogies, assign_layers, cluster,
                      era_layer_table, layers_table, sentence_nouns)

ENTITY_OUT = ["entity_id", "name", "label", "aliases", "layer", "layer_confidence", "cluster", "layer_source",
              "n_mentions", "n_reviews", "gazetteer_id", "wikidata", "parent"]


def run(entities_csv: str, relations_csv: str, gazetteer: str, taxonomy: str, layers_yaml: str,
        userdict: str, model_type: str = "cong", tokens_parquet: str | None = None):
    ents = pd.read_csv(entities_csv, dtype=str, keep_default_na=False)
    rels = pd.read_csv(relations_csv, dtype={"era_year": "int64"}, keep_default_na=False)
    cfg = LayerConfig.load(taxonomy, layers_yaml)
    nouns = Nouns(get_kiwi(model_type, userdict or None, 1))
    scorer = LayerScorer(cfg, load_gazetteer(gazetteer), nouns)
    # duplicate reviews' relations were already dropped upstream; sort for determinism
    rels = rels.sort_values(["entity_id", "review_id", "sent_id", "role"], kind="stable")
    assigned = assign_layers(ents.sort_values("entity_id"), rels, scorer)
    sent_nouns = None
    if tokens_parquet:
        needed = set(rels["review_id"])
        tok = pd.read_parquet(tokens_parquet, columns=["review_id", "sent_id", "form", "tag"],
                              filters=[("review_id", "in", sorted(needed))] if needed else None)
        sent_nouns = sentence_nouns(tok)
    ids, docs = actor_documents(ents, rels, assigned, nouns, sent_nouns)
    clusters, cname, tops, _ = cluster(ids, docs, assigned, cfg)
    ents = ents.copy()
    ents["layer"] = ents["entity_id"].map(lambda e: assigned[e].layer if e in assigned else "")
    ents["layer_confidence"] = ents["entity_id"].map(
        lambda e: f"{assigned[e].confidence:.3f}" if e in assigned and assigned[e].layer else "")
    ents["layer_source"] = ents["entity_id"].map(lambda e: assigned[e].source if e in assigned else "")
    ents["cluster"] = ents["entity_id"].map(lambda e: clusters.get(e, ""))
    ents = ents.sort_values("entity_id", kind="stable")[ENTITY_OUT]
    return (ents, layers_table(ents, rels, clusters, cname, tops or {}, assigned, cfg),
            analogies(ents, rels, assigned, cfg), era_layer_table(rels, ents))
