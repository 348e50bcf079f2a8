from valuechain.smk import run_logged
from valuechain.stages.relations import run_shard


def main(sm):
    df = run_shard(sm.input.docs, sm.input.mentions, sm.input.roles, sm.input.taxonomy, sm.input.eras,
                   sm.params.kiwi.get("model_type", "cong"), sm.input.userdict, sm.input.gazetteer)
    df.to_parquet(sm.output[0], index=False)


run_logged(snakemake, main)  # noqa: F821
