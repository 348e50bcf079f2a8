import json

import pandas as pd

from valuechain import provenance
from valuechain.smk import run_logged


def main(sm):
    rv = pd.read_csv(sm.input.reviews, dtype=str, keep_default_na=False)
    inputs = rv[["file", "review_id", "sha256", "encoding"]].to_dict("records")
    prov = provenance.build(dict(sm.params.config), inputs, list(sm.input.resources))
    with open(sm.output[0], "w", encoding="utf-8") as fh:
        json.dump(prov, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")


run_logged(snakemake, main)  # noqa: F821
