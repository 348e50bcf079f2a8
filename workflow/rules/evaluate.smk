rule evaluate:
    """Scores of the tables against gold annotations, when the evaluation kit is present."""
    input:
        mentions=f"{RESULTS}/tables/mentions.csv",
        entities=f"{RESULTS}/tables/entities.csv",
        relations=f"{RESULTS}/tables/relations.csv",
    output:
        f"{RESULTS}/eval/scores.json",
    params:
        scorer=config["evaluation"]["scorer"],
        gold=config["evaluation"]["gold"],
    conda:
        "../envs/valuechain.yaml"
    log:
        f"{RESULTS}/logs/evaluate.log",
    resources:
        mem_mb=500,
        runtime=5,
    script:
        "../scripts/evaluate.py"
