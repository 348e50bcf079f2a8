rule analyze_shard:
    """One shard end to end in one process: decode and parse the review files (brunch layout, metadata),
    Kiwi sentences and morphemes as spaCy Docs, entity mentions, (actor, role, era) relations and
    (source, type, target) links; and for the layers stage, the nouns and CoNg vectors of the role texts
    and the nouns of the relations' sentences (so that the layers job needs no Kiwi).
    Reviews unchanged since the last run come from the shard's cache (config shard_cache)."""
    input:
        files=shard_files,
        userdict=config["kiwi"]["user_dictionary"],
        gazetteer=config["gazetteer"],
        model=config["ner"]["model"],
        stoplist=config["ner"]["stoplist"],
        roles=config["relations"]["roles"],
        links=config["relations"]["links"],
        confidence=config["relations"]["confidence"],
        eras=config["relations"]["eras"],
        taxonomy=config["taxonomy"],
    output:
        reviews=f"{INTERIM}/{{shard}}/reviews.jsonl",
        rejected=f"{INTERIM}/{{shard}}/rejected.csv",
        tokens=f"{INTERIM}/{{shard}}/tokens.parquet",
        mentions=f"{INTERIM}/{{shard}}/mentions.parquet",
        relations=f"{INTERIM}/{{shard}}/relations.parquet",
        links=f"{INTERIM}/{{shard}}/links.parquet",
        sentence_nouns=f"{INTERIM}/{{shard}}/sentence_nouns.parquet",
        layer_features=f"{INTERIM}/{{shard}}/layer_features.parquet",
    params:
        code=CODE["shard"],
        max_bytes=config["max_file_bytes"],
        others=shard_others,
        kiwi=config["kiwi"],
        min_prob=config["ner"]["min_prob"],
        common_nouns=config["ner"].get("common_noun_candidates", False),
        ner_rules=config["ner"].get("rules"),
        cache=config["shard_cache"],
        batch_size=config["batch_reviews"],
        constructions=config["relations"]["constructions"],
        # the layers' cue and seed words: the role features for the layers stage are scored against
        # them (so a change of weights in config/layers.yaml does not rerun the shards)
        layer_words=LAYER_WORDS,
    # the largest shards first (priority = KiB of the shard's review files): on a few cores the run
    # does not end with one long shard job running alone
    priority: shard_priority
    # 1 thread: on 2 cores two shards run side by side (Kiwi's batch API could use more; a cluster
    # profile may raise it)
    threads: 1
    conda:
        "../envs/valuechain.yaml"
    log:
        f"{RESULTS}/logs/analyze_shard/{{shard}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/analyze_shard/{{shard}}.tsv"
    # measured: ~900 MB with batches of 64 reviews whatever the shard size; ~40 CPU-ms per review of
    # 4k characters plus ~5 s of model loading; x attempt when retried
    resources:
        mem_mb=lambda wc, input, attempt: int((1500 + 20 * input.size_mb) * attempt),
        runtime=lambda wc, input, attempt: int((10 + 5 * input.size_mb) * attempt),
    script:
        "../scripts/analyze_shard.py"
