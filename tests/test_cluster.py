"""Cluster execution: every job as a separate submission gives the same results as a local run.

The workflow runs twice on one temporary copy of the project: once locally (``--cores 2``), once
with Snakemake's ``cluster-generic`` executor through the profile
``workflow/profiles/cluster-generic-local`` (its submit.sh starts each jobscript with bash as a
separate background process and prints a job id; status.sh reports running/success/failed). The
tables must be byte-identical. The SLURM profile is checked with a dry run (no SLURM here).
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from valuechain.bench import child_env, copy_project, generate_reviews, snapshot_package, write_reviews

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parent.parent
SNAKEMAKE = [sys.executable, "-m", "snakemake"]
# two shards keep the test short; both runs use the same config
CONFIG = ["--config", "n_shards=2"]


def run(cwd: Path, *args: str, env: dict | None = None, timeout: int = 300) -> str:
    p = subprocess.run(SNAKEMAKE + list(args), cwd=cwd, capture_output=True, text=True, env=env, timeout=timeout)
    out = p.stdout + p.stderr
    assert p.returncode == 0, out[-5000:]
    return out


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    proj = tmp_path_factory.mktemp("cluster") / "project"
    copy_project(ROOT, proj)
    # the bundled reviews and two synthetic ones (one of them in brunch layout or not, by seed)
    for f in (ROOT / "resources" / "reviews").iterdir():
        if f.is_file():
            shutil.copy2(f, proj / "resources" / "reviews" / f.name)
    write_reviews(proj / "resources" / "reviews", generate_reviews(2, seed=7, project=ROOT))

    # both runs (and every submitted job, which inherits the environment) import one frozen copy
    # of the package, so that edits in the checkout during the test cannot make them differ
    env = child_env([str(snapshot_package(ROOT, proj.parent / "pkg"))])

    local_log = run(proj, "--cores", "2", *CONFIG, env=env)
    (proj / "results").rename(proj / "results-local")
    shutil.rmtree(proj / ".snakemake")

    cluster_log = run(proj, "--profile", "workflow/profiles/cluster-generic-local", *CONFIG, env=env)
    return proj, local_log, cluster_log, env


def test_cluster_tables_equal_local_tables(runs):
    proj, _, _, _ = runs
    local, cluster = proj / "results-local", proj / "results"
    tables = files_under(local / "tables")
    assert tables, "the local run wrote no tables"
    assert files_under(cluster / "tables") == tables
    for t in sorted(tables):
        assert filecmp.cmp(local / "tables" / t, cluster / "tables" / t, shallow=False), t
    for extra in ("provenance.json",):
        if (local / extra).exists():
            assert filecmp.cmp(local / extra, cluster / extra, shallow=False), extra


def test_cluster_run_submitted_every_job_separately(runs):
    proj, _, log, env = runs
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
    assert "Nothing to be done" in run(proj, "--profile", "workflow/profiles/cluster-generic-local", *CONFIG, env=env)


def test_slurm_profile_dry_run(tmp_path):
    proj = tmp_path / "project"
    copy_project(ROOT, proj)
    shutil.copy2(ROOT / "resources" / "reviews" / "ai-goldrush.txt", proj / "resources" / "reviews")
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
