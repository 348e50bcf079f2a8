import pandas as pd

from valuechain.smk import run_logged


def main(sm):
    rejected = pd.read_csv(sm.input[0], dtype=str, keep_default_na=False)
    if len(rejected):
        files = ", ".join(f"{r.file} ({r.reason})" for r in rejected.itertuples())
        raise SystemExit(f"strict: {len(rejected)} input file(s) rejected: {files}; see {sm.input[0]}")


run_logged(snakemake, main)  # noqa: F821
