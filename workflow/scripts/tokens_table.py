import logging

from valuechain.smk import run_logged
from valuechain.stages.tables import write_tokens_table


def main(sm):
    logging.info("%d tokens", write_tokens_table(list(sm.input), sm.output[0]))


run_logged(snakemake, main)  # noqa: F821
