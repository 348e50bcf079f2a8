from valuechain.smk import run_logged
from valuechain.stages.graph import run


def main(sm):
    run(sm.input.links, sm.input.entities, sm.input.reviews, sm.output.edges, sm.output.graphml)


run_logged(snakemake, main)  # noqa: F821
