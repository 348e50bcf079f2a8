"""The corpus value chain (valuechain.graph): links grouped into edges, and the GraphML graph."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx
import pandas as pd
import pytest

from valuechain import graph
from valuechain.stages.graph import run
from valuechain.stages.relations import LINK_OUT

LINK_COLS = LINK_OUT  # the columns of links.csv


def link(rid, src, typ, tgt, fam, obj="", era="ai_boom", year="2024", ev="", sid="0", conf="0.7"):
    return dict(
        zip(LINK_COLS, [rid, src, typ, tgt, fam, obj, era, year, ev or f"{src} {typ} {tgt}", sid, "0", "5", conf, "m"])
    )


# invented actors: 가나전자 (memory), 다라테크 (chip design), 라마캐피탈 (investor), 마바랩 (model lab)
LINKS = pd.DataFrame(
    [
        link(
            "r1", "gana", "supplies", "dara", "supply", "HBM3", year="2023", ev="가나전자는 다라테크에 HBM3를 납품한다."
        ),
        link("r2", "gana", "supplies", "dara", "supply", "hbm 3", year="2024", sid="3", conf="0.9"),
        link("r2", "gana", "supplies", "dara", "supply", "", year="2024", sid="5", conf="0.95"),
        link("r3", "gana", "supplies", "dara", "supply", "센서", year="2025"),
        link("r1", "gana", "manufactures_for", "dara", "supply", "칩 양산"),  # parallel edge, another type
        link("r1", "rama", "invests_in", "maba", "capital", year=""),
        link("r2", "dara", "competes_with", "gana", "market"),  # symmetric: ends in id order upstream
        link("r2", "gana", "acquires", "", "capital"),  # no target: not an edge
        link("dup", "rama", "invests_in", "maba", "capital"),  # a duplicate review: not counted
    ]
)
ENTITIES = pd.DataFrame(
    [
        ("gana", "가나전자", "ORG", "memory", "5", "3"),
        ("dara", "다라테크", "ORG", "chip_design", "4", "3"),
        ("rama", "라마캐피탈", "ORG", "", "1", "1"),
        ("maba", "마바랩", "ORG", "foundation_models", "", ""),
    ],
    columns=["entity_id", "name", "label", "layer", "n_mentions", "n_reviews"],
)


@pytest.fixture(scope="module")
def edges() -> pd.DataFrame:
    return graph.edges_table(LINKS, ENTITIES, {"dup"})


def test_object_variants_are_grouped():
    assert graph.object_key(" HBM 3 ") == graph.object_key("hbm3")
    obj, objects = graph.summarise_objects(["HBM3", "hbm 3", "", "HBM3", "센서"])
    assert obj == "HBM3" and objects == ["HBM3", "센서"]
    assert graph.summarise_objects(["", ""]) == ("", [])


def test_one_row_per_source_type_target(edges):
    assert list(edges.columns) == graph.EDGE_COLUMNS
    keys = list(zip(edges["source"], edges["type"], edges["target"]))
    assert len(keys) == len(set(keys)) == 4
    assert ("gana", "acquires", "") not in keys  # no target
    sup = edges[(edges["type"] == "supplies")].iloc[0]
    assert (sup["n_reviews"], sup["n_links"]) == (3, 4)
    assert (sup["object"], sup["objects"]) == ("HBM3", "HBM3|센서")
    assert (sup["first_era_year"], sup["last_era_year"]) == (2023, 2025)
    assert (sup["source_name"], sup["target_name"], sup["family"]) == ("가나전자", "다라테크", "supply")
    # the example names the edge's object (not the more confident link without one)
    assert (sup["evidence_review_id"], sup["evidence_sent_id"]) == ("r2", "3")


def test_duplicate_reviews_and_missing_years(edges):
    inv = edges[edges["type"] == "invests_in"].iloc[0]
    assert (inv["n_reviews"], inv["n_links"]) == (1, 1)  # the duplicate review's link is left out
    assert pd.isna(inv["first_era_year"]) and inv["eras"] == "ai_boom"


def test_order_is_most_reviews_first_and_deterministic(edges):
    assert edges.iloc[0]["type"] == "supplies"
    rest = edges.iloc[1:]  # one review each: family order (supply, capital, market), then ids
    assert list(rest["n_reviews"]) == [1, 1, 1]
    assert list(rest["type"]) == ["manufactures_for", "invests_in", "competes_with"]
    shuffled = graph.edges_table(LINKS.sample(frac=1, random_state=3), ENTITIES, {"dup"})
    pd.testing.assert_frame_equal(shuffled, edges)


def test_csv_and_graphml_from_the_stage(tmp_path):
    (tmp_path / "links.csv").write_text(LINKS.to_csv(index=False), encoding="utf-8")
    (tmp_path / "entities.csv").write_text(ENTITIES.to_csv(index=False), encoding="utf-8")
    pd.DataFrame([{"review_id": "r1", "duplicate_of": ""}, {"review_id": "dup", "duplicate_of": "r1"}]).to_csv(
        tmp_path / "reviews.csv", index=False
    )
    out_csv, out_gml = tmp_path / "edges.csv", tmp_path / "g.graphml"
    run(str(tmp_path / "links.csv"), str(tmp_path / "entities.csv"), str(tmp_path / "reviews.csv"), out_csv, out_gml)
    table = pd.read_csv(out_csv, dtype=str, keep_default_na=False)
    assert table["first_era_year"].tolist()[0] == "2023"  # integers, not 2023.0
    g = nx.read_graphml(out_gml)
    assert g.is_directed() and g.is_multigraph()  # supplies and manufactures_for between the same two
    assert g.number_of_edges() == len(table) == 4
    assert g.number_of_nodes() == 4
    assert g.nodes["gana"]["label"] == "가나전자" and g.nodes["gana"]["layer"] == "memory"
    assert g.nodes["maba"]["n_mentions"] == 0 and g.nodes["rama"]["era"] == "ai_boom"
    sup = [d for _, _, d in g.edges("gana", data=True) if d["type"] == "supplies"][0]
    assert sup["weight"] == 3 and sup["n_links"] == 4 and sup["object"] == "HBM3" and sup["family"] == "supply"
    assert sup["label"] == "supplies: HBM3" and sup["direction"] == "directed"
    sym = [d for _, _, d in g.edges(data=True) if d["type"] == "competes_with"]
    assert len(sym) == 1 and sym[0]["direction"] == "symmetric"
    again = tmp_path / "again.graphml"
    run(str(tmp_path / "links.csv"), str(tmp_path / "entities.csv"), None, tmp_path / "e2.csv", again)
    assert nx.read_graphml(again).number_of_edges() == 4


def test_graphml_uses_standard_types_and_safe_key_ids(tmp_path, edges):
    path = tmp_path / "g.graphml"
    graph.write_graphml(graph.value_chain_graph(edges, ENTITIES, LINKS), str(path))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(path).getroot()
    keys = root.findall("g:key", ns)
    assert {k.get("attr.type") for k in keys} <= {"string", "long", "double"}
    ids = [k.get("id") for k in keys]
    assert len(ids) == len(set(ids))
    assert not any(i.startswith("d") and i[1:].isdigit() for i in ids)  # Gephi reads d7 as the edge label
    edge_ids = [e.get("id") for e in root.iter("{http://graphml.graphdrawing.org/xmlns}edge")]
    assert len(edge_ids) == len(set(edge_ids)) == len(edges)
    other = tmp_path / "g2.graphml"
    graph.write_graphml(graph.value_chain_graph(edges, ENTITIES, LINKS), str(other))
    assert other.read_bytes() == path.read_bytes()


def test_empty_links(tmp_path):
    empty = pd.DataFrame(columns=LINK_COLS)
    e = graph.edges_table(empty, ENTITIES)
    assert list(e.columns) == graph.EDGE_COLUMNS and not len(e)
    path = tmp_path / "g.graphml"
    graph.write_graphml(graph.value_chain_graph(e, ENTITIES, empty), str(path))
    assert nx.read_graphml(path).number_of_edges() == 0


def test_graph_read_back_from_the_edges_csv_equals_the_graph_of_the_table_in_memory(tmp_path, edges):
    """The graph rule reads value_chain_edges.csv (strings): the same GraphML bytes as from the typed table."""
    from valuechain.stages.graph import run_graph
    from valuechain.stages.tables import write_csv

    (tmp_path / "links.csv").write_text(LINKS.to_csv(index=False), encoding="utf-8")
    (tmp_path / "entities.csv").write_text(ENTITIES.to_csv(index=False), encoding="utf-8")
    pd.DataFrame([{"review_id": "r1", "duplicate_of": ""}, {"review_id": "dup", "duplicate_of": "r1"}]).to_csv(
        tmp_path / "reviews.csv", index=False
    )
    write_csv(edges, str(tmp_path / "edges.csv"))
    links = LINKS.astype(str)
    ents = pd.read_csv(tmp_path / "entities.csv", dtype=str, keep_default_na=False)
    graph.write_graphml(
        graph.value_chain_graph(edges, ents, links[links["review_id"] != "dup"]), str(tmp_path / "a.graphml")
    )
    run_graph(
        str(tmp_path / "edges.csv"),
        str(tmp_path / "links.csv"),
        str(tmp_path / "entities.csv"),
        str(tmp_path / "reviews.csv"),
        str(tmp_path / "b.graphml"),
    )
    assert (tmp_path / "a.graphml").read_bytes() == (tmp_path / "b.graphml").read_bytes()
