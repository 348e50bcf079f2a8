"""Integration: the report rule's outputs in a finished run of the sample, and ``snakemake --report``."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import copy_run

pytestmark = pytest.mark.integration
SNAKEMAKE = [sys.executable, "-m", "snakemake"]


def run(cwd: Path, *args: str) -> str:
    p = subprocess.run(SNAKEMAKE + list(args), cwd=cwd, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    return p.stdout + p.stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory, sample_run):
    """A copy of the finished sample run (conftest): its report rule wrote report.html and report.md."""
    return copy_run(sample_run, tmp_path_factory.mktemp("report-proj") / "p")


def test_rule_writes_html_and_markdown(project):
    page = (project / "results/report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "ai-goldrush" in page
    assert "default-src &#x27;none&#x27;" in page  # the CSP meta tag (attribute-escaped)
    md = (project / "results/report.md").read_text(encoding="utf-8")
    assert md.startswith("# AI value chain") and "ai-goldrush" in md
    assert (project / "results/logs/report.log").exists()
    assert (project / "results/benchmarks/report.tsv").exists()


def test_snakemake_report_has_captions(project):
    targets = ["all", "results/report.html", "results/report.md"]  # "all" lists them once the rule is wired in
    run(project, "--report", "results/snakemake-report.html", *targets)
    html = (project / "results/snakemake-report.html").read_text(encoding="utf-8")
    assert "self-contained HTML file" in html  # caption of workflow/report/report.rst
    assert "A short Markdown summary" in html  # caption of workflow/report/report_md.rst
    run(project, "--report", "results/snakemake-report.zip", *targets)
    with zipfile.ZipFile(project / "results/snakemake-report.zip") as z:
        names = z.namelist()
    assert any(n.endswith("/report.html") and "/data/raw/" in n for n in names), names
    assert any(n.endswith("/report.md") for n in names), names
