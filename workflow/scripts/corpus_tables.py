import logging
from pathlib import Path

import pandas as pd

from valuechain.corpus import no_reviews_message
from valuechain.gazetteer import load_gazetteer
from valuechain.smk import run_logged
from valuechain.stages.tables import rejected_table, reviews_table, write_csv, write_linked_tables


def main(sm):
    sheet = None
    if sm.params.sheet:
        try:
            sheet = pd.read_csv(sm.params.sheet, sep="\t", dtype=str, keep_default_na=False)
        except FileNotFoundError:
            sheet = None
    # rendered rows and per-shard parts kept between runs (a side folder: losing it only costs time)
    cache_dir = str(Path(sm.output.keymap).parent / "table_cache")
    reviews = reviews_table(list(sm.input.reviews), list(sm.input.tokens), sheet, cache_dir=cache_dir)
    write_csv(reviews, sm.output.reviews)
    rejected = rejected_table(list(sm.input.rejected))
    write_csv(rejected, sm.output.rejected)
    if not len(reviews):  # one line naming the folder and why
        logging.warning("%s", no_reviews_message(sm.params.reviews_dir, len(rejected)))
    for row in rejected.itertuples():
        logging.warning("rejected %s: %s (%s)", row.file, row.reason, row.detail)
    write_linked_tables(
        list(sm.input.mentions),
        list(sm.input.relations),
        list(sm.input.links),
        reviews,
        load_gazetteer(sm.input.gazetteer),
        {name: getattr(sm.output, name) for name in ("mentions", "entities", "keymap", "relations", "links")},
        cache_dir=cache_dir,
    )


run_logged(snakemake, main)  # noqa: F821
