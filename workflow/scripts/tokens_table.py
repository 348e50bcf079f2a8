from valuechain.smk import run_logged
from valuechain.stages.tables import tokens_table


def main(sm):
    tokens_table(list(sm.input)).to_parquet(sm.output[0], index=False)


run_logged(snakemake, main)  # noqa: F821
