from valuechain.smk import run_logged
from valuechain.stages.graph import run_edges


def main(sm):
    run_edges(sm.input.links, sm.input.entities, sm.input.reviews, sm.output.edges)


run_logged(snakemake, main)  # noqa: F821
