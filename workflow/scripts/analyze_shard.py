from pathlib import Path

from valuechain.corpus import related_buckets
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
        layer_words=tuple(tuple(x) for x in sm.params.layer_words),
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
    related = []
    if cache is not None:  # a bucket that split or merged: its reviews' rows are in the other buckets' caches
        shard = Path(sm.output.reviews).parent
        names = [p.name for p in shard.parent.iterdir() if p.is_dir()] if shard.parent.is_dir() else []
        related = [
            ShardCache(cache_folder(shard.parent / n / "reviews.jsonl"), key)
            for n in related_buckets(shard.name, names)
        ]
    run_shard(
        list(sm.input.files),
        list(sm.params.others),
        sm.params.max_bytes,
        settings,
        cache,
        {
            name: getattr(sm.output, name)
            for name in (
                "reviews",
                "rejected",
                "tokens",
                "mentions",
                "relations",
                "links",
                "sentence_nouns",
                "layer_features",
            )
        },
        related=related,
    )


run_logged(snakemake, main)  # noqa: F821
