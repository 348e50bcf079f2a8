"""Layer features computed by the shard jobs equal what the layers stage computes with Kiwi itself."""

import logging

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT
from test_layers_speed import ROLES, corpus, tokens

from valuechain.gazetteer import load_gazetteer
from valuechain.kiwi_backend import get_kiwi
from valuechain.layer_features import (
    LayerVectors,
    Nouns,
    features_frame,
    layer_words,
    read_features,
    role_texts,
    sentence_noun_rows,
    sentence_nouns_frame,
    write_features,
)
from valuechain.layers import LayerConfig, LayerScorer, assign_layers, sentence_noun_texts
from valuechain.stages.layers import run
from valuechain.stages.tables import write_csv

USERDICT = str(ROOT / "resources/kiwi_userdict.tsv")
MORE_ROLES = ["HBM3E 12단 양산", "GPU", "데이터센터 전력 공급", "AI 칩 설계 스타트업", "3", "x", "A·B"]


def cfg():
    return LayerConfig.load(ROOT / "config/taxonomy.yaml", ROOT / "config/layers.yaml")


def no_kiwi():
    raise AssertionError("Kiwi must not be loaded: the shard's table has these phrases")


@pytest.fixture(scope="module")
def kiwi():
    return get_kiwi("cong", USERDICT, 1)


def shard_table(tmp_path, texts, kiwi, words=None):
    c = cfg()
    words = words or layer_words(c)
    df = features_frame(sorted(set(texts)), LayerVectors(words, Nouns(kiwi)))
    path = tmp_path / "layer_features.parquet"
    write_features(df, words, path)
    return path


def test_cached_features_equal_recomputed_ones(tmp_path, kiwi):
    texts = ROLES + MORE_ROLES
    path = shard_table(tmp_path, texts, kiwi)
    table, words = read_features(path)
    here = LayerScorer(cfg(), load_gazetteer(ROOT / "resources/gazetteer.tsv"), Nouns(kiwi))
    cached = LayerScorer(cfg(), load_gazetteer(ROOT / "resources/gazetteer.tsv"), Nouns(no_kiwi))
    assert cached.load_features(table) == len(set(texts))
    for t in texts:
        assert cached.nouns.of(t) == here.nouns.of(t), t
        a, b = cached._role_part(t), here._role_part(t)
        assert a.dtype == b.dtype and np.array_equal(a, b), t  # every float identical
    assert not cached.nouns.loaded
    # and the layers the two give to a random corpus
    ents, rels = corpus(4)
    assert assign_layers(ents, rels, cached) == assign_layers(ents, rels, here)


def test_a_phrase_missing_from_the_table_is_analysed_here(tmp_path, kiwi):
    path = shard_table(tmp_path, ["GPU 공급"], kiwi)
    scorer = LayerScorer(cfg(), load_gazetteer(ROOT / "resources/gazetteer.tsv"), Nouns(lambda: kiwi))
    scorer.load_features(read_features(path)[0])
    here = LayerScorer(cfg(), load_gazetteer(ROOT / "resources/gazetteer.tsv"), Nouns(kiwi))
    assert np.array_equal(scorer._role_part("HBM 제조"), here._role_part("HBM 제조"))
    assert scorer.nouns.loaded


def test_role_texts_are_role_norm_where_given():
    rels = pd.DataFrame({"role": ["GPU를 공급", "HBM 제조", "x"], "role_norm": ["GPU 공급", "", "x"]})
    assert role_texts(rels) == ["GPU 공급", "HBM 제조", "x"]
    assert role_texts(rels.drop(columns="role_norm")) == ["GPU를 공급", "HBM 제조", "x"]


def test_sentence_noun_rows_match_the_token_table_reader(tmp_path):
    tok = tokens(5).sort_values(["review_id", "sent_id", "token_id"], kind="stable", ignore_index=True)
    path = tmp_path / "tokens.parquet"
    pq.write_table(pa.Table.from_pandas(tok, preserve_index=False), path)
    rows = []
    wanted = {}
    for rid, g in tok.groupby("review_id", sort=True):
        sids = sorted(set(g["sent_id"].tolist()))[::2]
        wanted[rid] = sids
        rows += sentence_noun_rows(rid, g.to_dict("records"), sids)
    df = sentence_nouns_frame(rows)
    got = dict(zip(zip(df["review_id"], df["sent_id"].tolist()), df["nouns"]))
    keys = [(r, s) for r, sids in wanted.items() for s in sids]
    assert got == sentence_noun_texts(path, [r for r, _ in keys], [s for _, s in keys])


def stage_inputs(tmp_path, kiwi):
    ents, rels = corpus(7)
    ents = ents.assign(
        aliases="",
        layer="",
        layer_confidence="",
        cluster="",
        n_mentions="1",
        n_reviews="1",
        gazetteer_id="",
        wikidata="",
        parent="",
    )
    ents.to_csv(tmp_path / "entities_linked.csv", index=False)
    rels.assign(era_year=2020, role_norm="").drop(columns="evidence").to_csv(tmp_path / "relations.csv", index=False)
    tok = tokens(7).sort_values(["review_id", "sent_id", "token_id"], kind="stable", ignore_index=True)
    pq.write_table(pa.Table.from_pandas(tok, preserve_index=False), tmp_path / "tokens.parquet")
    # two "shards": the features of half the role texts each, the sentences of half the reviews each
    texts = sorted(set(rels["role"]))
    paths = []
    for k in range(2):
        (tmp_path / f"s{k}").mkdir()
        paths.append(shard_table(tmp_path / f"s{k}", texts[k::2], kiwi))
    sent = []
    for k in range(2):
        rows = []
        for rid, g in tok.groupby("review_id", sort=True):
            if int(rid[1:]) % 2 == k:
                rows += sentence_noun_rows(rid, g.to_dict("records"), set(g["sent_id"].tolist()))
        p = tmp_path / f"s{k}/sentence_nouns.parquet"
        sentence_nouns_frame(rows).to_parquet(p, index=False)
        sent.append(str(p))
    args = [
        str(tmp_path / "entities_linked.csv"),
        str(tmp_path / "relations.csv"),
        str(ROOT / "resources/gazetteer.tsv"),
        str(ROOT / "config/taxonomy.yaml"),
        str(ROOT / "config/layers.yaml"),
        USERDICT,
        "cong",
    ]
    return args, [str(p) for p in paths], sent


def test_stage_with_the_shards_tables_equals_the_stage_with_kiwi_and_loads_none(tmp_path, kiwi, caplog):
    args, features, sent = stage_inputs(tmp_path, kiwi)
    names = ["entities", "layers", "analogies", "era_layer"]
    with caplog.at_level(logging.INFO, logger="valuechain.stages.layers"):
        for df, name in zip(run(*args, str(tmp_path / "tokens.parquet")), names):
            write_csv(df, str(tmp_path / f"{name}-kiwi.csv"))
        assert "Kiwi loaded: True" in caplog.text
        caplog.clear()
        for df, name in zip(run(*args, features=features, sentence_nouns=sent), names):
            write_csv(df, str(tmp_path / f"{name}-shards.csv"))
        assert "Kiwi loaded: False" in caplog.text
    for name in names:
        assert (tmp_path / f"{name}-kiwi.csv").read_bytes() == (tmp_path / f"{name}-shards.csv").read_bytes(), name
    assert b"chip_design" in (tmp_path / "entities-shards.csv").read_bytes()


def test_a_table_made_with_other_layer_words_is_not_used(tmp_path, kiwi, caplog):
    words = [[lid, ws[:1]] for lid, ws in layer_words(cfg())]  # fewer words: other vectors
    path = shard_table(tmp_path, ["GPU 공급"], kiwi, words)
    scorer = LayerScorer(cfg(), load_gazetteer(ROOT / "resources/gazetteer.tsv"), Nouns(lambda: kiwi))
    from valuechain.stages.layers import load_shard_features

    with caplog.at_level(logging.INFO, logger="valuechain.stages.layers"):
        assert load_shard_features(scorer, [str(path)]) == 0
    assert "made with other layer words" in caplog.text
