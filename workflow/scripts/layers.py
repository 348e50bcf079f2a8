from valuechain.smk import run_logged
from valuechain.stages.layers import run
from valuechain.stages.tables import write_csv


def main(sm):
    ents, layers, analogies, era_layer = run(
        sm.input.entities,
        sm.input.relations,
        sm.input.gazetteer,
        sm.input.taxonomy,
        sm.input.layers,
        sm.input.userdict,
        sm.params.kiwi.get("model_type", "cong"),
        links_csv=sm.input.links,
        features=list(sm.input.features),
        sentence_nouns=list(sm.input.sentence_nouns),
    )
    write_csv(ents, sm.output.entities)
    write_csv(layers, sm.output.layers)
    write_csv(analogies, sm.output.analogies)
    write_csv(era_layer, sm.output.era_layer)


run_logged(snakemake, main)  # noqa: F821
