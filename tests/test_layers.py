"""Layers: role-driven layer choice (gazetteer only a prior), clustering determinism, analogies."""

import pandas as pd
import pytest
from conftest import ROOT

from valuechain.gazetteer import load_gazetteer
from valuechain.kiwi_backend import get_kiwi
from valuechain.layers import LayerConfig, LayerScorer, Nouns, actor_documents, analogies, assign_layers, cluster

ENT_COLS = ["entity_id", "name", "label", "gazetteer_layer"]


@pytest.fixture(scope="module")
def scorer():
    cfg = LayerConfig.load(ROOT / "config/taxonomy.yaml", ROOT / "config/layers.yaml")
    nouns = Nouns(get_kiwi("cong", str(ROOT / "resources/kiwi_userdict.tsv"), 1))
    return LayerScorer(cfg, load_gazetteer(ROOT / "resources/gazetteer.tsv"), nouns)


def frames(rows_e, rows_r):
    ents = pd.DataFrame(rows_e, columns=ENT_COLS)
    rels = pd.DataFrame(rows_r, columns=["entity_id", "role", "era", "evidence"])
    return ents, rels


@pytest.mark.parametrize(
    "role, era, layer",
    [
        ("AI 반도체 설계", "ai_boom", "chip_design"),
        ("HBM 제조", "ai_boom", "memory"),
        ("GPU 대여 서비스", "ai_boom", "cloud_infra"),
        ("AI서버 조립", "ai_boom", "servers_systems"),
        ("3나노 파운드리 위탁생산", "ai_boom", "foundry"),
        ("청바지", "gold_rush", "supplies_trade"),
        ("현금 보관→은행", "gold_rush", "finance_transport"),
        ("금광 채굴", "gold_rush", "gold_prospecting"),
    ],
)
def test_unknown_actor_lands_in_the_layer_of_its_role(scorer, role, era, layer):
    """No gazetteer entry: the role alone decides."""
    ents, rels = frames([("new:x", "X", "ORG", "")], [("new:x", role, era, "")])
    got = assign_layers(ents, rels, scorer)
    assert got["new:x"].layer == layer, got["new:x"].scores


def test_no_role_and_no_prior_means_no_layer(scorer):
    ents, rels = frames([("new:author", "저자", "PERSON", ""), ("nvidia", "엔비디아", "ORG", "chip_design")], [])
    got = assign_layers(ents, rels, scorer)
    assert "new:author" not in got
    assert got["nvidia"].layer == "chip_design" and got["nvidia"].source == "prior"


def test_role_outweighs_the_gazetteer_prior(scorer):
    ents, rels = frames(
        [("samsung_electronics", "삼성전자", "ORG", "memory")],
        [("samsung_electronics", "3나노 파운드리 위탁생산", "ai_boom", "")],
    )
    assert assign_layers(ents, rels, scorer)["samsung_electronics"].layer == "foundry"


def test_clustering_is_deterministic_and_named_by_layers(scorer):
    rows_e = [(f"e{i}", f"E{i}", "ORG", "") for i in range(6)]
    rows_r = [
        ("e0", "AI 반도체 설계", "ai_boom", ""),
        ("e1", "NPU 칩 설계", "ai_boom", ""),
        ("e2", "GPU 대여 서비스", "ai_boom", ""),
        ("e3", "GPU 클라우드 임대", "ai_boom", ""),
        ("e4", "청바지", "gold_rush", ""),
        ("e5", "삽·곡괭이 도매", "gold_rush", ""),
    ]
    ents, rels = frames(rows_e, rows_r)
    results = []
    for _ in range(2):
        assigned = assign_layers(ents, rels, scorer)
        ids, docs = actor_documents(ents, rels, assigned, scorer.nouns)
        clusters, names, _, _ = cluster(ids, docs, assigned, scorer.cfg)
        results.append((clusters, names))
    assert results[0] == results[1]
    clusters, names = results[0]
    assert clusters["e0"] == clusters["e1"] and clusters["e2"] == clusters["e3"] and clusters["e4"] == clusters["e5"]
    assert names[clusters["e0"]] == "chip_design" and names[clusters["e4"]] == "supplies_trade"


def test_analogies_link_gold_rush_suppliers_to_ai_suppliers(scorer):
    ents = pd.DataFrame([("brannan", "브래넌", "PERSON", ""), ("nv", "엔비디아", "ORG", "")], columns=ENT_COLS)
    rels = pd.DataFrame(
        [("brannan", "삽·곡괭이 도매", "gold_rush", ""), ("nv", "GPU 공급", "ai_boom", "")],
        columns=["entity_id", "role", "era", "evidence"],
    )
    assigned = assign_layers(ents, rels, scorer)
    df = analogies(ents, rels, assigned, scorer.cfg)
    assert list(df["gold_rush"]) == ["브래넌"] and list(df["ai_era"]) == ["엔비디아"]
    assert df["similarity"].iloc[0] > 0.5


def test_a_supplier_moves_upstream_of_its_customer_only_when_its_scores_allow():
    import pandas as pd

    from valuechain.layers import Assignment, LayerConfig, order_by_links

    cfg = LayerConfig.load(ROOT / "config/taxonomy.yaml", ROOT / "config/layers.yaml")
    customer = Assignment("servers_systems", 0.9, {"servers_systems": 3.0}, "role")
    close = Assignment("cloud_infra", 0.6, {"cloud_infra": 2.0, "memory": 1.5}, "role")  # memory >= 0.5 x best
    far = Assignment("cloud_infra", 0.6, {"cloud_infra": 2.0, "memory": 0.4}, "role")
    links = pd.DataFrame({"source": ["a", "b"], "type": ["supplies", "supplies"], "target": ["c", "c"]})
    out = order_by_links({"a": close, "b": far, "c": customer}, links, cfg)
    assert out["a"].layer == "memory" and out["a"].source == "role+links"
    assert out["b"].layer == "cloud_infra"  # near miss: its upstream layer scored too little
    assert out["c"] == customer
    partners = links.assign(type="partners_with")
    assert order_by_links({"a": close, "c": customer}, partners, cfg)["a"].layer == "cloud_infra"
