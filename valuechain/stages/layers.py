"""Stage: layers and clusters for the corpus' actors; entities.csv, layers.csv, analogies.csv, era_layer.csv.

What the scorer needs from Kiwi (nouns of the distinct role phrases, their CoNg similarity vectors
against the layers' words, nouns of the evidence sentences) comes from the shard jobs' tables
(``layer_features.parquet``, ``sentence_nouns.parquet``; see :mod:`valuechain.layer_features`), so this
job does not load Kiwi. A phrase missing there (a table made with other layer words, or a context
weight that scores the evidence sentences too) is analysed here with a Kiwi loaded on first use.
"""

from __future__ import annotations

import functools
import logging
import time

import pandas as pd

from ..gazetteer import load_gazetteer
from ..layer_features import Nouns, layer_words, read_features, words_json
from ..layers import (
    LayerConfig,
    LayerScorer,
    actor_documents,
    analogies,
    assign_layers,
    cluster,
    era_layer_table,
    import_sklearn,
    layers_table,
    order_by_links,
    sentence_noun_texts,
)

log = logging.getLogger(__name__)

REL_COLUMNS = {"review_id", "entity_id", "role", "role_norm", "era", "sent_id", "confidence"}
ENTITY_OUT = [
    "entity_id",
    "name",
    "label",
    "aliases",
    "layer",
    "layer_confidence",
    "cluster",
    "layer_source",
    "n_mentions",
    "n_reviews",
    "gazetteer_id",
    "wikidata",
    "parent",
]


def canonical_roles(rels: pd.DataFrame) -> pd.DataFrame:
    """Layers read the canonical role (role_norm) where the vocabulary gave one, else the role as
    written: the same activity said ten ways counts once."""
    if "role_norm" in rels.columns:
        norm = rels["role_norm"].astype(str)
        rels = rels.assign(role=norm.where(norm != "", rels["role"].astype(str))).drop(columns="role_norm")
    return rels


def _kiwi(model_type: str, userdict: str | None):
    """Kiwi for what the shards' tables lack (imported only then: the usual run needs none)."""
    from ..kiwi_backend import get_kiwi

    return get_kiwi(model_type, userdict, 1)


def load_shard_features(scorer: LayerScorer, paths: list[str]) -> int:
    """Give ``scorer`` the role features of the shards' tables made with its layer words; returns the
    number of role texts taken (tables made with other words are skipped with a note)."""
    want = words_json(layer_words(scorer.cfg))
    n = 0
    for p in paths:
        df, words = read_features(p)
        if words != want:
            log.info("%s: made with other layer words; its phrases are analysed here", p)
            continue
        n += scorer.load_features(df)
    return n


def read_sentence_nouns(paths: list[str]) -> dict[tuple[str, int], str]:
    """(review_id, sent_id) -> nouns of the sentence joined by spaces, from the shards' tables."""
    out: dict[tuple[str, int], str] = {}
    for p in paths:
        df = pd.read_parquet(p)
        out.update(zip(zip(df["review_id"].tolist(), df["sent_id"].tolist()), df["nouns"].tolist()))
    return out


def run(
    entities_csv: str,
    relations_csv: str,
    gazetteer: str,
    taxonomy: str,
    layers_yaml: str,
    userdict: str,
    model_type: str = "cong",
    tokens_parquet: str | None = None,
    links_csv: str | None = None,
    features: list[str] = (),
    sentence_nouns: list[str] | None = None,
):
    """The layer tables. ``features``/``sentence_nouns``: the shard jobs' tables (Kiwi is then needed
    only for what they lack); without ``sentence_nouns`` the evidence nouns come from
    ``tokens_parquet``, and without that from Kiwi."""
    t0 = time.perf_counter()
    marks: list[tuple[str, float]] = []

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter()))

    cfg = LayerConfig.load(taxonomy, layers_yaml)
    load_kiwi = functools.partial(_kiwi, model_type, userdict or None)
    ents = pd.read_csv(entities_csv, dtype=str, keep_default_na=False)
    # only the columns the layers use; the evidence text (most of the file) only to score the
    # context or without the sentences' nouns
    have_sentences = sentence_nouns is not None or bool(tokens_parquet)
    need_evidence = bool(cfg.weights["context"]) or not have_sentences
    cols = REL_COLUMNS | ({"evidence"} if need_evidence else set())
    rels = pd.read_csv(relations_csv, keep_default_na=False, usecols=lambda c: c in cols)
    rels = canonical_roles(rels)
    # duplicate reviews' relations were already dropped upstream; sort for determinism
    rels = rels.sort_values(["entity_id", "review_id", "sent_id", "role"], kind="stable", ignore_index=True)
    mark("read tables")
    scorer = LayerScorer(cfg, load_gazetteer(gazetteer), Nouns(load_kiwi))
    n_features = load_shard_features(scorer, list(features))
    sent_nouns = None
    if sentence_nouns is not None:
        sent_nouns = read_sentence_nouns(list(sentence_nouns))
    elif tokens_parquet:
        sent_nouns = sentence_noun_texts(
            tokens_parquet, list(map(str, rels["review_id"].tolist())), rels["sent_id"].tolist()
        )
    mark("shard features")
    assigned = assign_layers(ents.sort_values("entity_id"), rels, scorer)
    if links_csv:
        links = pd.read_csv(links_csv, keep_default_na=False, usecols=["source", "type", "target"], dtype=str)
        assigned = order_by_links(assigned, links, cfg)
    mark("assign layers")
    ids, docs = actor_documents(ents, rels, assigned, scorer.nouns, sent_nouns)
    mark("actor documents")
    if ids:  # nothing to cluster (an empty corpus): the ~1.5 s import is not needed
        import_sklearn()
    mark("import scikit-learn")
    clusters, cname, tops, _ = cluster(ids, docs, assigned, cfg)
    mark("cluster")
    ents = ents.copy()
    eid = ents["entity_id"].tolist()
    ents["layer"] = [assigned[e].layer if e in assigned else "" for e in eid]
    ents["layer_confidence"] = [
        f"{assigned[e].confidence:.3f}" if e in assigned and assigned[e].layer else "" for e in eid
    ]
    ents["layer_source"] = [assigned[e].source if e in assigned else "" for e in eid]
    ents["cluster"] = [clusters.get(e, "") for e in eid]
    ents = ents.sort_values("entity_id", kind="stable")[ENTITY_OUT]
    layers = layers_table(ents, rels, clusters, cname, tops or {}, assigned, cfg)
    analog = analogies(ents, rels, assigned, cfg)
    mark("analogies")
    era_layer = era_layer_table(rels, ents)
    mark("tables")
    steps, prev = [], t0
    for name, t in marks:
        steps.append(f"{name} {t - prev:.2f}")
        prev = t
    log.info(
        "%d relations, %d actors with a layer, %.2f s (%s); %d role texts from the shards' tables; Kiwi loaded: %s",
        len(rels),
        len(ids),
        prev - t0,
        ", ".join(steps),
        n_features,
        scorer.nouns.loaded,
    )
    return ents, layers, analog, era_layer
