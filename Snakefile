# valuechain: Korean reviews of the AI economy -> actors, roles, eras, value-chain layers.
# The only entry point; stages live in workflow/rules/*.smk.

configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/tokens.smk"
include: "workflow/rules/entities.smk"
include: "workflow/rules/relations.smk"
include: "workflow/rules/layers.smk"
include: "workflow/rules/evaluate.smk"
include: "workflow/rules/report.smk"


rule all:
    input:
        all_outputs(),
    default_target: True
