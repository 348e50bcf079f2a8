from valuechain.smk import run_logged
from valuechain.stages.graph import run_graph


def main(sm):
    run_graph(sm.input.edges, sm.input.links, sm.input.entities, sm.input.reviews, sm.output.graphml)


run_logged(snakemake, main)  # noqa: F821
