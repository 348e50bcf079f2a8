# valuechain: Korean reviews of the AI economy -> actors, roles, eras, value-chain layers.
# The only entry point; stages live in workflow/rules/*.smk.

configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/shards.smk"
include: "workflow/rules/corpus.smk"
include: "workflow/rules/layers.smk"
include: "workflow/rules/graph.smk"
include: "workflow/rules/evaluate.smk"
include: "workflow/rules/report.smk"


rule all:
    input:
        all_outputs(),
    default_target: True
