from valuechain.shard_cache import ShardCache, fingerprint
from valuechain.smk import run_logged
from valuechain.stages.shard import ShardSettings, cache_folder, run_shard


def main(sm):
    kiwi = sm.params.kiwi
    ner_rules = getattr(sm.params, "ner_rules", None)
    settings = ShardSettings(
        userdict=sm.input.userdict,
        gazetteer=sm.input.gazetteer,
        model=sm.input.model,
        stoplist=sm.input.stoplist,
        roles=sm.input.roles,
        links=sm.input.links,
        confidence=sm.input.confidence,
        eras=sm.input.eras,
        taxonomy=sm.input.taxonomy,
        model_type=kiwi.get("model_type", "cong"),
        min_prob=sm.params.min_prob,
        common_nouns=sm.params.common_nouns,
        ner_rules=tuple(ner_rules) if ner_rules is not None else None,
        batch_size=sm.params.batch_size,
        threads=sm.threads,
        constructions=tuple(sm.params.constructions),
    )
    key = fingerprint(
        {
            "code": sm.params.code,
            "kiwi": kiwi,
            "min_prob": sm.params.min_prob,
            "common_nouns": sm.params.common_nouns,
            "ner_rules": ner_rules,
            "constructions": list(sm.params.constructions),
        },
        settings.resource_files(),
    )
    cache = ShardCache(cache_folder(sm.output.reviews), key) if sm.params.cache else None
    run_shard(
        list(sm.input.files),
        list(sm.params.others),
        sm.params.max_bytes,
        settings,
        cache,
        {
            name: getattr(sm.output, name)
            for name in ("reviews", "rejected", "tokens", "mentions", "relations", "links")
        },
    )


run_logged(snakemake, main)  # noqa: F821
