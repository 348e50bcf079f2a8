from valuechain.report.workflow import report_inputs


rule report_html:
    """The research report: one self-contained HTML file (offline, Korean font embedded) and a Markdown summary."""
    input:
        unpack(
            lambda wildcards: report_inputs(
                workflow,
                RESULTS,
                per_shard(f"{INTERIM}/{{shard}}/reviews.jsonl"),
                config.get("taxonomy", "config/taxonomy.yaml"),
                f"{RESULTS}/eval/scores.json",
            )
        ),
    output:
        html=report(
            f"{RESULTS}/report.html",
            caption="../report/report.rst",
            category="Report",
        ),
        md=report(
            f"{RESULTS}/report.md",
            caption="../report/report_md.rst",
            category="Report",
        ),
    params:
        min_confidence=config["report"]["min_confidence"],
    # on the critical path of a rerun: run first when several jobs are ready
    priority: 10
    conda:
        "../envs/valuechain.yaml"
    log:
        f"{RESULTS}/logs/report.log",
    benchmark:
        f"{RESULTS}/benchmarks/report.tsv"
    resources:
        mem_mb=2000,
        runtime=15,
    script:
        "../scripts/report.py"
