import pandas as pd

from valuechain.smk import run_logged
from valuechain.stages.relations import relations_table
from valuechain.stages.tables import write_csv


def main(sm):
    keymap = pd.read_csv(sm.input.keymap, dtype=str, keep_default_na=False)
    write_csv(relations_table(list(sm.input.relations), keymap), sm.output[0])


run_logged(snakemake, main)  # noqa: F821
