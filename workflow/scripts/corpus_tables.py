import logging

import pandas as pd

from valuechain.corpus import no_reviews_message
from valuechain.gazetteer import load_gazetteer
from valuechain.smk import run_logged
from valuechain.stages.tables import linked_tables, rejected_table, reviews_table, write_csv


def main(sm):
    sheet = None
    if sm.params.sheet:
        try:
            sheet = pd.read_csv(sm.params.sheet, sep="\t", dtype=str, keep_default_na=False)
        except FileNotFoundError:
            sheet = None
    reviews = reviews_table(list(sm.input.reviews), list(sm.input.tokens), sheet)
    write_csv(reviews, sm.output.reviews)
    rejected = rejected_table(list(sm.input.rejected))
    write_csv(rejected, sm.output.rejected)
    if not len(reviews):  # one line naming the folder and why
        logging.warning("%s", no_reviews_message(sm.params.reviews_dir, len(rejected)))
    for row in rejected.itertuples():
        logging.warning("rejected %s: %s (%s)", row.file, row.reason, row.detail)
    mentions, entities, keymap, relations, links = linked_tables(
        list(sm.input.mentions),
        list(sm.input.relations),
        reviews,
        load_gazetteer(sm.input.gazetteer),
        list(sm.input.links),
    )
    write_csv(mentions, sm.output.mentions)
    write_csv(entities, sm.output.entities)
    write_csv(keymap, sm.output.keymap)
    write_csv(relations, sm.output.relations)
    write_csv(links, sm.output.links)


run_logged(snakemake, main)  # noqa: F821
