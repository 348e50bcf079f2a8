"""Stage: the corpus value chain, value_chain_edges.csv and value_chain.graphml (see :mod:`valuechain.graph`)."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from ..graph import EDGE_COLUMNS, edges_table, value_chain_graph, write_graphml
from .tables import write_csv

log = logging.getLogger(__name__)


def read_table(path: str | None) -> pd.DataFrame:
    """A table as strings ("" for empty cells); an absent or empty file is an empty frame."""
    if not path or not Path(path).exists():
        return pd.DataFrame()
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()


def duplicate_reviews(reviews: pd.DataFrame) -> set[str]:
    """The reviews that repeat another one's content (reviews.csv ``duplicate_of``): not counted."""
    if "duplicate_of" not in reviews.columns:
        return set()
    return set(reviews.loc[reviews["duplicate_of"] != "", "review_id"])


def with_columns(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """``df`` with every column of ``cols`` (missing ones empty)."""
    for c in cols:
        if c not in df.columns:
            df[c] = ""
    return df


LINK_COLS = ["review_id", "source", "type", "target", "family", "object", "era", "era_year"]
LINK_COLS += ["evidence", "sent_id", "confidence"]


def run_edges(links_csv: str, entities_csv: str, reviews_csv: str | None, edges_out: str) -> pd.DataFrame:
    """value_chain_edges.csv from links, entity names and reviews (duplicates left out); returns the edges.

    Needs only the entities' names, so it runs on the linked entities before the layers are known."""
    links = with_columns(read_table(links_csv), LINK_COLS)
    entities = with_columns(read_table(entities_csv), ["entity_id", "name", "label", "layer"])
    dups = duplicate_reviews(read_table(reviews_csv))
    edges = edges_table(links, entities, dups)
    write_csv(edges, edges_out)
    log.info(
        "%d links (%d from duplicate reviews left out) -> %d edges",
        len(links),
        int(links["review_id"].isin(list(dups)).sum()),
        len(edges),
    )
    return edges


def run_graph(edges_csv: str, links_csv: str, entities_csv: str, reviews_csv: str | None, graphml_out: str):
    """value_chain.graphml from value_chain_edges.csv, the entities (with their layers) and the links
    (each node's era); the same graph as from the edges table in memory (tests/test_graph.py)."""
    edges = read_table(edges_csv)
    links = with_columns(read_table(links_csv), LINK_COLS)
    entities = with_columns(read_table(entities_csv), ["entity_id", "name", "label", "layer"])
    dups = duplicate_reviews(read_table(reviews_csv))
    if not len(edges):
        edges = pd.DataFrame(columns=EDGE_COLUMNS)
    graph = value_chain_graph(edges, entities, links[~links["review_id"].isin(list(dups))])
    write_graphml(graph, graphml_out)
    log.info("%d edges between %d entities", graph.number_of_edges(), graph.number_of_nodes())
    return graph


def run(links_csv: str, entities_csv: str, reviews_csv: str | None, edges_out: str, graphml_out: str) -> pd.DataFrame:
    """Both files at once (edges from ``entities_csv``'s names, nodes with its layers); returns the edges."""
    edges = run_edges(links_csv, entities_csv, reviews_csv, edges_out)
    run_graph(edges_out, links_csv, entities_csv, reviews_csv, graphml_out)
    return edges
