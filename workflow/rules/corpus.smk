rule corpus_tables:
    """The corpus tables gathered from the shards: one row per review and per rejected file, mentions
    linked across reviews (one entity per real-world actor), relations and links keyed by the canonical
    entity."""
    input:
        reviews=per_shard(f"{INTERIM}/{{shard}}/reviews.jsonl"),
        rejected=per_shard(f"{INTERIM}/{{shard}}/rejected.csv"),
        tokens=per_shard(f"{INTERIM}/{{shard}}/tokens.parquet"),
        mentions=per_shard(f"{INTERIM}/{{shard}}/mentions.parquet"),
        relations=per_shard(f"{INTERIM}/{{shard}}/relations.parquet"),
        links=per_shard(f"{INTERIM}/{{shard}}/links.parquet"),
        gazetteer=config["gazetteer"],
    output:
        reviews=report(
            f"{RESULTS}/tables/reviews.csv",
            caption="../report/reviews.rst",
            category="Corpus",
        ),
        rejected=report(
            f"{RESULTS}/tables/rejected.csv",
            caption="../report/rejected.rst",
            category="Corpus",
        ),
        mentions=report(
            f"{RESULTS}/tables/mentions.csv",
            caption="../report/mentions.rst",
            category="Entities",
        ),
        relations=report(
            f"{RESULTS}/tables/relations.csv",
            caption="../report/relations.rst",
            category="Relations",
        ),
        links=report(
            f"{RESULTS}/tables/links.csv",
            caption="../report/links.rst",
            category="Relations",
        ),
        entities=f"{INTERIM}/entities_linked.csv",
        keymap=f"{INTERIM}/keymap.csv",
    params:
        code=CODE["corpus"],
        sheet=config["sheet"],
        reviews_dir=config["reviews_dir"],
    # on the critical path of a rerun: run first when several jobs are ready
    priority: 10
    conda:
        "../envs/valuechain.yaml"
    log:
        f"{RESULTS}/logs/corpus_tables.log",
    benchmark:
        f"{RESULTS}/benchmarks/corpus_tables.tsv"
    # measured: 580 MB at 10,000 reviews for the reviews table alone; mentions grow ~60 per review
    resources:
        mem_mb=lambda wc, input, attempt: int((1000 + 5 * input.size_mb) * attempt),
        runtime=lambda wc, input, attempt: int((5 + input.size_mb / 10) * attempt),
    script:
        "../scripts/corpus_tables.py"


rule tokens_table:
    """All tokens of the corpus in one Parquet file."""
    input:
        per_shard(f"{INTERIM}/{{shard}}/tokens.parquet"),
    output:
        f"{RESULTS}/tables/tokens.parquet",
    conda:
        "../envs/valuechain.yaml"
    log:
        f"{RESULTS}/logs/tokens_table.log",
    # the whole table is sorted in memory as Arrow columns (~10 bytes per token plus strings)
    resources:
        mem_mb=lambda wc, input, attempt: int((1000 + 20 * input.size_mb) * attempt),
        runtime=lambda wc, input, attempt: int((5 + input.size_mb / 10) * attempt),
    script:
        "../scripts/tokens_table.py"


rule provenance:
    """Versions, config hash, input and resource hashes."""
    input:
        reviews=f"{RESULTS}/tables/reviews.csv",
        resources=[config["gazetteer"], config["kiwi"]["user_dictionary"]],
    output:
        f"{RESULTS}/provenance.json",
    params:
        config=config,
    conda:
        "../envs/valuechain.yaml"
    log:
        f"{RESULTS}/logs/provenance.log",
    resources:
        mem_mb=500,
        runtime=5,
    script:
        "../scripts/provenance.py"


rule strict_check:
    """With strict: true, fail the run when any input file was rejected or there is no review (the tables stay)."""
    input:
        rejected=f"{RESULTS}/tables/rejected.csv",
        reviews=f"{RESULTS}/tables/reviews.csv",
    output:
        touch(f"{RESULTS}/logs/strict.ok"),
    params:
        reviews_dir=config["reviews_dir"],
    conda:
        "../envs/valuechain.yaml"
    log:
        f"{RESULTS}/logs/strict_check.log",
    resources:
        mem_mb=200,
        runtime=2,
    script:
        "../scripts/strict_check.py"
