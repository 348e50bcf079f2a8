import pandas as pd

from valuechain.corpus import no_reviews_message
from valuechain.smk import run_logged


def main(sm):
    rejected = pd.read_csv(sm.input.rejected, dtype=str, keep_default_na=False)
    reviews = pd.read_csv(sm.input.reviews, dtype=str, keep_default_na=False, usecols=["review_id"])
    if not len(reviews):
        raise SystemExit(f"strict: {no_reviews_message(sm.params.reviews_dir, len(rejected))}")
    if len(rejected):
        files = ", ".join(f"{r.file} ({r.reason})" for r in rejected.itertuples())
        raise SystemExit(f"strict: {len(rejected)} input file(s) rejected: {files}; see {sm.input.rejected}")


run_logged(snakemake, main)  # noqa: F821
