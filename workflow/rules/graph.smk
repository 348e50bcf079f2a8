rule value_chain:
    """The corpus value chain: links.csv grouped into one edge per (source, type, target) with names,
    counts, years and an example sentence. Needs only the entities' names, so it runs beside layers."""
    input:
        links=f"{RESULTS}/tables/links.csv",
        entities=f"{INTERIM}/entities_linked.csv",
        reviews=f"{RESULTS}/tables/reviews.csv",
    output:
        edges=report(
            f"{RESULTS}/tables/value_chain_edges.csv",
            caption="../report/value_chain_edges.rst",
            category="Relations",
        ),
    params:
        code=CODE["graph"],
    conda:
        "../envs/valuechain.yaml"
    log:
        f"{RESULTS}/logs/value_chain.log",
    benchmark:
        f"{RESULTS}/benchmarks/value_chain.tsv"
    # links are a few per review: the tables are small next to mentions
    resources:
        mem_mb=lambda wc, input, attempt: int((1000 + 10 * input.size_mb) * attempt),
        runtime=lambda wc, input, attempt: int((5 + input.size_mb / 10) * attempt),
    script:
        "../scripts/value_chain.py"


rule value_chain_graph:
    """The edges of value_chain_edges.csv as a GraphML graph (networkx), nodes with their layers; the
    report does not read it, so it runs beside the report."""
    input:
        edges=f"{RESULTS}/tables/value_chain_edges.csv",
        links=f"{RESULTS}/tables/links.csv",
        entities=f"{RESULTS}/tables/entities.csv",
        reviews=f"{RESULTS}/tables/reviews.csv",
    output:
        graphml=report(
            f"{RESULTS}/value_chain.graphml",
            caption="../report/value_chain_graphml.rst",
            category="Relations",
        ),
    params:
        code=CODE["graph"],
    conda:
        "../envs/valuechain.yaml"
    log:
        f"{RESULTS}/logs/value_chain_graph.log",
    benchmark:
        f"{RESULTS}/benchmarks/value_chain_graph.tsv"
    resources:
        mem_mb=lambda wc, input, attempt: int((1000 + 10 * input.size_mb) * attempt),
        runtime=lambda wc, input, attempt: int((5 + input.size_mb / 10) * attempt),
    script:
        "../scripts/value_chain_graph.py"
