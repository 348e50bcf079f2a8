rule layers:
    """Layer per actor (scores over role cues, CoNg similarities, gazetteer prior), clusters, analogies.
    The role phrases' nouns and CoNg vectors come from the shard jobs (no Kiwi in this job)."""
    input:
        entities=f"{INTERIM}/entities_linked.csv",
        relations=f"{RESULTS}/tables/relations.csv",
        links=f"{RESULTS}/tables/links.csv",
        # what the scorer needs from Kiwi, computed by the shard jobs: this job loads no Kiwi
        features=per_shard(f"{INTERIM}/{{shard}}/layer_features.parquet"),
        sentence_nouns=per_shard(f"{INTERIM}/{{shard}}/sentence_nouns.parquet"),
        gazetteer=config["gazetteer"],
        taxonomy=config["taxonomy"],
        layers=config["layers"],
        userdict=config["kiwi"]["user_dictionary"],
    output:
        entities=report(
            f"{RESULTS}/tables/entities.csv",
            caption="../report/entities.rst",
            category="Entities",
        ),
        layers=report(
            f"{RESULTS}/tables/layers.csv",
            caption="../report/layers.rst",
            category="Layers",
        ),
        analogies=report(
            f"{RESULTS}/tables/analogies.csv",
            caption="../report/analogies.rst",
            category="Layers",
        ),
        era_layer=f"{RESULTS}/tables/era_layer.csv",
    params:
        code=CODE["layers"],
        kiwi=config["kiwi"],
    # on the critical path of a rerun: run first when several jobs are ready
    priority: 10
    conda:
        "../envs/valuechain.yaml"
    log:
        f"{RESULTS}/logs/layers.log",
    benchmark:
        f"{RESULTS}/benchmarks/layers.tsv"
    resources:
        mem_mb=2000,
        runtime=20,
    script:
        "../scripts/layers.py"
