rule relations:
    """(actor, role, era) triples with evidence for one shard."""
    input:
        docs=f"{INTERIM}/{{shard}}/docs.spacy",
        mentions=f"{INTERIM}/{{shard}}/mentions.parquet",
        roles=config["relations"]["roles"],
        eras=config["relations"]["eras"],
        taxonomy=config["taxonomy"],
        gazetteer=config["gazetteer"],
        userdict=config["kiwi"]["user_dictionary"],
    output:
        f"{INTERIM}/{{shard}}/relations.parquet",
    params:
        code=CODE["relations"],
        kiwi=config["kiwi"],
    conda:
        "../envs/valuechain.yaml"
    log:
        f"{RESULTS}/logs/relations/{{shard}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/relations/{{shard}}.tsv"
    resources:
        mem_mb=2000,
        runtime=20,
    script:
        "../scripts/relations.py"


rule relations_table:
    """All relations of the corpus, keyed by canonical entity id."""
    input:
        relations=per_shard(f"{INTERIM}/{{shard}}/relations.parquet"),
        keymap=f"{INTERIM}/keymap.csv",
    output:
        report(
            f"{RESULTS}/tables/relations.csv",
            caption="../report/relations.rst",
            category="Relations",
        ),
    conda:
        "../envs/valuechain.yaml"
    log:
        f"{RESULTS}/logs/relations_table.log",
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/relations_table.py"
