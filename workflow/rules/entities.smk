rule mentions:
    """Entity mentions of one shard: gazetteer, dates, quoted works, classifier-typed names."""
    input:
        reviews=f"{INTERIM}/{{shard}}/reviews.jsonl",
        docs=f"{INTERIM}/{{shard}}/docs.spacy",
        gazetteer=config["gazetteer"],
        model=config["ner"]["model"],
        stoplist=config["ner"]["stoplist"],
        userdict=config["kiwi"]["user_dictionary"],
    output:
        f"{INTERIM}/{{shard}}/mentions.parquet",
    params:
        code=CODE["mentions"],
        kiwi=config["kiwi"],
        min_prob=config["ner"]["min_prob"],
        common_nouns=config["ner"].get("common_noun_candidates", False),
    threads: 1
    conda:
        "../envs/valuechain.yaml"
    log:
        f"{RESULTS}/logs/mentions/{{shard}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/mentions/{{shard}}.tsv"
    resources:
        mem_mb=2000,
        runtime=30,
    script:
        "../scripts/mentions.py"


rule entities:
    """Link mentions across reviews: one entity per real-world actor."""
    input:
        mentions=per_shard(f"{INTERIM}/{{shard}}/mentions.parquet"),
        reviews=f"{RESULTS}/tables/reviews.csv",
        gazetteer=config["gazetteer"],
    output:
        mentions=report(
            f"{RESULTS}/tables/mentions.csv",
            caption="../report/mentions.rst",
            category="Entities",
        ),
        entities=f"{INTERIM}/entities_linked.csv",
        keymap=f"{INTERIM}/keymap.csv",
    params:
        code=CODE["entities"],
    conda:
        "../envs/valuechain.yaml"
    log:
        f"{RESULTS}/logs/entities.log",
    benchmark:
        f"{RESULTS}/benchmarks/entities.tsv"
    resources:
        mem_mb=2000,
        runtime=20,
    script:
        "../scripts/entities.py"
