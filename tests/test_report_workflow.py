"""Integration: the report_html rule on a temporary copy of the project, and ``snakemake --report``.

Until the Snakefile includes workflow/rules/report.smk, the copy gets the include line added (the
test then shows the wiring works); afterwards it runs the project as it is.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import copy_project

pytestmark = pytest.mark.integration
SNAKEMAKE = [sys.executable, "-m", "snakemake"]
INCLUDE = 'include: "workflow/rules/report.smk"'


def run(cwd: Path, *args: str) -> str:
    p = subprocess.run(SNAKEMAKE + list(args), cwd=cwd, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    return p.stdout + p.stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    proj = copy_project(tmp_path_factory.mktemp("report-proj"))
    snakefile = proj / "Snakefile"
    text = snakefile.read_text(encoding="utf-8")
    if INCLUDE not in text:
        text = re.sub(r'(include: "workflow/rules/common.smk"\n)', r"\1" + INCLUDE + "\n", text, count=1)
        snakefile.write_text(text, encoding="utf-8")
    # the GraphML beside the report is marked for `snakemake --report` too
    run(proj, "--cores", "2", "results/report.html", "results/report.md", "results/value_chain.graphml")
    return proj


def test_rule_writes_html_and_markdown(project):
    page = (project / "results/report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "ai-goldrush" in page
    assert "default-src &#x27;none&#x27;" in page  # the CSP meta tag (attribute-escaped)
    md = (project / "results/report.md").read_text(encoding="utf-8")
    assert md.startswith("# AI value chain") and "ai-goldrush" in md
    assert (project / "results/logs/report.log").exists()
    assert (project / "results/benchmarks/report.tsv").exists()


def test_rerun_is_a_noop(project):
    out = run(project, "--cores", "2", "results/report.html", "results/report.md")
    assert "Nothing to be done" in out


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


def test_lint_with_the_report_rule(project):
    p = subprocess.run(SNAKEMAKE + ["--lint"], cwd=project, capture_output=True, text=True)
    out = p.stdout + p.stderr
    assert p.returncode == 0, out
    assert "report_html" not in out, out
