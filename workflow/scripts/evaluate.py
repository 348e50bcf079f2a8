import json
from pathlib import Path

from valuechain.evaluation import run_scorer
from valuechain.smk import run_logged


def main(sm):
    tables = str(Path(sm.input.mentions).parent)
    scores = run_scorer(sm.params.scorer, sm.params.gold, tables)
    Path(sm.output[0]).write_text(
        json.dumps(scores, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


run_logged(snakemake, main)  # noqa: F821
