from valuechain.smk import run_logged
from valuechain.stages.tokens import ingest_files, write_ingest


def main(sm):
    reviews, rejected = ingest_files(list(sm.input) + list(sm.params.others), sm.params.max_bytes)
    write_ingest(reviews, rejected, sm.output.reviews, sm.output.rejected)


run_logged(snakemake, main)  # noqa: F821
