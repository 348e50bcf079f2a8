"""Style: ruff's lint (pycodestyle, pyflakes, isort, bugbear, pyupgrade, complexity <= 12) and its
formatter, as configured in pyproject.toml, over the whole tree."""

import subprocess
import sys

import pytest
from conftest import ROOT


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]], ids=["lint", "format"])
def test_ruff_is_clean(args):
    p = subprocess.run([sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-2000:]
