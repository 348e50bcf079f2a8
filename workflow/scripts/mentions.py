from valuechain.smk import run_logged
from valuechain.stages.mentions import load_recognizer, run_shard


def main(sm):
    kiwi = sm.params.kiwi
    rec = load_recognizer(sm.input.gazetteer, sm.input.model, sm.input.stoplist, sm.input.userdict,
                          kiwi.get("model_type", "cong"), sm.threads, sm.params.min_prob,
                          sm.params.common_nouns)
    df = run_shard(sm.input.reviews, sm.input.docs, rec, kiwi.get("model_type", "cong"), sm.input.userdict)
    df.to_parquet(sm.output[0], index=False)


run_logged(snakemake, main)  # noqa: F821
