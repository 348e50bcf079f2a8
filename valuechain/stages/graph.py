"""Stage: the corpus value chain, value_chain_edges.csv and value_chain.graphml (see :mod:`valuechain.graph`)."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from ..graph import edges_table, value_chain_graph, write_graphml
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


def run(links_csv: str, entities_csv: str, reviews_csv: str | None, edges_out: str, graphml_out: str) -> pd.DataFrame:
    """Read links, entities and reviews; write the edges table and the GraphML graph; return the edges."""
    links = with_columns(read_table(links_csv), LINK_COLS)
    entities = with_columns(read_table(entities_csv), ["entity_id", "name", "label", "layer"])
    dups = duplicate_reviews(read_table(reviews_csv))
    edges = edges_table(links, entities, dups)
    write_csv(edges, edges_out)
    graph = value_chain_graph(edges, entities, links[~links["review_id"].isin(list(dups))])
    write_graphml(graph, graphml_out)
    log.info(
        "%d links (%d from duplicate reviews left out) -> %d edges between %d entities",
        len(links),
        int(links["review_id"].isin(list(dups)).sum()),
        len(edges),
        graph.number_of_nodes(),
    )
    return edges
