import logging

import pandas as pd

from valuechain.smk import run_logged
from valuechain.stages.tables import rejected_table, reviews_table


def main(sm):
    sheet = None
    if sm.params.sheet:
        try:
            sheet = pd.read_csv(sm.params.sheet, sep="\t", dtype=str, keep_default_na=False)
        except FileNotFoundError:
            sheet = None
    reviews_table(list(sm.input.reviews), list(sm.input.tokens), sheet).to_csv(
        sm.output.reviews, index=False, lineterminator="\n")
    rejected = rejected_table(list(sm.input.rejected))
    rejected.to_csv(sm.output.rejected, index=False, lineterminator="\n")
    for row in rejected.itertuples():
        logging.warning("rejected %s: %s (%s)", row.file, row.reason, row.detail)


run_logged(snakemake, main)  # noqa: F821
