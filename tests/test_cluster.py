"""Cluster execution: every job as a separate submission gives the same bytes as a local run.

The shared local run of the sample (``sample_run`` in conftest, ``--cores 2``) is compared with a
second run from scratch, in another folder, through Snakemake's ``cluster-generic`` executor and the
profile ``workflow/profiles/cluster-generic-local`` (its submit.sh starts each jobscript with bash as
a separate background process and prints a job id; status.sh reports running/success/failed). This
is also the check that two runs give byte-identical outputs. The SLURM profile is checked with a dry
run (no SLURM here).
"""

from __future__ import annotations

import filecmp
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import copy_project

from valuechain.bench import child_env

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parent.parent
SNAKEMAKE = [sys.executable, "-m", "snakemake"]
PROFILE = ["--profile", "workflow/profiles/cluster-generic-local"]
# besides the tables: the run's other outputs a researcher cites or opens
OUTPUTS = ("provenance.json", "report.html", "report.md", "value_chain.graphml")


def run(cwd: Path, *args: str, env: dict | None = None, timeout: int = 300) -> str:
    p = subprocess.run(SNAKEMAKE + list(args), cwd=cwd, capture_output=True, text=True, env=env, timeout=timeout)
    out = p.stdout + p.stderr
    assert p.returncode == 0, out[-5000:]
    return out


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The sample run from scratch through the cluster executor (a copy made as conftest makes the local one)."""
    proj = copy_project(tmp_path_factory.mktemp("cluster") / "project")
    env = child_env([])  # the venv's bin first on PATH: the submitted jobscripts start the same Python
    return proj, run(proj, *PROFILE, env=env), env


def test_cluster_outputs_equal_local_outputs(runs, sample_run):
    proj, _, _ = runs
    local, cluster = sample_run / "results", proj / "results"
    tables = files_under(local / "tables")
    assert tables, "the local run wrote no tables"
    assert files_under(cluster / "tables") == tables
    for t in sorted(tables):
        assert filecmp.cmp(local / "tables" / t, cluster / "tables" / t, shallow=False), t
    for f in OUTPUTS:
        assert filecmp.cmp(local / f, cluster / f, shallow=False), f


def test_cluster_run_submitted_every_job_separately(runs):
    proj, log, env = runs
    submitted = re.findall(r"Submitted job (\d+) with external jobid '(local-[^']+)'", log)
    ran = re.findall(r"^rule (\w+):", log, flags=re.M)  # submitted jobs; local rules print 'localrule'
    assert submitted, log[-3000:]
    assert len(submitted) == len(ran) == len({j for _, j in submitted})
    assert {"analyze_shard", "corpus_tables", "layers"} <= set(ran)
    state = proj / ".snakemake" / "cluster-local"
    exits = {p.stem: p.read_text().strip() for p in state.glob("*.exit")}
    assert set(exits) == {j for _, j in submitted}
    assert set(exits.values()) == {"0"}
    pids = [p.read_text().strip() for p in state.glob("*.pid")]
    assert len(set(pids)) == len(submitted)  # one process per job
    assert "Nothing to be done" in run(proj, *PROFILE, env=env)


def test_slurm_profile_dry_run(tmp_path):
    proj = tmp_path / "project"
    copy_project(proj)  # with the bundled sample
    env = dict(os.environ, VALUECHAIN_SLURM_PARTITION="testpart")
    out = run(proj, "--profile", "workflow/profiles/slurm", "-n", env=env)
    assert "slurm_partition=testpart" in out, out[-3000:]

    def block(rule):
        text = out[out.index(f"rule {rule}:") :]
        return text[: text.index("\n\n")]

    assert "mem_mb=<TBD>" in block("tokens_table")  # scaled with the input size when the job starts
    shard = block("analyze_shard")  # a profile override of the rule's own declaration
    assert "mem_mb=3000" in shard and "runtime=60" in shard, shard
    profile = yaml.safe_load((ROOT / "workflow/profiles/slurm/config.yaml").read_text(encoding="utf-8"))
    assert profile["set-threads"] == {"analyze_shard": 4}  # (the dry run does not print threads)
    layers = block("layers")  # a profile override of the rule's own declaration
    assert "mem_mb=4000" in layers and "runtime=60" in layers, layers
