from valuechain.report.workflow import build_from_snakemake
from valuechain.smk import run_logged

run_logged(snakemake, build_from_snakemake)  # noqa: F821
