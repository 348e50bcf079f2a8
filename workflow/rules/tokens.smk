rule ingest:
    """Decode and parse the review files of one shard (brunch layout, metadata, spans)."""
    input:
        shard_files,
    output:
        reviews=f"{INTERIM}/{{shard}}/reviews.jsonl",
        rejected=f"{INTERIM}/{{shard}}/rejected.csv",
    params:
        code=CODE["tokens"],
        max_bytes=config["max_file_bytes"],
        others=shard_others,
    conda:
        "../envs/valuechain.yaml"
    log:
        f"{RESULTS}/logs/ingest/{{shard}}.log",
    # grows with the shard's files; x attempt when retried (valuechain.bench measures these)
    resources:
        mem_mb=lambda wc, input, attempt: int((600 + 20 * input.size_mb) * attempt),
        runtime=lambda wc, input, attempt: int((5 + input.size_mb / 10) * attempt),
    script:
        "../scripts/ingest.py"


rule tokenize:
    """Kiwi sentences and morphemes, as spaCy Docs (DocBin) and a token table."""
    input:
        reviews=f"{INTERIM}/{{shard}}/reviews.jsonl",
        userdict=config["kiwi"]["user_dictionary"],
    output:
        docs=f"{INTERIM}/{{shard}}/docs.spacy",
        tokens=f"{INTERIM}/{{shard}}/tokens.parquet",
    params:
        code=CODE["tokens"],
        kiwi=config["kiwi"],
    # 1 thread: on 2 cores two shards tokenise side by side (1,000 reviews, quiet machine: 124.9 s
    # vs 145.8 s wall with 2 threads; adding one review +1.6 s). A cluster profile may raise it.
    threads: 1
    conda:
        "../envs/valuechain.yaml"
    log:
        f"{RESULTS}/logs/tokenize/{{shard}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/tokenize/{{shard}}.tsv"
    # measured: ~700 MB + up to ~130 MB per MB of reviews.jsonl (1,250 reviews = 12.5 MB ->
    # 1.4-2.4 GB), ~7 CPU-s per MB; x attempt when retried
    resources:
        mem_mb=lambda wc, input, attempt: int((1000 + 150 * input.size_mb) * attempt),
        runtime=lambda wc, input, attempt: int((10 + input.size_mb) * attempt),
    script:
        "../scripts/tokenize.py"


rule reviews_table:
    """One row per processed review, one per rejected file."""
    input:
        reviews=per_shard(f"{INTERIM}/{{shard}}/reviews.jsonl"),
        rejected=per_shard(f"{INTERIM}/{{shard}}/rejected.csv"),
        tokens=per_shard(f"{INTERIM}/{{shard}}/tokens.parquet"),
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
    params:
        sheet=config["sheet"],
    conda:
        "../envs/valuechain.yaml"
    log:
        f"{RESULTS}/logs/reviews_table.log",
    # measured: 580 MB at 10,000 reviews (180 MB of inputs)
    resources:
        mem_mb=lambda wc, input, attempt: int((800 + 2 * input.size_mb) * attempt),
        runtime=lambda wc, input, attempt: int((5 + input.size_mb / 20) * attempt),
    script:
        "../scripts/reviews_table.py"


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
    # measured: 4.5 GB and 33 s at 10,000 reviews (17 M tokens, 87 MB of shard Parquet): the whole
    # table is held (and sorted) in memory
    resources:
        mem_mb=lambda wc, input, attempt: int((1000 + 50 * input.size_mb) * attempt),
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
    """With strict: true, fail the run when any input file was rejected (the tables stay)."""
    input:
        f"{RESULTS}/tables/rejected.csv",
    output:
        touch(f"{RESULTS}/logs/strict.ok"),
    conda:
        "../envs/valuechain.yaml"
    log:
        f"{RESULTS}/logs/strict_check.log",
    resources:
        mem_mb=200,
        runtime=2,
    script:
        "../scripts/strict_check.py"
